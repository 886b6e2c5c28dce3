/**
 * Independent review of 1a4c927 (target-group-replaced, claim-in-use, control-plane-subnets,
 * removal-not-applied), in both modes: the synth review of real fixture synths (as
 * day2-review-audit.test.ts builds them) and plan-summary on `terraform show -json` plans (as
 * plan-rules-review2.test.ts builds them, test/support/plan-json.ts).
 *
 * The tests without "checked:" state what the rules say since a fix of this review's findings (each
 * failed when written); "checked:" tests record what was
 * tried and held. Sources checked (hashicorp/terraform-provider-aws, kubernetes-sigs/aws-load-balancer-controller,
 * AWS docs) are cited in each block.
 */
import type { JsonObject } from "../../tools/lib/json";
import { isBlocked, type Report } from "../../tools/lib/report";
import { reviewSynth } from "../../tools/lib/review";
import type { EnvironmentInput } from "../../stacks/environment-schema";
import { environments } from "../fixtures/environments";
import { k8sMeta, noop, planJson as plan, usePlanSummary } from "../support/plan-json";
import { awsStack } from "../support/review-fixture";
import { synthesize } from "../support/synth";

type J = JsonObject;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = any;
type Edit = (envs: { dev: Draft; prod: Draft }) => void;
type Env = "dev" | "prod";

// ---- synth mode: real synths of the fixture environments

function envs(edit: Edit, which: readonly Env[]): EnvironmentInput[] {
  const [dev, prod] = structuredClone(environments) as Draft[];
  edit({ dev, prod });
  return which.map((w) => (w === "dev" ? dev : prod));
}
const stacks = (inputs: EnvironmentInput[]) => (inputs.length === 0 ? new Map() : (new Map(Object.entries(synthesize(inputs))) as Map<string, J>));
function review(head: Edit, base: Edit = () => {}, sides: { base?: readonly Env[]; head?: readonly Env[] } = {}): Report {
  return { title: "Synth review", subject: "day-2 rules review", ...reviewSynth(stacks(envs(base, sides.base ?? ["dev", "prod"])), stacks(envs(head, sides.head ?? ["dev", "prod"]))) };
}
const findingsAt = (r: Report, address: string) => (r.findings ?? []).filter((f) => f.address === address);
const verdict = (f: NonNullable<Report["findings"]>[number]) => `${f.severity} ${f.rule}${f.severity === "block" ? (f.acknowledgeable ? " (acknowledgeable)" : " (final)") : ""}`;
const verdicts = (r: Report, address: string) => findingsAt(r, address).map(verdict);
const NEW_RULES = ["target-group-replaced", "claim-in-use", "control-plane-subnets", "removal-not-applied"];
const newRuleFindings = (r: Report) => (r.findings ?? []).filter((f) => NEW_RULES.includes(f.rule)).map((f) => `${verdict(f)} ${f.address ?? f.stack}`);

const TG = "aws_lb_target_group.target-group-argocd_target-group";
const CLUSTER = "aws_eks_cluster.cluster_cluster";
const CLAIM = "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim";
const ADMINS = "aws_eks_access_entry.cluster_access-platform-admins_entry";
const VOLUME = "aws_ebs_volume.volume-loki-data_volume";

// ---- plan mode: `terraform show -json` shapes (hashicorp/aws 6.x, hashicorp/kubernetes 2.38)

