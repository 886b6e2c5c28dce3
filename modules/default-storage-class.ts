import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

export interface DefaultStorageClassProps {
  /** @default "ebs-gp3" */
  readonly name?: string;
  /** `ebs.csi.eks.amazonaws.com` (Auto Mode) or `ebs.csi.aws.com` (EBS CSI add-on). */
  readonly provisioner: string;
  /** @default "Delete" */
  readonly reclaimPolicy?: "Delete" | "Retain";
}

/**
 * The cluster's default StorageClass: encrypted gp3, bound when a pod is scheduled so the volume
 * lands in the pod's zone. Auto Mode ships no StorageClass at all.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
 */
export class DefaultStorageClass extends Construct {
  readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: DefaultStorageClassProps) {
    super(scope, id);
    this.storageClass = new StorageClassV1(this, "storage-class", {
      metadata: {
        name: props.name ?? "ebs-gp3",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      storageProvisioner: props.provisioner,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: props.reclaimPolicy ?? "Delete",
      allowVolumeExpansion: true,
      // Parameters are strings: `encrypted: true` (boolean) is rejected by the driver.
      parameters: { type: "gp3", encrypted: "true" },
    });
  }

  get name(): string {
    return this.storageClass.metadata.name;
  }
}
