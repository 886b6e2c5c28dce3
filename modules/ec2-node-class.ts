import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { sortedTags } from "./private/aws";

export interface Ec2NodeClassProps {
  /** Name of the EC2NodeClass: the node pool's. */
  readonly name: string;
  /** Instance profile of the nodes (Terraform owns it; Karpenter then creates none). */
  readonly instanceProfileName: string;
  /** Pinned AMI alias, `al2023@v20260714`: an AMI change is a config change, shown in the review. */
  readonly amiAlias: string;
  /** Subnets and security groups by id: we do not own the VPC's tags, so no tag-based discovery. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Root volume size (encrypted gp3). @default 80 */
  readonly rootVolumeGiB?: number;
  /** Tags on instances, volumes, ENIs and launch templates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A Karpenter EC2NodeClass (`karpenter.k8s.aws/v1`) for node-group clusters: IMDSv2 only with hop limit 1
 * (pods use Pod Identity, not the node's credentials: CKV_AWS_79/341, as on our launch templates), an
 * encrypted gp3 root volume, AMIs by a pinned alias.
 * @see https://karpenter.sh/docs/concepts/nodeclasses/
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml
 */
export function ec2NodeClass(props: Ec2NodeClassProps): IEC2NodeClass {
  const size = `${props.rootVolumeGiB ?? 80}Gi`;
  const volume = (volumeSize: string) => ({ volumeSize, volumeType: "gp3" as const, encrypted: true, deleteOnTermination: true });
  // Bottlerocket keeps the OS on /dev/xvda and images and pod storage on its data volume /dev/xvdb, which is then
  // the kubelet's root volume. https://karpenter.sh/docs/concepts/nodeclasses/#specblockdevicemappings
  const blockDeviceMappings = props.amiAlias.startsWith("bottlerocket@")
    ? [
        { deviceName: "/dev/xvda", ebs: volume("4Gi") },
        { deviceName: "/dev/xvdb", rootVolume: true, ebs: volume(size) },
      ]
    : [{ deviceName: "/dev/xvda", rootVolume: true, ebs: volume(size) }];
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: props.name },
    spec: {
      instanceProfile: props.instanceProfileName,
      amiSelectorTerms: [{ alias: props.amiAlias }],
      subnetSelectorTerms: props.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: props.securityGroupIds.map((id) => ({ id })),
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      blockDeviceMappings,
      ...(Object.keys(props.tags ?? {}).length > 0 ? { tags: sortedTags(props.tags) } : {}),
    },
  };
}
