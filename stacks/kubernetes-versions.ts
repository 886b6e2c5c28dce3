/**
 * Kubernetes versions EKS supports, in one place (used by the config schema and the policy check
 * CKV_AWS_339), with the end of support of each. Review when EKS announces a release or an end
 * of support; an expired version then fails synth with the list to pick from.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const KUBERNETES_VERSIONS = {
  // 1.31 left extended support on 2026-11-26.
  "1.32": "extended", // until 2027-03-23
  "1.33": "extended", // until 2027-07-29
  "1.34": "standard", // standard until 2026-12-02, extended until 2027-12-02
  "1.35": "standard",
  "1.36": "standard",
} as const satisfies Record<string, "standard" | "extended">;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/**
 * Support dates of each version (UTC days; the end dates are the last day of each period): what
 * the cost estimate needs to tell standard from extended support (extended support costs $0.60
 * per cluster hour instead of $0.10, data/prices.json). `undefined`: not announced yet. Keep
 * KUBERNETES_VERSIONS consistent with these dates (test/tools/cost.test.ts checks them on the review day).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar)
 * @see https://endoflife.date/amazon-eks (the same calendar, read 2026-11-30)
 */
export const KUBERNETES_VERSION_DATES: Record<KubernetesVersion, { readonly endOfStandardSupport?: string; readonly endOfExtendedSupport?: string }> = {
  "1.32": { endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  "1.33": { endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  "1.34": { endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  "1.35": { endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
  // 1.36: dates not recorded here yet (add them from the release calendar).
  "1.36": {},
};

/** "standard" or "extended" on `day` (YYYY-MM-DD, UTC) by the dates above; "standard" when no end date is known. */
export function supportStatusOn(version: KubernetesVersion, day: string): "standard" | "extended" | "ended" {
  const dates = KUBERNETES_VERSION_DATES[version];
  if (dates.endOfExtendedSupport !== undefined && day > dates.endOfExtendedSupport) return "ended";
  if (dates.endOfStandardSupport !== undefined && day > dates.endOfStandardSupport) return "extended";
  return "standard";
}
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];
