import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { EksTargetGroupBinding, Elbv2TargetGroupBinding } from "../.gen";
import type { LoadBalancerApiVersion } from "./private/compute-flavor";

export interface TargetGroupBindingProps {
  readonly name: string;
  /** The Service's namespace: a binding lives next to its Service. */
  readonly namespace: string;
  /** `eks.amazonaws.com/v1` (Auto Mode) or `elbv2.k8s.aws/v1beta1` (AWS Load Balancer Controller). */
  readonly apiVersion: LoadBalancerApiVersion;
  /** From the AWS stack. */
  readonly targetGroupArn: string;
  readonly service: { readonly name: string; readonly port: number };
  /** Port the pods listen on: opened to the load balancer's security group. */
  readonly targetPort: number;
  readonly loadBalancerSecurityGroupId: string;
  /** What must exist first, such as the binding's namespace. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Binds a target group created outside Kubernetes to a Service's pods (ip targets), and lets the
 * load balancer's security group reach them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-elb-example.html
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/
 */
export class TargetGroupBinding extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: TargetGroupBindingProps) {
    super(scope, id);
    // Both API versions share this shape; the generated types keep it honest against each schema.
    const spec: EksTargetGroupBinding["spec"] & Elbv2TargetGroupBinding["spec"] = {
      targetGroupARN: props.targetGroupArn,
      targetType: "ip",
      serviceRef: { name: props.service.name, port: props.service.port },
      networking: {
        ingress: [
          {
            from: [{ securityGroup: { groupID: props.loadBalancerSecurityGroupId } }],
            ports: [{ protocol: "TCP", port: props.targetPort }],
          },
        ],
      },
    };
    const metadata = { name: props.name, namespace: props.namespace };
    const object: EksTargetGroupBinding | Elbv2TargetGroupBinding = { apiVersion: props.apiVersion, kind: "TargetGroupBinding", metadata, spec };
    this.manifest = new Manifest(this, "manifest", { manifest: object as unknown as Record<string, unknown>, dependsOn: props.dependsOn });
  }
}
