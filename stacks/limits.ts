/**
 * AWS limits and fixed vocabularies used by the config schema and the rules, kept in one place
 * with their sources so a change in AWS is a one-line change here.
 */

/** @see https://docs.aws.amazon.com/eks/latest/userguide/create-auto.html (node_pools accepts only these) */
export const BUILT_IN_NODE_POOLS = ["general-purpose", "system"] as const;

/** @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const ACCESS_POLICIES = [
  "AmazonEKSClusterAdminPolicy",
  "AmazonEKSAdminPolicy",
  "AmazonEKSAdminViewPolicy",
  "AmazonEKSEditPolicy",
  "AmazonEKSViewPolicy",
  "AmazonEKSSecretReaderPolicy",
  "AmazonEKSAutoNodePolicy",
] as const;

/** @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html */
export const ACCESS_ENTRY_TYPES = ["STANDARD", "EC2", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX"] as const;
/** Node-type entries: EKS assigns their Kubernetes group itself, so `kubernetes_groups` diffs forever (terraform-aws-eks #2896). */
export const NODE_ACCESS_ENTRY_TYPES = ["EC2", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX"] as const;

/**
 * Add-ons Auto Mode runs itself (as node processes): installing them as add-ons conflicts.
 * Managed node groups get all of them by default.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export const CORE_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver", "eks-pod-identity-agent"] as const;

/** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** All five control-plane log types (CKV_AWS_37). @see https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType) */
export const NODE_GROUP_AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_x86_64_NEURON",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
] as const;

export interface EbsLimits {
  readonly sizeGiB: readonly [number, number];
  /** Provisioned IOPS range and the maximum IOPS per GiB; absent when the type takes no IOPS setting. */
  readonly iops?: { readonly range: readonly [number, number]; readonly perGiB: number };
  readonly throughputMiBs?: readonly [number, number];
}

export const EBS_VOLUME_TYPES = ["gp3", "gp2", "io1", "io2", "st1", "sc1"] as const;

/** @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html */
export const EBS_LIMITS: Readonly<Record<(typeof EBS_VOLUME_TYPES)[number], EbsLimits>> = {
  gp3: { sizeGiB: [1, 16384], iops: { range: [3000, 16000], perGiB: 500 }, throughputMiBs: [125, 1000] },
  gp2: { sizeGiB: [1, 16384] },
  io1: { sizeGiB: [4, 16384], iops: { range: [100, 64000], perGiB: 50 } },
  io2: { sizeGiB: [4, 65536], iops: { range: [100, 256000], perGiB: 1000 } },
  st1: { sizeGiB: [125, 16384] },
  sc1: { sizeGiB: [125, 16384] },
};

/** Auto Mode nodes live at most 21 days (expireAfter + terminationGracePeriod). @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html */
export const AUTO_MODE_MAX_NODE_LIFETIME_SECONDS = 21 * 24 * 3600;

/** NodeClass `spec.tags` may not use these. @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html */
export const RESERVED_NODECLASS_TAG_PREFIXES = ["kubernetes.io/cluster/", "karpenter.sh/", "eks.amazonaws.com/nodeclass", "aws:"] as const;
