import type { EksNodeClass } from "../.gen";
import { sortedTags } from "./private/aws";

export interface AutoModeNodeClassProps {
  /** Name of the NodeClass: the node pool's (`default` is the built-in NodeClass's). */
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
}

/**
 * An EKS Auto Mode NodeClass (`eks.amazonaws.com/v1`): where and how a node pool's nodes launch.
 * Auto Mode picks the AMI itself; the NodePool refers to it through the compute flavor's nodeClass row.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 */
export function autoModeNodeClass(props: AutoModeNodeClassProps): EksNodeClass {
  return {
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
}
