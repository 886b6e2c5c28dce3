import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { NodePoolFlavor } from "./private/compute-flavor";
import { sortedTags } from "./private/aws";

export interface NodePoolBudget {
  readonly nodes: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly reasons?: readonly string[];
}

export interface NodePoolProps {
  /** Name of the NodePool and of its node class. */
  readonly name: string;
  /** The compute mode's node pool row: node class kind and the requirement keys it understands. */
  readonly flavor: NodePoolFlavor;
  /** The node class object (modules/auto-mode-node-class.ts or modules/ec2-node-class.ts), named `name`. */
  readonly nodeClass: { readonly apiVersion: string; readonly kind: string };
  readonly capacityTypes: readonly string[];
  readonly instanceCategories: readonly string[];
  readonly instanceGenerationAbove: number;
  readonly cpus?: readonly string[];
  readonly architectures: readonly string[];
  readonly zones?: readonly string[];
  readonly limits: { readonly cpu: string; readonly memory: string };
  readonly expireAfter: string;
  readonly terminationGracePeriod: string;
  readonly consolidationPolicy: string;
  readonly consolidateAfter: string;
  /** @default [{ nodes: "10%" }] */
  readonly budgets?: readonly NodePoolBudget[];
  /** Node labels; pods select the pool with `karpenter.sh/nodepool: <name>`. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
}

/**
 * One node pool, the same in every compute mode: its node class and a `karpenter.sh/v1` NodePool
 * (which instances, how many, how long they live, when they may be disrupted). The mode decides
 * only what its flavor row says: the node class kind and the requirement keys. Construct ids
 * `node-class` and `node-pool` are the Terraform addresses of existing pools: keep them.
 * @see https://karpenter.sh/docs/concepts/nodepools/
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html
 */
export class NodePool extends Construct {
  readonly nodeClass: Manifest;
  readonly nodePool: Manifest;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    if (props.nodeClass.apiVersion !== props.flavor.nodeClass.apiVersion || props.nodeClass.kind !== props.flavor.nodeClass.kind) {
      throw new Error(`node pool ${props.name}: node class ${props.nodeClass.apiVersion}/${props.nodeClass.kind} is not the flavor's ${props.flavor.nodeClass.apiVersion}/${props.flavor.nodeClass.kind}`);
    }
    this.nodeClass = new Manifest(this, "node-class", { manifest: props.nodeClass as unknown as Record<string, unknown> });

    const keys = props.flavor.requirementKeys;
    const requirement = (key: string, values: readonly string[], operator = "In") => ({ key, operator, values: [...values] });
    const requirements = [
      requirement("karpenter.sh/capacity-type", props.capacityTypes),
      requirement(keys.instanceCategory, props.instanceCategories),
      requirement(keys.instanceGeneration, [String(props.instanceGenerationAbove)], "Gt"),
      requirement("kubernetes.io/arch", props.architectures),
      ...(props.cpus ? [requirement(keys.instanceCpu, props.cpus)] : []),
      ...(props.zones ? [requirement("topology.kubernetes.io/zone", props.zones)] : []),
    ];
    type PoolSpec = INodePool["spec"];
    const taints = (props.taints ?? []).map((t) => (t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect }));
    // Karpenter takes the most restrictive active budget. https://karpenter.sh/docs/concepts/disruption/#nodepool-disruption-budgets
    const budgets = (props.budgets ?? [{ nodes: "10%" }]).map((b) => ({
      nodes: b.nodes,
      ...(b.schedule !== undefined ? { schedule: b.schedule } : {}),
      ...(b.duration !== undefined ? { duration: b.duration } : {}),
      ...(b.reasons !== undefined ? { reasons: [...b.reasons] } : {}),
    }));
    const nodePool: INodePool = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: props.name },
      spec: {
        template: {
          metadata: { labels: sortedTags(props.labels) },
          spec: {
            nodeClassRef: { group: props.flavor.nodeClass.group, kind: props.flavor.nodeClass.kind, name: props.name },
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
          budgets: budgets as NonNullable<PoolSpec["disruption"]>["budgets"],
        },
      },
    };
    this.nodePool = new Manifest(this, "node-pool", { manifest: nodePool as unknown as Record<string, unknown>, dependsOn: [this.nodeClass] });
  }
}
