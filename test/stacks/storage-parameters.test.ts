/**
 * The StorageClass and static volumes use only what each EBS CSI driver documents:
 * - Auto Mode (ebs.csi.eks.amazonaws.com): https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
 *   ("StorageClass Parameters Reference", awsdocs/amazon-eks-user-guide latest/ug/automode/create-storage-class.adoc
 *   at 4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7)
 * - EBS CSI driver add-on (ebs.csi.aws.com): https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/429e202e589798e55c0f8ddcc81b2850b7f000d0/docs/parameters.md
 */
import { onlyResource, synthesize, type SynthesizedStacks } from "../support/synth";

const DOCUMENTED: Record<string, { parameters: string[]; fsTypes: string[]; zoneKeys: string[] }> = {
  "ebs.csi.eks.amazonaws.com": {
    parameters: ["csi.storage.k8s.io/fstype", "type", "iopsPerGB", "allowAutoIOPSPerGBIncrease", "iops", "throughput", "encrypted", "blockExpress", "kmsKeyId", "blockSize", "inodeSize", "bytesPerInode", "numberOfInodes", "ext4BigAlloc", "ext4ClusterSize"],
    fsTypes: ["xfs", "ext2", "ext3", "ext4"],
    // Auto Mode nodes carry the well-known zone label; the driver-specific key is the add-on's.
    zoneKeys: ["topology.kubernetes.io/zone"],
  },
  "ebs.csi.aws.com": {
    parameters: ["csi.storage.k8s.io/fstype", "type", "iopsPerGB", "allowAutoIOPSPerGBIncrease", "allowAutoIOPSIncreaseOnModify", "iops", "throughput", "encrypted", "kmsKeyId", "blockSize", "inodeSize", "bytesPerInode", "numberOfInodes", "ext4BigAlloc", "ext4ClusterSize", "ext4EncryptionSupport", "volumeInitializationRate"],
    fsTypes: ["xfs", "ext3", "ext4"],
    // parameters.md, "Volume Availability Zone and Topologies".
    zoneKeys: ["topology.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone"],
  },
};
const VOLUME_TYPES = ["io1", "io2", "gp2", "gp3", "sc1", "st1", "standard"];

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});

test.each(["dev-k8s", "prod-k8s"])("%s: StorageClass parameters are documented for its provisioner, as strings", (name) => {
  const sc = onlyResource(stacks[name], "kubernetes_storage_class_v1");
  const documented = DOCUMENTED[sc.storage_provisioner];
  expect(documented).toBeDefined();
  expect(Object.keys(sc.parameters).filter((p) => !documented.parameters.includes(p))).toEqual([]);
  expect(Object.values(sc.parameters).every((v) => typeof v === "string")).toBe(true);
  expect(VOLUME_TYPES).toContain(sc.parameters.type);
  expect(["true", "false"]).toContain(sc.parameters.encrypted);
});

test.each(["dev-k8s", "prod-k8s"])("%s: static volumes use their driver's file systems and zone key, Retain, and the claim asks for exactly the volume", (name) => {
  const pv = onlyResource(stacks[name], "kubernetes_persistent_volume_v1").spec[0];
  const documented = DOCUMENTED[pv.persistent_volume_source.csi.driver];
  expect(documented.fsTypes).toContain(pv.persistent_volume_source.csi.fs_type);
  expect(pv.node_affinity.required.node_selector_term.flatMap((t: { match_expressions: Array<{ key: string }> }) => t.match_expressions.map((e) => e.key)).every((k: string) => documented.zoneKeys.includes(k))).toBe(true);
  expect(pv.persistent_volume_reclaim_policy).toBe("Retain");
  const pvc = onlyResource(stacks[name], "kubernetes_persistent_volume_claim_v1");
  expect(pvc.spec.resources.requests.storage).toBe(pv.capacity.storage);
  expect(pvc.spec.access_modes).toEqual(pv.access_modes);
  expect(pvc.spec.storage_class_name).toBe(pv.storage_class_name);
  expect(pvc.spec.storage_class_name).toBe(onlyResource(stacks[name], "kubernetes_storage_class_v1").metadata.name);
});
