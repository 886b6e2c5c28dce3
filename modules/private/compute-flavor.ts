/**
 * The one place that knows how a platform object differs between EKS Auto Mode and managed node
 * groups. Modules ask this table; nothing else branches on the compute mode for these choices.
 */
import type { EksTargetGroupBinding, Elbv2TargetGroupBinding } from "../../.gen";

export type ComputeMode = "auto" | "managed";
/** API versions serving TargetGroupBinding and IngressClassParams (types generated from schemas/). */
export type LoadBalancerApiVersion = EksTargetGroupBinding["apiVersion"] | Elbv2TargetGroupBinding["apiVersion"];

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
  /** Auto Mode scales with NodePools; node groups are AWS resources. */
  readonly usesNodePools: boolean;
  /** The load balancer controller is ours to install (Helm) rather than built in. */
  readonly installsLoadBalancerController: boolean;
}

/**
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html (ebs.csi.eks.amazonaws.com)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html (eks.amazonaws.com/alb)
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/ (ingress.k8s.aws/alb)
 */
export const COMPUTE_FLAVORS: Readonly<Record<ComputeMode, ComputeFlavor>> = {
  auto: {
    ebsCsiDriver: "ebs.csi.eks.amazonaws.com",
    loadBalancerApiGroup: "eks.amazonaws.com",
    loadBalancerApiVersion: "eks.amazonaws.com/v1",
    ingressController: "eks.amazonaws.com/alb",
    needsKubeDnsShim: true,
    usesNodePools: true,
    installsLoadBalancerController: false,
  },
  managed: {
    ebsCsiDriver: "ebs.csi.aws.com",
    loadBalancerApiGroup: "elbv2.k8s.aws",
    loadBalancerApiVersion: "elbv2.k8s.aws/v1beta1",
    ingressController: "ingress.k8s.aws/alb",
    needsKubeDnsShim: false,
    usesNodePools: false,
    installsLoadBalancerController: true,
  },
};
