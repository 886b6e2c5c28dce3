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
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];
