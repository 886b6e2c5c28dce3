import { Construct } from "constructs";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { CLUSTER_NAME_TAG, sortedTags } from "./private/aws";

export interface TaggedEbsVolumeProps {
  /** Tagged `eks:eks-cluster-name` so the cluster's CSI driver may attach it. */
  readonly clusterName: string;
  readonly name: string;
  readonly availabilityZone: string;
  readonly sizeGiB: number;
  /** @default "gp3" */
  readonly type?: string;
  readonly iops?: number;
  readonly throughputMiBs?: number;
  /** Customer managed key (CKV_AWS_189). */
  readonly kmsKeyArn: string;
  /** `prevent_destroy` and a final snapshot: the data outlives a mistaken plan. @default false */
  readonly protect?: boolean;
}

/**
 * A static, encrypted EBS volume for a PersistentVolume. In Auto Mode the volume must carry
 * `eks:eks-cluster-name` or the built-in CSI driver refuses it.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-learn-iam.html (AmazonEKSBlockStoragePolicy conditions)
 */
export class TaggedEbsVolume extends Construct {
  readonly volume: EbsVolume;

  constructor(scope: Construct, id: string, props: TaggedEbsVolumeProps) {
    super(scope, id);
    const protect = props.protect ?? false;
    this.volume = new EbsVolume(this, "volume", {
      availabilityZone: props.availabilityZone,
      size: props.sizeGiB,
      type: props.type ?? "gp3",
      iops: props.iops,
      throughput: props.throughputMiBs,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      finalSnapshot: protect,
      tags: sortedTags({ Name: `${props.clusterName}-${props.name}`, [CLUSTER_NAME_TAG]: props.clusterName }),
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
  }
}
