import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SENSITIVE, UNKNOWN, type JsonObject } from "../../tools/lib/json";
import { planGuard, runPlanSummary, stackNameForPlan, summarizePlan } from "../../tools/lib/plan";
import { renderMarkdown, renderTerminal } from "../../tools/lib/render";
import { counts, type StackReport } from "../../tools/lib/report";
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
