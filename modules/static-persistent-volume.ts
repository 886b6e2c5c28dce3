import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { PersistentVolumeV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-v1";

export interface StaticPersistentVolumeProps {
  /** PersistentVolume name (cluster-scoped). */
  readonly name: string;
  /** EBS volume id from the AWS stack. */
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly availabilityZone: string;
  /** The CSI driver of the compute mode (`ebs.csi.eks.amazonaws.com` in Auto Mode). */
  readonly driver: string;
  /** StorageClass both objects name, so the claim binds to this volume and nothing is provisioned. */
  readonly storageClassName: string;
  /** @default "ext4" */
  readonly fsType?: string;
  readonly claim: { readonly namespace: string; readonly name: string };
  /** What the claim needs first: its namespace, its StorageClass. The volume comes first by reference. */
  readonly claimDependsOn?: ITerraformDependable[];
}

/**
 * A pre-created EBS volume exposed as a PersistentVolume reserved for one claim, plus that claim.
 * The volume's data outlives the objects (reclaim policy Retain).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-learn-storage.html
 */
export class StaticPersistentVolume extends Construct {
  readonly persistentVolume: PersistentVolumeV1;
  readonly claim: PersistentVolumeClaimV1;

  constructor(scope: Construct, id: string, props: StaticPersistentVolumeProps) {
    super(scope, id);
    const size = `${props.sizeGiB}Gi`;
    this.persistentVolume = new PersistentVolumeV1(this, "volume", {
      metadata: { name: props.name },
      spec: [
        {
          capacity: { storage: size },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: props.storageClassName,
          claimRef: { namespace: props.claim.namespace, name: props.claim.name },
          persistentVolumeSource: {
            csi: { driver: props.driver, volumeHandle: props.volumeId, fsType: props.fsType ?? "ext4" },
          },
          // An EBS volume attaches only in its own zone.
          nodeAffinity: {
            required: {
              nodeSelectorTerm: [
                { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [props.availabilityZone] }] },
              ],
            },
          },
        },
      ],
    });
    this.claim = new PersistentVolumeClaimV1(this, "claim", {
      metadata: { namespace: props.claim.namespace, name: props.claim.name },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: props.storageClassName,
        volumeName: this.persistentVolume.metadata.name,
        resources: { requests: { storage: size } },
      },
      // Binding waits for the first pod on WaitForFirstConsumer classes.
      waitUntilBound: false,
      dependsOn: props.claimDependsOn,
    });
  }
}
