/**
 * The one place that knows how a platform object differs between EKS Auto Mode and managed node
 * groups (with open-source Karpenter for node pools). Modules and rules ask this table; nothing
 * else branches on the compute mode for these choices.
 */
import type { EksTargetGroupBinding, Elbv2TargetGroupBinding } from "../../.gen";

export type ComputeMode = "auto" | "managed";
/** API versions serving TargetGroupBinding and IngressClassParams (types generated from schemas/). */
export type LoadBalancerApiVersion = EksTargetGroupBinding["apiVersion"] | Elbv2TargetGroupBinding["apiVersion"];

/** How one node pool spec (the top-level `nodePools`) becomes Kubernetes objects in a mode. */
export interface NodePoolFlavor {
  /** Who runs the NodePools: EKS itself, or the Karpenter this project installs. */
  readonly provisioner: "Auto Mode" | "Karpenter";
  /** Who refuses a wrong node class or NodePool (EKS's admission, or Karpenter's CRD rules). */
  readonly enforcer: "EKS" | "Karpenter";
  /** NodePool `spec.template.spec.nodeClassRef` group and kind; the node class has this apiVersion. */
  readonly nodeClass: { readonly apiVersion: string; readonly group: string; readonly kind: string };
  /** Requirement keys of the instance selectors (`eks.amazonaws.com/instance-*` ↔ `karpenter.k8s.aws/instance-*`). */
  readonly requirementKeys: { readonly instanceCategory: string; readonly instanceGeneration: string; readonly instanceCpu: string };
  /** NodePool `spec.disruption.consolidationPolicy` values the mode's CRD accepts. */
  readonly consolidationPolicies: readonly string[];
  /** NodePool `spec.disruption.budgets[].reasons` values the mode's CRD accepts. */
  readonly budgetReasons: readonly string[];
  /** Longest node lifetime (expireAfter + terminationGracePeriod) the mode allows, if it caps it. */
  readonly maxNodeLifetimeSeconds?: number;
  /** Node class names the mode keeps for itself. */
  readonly reservedNodeClassNames: readonly string[];
  /** Node class `spec.tags` keys the mode's CRD refuses: by prefix, and exactly. */
  readonly reservedTagPrefixes: readonly string[];
  readonly reservedTagKeys: readonly string[];
  /** The node class has networkPolicy/snatPolicy (Auto Mode); elsewhere the VPC CNI decides. */
  readonly nodeClassNetworkSettings: boolean;
}

export interface ComputeFlavor {
  /** EBS CSI provisioner/driver name. Auto Mode's is built in under its own name. */
  readonly ebsCsiDriver: string;
  /** API group of TargetGroupBinding and IngressClassParams. */
  readonly loadBalancerApiGroup: string;
  readonly loadBalancerApiVersion: LoadBalancerApiVersion;
  /** IngressClass `spec.controller`. */
  readonly ingressController: string;
  /** Auto Mode runs CoreDNS on the node, without the kube-dns Service some charts expect. */
  readonly needsKubeDnsShim: boolean;
  /** The load balancer controller (and Karpenter) are ours to install, in the controllers stack, rather than built in. */
  readonly installsLoadBalancerController: boolean;
  readonly nodePools: NodePoolFlavor;
}

/**
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html (ebs.csi.eks.amazonaws.com)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html (eks.amazonaws.com/alb)
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/ (ingress.k8s.aws/alb)
 * Node pools: the Auto Mode NodePool CRD as a live cluster serves it (imroc/kubeschemas 32f51d9, see schemas/) and
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html (labels, 21-day lifetime)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html (reserved tags, `default`)
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/pkg/apis/crds/karpenter.sh_nodepools.yaml
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml
 */
export const COMPUTE_FLAVORS: Readonly<Record<ComputeMode, ComputeFlavor>> = {
  auto: {
    ebsCsiDriver: "ebs.csi.eks.amazonaws.com",
    loadBalancerApiGroup: "eks.amazonaws.com",
    loadBalancerApiVersion: "eks.amazonaws.com/v1",
    ingressController: "eks.amazonaws.com/alb",
    needsKubeDnsShim: true,
    installsLoadBalancerController: false,
    nodePools: {
      provisioner: "Auto Mode",
      enforcer: "EKS",
      nodeClass: { apiVersion: "eks.amazonaws.com/v1", group: "eks.amazonaws.com", kind: "NodeClass" },
      requirementKeys: {
        instanceCategory: "eks.amazonaws.com/instance-category",
        instanceGeneration: "eks.amazonaws.com/instance-generation",
        instanceCpu: "eks.amazonaws.com/instance-cpu",
      },
      consolidationPolicies: ["WhenEmpty", "WhenEmptyOrUnderutilized"],
      budgetReasons: ["Underutilized", "Empty", "Drifted", "NodeNotHealthy"],
      maxNodeLifetimeSeconds: 21 * 24 * 3600,
      reservedNodeClassNames: ["default"],
      reservedTagPrefixes: ["kubernetes.io/cluster", "aws:"],
      reservedTagKeys: ["karpenter.sh/provisioner-name", "karpenter.sh/nodepool", "karpenter.sh/nodeclaim", "karpenter.sh/managed-by", "eks.amazonaws.com/nodeclass", "eks:eks-cluster-name"],
      nodeClassNetworkSettings: true,
    },
  },
  managed: {
    ebsCsiDriver: "ebs.csi.aws.com",
    loadBalancerApiGroup: "elbv2.k8s.aws",
    loadBalancerApiVersion: "elbv2.k8s.aws/v1beta1",
    ingressController: "ingress.k8s.aws/alb",
    needsKubeDnsShim: false,
    installsLoadBalancerController: true,
    nodePools: {
      provisioner: "Karpenter",
      enforcer: "Karpenter",
      nodeClass: { apiVersion: "karpenter.k8s.aws/v1", group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
      requirementKeys: {
        instanceCategory: "karpenter.k8s.aws/instance-category",
        instanceGeneration: "karpenter.k8s.aws/instance-generation",
        instanceCpu: "karpenter.k8s.aws/instance-cpu",
      },
      consolidationPolicies: ["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"],
      budgetReasons: ["Underutilized", "Empty", "Drifted"],
      reservedNodeClassNames: [],
      reservedTagPrefixes: ["kubernetes.io/cluster", "aws:"],
      reservedTagKeys: ["eks:eks-cluster-name", "karpenter.sh/nodepool", "karpenter.sh/nodeclaim", "karpenter.k8s.aws/ec2nodeclass"],
      nodeClassNetworkSettings: false,
    },
  },
};
