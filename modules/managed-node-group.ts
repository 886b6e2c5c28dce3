import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { AutoscalingGroupTagA as AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { sortedTags } from "./private/aws";

export interface NodeGroupTaint {
  readonly key: string;
  readonly value?: string;
  /** `NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`. */
  readonly effect: string;
}

export interface ManagedNodeGroupProps {
  /** The cluster (a reference, so Terraform orders the node group after it). */
  readonly clusterName: string;
  /** Literal prefix for the launch template name and the `Name` tag, readable in plans. @default clusterName */
  readonly namePrefix?: string;
  /** Follows the control plane so one apply upgrades the control plane, then the nodes. */
  readonly kubernetesVersion: string;
  readonly nodeGroupName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly instanceTypes: readonly string[];
  /** @default "ON_DEMAND" */
  readonly capacityType?: string;
  /** @default "AL2023_x86_64_STANDARD" */
  readonly amiType?: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Node count; Terraform keeps the group at this size unless `scaledExternally`. */
  readonly desiredSize: number;
  /**
   * Something else (a cluster autoscaler) changes the desired size: Terraform then sets it only at
   * creation (`ignore_changes`). Leave false when nothing scales the group, or a group created at
   * 0 never gets a node and raising minSize later fails (terraform-aws-eks #3683).
   * @default false
   */
  readonly scaledExternally?: boolean;
  /** Encrypted gp3 root volume. @default 50 */
  readonly diskSizeGiB?: number;
  /** @default 1 */
  readonly maxUnavailable?: number;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly NodeGroupTaint[];
  /** Tags for instances, volumes and the Auto Scaling group (EKS does not propagate them). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Resources the nodes need first (the VPC CNI add-on: nodes are NotReady without it). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS managed node group on its own launch template: IMDSv2 only with hop limit 1 (pods
 * cannot reach the node's credentials; they use Pod Identity), encrypted gp3 root volume, tags
 * on instances, volumes and the Auto Scaling group.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const fullName = `${props.namePrefix ?? props.clusterName}-${props.nodeGroupName}`;
    const tags = sortedTags(props.tags, { Name: fullName });

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: fullName,
      updateDefaultVersion: true,
      // CKV_AWS_79 / CKV_AWS_341. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        {
          // Bottlerocket keeps images and pod storage on its data volume (xvdb), not the OS volume.
          // https://bottlerocket.dev/en/os/latest/#/concepts/bottlerocket-and-ebs/
          deviceName: (props.amiType ?? "").startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda",
          ebs: { volumeSize: props.diskSizeGiB ?? 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [...props.instanceTypes],
      capacityType: props.capacityType ?? "ON_DEMAND",
      amiType: props.amiType ?? "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.desiredSize },
      updateConfig: { maxUnavailable: props.maxUnavailable ?? 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      labels: Object.keys(props.labels ?? {}).length > 0 ? sortedTags(props.labels) : undefined,
      taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      tags: sortedTags(props.tags),
      dependsOn: props.dependsOn,
      // Only an autoscaler may own the desired size after creation.
      // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_node_group#ignoring-changes-to-desired-size
      lifecycle: props.scaledExternally ? { ignoreChanges: ["scaling_config[0].desired_size"] } : undefined,
    });

    // EKS does not copy node group tags to its Auto Scaling group (containers-roadmap #608).
    const asgName = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    for (const [key, value] of Object.entries(tags)) {
      new AutoscalingGroupTag(this, `asg-tag-${constructIdOf(key)}`, {
        autoscalingGroupName: asgName,
        tag: { key, value, propagateAtLaunch: true },
      });
    }
  }
}

/** Tag keys may contain `/` and `:`, which construct ids cannot. */
function constructIdOf(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, "_");
}
