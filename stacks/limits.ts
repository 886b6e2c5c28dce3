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

/**
 * Linux AMI types of the EKS API (AMITypes) that exist for every Kubernetes version we support.
 * Left out on purpose: AL2_* (no AMIs for 1.33 and later), WINDOWS_* (the platform's pods are
 * Linux), CUSTOM (our launch templates set no image).
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType)
 */
export const NODE_GROUP_AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "AL2023_x86_64_NEURON",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
  "BOTTLEROCKET_x86_64_FIPS",
  "BOTTLEROCKET_ARM_64_FIPS",
  "BOTTLEROCKET_x86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
  "BOTTLEROCKET_x86_64_NVIDIA_FIPS",
  "BOTTLEROCKET_ARM_64_NVIDIA_FIPS",
] as const;

export interface EbsLimits {
  readonly sizeGiB: readonly [number, number];
  /** Provisioned IOPS range and the maximum IOPS per GiB; absent when the type takes no IOPS setting. */
  readonly iops?: { readonly range: readonly [number, number]; readonly perGiB: number };
  readonly throughputMiBs?: readonly [number, number];
}

export const EBS_VOLUME_TYPES = ["gp3", "gp2", "io1", "io2", "st1", "sc1"] as const;

/**
 * gp3 as raised in September 2025 (64 TiB, 80,000 IOPS, 2,000 MiB/s).
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html (Size, Iops, Throughput)
 */
export const EBS_LIMITS: Readonly<Record<(typeof EBS_VOLUME_TYPES)[number], EbsLimits>> = {
  gp3: { sizeGiB: [1, 65536], iops: { range: [3000, 80000], perGiB: 500 }, throughputMiBs: [125, 2000] },
  gp2: { sizeGiB: [1, 16384] },
  io1: { sizeGiB: [4, 16384], iops: { range: [100, 64000], perGiB: 50 } },
  io2: { sizeGiB: [4, 65536], iops: { range: [100, 256000], perGiB: 1000 } },
  st1: { sizeGiB: [125, 16384] },
  sc1: { sizeGiB: [125, 16384] },
};

/** Auto Mode nodes live at most 21 days (expireAfter + terminationGracePeriod). @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html */
export const AUTO_MODE_MAX_NODE_LIFETIME_SECONDS = 21 * 24 * 3600;

/**
 * NodeClass `spec.tags` keys the Auto Mode CRD's CEL rules refuse (prefix match for
 * `kubernetes.io/cluster` and `aws:`, exact keys for the rest), plus `eks:eks-cluster-name`, which
 * Auto Mode sets itself.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 */
export const RESERVED_NODECLASS_TAG_PREFIXES = ["kubernetes.io/cluster", "aws:"] as const;
export const RESERVED_NODECLASS_TAG_KEYS = [
  "karpenter.sh/provisioner-name",
  "karpenter.sh/nodepool",
  "karpenter.sh/nodeclaim",
  "karpenter.sh/managed-by",
  "eks.amazonaws.com/nodeclass",
  "eks:eks-cluster-name",
] as const;

/** "Public endpoint access CIDR ranges per cluster: 40" (not adjustable). @see https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

/**
 * Tags per resource (EC2, IAM, EKS, Logs, ELBv2 all say 50); the stacks add `Name` and
 * `eks:eks-cluster-name` to some resources on top of the environment's tags.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-using-tags.html#tag-restrictions
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const STACK_TAG_KEYS = ["Name", "eks:eks-cluster-name"] as const;

/** Launch templates take at most 20 instance types per node group. @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (instanceTypes) */
export const MAX_NODE_GROUP_INSTANCE_TYPES = 20;
/** "A maximum of 50 taints are allowed per node group"; keys 1-63 characters. @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Taint.html */
export const MAX_NODE_GROUP_TAINTS = 50;
/** Node group label and taint keys: at most 63 characters, prefix included. @see https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateLabelsPayload.html */
export const NODE_GROUP_KEY_MAX = 63;

/**
 * Label domains kubelet and Karpenter/Auto Mode keep for themselves: a node label or NodePool
 * label in them is refused (kubelet `--node-labels`, NodePool CEL). Subdomains `node.kubernetes.io`
 * and `kubelet.kubernetes.io` are allowed for node labels.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
 * @see https://karpenter.sh/docs/concepts/nodepools/ (restricted label domains)
 */
export const RESERVED_LABEL_DOMAINS = ["kubernetes.io", "k8s.io", "karpenter.sh", "karpenter.k8s.aws", "eks.amazonaws.com"] as const;
export const ALLOWED_LABEL_SUBDOMAINS = ["node.kubernetes.io", "kubelet.kubernetes.io"] as const;

/**
 * Karpenter chart versions whose controller IAM policy (modules/private/iam-policies.ts), interruption rules and chart
 * value keys (modules/private/chart-values/) this project has checked. A new version is added with those checks.
 * @see https://github.com/aws/karpenter-provider-aws/releases/tag/v1.14.1
 */
export const KARPENTER_CHART_VERSIONS = ["1.14.1"] as const;

/**
 * The EKS-optimized AL2023 AMI release Karpenter nodes run by default (EC2NodeClass alias `al2023@<release>`):
 * release v20260714 ships AL2023 AMIs for Kubernetes 1.30-1.36 (its CHANGELOG "AMI Details" table: source AMIs for
 * 1.30-1.32, 1.33-1.35 and 1.36), so it covers every version in kubernetes-versions.ts; a later release was not
 * confirmed here. Bump it deliberately: the review shows the change.
 * @see https://github.com/awslabs/amazon-eks-ami/releases/tag/v20260714
 * @see https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms (alias: "family@version", pinned for production)
 */
export const KARPENTER_DEFAULT_AMI_ALIAS = "al2023@v20260714";