const summary = usePlanSummary(() => [
  ["prod-aws", awsStack({ env: "prod", protected: true, clusterId: "cluster_cluster", clusterName: "acme-prod" })],
  ["prod-k8s", { "//": { environment: { name: "prod", protected: true } }, resource: {} }],
]);
const TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:222222222222:targetgroup/acme-prod-argocd/0123456789abcdef";
const tgState = (over: J = {}): J => ({ arn: TG_ARN, id: TG_ARN, name: "acme-prod-argocd", name_prefix: "", port: 8080, protocol: "HTTP", target_type: "ip", vpc_id: "vpc-0b1c2d3e4f5a60718", ip_address_type: "ipv4", tags: { Name: "acme-prod-argocd" }, ...over });
const tgReplaced = (address: string, actions: string[]) => ({ address, actions, actionReason: "replace_because_cannot_update", replacePaths: [["port"]], before: tgState(), after: tgState({ port: 9090, arn: null, id: null }), afterUnknown: { arn: true, id: true } });
const claimState = (name = "loki-data"): J => ({
  id: `monitoring/${name}`,
  metadata: k8sMeta(name, { namespace: "monitoring" }),
  spec: [{ access_modes: ["ReadWriteOnce"], resources: [{ limits: null, requests: { storage: "500Gi" } }], selector: [], storage_class_name: "ebs-gp3", volume_mode: "Filesystem", volume_name: "acme-prod-loki-data" }],
  wait_until_bound: false,
});
const clusterState = (subnets: string[], over: J = {}): J => ({
  name: "acme-prod",
  version: "1.34",
  arn: "arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod",
  id: "acme-prod",
  role_arn: "arn:aws:iam::222222222222:role/acme-prod-cluster",
  bootstrap_self_managed_addons: false,
  compute_config: [],
  tags: {},
  vpc_config: [{ subnet_ids: subnets, endpoint_private_access: true, endpoint_public_access: false, public_access_cidrs: ["0.0.0.0/0"], security_group_ids: [], cluster_security_group_id: "sg-0aaa", vpc_id: "vpc-0b1c2d3e4f5a60718" }],
  ...over,
});
const entryState = (over: J = {}): J => ({ cluster_name: "acme-prod", principal_arn: "arn:aws:iam::222222222222:role/platform-admin", type: "STANDARD", kubernetes_groups: ["cluster-operators"], user_name: "arn:aws:sts::222222222222:assumed-role/platform-admin/{{SessionName}}", tags: {}, tags_all: {}, ...over });
const planFindings = (r: Report) => (r.findings ?? []).map((f) => `${verdict(f)} ${f.address ?? f.stack}`);

describe("target-group-replaced", () => {
  /**
   * hashicorp/terraform-provider-aws internal/service/elbv2/target_group.go resourceTargetGroupDelete
   * retries DeleteTargetGroup on "ResourceInUse … is currently in use by a listener or a rule" for
   * 2 minutes (targetGroupDeleteTimeout), then fails; DeleteTargetGroup: "You can delete a target
   * group if it is not referenced by any actions" (API_DeleteTargetGroup.html). That is the delete,
   * whatever made Terraform delete: a target group removed from the config fails exactly as the
   * destroy half of a replacement. The listener is the team's (outside these stacks), as the rule
   * itself assumes for a replacement.
   */
  test("a target group removed from the config (destroyed, not replaced) is flagged in the review and the plan, since DeleteTargetGroup is refused the same way while a listener forwards to it", () => {
    const r = review(({ prod }) => void (prod.targetGroups = {}));
    expect(r.stacks.find((s) => s.name === "prod-aws")?.changes.find((c) => c.address === TG)?.action).toBe("delete");
    const p = summary({ "prod-aws": plan([{ address: TG, actions: ["delete"], actionReason: "delete_because_no_resource_config", before: tgState() }]) });
    expect({ review: findingsAt(r, TG).length > 0, plan: findingsAt(p, TG).length > 0 }).toEqual({ review: true, plan: true });
  });

  test("checked: plans replacing it destroy-then-create, create-then-destroy (fixed name: no help) and as aws_alb_target_group block, acknowledgeable; a plan that only creates it, and a renames.targetGroups rename, say nothing", () => {
    expect(planFindings(summary({ "prod-aws": plan([tgReplaced(TG, ["delete", "create"])]) }))).toEqual([`block target-group-replaced (acknowledgeable) ${TG}`]);
    expect(planFindings(summary({ "prod-aws": plan([tgReplaced(TG, ["create", "delete"])]) }))).toEqual([`block target-group-replaced (acknowledgeable) ${TG}`]);
    expect(planFindings(summary({ "prod-aws": plan([tgReplaced("aws_alb_target_group.web", ["delete", "create"])]) }))).toEqual(["block target-group-replaced (acknowledgeable) aws_alb_target_group.web"]);
    expect(planFindings(summary({ "prod-aws": plan([{ address: TG, actions: ["create"], after: tgState({ arn: null, id: null }), afterUnknown: { arn: true, id: true } }]) }))).toEqual([]);
    const renamed = review(({ prod }) => {
      prod.targetGroups = { argo: prod.targetGroups.argocd };
      prod.renames = { targetGroups: { argocd: "argo" } };
    });
    expect(newRuleFindings(renamed)).toEqual([]);
  });
});

