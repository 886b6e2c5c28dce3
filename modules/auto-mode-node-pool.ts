import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { EksNodeClass } from "../.gen";
import { sortedTags } from "./private/aws";

export interface AutoModeNodePoolProps {
  /** Name of the NodePool and its NodeClass (`default` is the built-in NodeClass's). */
  readonly name: string;
  /** IAM role *name* (not ARN) of the nodes: the cluster's Auto Mode node role. */
  readonly nodeRoleName: string;
  readonly subnetIds: readonly string[];
  /** Security groups of the nodes (the cluster security group). */
  readonly securityGroupIds: readonly string[];
  /** @default 80 */
  readonly ephemeralStorageGiB?: number;
  /** @default "DefaultAllow" */
  readonly networkPolicy?: string;
  /** @default "Random" */
  readonly snatPolicy?: string;
  /** Tags on instances, volumes and ENIs (needs the cluster role's tag permissions). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly capacityTypes: readonly string[];
  readonly instanceCategories: readonly string[];
  readonly instanceGenerationAbove: number;
  readonly cpus?: readonly string[];
  readonly architectures: readonly string[];
  readonly zones?: readonly string[];
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** Max 21 days together with terminationGracePeriod. */
  readonly expireAfter: string;
  readonly terminationGracePeriod: string;
  readonly consolidationPolicy: string;
  readonly consolidateAfter: string;
  /** Node labels; pods select the pool with `karpenter.sh/nodepool: <name>`. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
}

/**
 * A custom EKS Auto Mode node pool: a NodeClass (where and how nodes launch) and a Karpenter
 * NodePool (which instances, how many, how long they live).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html
 */
export class AutoModeNodePool extends Construct {
  readonly nodeClass: Manifest;
  readonly nodePool: Manifest;

  constructor(scope: Construct, id: string, props: AutoModeNodePoolProps) {
    super(scope, id);
    const nodeClass: EksNodeClass = {
      apiVersion: "eks.amazonaws.com/v1",
      kind: "NodeClass",
      metadata: { name: props.name },
      spec: {
        role: props.nodeRoleName,
        subnetSelectorTerms: props.subnetIds.map((id) => ({ id })),
        securityGroupSelectorTerms: props.securityGroupIds.map((id) => ({ id })),
        ephemeralStorage: { size: `${props.ephemeralStorageGiB ?? 80}Gi` },
        networkPolicy: (props.networkPolicy ?? "DefaultAllow") as EksNodeClass["spec"]["networkPolicy"],
        snatPolicy: (props.snatPolicy ?? "Random") as EksNodeClass["spec"]["snatPolicy"],
        ...(Object.keys(props.tags ?? {}).length > 0 ? { tags: sortedTags(props.tags) } : {}),
      },
    };
    this.nodeClass = new Manifest(this, "node-class", { manifest: nodeClass as unknown as Record<string, unknown> });

    const requirement = (key: string, values: readonly string[], operator = "In") => ({ key, operator, values: [...values] });
    const requirements = [
      requirement("karpenter.sh/capacity-type", props.capacityTypes),
      requirement("eks.amazonaws.com/instance-category", props.instanceCategories),
      requirement("eks.amazonaws.com/instance-generation", [String(props.instanceGenerationAbove)], "Gt"),
      requirement("kubernetes.io/arch", props.architectures),
      ...(props.cpus ? [requirement("eks.amazonaws.com/instance-cpu", props.cpus)] : []),
      ...(props.zones ? [requirement("topology.kubernetes.io/zone", props.zones)] : []),
    ];
    type PoolSpec = INodePool["spec"];
    const taints = (props.taints ?? []).map((t) => (t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect }));
    const nodePool: INodePool = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: props.name },
      spec: {
        template: {
          metadata: { labels: sortedTags(props.labels) },
          spec: {
            nodeClassRef: { group: "eks.amazonaws.com", kind: "NodeClass", name: props.name },
            requirements: requirements as PoolSpec["template"]["spec"]["requirements"],
            expireAfter: props.expireAfter,
            terminationGracePeriod: props.terminationGracePeriod,
            ...(taints.length > 0 ? { taints: taints as PoolSpec["template"]["spec"]["taints"] } : {}),
          },
        },
        limits: { cpu: props.limits.cpu, memory: props.limits.memory },
        disruption: {
          consolidationPolicy: props.consolidationPolicy as NonNullable<PoolSpec["disruption"]>["consolidationPolicy"],
          consolidateAfter: props.consolidateAfter,
          // Replace at most a tenth of the pool at once.
          budgets: [{ nodes: "10%" }],
        },
      },
    };
    this.nodePool = new Manifest(this, "node-pool", { manifest: nodePool as unknown as Record<string, unknown>, dependsOn: [this.nodeClass] });
  }
}
