import { Construct } from "constructs";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { EksIngressClassParams, Elbv2IngressClassParams } from "../.gen";
import type { LoadBalancerApiVersion } from "./private/compute-flavor";

export interface AlbIngressClassProps {
  /** @default "alb" */
  readonly name?: string;
  /** API group serving IngressClassParams: `eks.amazonaws.com` or `elbv2.k8s.aws`. */
  readonly apiGroup: string;
  readonly apiVersion: LoadBalancerApiVersion;
  /** `eks.amazonaws.com/alb` or `ingress.k8s.aws/alb`. */
  readonly controller: string;
  /** @default "internal" */
  readonly scheme?: "internal" | "internet-facing";
  /** Ingresses of one group share one ALB. */
  readonly groupName?: string;
  /** @default false */
  readonly isDefault?: boolean;
}

/**
 * An IngressClass for Application Load Balancers with its IngressClassParams: an Ingress of this
 * class gets an ALB, listeners and target groups.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html
 */
export class AlbIngressClass extends Construct {
  readonly params: Manifest;
  readonly ingressClass: IngressClassV1;

  constructor(scope: Construct, id: string, props: AlbIngressClassProps) {
    super(scope, id);
    const name = props.name ?? "alb";
    const spec: EksIngressClassParams["spec"] & Elbv2IngressClassParams["spec"] = {
      scheme: props.scheme ?? "internal",
      ...(props.groupName ? { group: { name: props.groupName } } : {}),
    };
    // IngressClassParams is cluster-scoped.
    const object: EksIngressClassParams | Elbv2IngressClassParams = { apiVersion: props.apiVersion, kind: "IngressClassParams", metadata: { name }, spec };
    this.params = new Manifest(this, "params", { manifest: object as unknown as Record<string, unknown> });
    this.ingressClass = new IngressClassV1(this, "ingress-class", {
      metadata: {
        name,
        annotations: props.isDefault ? { "ingressclass.kubernetes.io/is-default-class": "true" } : undefined,
      },
      spec: {
        controller: props.controller,
        parameters: [{ apiGroup: props.apiGroup, kind: "IngressClassParams", name }],
      },
      dependsOn: [this.params],
    });
  }
}
