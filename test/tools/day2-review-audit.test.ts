/**
 * Day-2 audit of the synth review: a config field changed on a DEPLOYED environment, synthesized
 * for real (the fixture environments, then the same environments with one field changed), reviewed
 * with reviewSynth, and compared with what the apply would really do according to the provider and
 * API sources cited in each block. Each test states what the review must say. Written by an
 * independent audit while the review approved (exit 0, nothing said) these changes the apply refuses,
 * or reported an update Terraform never makes; the rules target-group-replaced, removal-not-applied,
 * claim-in-use and control-plane-subnets (tools/lib/eks-rules.ts) came from it.
 */
import type { JsonObject } from "../../tools/lib/json";
import { isBlocked, type Report, type ResourceChange } from "../../tools/lib/report";
import { reviewSynth } from "../../tools/lib/review";
import type { EnvironmentInput } from "../../stacks/environment-schema";
import { environments } from "../fixtures/environments";
import { synthesize } from "../support/synth";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = any;
type Edit = (envs: { dev: Draft; prod: Draft }) => void;

/** The fixture environments (dev: Auto Mode, prod: node groups, protected) with `edit` applied. */
function envs(edit: Edit = () => {}): EnvironmentInput[] {
  const [dev, prod] = structuredClone(environments) as Draft[];
  edit({ dev, prod });
  return [dev, prod];
}

const stacks = (inputs: EnvironmentInput[]) => new Map(Object.entries(synthesize(inputs))) as Map<string, JsonObject>;

/** The synth review of base → head, both real synths of the fixture environments. */
function review(head: Edit, base: Edit = () => {}): Report {
  return { title: "Synth review", subject: "day-2 audit", ...reviewSynth(stacks(envs(base)), stacks(envs(head))) };
}

const change = (r: Report, stack: string, address: string): ResourceChange | undefined =>
  r.stacks.find((s) => s.name === stack)?.changes.find((c) => c.address === address);
const findingsAt = (r: Report, address: string) => (r.findings ?? []).filter((f) => f.address === address || f.message.includes(address));
/** `severity rule (acknowledgeable)` of the findings at `address`. */
const verdicts = (r: Report, address: string) => findingsAt(r, address).map((f) => `${f.severity} ${f.rule}${f.severity === "block" ? (f.acknowledgeable ? " (acknowledgeable)" : " (final)") : ""}`);

const TARGET_GROUP = "aws_lb_target_group.target-group-argocd_target-group";
const TGB = "kubernetes_manifest.target-group-binding-argocd_manifest";

describe("target group port/protocol change: replaced under its fixed name while a listener and the TargetGroupBinding hold its ARN", () => {
  // What apply does:
  // - port and protocol are ForceNew (force-new.ts TARGET_GROUP, elbv2/target_group.go); the name
  //   is fixed ("acme-prod-argocd"), so Terraform destroys first. DeleteTargetGroup fails while the
  //   team's ALB/NLB listener forwards to it: the provider retries "ResourceInUse ... is currently
  //   in use by a listener or a rule" for 2 minutes, then the apply fails
  //   (internal/service/elbv2/target_group.go, resourceTargetGroupDelete, targetGroupDeleteTimeout).
  // - Without a listener the group is replaced and its ARN changes, which reaches the k8s stack
  //   through the remote-state output: the TargetGroupBinding is patched with a new
  //   spec.targetGroupARN, which the AWS Load Balancer Controller's webhook refuses
  //   ("TargetGroupBinding update may not change these fields: spec.targetGroupARN",
  //   kubernetes-sigs/aws-load-balancer-controller webhooks/elbv2/targetgroupbinding_validator.go,
  //   checkImmutableFields). The synth review cannot see this: the ARN is the same expression.
  // The review today: "replace" in the list, no finding, exit 0.
  test.each([
    ["port 8080 → 9090", (e: { prod: Draft }) => void (e.prod.targetGroups.argocd.port = 9090)],
    ["protocol HTTP → HTTPS", (e: { prod: Draft }) => void (e.prod.targetGroups.argocd.protocol = "HTTPS")],
  ])("%s on prod blocks, acknowledgeable, naming the blue/green way", (_name, edit) => {
    const r = review(edit);
    expect(change(r, "prod-aws", TARGET_GROUP)?.action).toBe("replace");
    // The binding is never replaced by the synth (same manifest name), so its immutable ARN changes in place.
    expect(change(r, "prod-k8s", TGB)?.action ?? "no-op").not.toBe("replace");
    expect(verdicts(r, TARGET_GROUP)).toEqual(["block target-group-replaced (acknowledgeable)"]);
    expect(findingsAt(r, TARGET_GROUP)[0]!.message).toContain("add a target group under a new key");
    expect(isBlocked(r)).toBe(true);
  });
});

