/**
 * Kubernetes versions EKS supports, in one place (used by the config schema and the policy check
 * CKV_AWS_339). Review when EKS announces a release or an end of support.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const KUBERNETES_VERSIONS = {
  "1.32": "extended",
  "1.33": "extended",
  "1.34": "standard",
  "1.35": "standard",
  "1.36": "standard",
} as const satisfies Record<string, "standard" | "extended">;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];