describe("control-plane-subnets", () => {
  /**
   * EKS network requirements (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html):
   * "All subnets that you add must be in the same set of AZs as originally provided when you created
   * the cluster", and its example goes on: with four subnets in three AZs, "if you want to change the
   * subnets, you must provide at least one subnet in each of the three Availability Zones". So an
   * update that leaves an original AZ without a subnet is refused too. The provider sends the whole
   * set in one UpdateClusterConfig (eks/cluster.go: `if d.HasChange("vpc_config.0.subnet_ids")`).
   * The fixture's prod has one subnet per AZ (1a, 1c, 1d): dropping the third drops 1d. 1a4c927
   * asserts no warning for exactly this edit (day2-review-audit.test.ts "prod drops one of its three
   * subnets"); the synth cannot tell the zones, but it can tell a subnet went, as it tells one came.
   */
  test("prod drops its only ap-northeast-1d subnet: EKS refuses the update, and both the review and the plan warn", () => {
    const r = review(({ prod }) => {
      prod.cluster.subnetIds = prod.cluster.subnetIds.slice(0, 2);
      prod.cluster.availabilityZones = prod.cluster.availabilityZones.slice(0, 2);
    });
    const p = summary({ "prod-aws": plan([{ address: CLUSTER, actions: ["update"], before: clusterState(["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002", "subnet-0b1c2d3e4f5a60003"]), after: clusterState(["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002"]) }]) });
    expect({ review: verdicts(r, CLUSTER), plan: verdicts(p, CLUSTER) }).toEqual({ review: ["warn control-plane-subnets"], plan: ["warn control-plane-subnets"] });
  });

  test("checked: a plan adding a subnet, its set listed in another order, warns; reordered subnets (review and plan) do not", () => {
    const added = summary({ "prod-aws": plan([{ address: CLUSTER, actions: ["update"], before: clusterState(["subnet-2", "subnet-1"]), after: clusterState(["subnet-1", "subnet-3", "subnet-2"]) }]) });
    expect(planFindings(added)).toEqual([`warn control-plane-subnets ${CLUSTER}`]);
    const reordered = summary({ "prod-aws": plan([{ address: CLUSTER, actions: ["update"], before: clusterState(["subnet-2", "subnet-1"]), after: clusterState(["subnet-1", "subnet-2"], { tags: { team: "platform" } }) }]) });
    expect(planFindings(reordered)).toEqual([]);
    const r = review(({ prod }) => void (prod.cluster.subnetIds = [...prod.cluster.subnetIds].reverse()));
    expect(newRuleFindings(r)).toEqual([]);
  });
});

describe("removal-not-applied", () => {
  /**
   * Checked and true: kubernetes_groups (eks/access_entry.go), configuration_values (eks/addon.go),
   * iops and throughput (ec2/ebs_volume.go) are Optional+Computed, so left out they keep the state's
   * value. But ebs_volume.go resourceEBSVolumeUpdate sends Iops on a type change only when the new
   * type is io1, io2 or gp3, and Throughput only when the type is gp3 ("Throughput is valid only for
   * gp3 volumes"): a gp3 → gp2 change leaves the volume with gp2's baseline, not 6000 IOPS / 250 MiB/s,
   * and the advice "set the value you want explicitly" cannot be followed (gp2 takes neither:
   * stacks/limits.ts, environment-rules.ts "gp2 volumes take no iops setting").
   */
  test("volumes.loki-data gp3 → gp2 with iops/throughputMiBs removed is not told the volume keeps its IOPS and throughput", () => {
    const r = review(({ prod }) => {
      prod.volumes["loki-data"].type = "gp2";
      delete prod.volumes["loki-data"].iops;
      delete prod.volumes["loki-data"].throughputMiBs;
    });
    expect(verdicts(r, VOLUME)).toEqual(["warn ebs-modification"]);
  });

  /**
   * In a plan the kept value is in `after` (that is what Optional+Computed means), so this rule can
   * never fire on a plan: it is the review's only, like deployer-access-removed. The pull request's
   * plan jobs read the same .review/acknowledgements, and an acknowledgement of a review-only rule is
   * "not reported as unused by a plan summary" (docs/reading-a-review.md); this one is, on the very
   * plan that shows the groups kept.
   */
  test("the review's acknowledgement removal-not-applied:prod-aws is not reported as matching nothing by the plan that shows the groups kept", () => {
    const p = summary({ "prod-aws": plan([noop(ADMINS, entryState())]) }, { acknowledge: ["removal-not-applied:prod-aws"] });
    expect(p.unusedAcknowledgements).toEqual([]);
  });

  test("checked: groups changed but not emptied, a configuration changed to another value, a plan updating the entry with its groups kept: nothing; groups dropped under a renames.access rename: still the block", () => {
    const groups = review(({ prod }) => void (prod.access["platform-admins"].kubernetesGroups = ["b"]), ({ prod }) => void (prod.access["platform-admins"].kubernetesGroups = ["a", "b"]));
    expect(verdicts(groups, ADMINS)).toEqual([]);
    const config = review(({ prod }) => void (prod.cluster.addons = { coredns: { configuration: { replicaCount: 3 } } }), ({ prod }) => void (prod.cluster.addons = { coredns: { configuration: { replicaCount: 4 } } }));
    expect(newRuleFindings(config)).toEqual([]);
    expect(planFindings(summary({ "prod-aws": plan([{ address: ADMINS, actions: ["update"], before: entryState(), after: entryState({ tags: { team: "platform" } }) }]) }))).toEqual([]);
    const renamed = review(
      ({ prod }) => {
        prod.access = { admins: prod.access["platform-admins"], "ops-readonly": prod.access["ops-readonly"] };
        prod.renames = { access: { "platform-admins": "admins" } };
      },
      ({ prod }) => void (prod.access["platform-admins"].kubernetesGroups = ["cluster-operators"]),
    );
    expect(verdicts(renamed, "aws_eks_access_entry.cluster_access-admins_entry")).toEqual(["block removal-not-applied (acknowledgeable)"]);
  });
});

