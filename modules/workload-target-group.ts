import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { CLUSTER_NAME_TAG, sortedTags } from "./private/aws";

export interface WorkloadTargetGroupProps {
  readonly clusterName: string;
  /** At most 32 characters. @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html */
  readonly name: string;
  readonly vpcId: string;
  readonly port: number;
  /** @default "HTTP" */
  readonly protocol?: string;
  readonly healthCheck: {
    readonly path: string;
    readonly port: number | "traffic-port";
    readonly matcher: string;
    readonly intervalSeconds: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
}

/**
 * A target group of pod IPs, bound to a Service by a TargetGroupBinding in the Kubernetes stack.
 * Tagged `eks:eks-cluster-name`: Auto Mode's controller only manages target groups of its cluster
 * (containers-roadmap #2508).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-elb-example.html
 */
export class WorkloadTargetGroup extends Construct {
  readonly targetGroup: LbTargetGroup;

  constructor(scope: Construct, id: string, props: WorkloadTargetGroupProps) {
    super(scope, id);
    const protocol = props.protocol ?? "HTTP";
    const http = protocol === "HTTP" || protocol === "HTTPS";
    const hc = props.healthCheck;
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: props.name,
      port: props.port,
      protocol,
      targetType: "ip",
      vpcId: props.vpcId,
      // CKV_AWS_261: an explicit health check.
      healthCheck: {
        enabled: true,
        protocol: http ? protocol : "TCP",
        path: http ? hc.path : undefined,
        matcher: http ? hc.matcher : undefined,
        port: String(hc.port),
        interval: hc.intervalSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
      tags: sortedTags({ Name: props.name, [CLUSTER_NAME_TAG]: props.clusterName }),
    });
  }
}
