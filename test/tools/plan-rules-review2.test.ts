/**
 * Second independent review of the EKS rules after a67c60f / 5a8452f / 2455c3d: rules about
 * changing an existing object now apply only when the report's action is "update", Auto Mode →
 * node groups blocks without acknowledgement, a PV's source change is a predicted replacement, and
 * plan-summary lists no-op imports. Each test named what that left wrong (fixed in 38a0074) or
 * records what was checked and held ("checked:").
 *
 * Synth-mode cases are built as test/tools/review-rules.test.ts builds them (cdktf-shaped stacks from
 * test/support/review-fixture.ts, reviewSynth); plan-mode cases as test/tools/plan-rules-review.test.ts
 * (`terraform show -json` shapes of hashicorp/aws 6.x and hashicorp/kubernetes 2.38.0).
 */
import type { JsonObject } from "../../tools/lib/json";
import { renderMarkdown } from "../../tools/lib/render";
import { isBlocked, type Report } from "../../tools/lib/report";
import { reviewSynth } from "../../tools/lib/review";
import { k8sMeta, noop, planJson as plan, usePlanSummary } from "../support/plan-json";
import { awsStack, k8sStack } from "../support/review-fixture";

type J = JsonObject;
type Stacks = Record<string, J>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const res = (s: J, type: string, name: string) => ((s.resource as J)[type] as J)[name] as J;

// ---- synth mode (as review-rules.test.ts)

function base(env = "prod", protectedEnv = true): Stacks {
  return { [`${env}-aws`]: awsStack({ env, protected: protectedEnv }) as J, [`${env}-k8s`]: k8sStack({ env }) as J };
}
const review = (b: Stacks, h: Stacks, input: Parameters<typeof reviewSynth>[2] = {}): Report => ({
  title: "Synth review",
  subject: "test",
  ...reviewSynth(new Map(Object.entries(b)), new Map(Object.entries(h)), input),
});
const rules = (r: Report) => (r.findings ?? []).map((f) => `${f.severity} ${f.rule} ${f.stack}${f.acknowledgeable ? "" : " (not acknowledgeable)"}`);
const change = (r: Report, stack: string, address: string) => r.stacks.find((s) => s.name === stack)?.changes.find((c) => c.address === address);

/** Auto Mode on the fixture's cluster, as review-rules.test.ts writes it. */
const auto = (s: Stacks, env = "prod") => {
  const aws = s[`${env}-aws`]!;
  res(aws, "aws_eks_cluster", "main").compute_config = { enabled: true, node_pools: ["general-purpose", "system"], node_role_arn: "${aws_iam_role.node.arn}" };
  delete (aws.resource as J).aws_eks_node_group;
  return s;
};