describe("claim-in-use and the harmless changes", () => {
  test("checked: plans replacing (delete, create) or destroying the claim block; a claim moved by a `moved` block does not", () => {
    const replaced = summary({ "prod-k8s": plan([{ address: CLAIM, actions: ["delete", "create"], actionReason: "replace_because_cannot_update", replacePaths: [["metadata", 0, "name"]], before: claimState(), after: claimState("loki-data-0"), afterUnknown: { id: true } }]) });
    expect(planFindings(replaced)).toEqual([`block claim-in-use (acknowledgeable) ${CLAIM}`]);
    const destroyed = summary({ "prod-k8s": plan([{ address: CLAIM, actions: ["delete"], actionReason: "delete_because_no_resource_config", before: claimState() }]) });
    expect(planFindings(destroyed)).toEqual([`block claim-in-use (acknowledgeable) ${CLAIM}`]);
    const moved = summary({ "prod-k8s": plan([{ address: "kubernetes_persistent_volume_claim_v1.volume-loki_claim", previousAddress: CLAIM, actions: ["no-op"], before: claimState(), after: claimState() }]) });
    expect(planFindings(moved)).toEqual([]);
  });

  test("checked: a volume removed from the config (its claim destroyed) blocks with claim-in-use in the review", () => {
    expect(verdicts(review(({ prod }) => void (prod.volumes = {})), CLAIM)).toEqual(["block claim-in-use (acknowledgeable)"]);
  });

  test.each<[string, { base?: Env[]; head?: Env[] }]>([
    ["a first deploy (every object created)", { base: [] }],
    ["an environment added", { base: ["dev"] }],
    ["an environment removed", { head: ["dev"] }],
  ])("checked: %s: none of the four new rules", (_name, sides) => {
    expect(newRuleFindings(review(() => {}, () => {}, sides))).toEqual([]);
  });
});

describe("outside 1a4c927, on the same day-2 scenarios", () => {
  /**
   * renames.volumes keeps the EBS volume (moved) and the PV's name (stacks/day2.ts keepName), but the
   * PV's volume_handle is a cross-stack output named after the key, so its expression changes and the
   * review calls the PV a *possible* replacement (the volume id is the same). volume-claim-bound
   * fires on any "replace"; 1a4c927 added replaced() for exactly this distinction but used it only
   * in the new rules. The documented rename path blocks.
   */
  test("renaming a volume key with renames.volumes does not block on a possible-only PV replacement (volume-claim-bound)", () => {
    const r = review(({ prod }) => {
      prod.volumes = { loki: prod.volumes["loki-data"] };
      prod.renames = { volumes: { "loki-data": "loki" } };
    });
    expect((r.findings ?? []).filter((f) => f.severity === "block").map(verdict)).toEqual([]);
  });

  /**
   * aws_eks_node_group subnet_ids is a set (eks/node_group.go reads it as *schema.Set), as is the
   * cluster's vpc_config.subnet_ids: reordering the list is no change at all. The review predicts
   * both node groups replaced and blocks with node-group-replaced (control-plane-subnets is right
   * to say nothing).
   */
  test("reordering cluster.subnetIds (sets in the provider) is no change: no node-group-replaced block", () => {
    const r = review(({ prod }) => {
      prod.cluster.subnetIds = [...prod.cluster.subnetIds].reverse();
      prod.cluster.availabilityZones = [...prod.cluster.availabilityZones].reverse();
    });
    expect(isBlocked(r)).toBe(false);
  });
});