describe("removing an Optional+Computed argument keeps the live value: the review reports an update Terraform never makes", () => {
  // aws provider 6.25.0 schema (the cdktf package's generated source says
  // "// kubernetes_groups - computed: true, optional: true"; same for aws_eks_addon
  // configuration_values and aws_ebs_volume iops/throughput). An argument that is Optional+Computed
  // and absent from the configuration takes the prior state's value: Terraform plans no change and
  // the old value stays in AWS. modules/access-grant.ts leaves kubernetes_groups out when the list
  // is empty; modules/cluster-addon.ts leaves configuration_values out without a configuration;
  // the volume leaves iops/throughput out without them. force-new.ts already models this for
  // force-new arguments (`computed`, "keeps the live value"), the update diff does not.
  const ADMINS = "aws_eks_access_entry.cluster_access-platform-admins_entry";
  const COREDNS = "aws_eks_addon.addon-coredns_addon";
  const VOLUME = "aws_ebs_volume.volume-loki-data_volume";
  test.each<[string, Edit, Edit, string, string, string[]]>([
    [
      // Security: the team revokes the RBAC groups of an access entry; the review shows the update,
      // the apply leaves the groups (and whatever ClusterRoleBindings grant them) in place.
      "access.platform-admins.kubernetesGroups removed (RBAC groups not revoked)",
      ({ prod }) => void (prod.access["platform-admins"].kubernetesGroups = ["cluster-operators"]),
      () => {},
      ADMINS,
      "kubernetes_groups",
      ["block removal-not-applied (acknowledgeable)"],
    ],
    [
      "cluster.addons.coredns.configuration removed (the add-on keeps its custom configuration)",
      ({ prod }) => void (prod.cluster.addons = { coredns: { configuration: { replicaCount: 4 } } }),
      () => {},
      COREDNS,
      "configuration_values",
      ["warn removal-not-applied"],
    ],
    [
      "volumes.loki-data iops/throughputMiBs removed (the volume keeps 6000 IOPS / 250 MiB/s, no ModifyVolume)",
      () => {},
      ({ prod }) => {
        delete prod.volumes["loki-data"].iops;
        delete prod.volumes["loki-data"].throughputMiBs;
      },
      VOLUME,
      "iops",
      // No ebs-modification: nothing is modified.
      ["warn removal-not-applied"],
    ],
  ])("%s: not reported as a plain update", (_name, base, head, address, path, expected) => {
    const r = review(head, base);
    const c = change(r, "prod-aws", address);
    const reportedAsUpdate = c?.action === "update" && c.diffs.some((d) => d.path.startsWith(path));
    // Either the review says nothing changes there (what the plan will show), or it says why the
    // removal will not take effect. Today: "update in place" (and, for the volume, an ebs-modification warning).
    const explained = findingsAt(r, address).some((f) => f.rule !== "ebs-modification");
    expect({ reportedAsUpdate, explained }).not.toEqual({ reportedAsUpdate: true, explained: false });
    expect(verdicts(r, address)).toEqual(expected);
  });
});

describe("a claim replaced while its workload mounts it: pvc-protection holds the old claim", () => {
  // kubernetes_persistent_volume_claim_v1: metadata.name, metadata.namespace and
  // spec.storage_class_name force a new claim (force-new.ts); its Delete deletes, then polls until
  // the claim is gone for d.Timeout(TimeoutDelete) (SDK default 20 min) and fails otherwise
  // (hashicorp/terraform-provider-kubernetes kubernetes/resource_kubernetes_persistent_volume_claim_v1.go,
  // resourceKubernetesPersistentVolumeClaimV1Delete: "Persistent volume claim %s still exists with
  // finalizers"). Kubernetes keeps a claim a pod uses: "PVC removal is postponed until the PVC is no
  // longer actively used by any Pods" (kubernetes.io/docs/concepts/storage/persistent-volumes/
  // #storage-object-in-use-protection), and the Helm release that mounts it is updated only after
  // the claim (depends_on). The review's volume-claim-bound rule covers the PV side of the same
  // protection; the claim side passes with no finding, exit 0.
  const CLAIM = "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim";
  test.each<[string, Edit]>([
    ["platform.storageClass.name ebs-gp3 → gp3-enc", ({ prod }) => void (prod.platform = { ...prod.platform, storageClass: { name: "gp3-enc" } })],
    ["volumes.loki-data.claim.name loki-data → loki-data-0", ({ prod }) => void (prod.volumes["loki-data"].claim.name = "loki-data-0")],
  ])("%s on prod is flagged", (_name, edit) => {
    const r = review(edit);
    expect(change(r, "prod-k8s", CLAIM)?.action).toBe("replace");
    expect(verdicts(r, CLAIM)).toEqual(["block claim-in-use (acknowledgeable)"]);
  });
});

describe("control-plane subnets moved into a new availability zone", () => {
  // EKS: "All subnets that you add must be in the same set of AZs as originally provided when you
  // created the cluster" (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html; the
  // request to lift it: aws/containers-roadmap#2330). The provider updates vpc_config.subnet_ids
  // in place (UpdateClusterConfig, cluster.go resourceClusterUpdate), so EKS refuses the update at
  // apply. The synth JSON does not carry cluster.availabilityZones, so the review shows a plain
  // update with no finding (dev: Auto Mode, no node group to be replaced beside it).
  test("dev adds a subnet in ap-northeast-1d next to 1a/1c: flagged on the cluster", () => {
    const r = review(({ dev }) => {
      dev.cluster.subnetIds = [...dev.cluster.subnetIds, "subnet-0a1b2c3d4e5f60003"];
      dev.cluster.availabilityZones = [...dev.cluster.availabilityZones, "ap-northeast-1d"];
    });
    expect(change(r, "dev-aws", "aws_eks_cluster.cluster_cluster")?.action).toBe("update");
    expect(verdicts(r, "aws_eks_cluster.cluster_cluster")).toEqual(["warn control-plane-subnets"]);
  });

  // The same page: "you must provide at least one subnet in each of the" original zones. Prod has
  // one subnet per zone, so dropping one leaves ap-northeast-1d without a subnet.
  test("prod drops one of its three subnets (its only one in a zone): warned too", () => {
    const r = review(({ prod }) => {
      prod.cluster.subnetIds = prod.cluster.subnetIds.slice(0, 2);
      prod.cluster.availabilityZones = prod.cluster.availabilityZones.slice(0, 2);
    });
    expect((r.findings ?? []).filter((f) => f.rule === "control-plane-subnets").map((f) => f.severity)).toEqual(["warn"]);
  });
});