describe("1. synth review: rules about changing an existing object still apply to a possible replacement", () => {
  /**
   * compareResource (tools/lib/review.ts) reports action "replace" for *possible* causes too: an
   * Optional+Computed force-new argument newly set (force-new.ts `computed`, e.g.
   * kubernetes_network_config.service_ipv4_cidr of aws_eks_cluster, kms_key_id of aws_ebs_volume),
   * or a force-new argument whose value is an expression. The render says "possible replace": the
   * object is most likely updated in place (the value equals the live one), which is why
   * docs/reading-a-review.md tells the reader to accept it with --allow-destroy. But `updated()`
   * (eks-rules.ts) reads action === "update" only, so the version and EBS rules are skipped: after
   * the allow-destroy, a 1.34 → 1.36 skip or a 500 → 400 GiB shrink exits 0. Before a67c60f both blocked.
   */
  test("a version skip beside a *possible* cluster replacement (service CIDR newly pinned) is still blocked", () => {
    const b = base();
    res(b["prod-aws"]!, "aws_eks_cluster", "main").version = "1.34";
    const h = clone(b);
    const cluster = res(h["prod-aws"]!, "aws_eks_cluster", "main");
    cluster.version = "1.36";
    // Pin the CIDR EKS already assigned (Optional+Computed, ForceNew): "may force replacement (if it differs from the live value)".
    cluster.kubernetes_network_config = { service_ipv4_cidr: "172.20.0.0/16" };
    const r = review(b, h, { allowDestroy: ["prod-aws/aws_eks_cluster.main"] });
    expect(change(r, "prod-aws", "aws_eks_cluster.main")).toMatchObject({ action: "replace", causes: [expect.objectContaining({ possible: true })] });
    expect(rules(r)).toContain("block kubernetes-version-skip prod-aws (not acknowledgeable)");
    expect(isBlocked(r)).toBe(true);
  });

  test("an EBS shrink beside a *possible* volume replacement (kms_key_id newly set) is still blocked", () => {
    const withVolume = (size: number, extra: J = {}) => {
      const s = base();
      (s["prod-aws"]!.resource as J).aws_ebs_volume = { data: { availability_zone: "eu-west-1a", size, type: "gp3", encrypted: true, lifecycle: { prevent_destroy: true }, ...extra } };
      return s;
    };
    // The key the volume was already encrypted with, now named explicitly (Optional+Computed, ForceNew).
    const r = review(withVolume(500), withVolume(400, { kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/1111" }), { allowDestroy: ["prod-aws/aws_ebs_volume.data"] });
    expect(change(r, "prod-aws", "aws_ebs_volume.data")).toMatchObject({ action: "replace", causes: [expect.objectContaining({ possible: true })] });
    expect(rules(r)).toContain("block ebs-shrink prod-aws (not acknowledgeable)");
  });

  // Checked and correct: another in-place attribute beside the version, and a moved cluster with a change.
  test("checked: version skip beside an in-place change (subnets) and on a moved cluster are still reported", () => {
    const b = base();
    res(b["prod-aws"]!, "aws_eks_cluster", "main").version = "1.34";
    const h = clone(b);
    res(h["prod-aws"]!, "aws_eks_cluster", "main").version = "1.36";
    res(h["prod-aws"]!, "aws_eks_cluster", "main").vpc_config = { subnet_ids: ["subnet-a", "subnet-c"] };
    const r = review(b, h);
    expect(change(r, "prod-aws", "aws_eks_cluster.main")?.action).toBe("update");
    expect(rules(r)).toContain("block kubernetes-version-skip prod-aws (not acknowledgeable)");

    const moved = clone(b);
    const clusters = (moved["prod-aws"]!.resource as J).aws_eks_cluster as J;
    clusters.cluster = { ...(clusters.main as J), version: "1.36" };
    delete clusters.main;
    (moved["prod-aws"]!.resource as J).aws_eks_node_group = JSON.parse(JSON.stringify((moved["prod-aws"]!.resource as J).aws_eks_node_group).split("aws_eks_cluster.main.").join("aws_eks_cluster.cluster."));
    moved["prod-aws"]!.moved = [{ from: "aws_eks_cluster.main", to: "aws_eks_cluster.cluster" }];
    const m = review(b, moved);
    expect(change(m, "prod-aws", "aws_eks_cluster.cluster")).toMatchObject({ action: "update", movedFrom: "aws_eks_cluster.main" });
    expect(rules(m)).toContain("block kubernetes-version-skip prod-aws (not acknowledgeable)");
  });
});

describe("2. compute-mode-switch, Auto Mode → managed node groups", () => {
  test("checked: a brand-new environment (absent from the base, or added in this change) is never blocked", () => {
    const head = { ...base(), ...base("staging", false) };
    const r = review(base(), head);
    expect(rules(r).filter((f) => f.includes("compute-mode-switch"))).toEqual([]);
    // Renamed environment (staging → stage): two environments, no switch; only the acknowledgeable stack-removed.
    const renamed = review(auto(base("staging", false), "staging"), base("stage", false));
    expect(rules(renamed).filter((f) => f.includes("compute-mode-switch"))).toEqual([]);
  });

  /**
   * The block's reason is that these stacks cannot turn Auto Mode *off on a deployed cluster*
   * (#40582). A cluster replaced in the same change (here `name`, ForceNew in eks/cluster.go) is
   * CreateCluster without compute_config: nothing is turned off. The other "change an existing
   * object" rules skip replaced clusters since a67c60f; this one still blocks with no way out but
   * a second environment, even after the replacement itself is accepted with --allow-destroy.
   */
  test("(synth) a cluster replaced (new name) while leaving Auto Mode is created new in its mode: not blocked as a switch", () => {
    const b = auto(base("dev", false), "dev");
    const h = base("dev", false);
    res(h["dev-aws"]!, "aws_eks_cluster", "main").name = "dev-blue";
    const r = review(b, h, { allowDestroy: ["dev-aws/aws_eks_cluster.main"] });
    expect(change(r, "dev-aws", "aws_eks_cluster.main")).toMatchObject({ action: "replace", causes: [expect.objectContaining({ path: "name" })] });
    expect(rules(r)).not.toContain("block compute-mode-switch dev-aws (not acknowledgeable)");
  });

  /**
   * The synth review cannot tell a deployed environment from one merged to main but never applied
   * (the plan can: its `before` is null and it does not block). The guide says changing the mode of
   * a new environment is free, yet the review, whose exit 1 fails the PR, gives no acknowledgement.
   */
  test("(synth) an environment merged but never applied can change mode through the review, acknowledged (its plan does not block)", () => {
    const r = review(auto(base("staging", false), "staging"), base("staging", false), { acknowledge: ["compute-mode-switch:staging-aws"] });
    expect(rules(r)).not.toContain("block compute-mode-switch staging-aws (not acknowledgeable)");
    expect(isBlocked(r)).toBe(false);
  });
});

// ---- plan mode (as plan-rules-review.test.ts)

const CLUSTER = "aws_eks_cluster.cluster_cluster";
const clusterState = (version: string, over: J = {}): J => ({
  access_config: [{ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false }],
  arn: "arn:aws:eks:ap-northeast-1:111111111111:cluster/acme-dev",
  bootstrap_self_managed_addons: false,
  compute_config: [],
  id: "acme-dev",
  kubernetes_network_config: [{ elastic_load_balancing: [], ip_family: "ipv4", service_ipv4_cidr: "172.20.0.0/16", service_ipv6_cidr: "" }],
  name: "acme-dev",
  role_arn: "arn:aws:iam::111111111111:role/acme-dev-cluster",
  storage_config: [],
  tags: { Name: "acme-dev" },
  version,
  vpc_config: [{ subnet_ids: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] }],
  ...over,
});
const AUTO: J = {
  compute_config: [{ enabled: true, node_pools: ["general-purpose", "system"], node_role_arn: "arn:aws:iam::111111111111:role/acme-dev-node" }],
  kubernetes_network_config: [{ elastic_load_balancing: [{ enabled: true }], ip_family: "ipv4", service_ipv4_cidr: "172.20.0.0/16", service_ipv6_cidr: "" }],
  storage_config: [{ block_storage: [{ enabled: true }] }],
};
const PV = "kubernetes_persistent_volume_v1.volume-loki-data_volume";
const CLAIM = "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim";
const pvState = (fsType: string): J => ({
  id: "acme-prod-loki-data",
  metadata: k8sMeta("acme-prod-loki-data"),
  spec: [
    {
      access_modes: ["ReadWriteOnce"],
      capacity: { storage: "500Gi" },
      claim_ref: [{ name: "loki-data", namespace: "monitoring" }],
      persistent_volume_reclaim_policy: "Retain",
      persistent_volume_source: [{ csi: [{ driver: "ebs.csi.aws.com", fs_type: fsType, volume_handle: "vol-0aaa", read_only: false, volume_attributes: null }] }],
      storage_class_name: "ebs-gp3",
      volume_mode: "Filesystem",
    },
  ],
});
const claimState: J = {
  id: "monitoring/loki-data",
  metadata: k8sMeta("loki-data", { namespace: "monitoring" }),
  spec: [{ access_modes: ["ReadWriteOnce"], resources: [{ limits: null, requests: { storage: "500Gi" } }], selector: [], storage_class_name: "ebs-gp3", volume_mode: "Filesystem", volume_name: "acme-prod-loki-data" }],
  wait_until_bound: false,
};

const summary = usePlanSummary(() => [
  ["dev-aws", awsStack({ env: "dev", protected: false, clusterId: "cluster_cluster", clusterName: "acme-dev" })],
  ["prod-aws", awsStack({ env: "prod", protected: true, clusterId: "cluster_cluster", clusterName: "acme-prod" })],
  ["prod-k8s", { "//": { environment: { name: "prod", protected: true } }, resource: {} }],
]);
const found = (r: Report) => (r.findings ?? []).map((f) => `${f.severity} ${f.rule} ${f.stack}${f.acknowledgeable ? "" : " (not acknowledgeable)"}`);

describe("2 (plans). compute-mode-switch on a real plan", () => {
  test("checked: a brand-new environment's plan (cluster created, before null) is not blocked", () => {
    const r = summary({ "dev-aws": plan([{ address: CLUSTER, actions: ["create"], after: clusterState("1.34"), afterUnknown: { arn: true, id: true } }]) });
    expect(found(r)).toEqual([]);
  });

  test("a cluster the plan replaces (CreateCluster, no Auto Mode) is not blocked as 'cannot turn Auto Mode off'", () => {
    const r = summary({
      "dev-aws": plan([
        {
          address: CLUSTER,
          actions: ["delete", "create"],
          actionReason: "replace_because_cannot_update",
          replacePaths: [["name"]],
          before: clusterState("1.34", AUTO),
          after: clusterState("1.34", { name: "acme-dev-blue", arn: null, id: null }),
          afterUnknown: { arn: true, id: true },
        },
      ]),
    });
    expect(found(r)).not.toContain("block compute-mode-switch dev-aws (not acknowledgeable)");
  });
});

describe("3. a PersistentVolume replaced while its claim stays bound", () => {
  /**
   * Kubernetes (storage-object-in-use protection): "if an admin deletes a PV that is bound to a PVC,
   * the PV is not removed immediately. PV removal is postponed until the PV is no longer bound to a
   * PVC" (pvprotection controller: isBeingUsed ⇔ status.phase == Bound). hashicorp/kubernetes
   * resource_kubernetes_persistent_volume_v1.go Delete polls until NotFound for
   * d.Timeout(TimeoutDelete); the resource declares only a Create timeout, so it is the SDK's default
   * 20 minutes (terraform-plugin-sdk ResourceData.Timeout), then "Persistent volume … still exists
   * (Bound)": the apply fails with the PV left Terminating. The claim is not replaced by Terraform
   * (its volume_name, the PV's configured name, stays known and equal), so this plan fails at apply
   * unless someone adds -replace for the claim. The review now shows only a cause note, no finding.
   */
  test("(plan) PV replaced, its bound claim planned as no-op: a finding names the claim", () => {
    const r = summary({
      "prod-k8s": plan([
        {
          address: PV,
          actions: ["delete", "create"],
          actionReason: "replace_because_cannot_update",
          replacePaths: [["spec", 0, "persistent_volume_source", 0, "csi", 0, "fs_type"]],
          before: pvState("ext4"),
          after: { ...pvState("xfs"), id: null, metadata: k8sMeta("acme-prod-loki-data", { generation: null, resource_version: null, uid: null }) },
          afterUnknown: { id: true, metadata: [{ generation: true, resource_version: true, uid: true }] },
        },
        noop(CLAIM, claimState),
      ]),
    });
    expect((r.findings ?? []).filter((f) => f.stack === "prod-k8s" && f.message.includes(CLAIM))).not.toEqual([]);
  });

  test("(synth) PV source (fsType) changed, claim unchanged: a finding names the claim", () => {
    const b = base();
    const h = clone(b);
    const pv = res(h["prod-k8s"]!, "kubernetes_persistent_volume_v1", "data");
    ((pv.spec as J[])[0]!.persistent_volume_source as J).csi = { driver: "ebs.csi.aws.com", volume_handle: "vol-1", fs_type: "xfs" };
    const r = review(b, h);
    expect(change(r, "prod-k8s", "kubernetes_persistent_volume_v1.data")?.action).toBe("replace");
    expect((r.findings ?? []).filter((f) => f.stack === "prod-k8s" && f.message.includes("kubernetes_persistent_volume_claim_v1.data"))).not.toEqual([]);
  });
});

describe("4. plan-summary: imports and the acknowledgements filter", () => {
  /**
   * An import block whose object differs from the configuration is `actions: ["update"]` with
   * `change.importing` (Terraform prints "will be imported" and "will be updated in-place";
   * its summary line is "Plan: 1 to import, 0 to add, 1 to change"). 2455c3d lists a *no-op*
   * import as an import, but this one keeps importId undefined: the import column says 0.
   */
  test("an import with changes is counted as an import and a change (Terraform: 1 to import, 1 to change)", () => {
    const r = summary({
      "dev-aws": plan([
        noop(CLUSTER, clusterState("1.34")),
        {
          address: "aws_eks_access_entry.access-ops_entry",
          actions: ["update"],
          importing: { id: "acme-dev:arn:aws:iam::111111111111:role/ops" },
          before: { cluster_name: "acme-dev", principal_arn: "arn:aws:iam::111111111111:role/ops", type: "STANDARD", tags: {} },
          after: { cluster_name: "acme-dev", principal_arn: "arn:aws:iam::111111111111:role/ops", type: "STANDARD", tags: { team: "ops" } },
        },
      ]),
    });
    expect(renderMarkdown(r)).toContain("| dev-aws | no | 0 | 1 | 1 | 0 | 0 | 1 |");
  });

  test("checked: a no-op import is counted once, as an import, not as an add", () => {
    const r = summary({
      "dev-aws": plan([
        noop(CLUSTER, clusterState("1.34")),
        { ...noop("aws_eks_access_entry.access-ops_entry", { cluster_name: "acme-dev", principal_arn: "arn:aws:iam::111111111111:role/ops" }), importing: { id: "acme-dev:arn:aws:iam::111111111111:role/ops" } },
      ]),
    });
    expect(renderMarkdown(r)).toContain("| dev-aws | no | 0 | 1 | 0 | 0 | 0 | 1 |");
  });

  test("checked: unqualified entries are kept (`rule:stack` of a planned stack, `allow-destroy type.name`), other jobs' stacks dropped", () => {
    const r = summary(
      { "prod-aws": plan([noop(CLUSTER, clusterState("1.34"))]) },
      { acknowledge: ["node-group-replaced:prod-aws", "capacity-removed:prod-k8s"], allowDestroy: ["aws_ebs_volume.volume-loki-data_volume", "dev-aws/aws_eks_cluster.cluster_cluster"] },
    );
    expect(r.unusedAcknowledgements).toEqual(["node-group-replaced:prod-aws"]);
    expect(r.unusedAllowances).toEqual(["aws_ebs_volume.volume-loki-data_volume"]);
  });

  /**
   * deployer-access-removed and stack-removed are "the review's only" (docs/reading-a-review.md):
   * a plan can never produce them, yet an entry for them in .review/acknowledgements (the one file
   * every plan job gets) is kept for a planned stack and listed as "matched nothing", the signal of
   * a stale file, in every plan job of the pull request that the review itself uses.
   */
  test("an acknowledgement of a review-only rule is not reported by the plan summary as matching nothing", () => {
    const r = summary({ "prod-aws": plan([noop(CLUSTER, clusterState("1.34"))]) }, { acknowledge: ["deployer-access-removed:prod-aws"] });
    expect(r.unusedAcknowledgements).toEqual([]);
  });
});
