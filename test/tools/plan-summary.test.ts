import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SENSITIVE, UNKNOWN, type JsonObject } from "../../tools/lib/json";
import { planGuard, planStacks, runPlanSummary, stackNameForPlan, summarizePlan } from "../../tools/lib/plan";
import { renderMarkdown, renderTerminal } from "../../tools/lib/render";
import { counts, isBlocked, type StackReport } from "../../tools/lib/report";
import { ToolError } from "../../tools/lib/synth";
import { awsStack } from "../support/review-fixture";

const ROOT = resolve(__dirname, "../..");
const PLANS = join(ROOT, "test/fixtures/plans");
const PROD = join(PLANS, "prod-aws.json");
const DEV = join(PLANS, "dev-aws.json");
const K8S = join(PLANS, "prod-k8s.plan.json");
const readPlan = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
const UNGUARDED = { protected: false, source: "test", preventDestroy: new Set<string>() };
const change = (s: StackReport, address: string) => s.changes.find((c) => c.address === address);

/** A synth dir as `cdktf synth` writes it: prod protected (with prevent_destroy), dev not. */
let synthDir: string;
beforeAll(() => {
  synthDir = mkdtempSync(join(tmpdir(), "eks-plan-synth-"));
  const prod = awsStack({ env: "prod", protected: true }) as JsonObject;
  (prod.resource as JsonObject).aws_launch_template = { nodes: { name: "prod-nodes", lifecycle: { prevent_destroy: true } } };
  for (const [name, json] of [["prod-aws", prod], ["dev-aws", awsStack({ env: "dev", protected: false })]] as const) {
    mkdirSync(join(synthDir, "stacks", name), { recursive: true });
    writeFileSync(join(synthDir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
});
afterAll(() => rmSync(synthDir, { recursive: true, force: true }));

describe("stackNameForPlan", () => {
  test.each([
    ["plans/prod-aws.json", "prod-aws"],
    ["prod-aws.plan.json", "prod-aws"],
    ["prod-aws.tfplan.json", "prod-aws"],
    ["cdktf.out/stacks/prod-k8s/plan.json", "prod-k8s"],
  ])("%s → %s", (file, stack) => expect(stackNameForPlan(file)).toBe(stack));
});

describe("summarizePlan on the fixtures", () => {
  const prod = summarizePlan("prod-aws", readPlan(PROD), UNGUARDED);

  test("counts: create, update, both replace orders, delete; no-op counted as unchanged", () => {
    expect(counts(prod)).toEqual({ add: 1, change: 1, replace: 2, destroy: 1 });
    expect(prod.unchanged).toBe(1);
    expect(change(prod, "aws_iam_role.node")).toBeUndefined();
  });

  test("replace ['delete','create'] is destroy-before-create, with replace_paths as the cause", () => {
    expect(change(prod, "aws_eks_cluster.main")).toMatchObject({
      action: "replace",
      replaceOrder: "destroy-before-create",
      causes: [{ path: "name", doc: expect.stringContaining("/docs/resources/eks_cluster") }],
      reason: "an argument that cannot be updated in place changed",
    });
  });

  test("replace ['create','delete'] is create-before-destroy", () => {
    expect(change(prod, "aws_launch_template.nodes")).toMatchObject({ action: "replace", replaceOrder: "create-before-destroy" });
  });

  test("unknown-after-apply values show as (known after apply)", () => {
    const cluster = change(prod, "aws_eks_cluster.main")!;
    expect(cluster.diffs.find((d) => d.path === "arn")).toMatchObject({ before: "arn:aws:eks:eu-west-1:111111111111:cluster/prod", after: UNKNOWN });
    expect(change(prod, "aws_iam_role_policy_attachment.node_cni")!.diffs.find((d) => d.path === "id")).toMatchObject({ after: UNKNOWN });
    expect(renderMarkdown({ ...runPlanSummary({ files: [PROD], synthDir }) })).toContain("| `arn` | `\"arn:aws:eks:eu-west-1:111111111111:cluster/prod\"` | `(known after apply)` |");
  });

  test("update lists attribute diffs; sensitive values change but stay masked", () => {
    expect(change(prod, "aws_eks_node_group.default")!.diffs).toEqual([
      expect.objectContaining({ path: "scaling_config[0].max_size", before: 3, after: 5 }),
    ]);
    expect(change(prod, "aws_launch_template.nodes")!.diffs.find((d) => d.path === "user_data")).toMatchObject({
      before: SENSITIVE,
      after: SENSITIVE,
    });
    expect(renderMarkdown(runPlanSummary({ files: [PROD], synthDir }))).not.toContain("bmV3");
  });

  test("delete carries action_reason; create drops unset (null) attributes", () => {
    expect(change(prod, "aws_ebs_volume.data")).toMatchObject({ action: "delete", reason: "removed from the configuration" });
    const dev = summarizePlan("dev-aws", readPlan(DEV), UNGUARDED);
    expect(change(dev, "aws_eks_cluster.cluster")!.diffs.map((d) => d.path)).not.toContain("tags");
  });

  test("moved (previous_address) no-ops are listed as moves; data source reads are not listed", () => {
    expect(change(prod, "aws_iam_role.cluster")).toMatchObject({ action: "no-op", movedFrom: "aws_iam_role.cluster_role" });
    expect(prod.changes.some((c) => c.address.startsWith("data."))).toBe(false);
    expect(prod.notes).toContain("1 data source read(s) not listed");
  });

  test("delete + create of the same type suggests a moved block", () => {
    const dev = summarizePlan("dev-aws", readPlan(DEV), UNGUARDED);
    expect(dev.renames).toEqual([expect.objectContaining({ from: "aws_eks_cluster.main", to: "aws_eks_cluster.cluster" })]);
    expect(change(dev, "aws_eks_cluster.main")!.reason).toContain("aws_eks_cluster.cluster is created (renamed construct id?)");
  });

  test("a plan with only no-ops has nothing to list", () => {
    const k8s = summarizePlan("prod-k8s", readPlan(K8S), UNGUARDED);
    expect(k8s.changes).toEqual([]);
    expect(k8s.unchanged).toBe(1);
  });

  test("rejects other major format versions and unknown actions", () => {
    expect(() => summarizePlan("x", { format_version: "2.0", resource_changes: [] }, UNGUARDED)).toThrow(
      new ToolError('x: format_version "2.0" is not supported (expected 1.x from `terraform show -json`)'),
    );
    const bad = { format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", name: "b", change: { actions: ["explode"] } }] };
    expect(() => summarizePlan("x", bad, UNGUARDED)).toThrow('x: resource_changes[0]: unknown change.actions ["explode"]');
  });
});

describe("protection", () => {
  const blocked = (r: ReturnType<typeof runPlanSummary>) => r.violations.map((v) => `${v.stack}/${v.address} ${v.action}`);

  test("protected stack (from the synth dir): guarded types and prevent_destroy addresses are blocked", () => {
    const report = runPlanSummary({ files: [PROD, DEV, K8S], synthDir, protectedStacks: ["prod-k8s"] });
    expect(report.stacks.map((s) => [s.name, s.protected])).toEqual([["prod-aws", true], ["dev-aws", false], ["prod-k8s", true]]);
    expect(blocked(report)).toEqual([
      "prod-aws/aws_ebs_volume.data delete",
      "prod-aws/aws_eks_cluster.main replace",
      "prod-aws/aws_launch_template.nodes replace", // lifecycle.prevent_destroy in the synthesized stack
    ]);
    expect(renderTerminal(report)).toContain(
      "BLOCKED: prod-aws/aws_ebs_volume.data would be destroyed; to accept: --allow-destroy prod-aws/aws_ebs_volume.data",
    );
  });

  test("--allow-destroy waives exactly the named addresses", () => {
    const some = runPlanSummary({ files: [PROD], synthDir, allowDestroy: ["prod-aws/aws_eks_cluster.main", "aws_launch_template.nodes"] });
    expect(blocked(some)).toEqual(["prod-aws/aws_ebs_volume.data delete"]);
    const all = runPlanSummary({
      files: [PROD],
      synthDir,
      allowDestroy: ["prod-aws/aws_eks_cluster.main", "aws_launch_template.nodes", "aws_ebs_volume.data"],
    });
    expect(all.violations).toEqual([]);
    expect(all.allowed).toHaveLength(3);
  });

  test("without synthesized JSON the stack is treated as protected; --protected forces it", () => {
    const empty = mkdtempSync(join(tmpdir(), "eks-plan-nosynth-"));
    try {
      const guard = planGuard("dev-aws", empty, []);
      expect(guard.protected).toBe(true);
      expect(guard.source).toMatch(/^assumed: no .*dev-aws\/cdk\.tf\.json/);
      expect(blocked(runPlanSummary({ files: [DEV], synthDir: empty }))).toEqual(["dev-aws/aws_eks_cluster.main delete"]);
      expect(blocked(runPlanSummary({ files: [DEV], synthDir }))).toEqual([]);
      expect(blocked(runPlanSummary({ files: [DEV], synthDir, protectedStacks: ["dev-aws"] }))).toEqual(["dev-aws/aws_eks_cluster.main delete"]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the plan-summary CLI", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "tools/run.cjs"), "plan-summary", ...args], { cwd: ROOT, encoding: "utf8" });

  test("exit 1 with the blocked addresses, 0 when allowed, 2 on a bad file", () => {
    const out = mkdtempSync(join(tmpdir(), "eks-plan-cli-"));
    try {
      const md = join(out, "plan.md");
      const failing = cli(PROD, K8S, "--synth-dir", synthDir, "--markdown", md);
      expect(failing.status).toBe(1);
      expect(failing.stderr.split("\n")).toEqual(
        expect.arrayContaining([
          "  prod-aws [protected]: 1 to add, 1 to change, 2 to replace, 1 to destroy",
          "BLOCKED: prod-aws/aws_eks_cluster.main would be replaced; to accept: --allow-destroy prod-aws/aws_eks_cluster.main",
        ]),
      );
      const markdown = readFileSync(md, "utf8");
      expect(markdown).toContain("**🛑 Blocked: 3 protected resources would be replaced or destroyed.**");
      expect(markdown).toContain("<details><summary><code>~ aws_eks_node_group.default</code>: update in place</summary>");

      const passing = cli(PROD, "--synth-dir", synthDir, ...["aws_eks_cluster.main", "aws_ebs_volume.data", "aws_launch_template.nodes"].flatMap((a) => ["--allow-destroy", a]));
      expect(passing.status).toBe(0);
      expect(passing.stdout).toContain("## Plan summary");
      expect(passing.stderr).toContain("OK: no protected resource is replaced or destroyed");

      const missing = cli(join(out, "nope.json"));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain("nope.json: ENOENT");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/**
 * The review's EKS rules run on the plans too, judged on the real state (`before`) instead of the
 * base branch's synth: what an apply will really do when an account lags behind main.
 */
describe("the review's EKS rules on the real state", () => {
  interface Rc {
    address: string;
    actions: string[];
    before?: JsonObject;
    after?: JsonObject;
    afterUnknown?: JsonObject;
    previousAddress?: string;
    mode?: "data";
    deposed?: string;
  }
  const plan = (...rcs: Rc[]): JsonObject => ({
    format_version: "1.2",
    resource_changes: rcs.map((r) => ({
      address: r.address,
      mode: r.mode ?? "managed",
      type: r.address.split(".")[0]!,
      name: r.address.split(".")[1]!,
      ...(r.previousAddress ? { previous_address: r.previousAddress } : {}),
      ...(r.deposed ? { deposed: r.deposed } : {}),
      change: { actions: r.actions, before: r.before ?? null, after: r.after ?? null, after_unknown: r.afterUnknown ?? {} },
    })),
  });
  const cluster = (before: string, after: string, auto = false): Rc => {
    const body = (version: string) => ({ name: "prod", version, compute_config: auto ? [{ enabled: true, node_pools: ["general-purpose"] }] : [] });
    return { address: "aws_eks_cluster.main", actions: before === after ? ["no-op"] : ["update"], before: body(before), after: body(after) };
  };
  const group = (name: string, before: JsonObject | undefined, after: JsonObject | undefined, actions: string[]): Rc => ({
    address: `aws_eks_node_group.${name}`,
    actions,
    ...(before ? { before: { node_group_name: name, taint: [], ...before } } : {}),
    ...(after ? { after: { node_group_name: name, taint: [], ...after } } : {}),
  });
  /** The only node group's instance types change: EKS replaces it, destroy first (its name is fixed). */
  const replacedGroup = () => plan(cluster("1.34", "1.34"), group("general", { instance_types: ["m7i.large"] }, { instance_types: ["m8i.large"] }, ["delete", "create"]));
  const release = (name: string): Rc => ({ address: `helm_release.${name}`, actions: ["no-op"], before: { name, chart: name }, after: { name, chart: name } });

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "eks-plan-rules-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const summary = (plans: Record<string, JsonObject>, acknowledge: string[] = []) => {
    const files = Object.entries(plans).map(([stack, p]) => {
      writeFileSync(join(dir, `${stack}.json`), JSON.stringify(p));
      return join(dir, `${stack}.json`);
    });
    return runPlanSummary({ files, synthDir, acknowledge });
  };
  const found = (r: ReturnType<typeof runPlanSummary>) => (r.findings ?? []).map((f) => `${f.severity} ${f.rule} ${f.stack}${f.address ? ` ${f.address}` : ""}`);

  test("the plan's objects as the rules read a stack: before as the base (under a move's old address), after with its unknowns as the head", () => {
    const sides = planStacks(
      plan(
        { address: "aws_iam_role.created", actions: ["create"], after: { name: "c", arn: null }, afterUnknown: { arn: true } },
        { address: "aws_iam_role.deleted", actions: ["delete"], before: { name: "d" } },
        { address: "aws_iam_role.forgotten", actions: ["forget"], before: { name: "f" } },
        { address: "aws_iam_role.replaced", actions: ["delete", "create"], before: { name: "r1" }, after: { name: "r2" } },
        { address: "aws_iam_role.renamed", actions: ["no-op"], previousAddress: "aws_iam_role.old", before: { name: "m" }, after: { name: "m" } },
        { address: "aws_iam_role.replaced", actions: ["delete"], deposed: "abc123", before: { name: "leftover" } },
        { address: "data.aws_caller_identity.current", actions: ["read"], mode: "data", after: { account_id: "1" } },
      ),
    );
    expect(sides).toEqual({
      base: { resource: { aws_iam_role: { deleted: { name: "d" }, forgotten: { name: "f" }, replaced: { name: "r1" }, old: { name: "m" } } } },
      head: { resource: { aws_iam_role: { created: { name: "c", arn: UNKNOWN }, replaced: { name: "r2" }, renamed: { name: "m" } } } },
    });
  });

  test("a cluster two minor versions behind its configuration (a change that never reached this account): blocked, not acknowledgeable", () => {
    const r = summary({ "prod-aws": plan(cluster("1.32", "1.34")) }, ["kubernetes-version-skip:prod-aws"]);
    expect(found(r)).toEqual(["block kubernetes-version-skip prod-aws aws_eks_cluster.main"]);
    expect(r.findings![0]!.message).toBe("cluster version 1.32 → 1.34: EKS upgrades one minor version per update (set 1.33, apply, and go on one version per change: 1.33 → 1.34)");
    expect(isBlocked(r)).toBe(true);
    expect(found(summary({ "prod-aws": plan(cluster("1.33", "1.34")) }))).toEqual([]);
  });

  test("a node group the real state has behind the control plane blocks the control plane's update", () => {
    const r = summary({ "prod-aws": plan(cluster("1.33", "1.34"), group("general", { version: "1.32" }, { version: "1.34" }, ["update"])) });
    expect(found(r)).toEqual(["block node-group-version-behind prod-aws aws_eks_node_group.general"]);
    // In step with the control plane: nothing to say (the version a plan resolves is not a pin either).
    const inStep = summary({
      "prod-aws": plan(cluster("1.33", "1.34"), group("general", { version: "1.33" }, { version: "1.34" }, ["update"]), {
        address: "aws_eks_addon.vpc-cni",
        actions: ["update"],
        before: { addon_name: "vpc-cni", addon_version: "v1.19.0-eksbuild.1" },
        after: { addon_name: "vpc-cni", addon_version: "v1.20.4-eksbuild.2" },
      }),
    });
    expect(found(inStep)).toEqual([]);
    expect(inStep.guided).toBeUndefined();
  });

  test("a volume grown in the account beyond the configured size: applying the configuration is a shrink", () => {
    const volume = (size: number) => ({ availability_zone: "eu-west-1a", size, type: "gp3" });
    const r = summary({ "prod-aws": plan({ address: "aws_ebs_volume.data", actions: ["update"], before: volume(200), after: volume(100) }) });
    expect(found(r)).toEqual(["block ebs-shrink prod-aws aws_ebs_volume.data"]);
  });

  describe("a node group replaced destroy-first with no other group up", () => {
    const replaced = replacedGroup;
    const rule = "block node-group-replaced prod-aws aws_eks_node_group.general";

    test("the AWS stack's plan alone (the pull request's AWS job): workloads assumed, blocked, acknowledgeable", () => {
      const r = summary({ "prod-aws": replaced() });
      expect(found(r)).toEqual([rule]);
      expect(r.findings![0]!.message).toContain("the workloads (prod-k8s was not planned with it) and the cluster's system pods");
      expect(isBlocked(summary({ "prod-aws": replaced() }, ["node-group-replaced:prod-aws"]))).toBe(false);
    });

    test("with the environment's k8s plan: its workloads counted (none: a warning)", () => {
      expect(found(summary({ "prod-aws": replaced(), "prod-k8s": plan(release("argocd")) }))).toEqual([rule]);
      expect(found(summary({ "prod-aws": replaced(), "prod-k8s": plan() }))).toEqual(["warn node-group-replaced prod-aws aws_eks_node_group.general"]);
    });
  });

  test("a targeted k8s plan that removes an Auto Mode node pool: the pools it does not list still exist (a warning, not 'every pool removed')", () => {
    // Auto Mode without built-in pools: the k8s stack's NodePools are all it has.
    const body = { name: "prod", version: "1.34", compute_config: [{ enabled: true, node_pools: [] }] };
    const aws = plan({ address: "aws_eks_cluster.main", actions: ["no-op"], before: body, after: body });
    const removed: Rc = { address: "kubernetes_manifest.pool-gpu", actions: ["delete"], before: { manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "gpu" } } } };
    const k8s = plan(removed, release("argocd"));
    expect(found(summary({ "prod-aws": aws, "prod-k8s": k8s }))).toEqual(["block capacity-removed prod-k8s kubernetes_manifest.pool-gpu"]);
    expect(found(summary({ "prod-aws": aws, "prod-k8s": { ...k8s, complete: false } }))).toEqual(["warn capacity-removed prod-k8s kubernetes_manifest.pool-gpu"]);
  });

  test("Auto Mode turned off in place on a cluster the plan shows exists: blocked, and no acknowledgement accepts it", () => {
    const r = summary({ "prod-aws": plan(cluster("1.34", "1.34", true)) });
    expect(found(r)).toEqual([]);
    const off = plan({ ...cluster("1.34", "1.34", true), actions: ["update"], after: { name: "prod", version: "1.34", compute_config: [] } });
    const blocked = summary({ "prod-aws": off }, ["compute-mode-switch:prod-aws"]);
    expect(found(blocked)).toEqual(["block compute-mode-switch prod-aws aws_eks_cluster.main"]);
    expect(blocked.findings![0]!.acknowledgeable).toBe(false);
    expect(blocked.findings![0]!.message).not.toContain("Acknowledge");
  });

  test("an import without changes is listed and counted as an import, and the imported node group keeps its nodes", () => {
    const imported: Rc = { address: "aws_eks_node_group.spare", actions: ["no-op"], before: { node_group_name: "spare", taint: [] }, after: { node_group_name: "spare", taint: [] } };
    const p = replacedGroup();
    (p.resource_changes as JsonObject[]).push({ ...(plan(imported).resource_changes as JsonObject[])[0]!, change: { actions: ["no-op"], before: imported.before!, after: imported.after!, after_unknown: {}, importing: { id: "acme-prod:spare" } } });
    const r = summary({ "prod-aws": p });
    expect(r.stacks[0]!.changes.find((c) => c.address === "aws_eks_node_group.spare")).toMatchObject({ action: "create", importId: "acme-prod:spare", reason: expect.stringContaining("imported") });
    expect(renderMarkdown(r)).toContain("| prod-aws | yes | 0 | 1 | 0 | 1 | 0 | 1 |");
    // The spare group exists and stays up through the replacement: a warning, not a block.
    expect(found(r)).toEqual(["warn node-group-replaced prod-aws aws_eks_node_group.general"]);
  });

  test("an errored plan (saved half-way by plan -out) blocks: it cannot be applied, whatever it lists", () => {
    const r = summary({ "prod-aws": { ...plan(cluster("1.34", "1.34")), errored: true } }, ["plan-errored:prod-aws"]);
    expect(found(r)).toEqual(["block plan-errored prod-aws"]);
    expect(isBlocked(r)).toBe(true);
    expect(isBlocked(summary({ "prod-aws": plan(cluster("1.34", "1.34")) }))).toBe(false);
  });

  test("an unknown value is not a change of an immutable field; a known one is", () => {
    const storageClass = (after: JsonObject, afterUnknown: JsonObject = {}): JsonObject =>
      plan({ address: "kubernetes_storage_class_v1.gp3", actions: ["update"], before: { reclaim_policy: "Delete", parameters: { type: "gp3" } }, after, afterUnknown });
    expect(found(summary({ "prod-k8s": storageClass({ parameters: { type: "gp3" } }, { reclaim_policy: true }) }))).toEqual([]);
    expect(found(summary({ "prod-k8s": storageClass({ reclaim_policy: "Retain", parameters: { type: "gp3" } }) }))).toEqual([
      "block kubernetes-immutable prod-k8s kubernetes_storage_class_v1.gp3",
    ]);
  });

  test("the CLI: exit 1 on a blocking finding, 0 with the acknowledgements file a pull request carries", () => {
    writeFileSync(join(dir, "prod-aws.json"), JSON.stringify(replacedGroup()));
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "tools/run.cjs"), "plan-summary", join(dir, "prod-aws.json"), "--synth-dir", synthDir, ...args], { cwd: ROOT, encoding: "utf8" });
    const blocked = run();
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain("node-group-replaced");
    writeFileSync(join(dir, "acks"), "acknowledge node-group-replaced:prod-aws  # maintenance window OPS-7, no workloads yet\n");
    expect(run("--acknowledgements", join(dir, "acks")).status).toBe(0);
  });
});
