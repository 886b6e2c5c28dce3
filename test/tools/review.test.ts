import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { predictReplacement } from "../../tools/lib/force-new";
import type { JsonObject } from "../../tools/lib/json";
import { renderMarkdown, renderTerminal } from "../../tools/lib/render";
import { applyProtection, type Report, type ResourceChange, type StackReport } from "../../tools/lib/report";
import { compareStack, runReview } from "../../tools/lib/review";
import { appCommand, DEFAULT_SYNTH_COMMAND, resolveBase, ToolError } from "../../tools/lib/synth";
import { awsStack, createFixtureRepo, FAKE_SYNTH, type FixtureRepo } from "../support/review-fixture";
import { runToolInProcess } from "../support/tool-in-process";

const stacks = (prod: Parameters<typeof awsStack>[0], dev: Parameters<typeof awsStack>[0] = { env: "dev", protected: false }) => ({
  "prod-aws": awsStack(prod),
  "dev-aws": awsStack(dev),
});
const PROD = { env: "prod", protected: true } as const;

const stack = (report: Report, name: string): StackReport => report.stacks.find((s) => s.name === name)!;
const change = (s: StackReport, address: string): ResourceChange | undefined => s.changes.find((c) => c.address === address);

describe("review of two commits of a fixture repo (git worktrees)", () => {
  let repo: FixtureRepo;
  const commits: Record<string, string> = {};
  // The base's synth is cached by commit, as `npm run review` does (.cache/review): the base is
  // synthesized once for the file, each review synthesizes its head. The uncached path: the first
  // review here, and the cache test below with its own directory.
  let baseCache: string;
  const review = (head: string, allowDestroy: string[] = []) =>
    runReview({ repo: repo.dir, base: commits.base, head: commits[head], allowDestroy, synthCommand: FAKE_SYNTH, cacheDir: baseCache });

  beforeAll(() => {
    baseCache = mkdtempSync(join(tmpdir(), "eks-review-base-cache-"));
    repo = createFixtureRepo();
    repo.write(stacks(PROD));
    commits.base = repo.commit("base");
    repo.write(stacks({ ...PROD, nodeGroupMaxSize: 5 }));
    commits.nodeGroup = repo.commit("node group max size 3 -> 5");
    repo.write(stacks({ ...PROD, clusterName: "prod-blue" }));
    commits.clusterName = repo.commit("cluster name prod -> prod-blue");
    repo.write(stacks(PROD, { env: "dev", protected: false, clusterId: "cluster" }));
    commits.rename = repo.commit("dev cluster construct id main -> cluster");
    const moved = stacks(PROD, { env: "dev", protected: false, clusterId: "cluster" });
    moved["dev-aws"].moved = [{ from: "aws_eks_cluster.main", to: "aws_eks_cluster.cluster" }];
    repo.write(moved);
    commits.moved = repo.commit("same rename with a moved block");
  });
  afterAll(() => {
    repo.remove();
    rmSync(baseCache, { recursive: true, force: true });
  });

  test("a node group size change is an in-place update", () => {
    const report = review("nodeGroup");
    const prod = stack(report, "prod-aws");
    expect(prod.changes).toEqual([
      expect.objectContaining({ address: "aws_eks_node_group.default", action: "update", causes: [] }),
    ]);
    expect(prod.changes[0]!.diffs).toEqual([expect.objectContaining({ path: "scaling_config.max_size", before: 3, after: 5 })]);
    expect(stack(report, "dev-aws").changes).toEqual([]);
    expect(report.violations).toEqual([]);
    expect(renderTerminal(report)).toContain("OK: no protected resource is replaced or destroyed");
  });

  test("a cluster name change is a replacement and fails the protected check, naming the address", () => {
    const report = review("clusterName");
    const cluster = change(stack(report, "prod-aws"), "aws_eks_cluster.main")!;
    expect(cluster).toMatchObject({ action: "replace", replaceOrder: "destroy-before-create" });
    expect(cluster.causes).toEqual([expect.objectContaining({ path: "name", doc: expect.stringContaining("/docs/resources/eks_cluster") })]);
    expect(report.violations).toEqual([
      { stack: "prod-aws", address: "aws_eks_cluster.main", type: "aws_eks_cluster", action: "replace", possible: false },
    ]);
    expect(renderTerminal(report)).toContain(
      "BLOCKED: prod-aws/aws_eks_cluster.main would be replaced; to accept: --allow-destroy prod-aws/aws_eks_cluster.main",
    );
    // The node group's cluster_name references the cluster's (literal) name: it follows, and cluster_name forces a new node group.
    expect(change(stack(report, "prod-aws"), "aws_eks_node_group.default")).toMatchObject({
      action: "replace",
      causes: [expect.objectContaining({ path: "cluster_name" })],
      diffs: [expect.objectContaining({ path: "cluster_name", before: "prod", after: "prod-blue" })],
      reason: "changes through a referenced value: `cluster_name`",
    });
    expect(stack(report, "prod-aws").notes).toContainEqual(expect.stringContaining("referenced by aws_eks_node_group.default"));
  });

  test.each([["prod-aws/aws_eks_cluster.main"], ["aws_eks_cluster.main"]])("--allow-destroy %s lets it pass", (allowed) => {
    const report = review("clusterName", [allowed]);
    expect(report.violations).toEqual([]);
    expect(report.allowed).toEqual([expect.objectContaining({ stack: "prod-aws", address: "aws_eks_cluster.main" })]);
    expect(report.unusedAllowances).toEqual([]);
  });

  test("--allow-destroy for another stack does not waive it, and is reported as unused", () => {
    const report = review("clusterName", ["dev-aws/aws_eks_cluster.main"]);
    expect(report.violations).toHaveLength(1);
    expect(report.unusedAllowances).toEqual(["dev-aws/aws_eks_cluster.main"]);
  });

  test("a renamed construct id is destroy + create with a moved suggestion", () => {
    const report = review("rename");
    const dev = stack(report, "dev-aws");
    expect(change(dev, "aws_eks_cluster.main")).toMatchObject({ action: "delete", reason: expect.stringContaining("renamed construct id") });
    expect(change(dev, "aws_eks_cluster.cluster")).toMatchObject({ action: "create" });
    expect(dev.renames).toEqual([{ from: "aws_eks_cluster.main", to: "aws_eks_cluster.cluster", similarity: 1, nameChanges: [] }]);
    // dev is not protected: listed, not blocked.
    expect(report.violations).toEqual([]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("```hcl\nmoved {\n  from = aws_eks_cluster.main\n  to   = aws_eks_cluster.cluster\n}\n```");
  });

  test("with a moved block the rename is a move, not destroy + create", () => {
    const dev = stack(review("moved"), "dev-aws");
    expect(dev.renames).toEqual([]);
    expect(dev.changes).toEqual([
      expect.objectContaining({ address: "aws_eks_cluster.cluster", action: "no-op", movedFrom: "aws_eks_cluster.main" }),
    ]);
  });

  test("the base's synth is kept by commit: a second review against the same base synthesizes only the head (issue 15)", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "eks-review-cache-"));
    const log = join(cacheDir, "synths.log");
    // FAKE_SYNTH, also noting where it ran and the environments file main.ts is asked to write.
    const counting = `echo "$PWD" >> ${log} && if [ -n "$EKS_SYNTH_ENVIRONMENTS_OUT" ]; then echo '[{"name":"x"}]' > "$EKS_SYNTH_ENVIRONMENTS_OUT"; fi && ${FAKE_SYNTH}`;
    try {
      const options = { repo: repo.dir, base: commits.base, head: commits.nodeGroup, synthCommand: counting, cacheDir, environments: true };
      const seen: unknown[] = [];
      const first = runReview({ ...options, sectionsFor: (sides) => (seen.push(sides), []) });
      const second = runReview({ ...options, sectionsFor: (sides) => (seen.push(sides), []) });
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(3);
      expect(second).toEqual(first);
      expect(change(stack(second, "prod-aws"), "aws_eks_node_group.default")).toMatchObject({ action: "update" });
      // Both sides' environments come from their synth, the base's from the cache the second time.
      const sides = { base: { sha: commits.base, environments: { environments: [{ name: "x" }] } }, head: { ref: commits.nodeGroup, environments: { environments: [{ name: "x" }] } } };
      expect(seen).toEqual([sides, sides]);
      // Another base is another entry.
      runReview({ ...options, base: commits.clusterName });
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(5);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test("worktrees are removed afterwards, also when the synth fails", () => {
    expect(() =>
      runReview({ repo: repo.dir, base: commits.base, head: commits.nodeGroup, synthCommand: "node -e 'process.exit(3)'" }),
    ).toThrow(/synth failed in .* exit 3/);
    expect(repo.git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
  });

  test("the working tree is the default head; on main with uncommitted changes the base is HEAD", () => {
    repo.write(stacks({ ...PROD, clusterName: "prod-green" }, { env: "dev", protected: false, clusterId: "cluster" }));
    try {
      const report = runReview({ repo: repo.dir, synthCommand: FAKE_SYNTH });
      expect(report.subject).toContain("HEAD (uncommitted changes)");
      expect(report.subject).toContain("→ working tree");
      expect(change(stack(report, "prod-aws"), "aws_eks_cluster.main")).toMatchObject({ action: "replace" });
    } finally {
      repo.git("checkout", "--", "stacks.json");
    }
  });

  test("the CLI exits 1 naming the address, 0 with --allow-destroy, 2 on bad arguments", async () => {
    const out = mkdtempSync(join(tmpdir(), "eks-review-cli-"));
    // The tool from its command line on, in-process (issue 15); as a process, with its exit codes
    // reaching the shell: test/tools/cli-convention.test.ts (review --help, review --bogus).
    const cli = (...args: string[]) => runToolInProcess("review", args).then((r) => ({ ...r, status: r.code }));
    const common = ["--repo", repo.dir, "--base", commits.base!, "--head", commits.clusterName!, "--synth-command", FAKE_SYNTH];
    try {
      const [blocked, allowed, bad] = [
        await cli(...common, "--markdown", join(out, "review.md"), "--full", join(out, "blocked-full.md")),
        await cli(...common, "--allow-destroy", "prod-aws/aws_eks_cluster.main", "--full", join(out, "full.md")),
        await cli("--bogus"),
      ];
      expect(blocked.status).toBe(1);
      expect(blocked.stderr).toContain("BLOCKED: prod-aws/aws_eks_cluster.main would be replaced");
      expect(blocked.stdout).toBe("");
      const markdown = readFileSync(join(out, "review.md"), "utf8");
      expect(markdown.indexOf("### 🛑 Protected resources replaced or destroyed")).toBeLessThan(markdown.indexOf("### Summary"));
      expect(markdown).toContain("| 🛑 blocked | prod-aws | `aws_eks_cluster.main` | replace (destroy then create) |");

      expect(allowed.status).toBe(0);
      // The terminal gets the short summary and the path of the full report; nothing on stdout.
      expect(allowed.stdout).toBe("");
      expect(allowed.stderr).toContain("allowed: prod-aws/aws_eks_cluster.main (replace)");
      expect(allowed.stderr).toContain(`Full report: ${join(out, "full.md")}`);
      expect(readFileSync(join(out, "full.md"), "utf8")).toContain("## Synth review");

      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("usage: npm run -s review --");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("resolveBase", () => {
  let repo: FixtureRepo;
  beforeEach(() => {
    repo = createFixtureRepo();
  });
  afterEach(() => repo.remove());

  test("on a branch: merge-base with main; on clean main: HEAD~1; dirty main: HEAD", () => {
    repo.write(stacks(PROD));
    const first = repo.commit("one");
    repo.write(stacks({ ...PROD, nodeGroupMaxSize: 4 }));
    const second = repo.commit("two");
    expect(resolveBase(repo.dir)).toEqual({ sha: first, description: "HEAD~1 (last commit)" });
    repo.write(stacks({ ...PROD, nodeGroupMaxSize: 6 }));
    expect(resolveBase(repo.dir)).toEqual({ sha: second, description: "HEAD (uncommitted changes)" });
    repo.git("checkout", "--quiet", "-b", "feature");
    repo.commit("three");
    expect(resolveBase(repo.dir)).toEqual({ sha: second, description: "merge-base of HEAD and main" });
    expect(resolveBase(repo.dir, "main~1")).toEqual({ sha: first, description: "main~1" });
    expect(() => resolveBase(repo.dir, "nope")).toThrow(new ToolError(`--base nope: no such commit in ${repo.dir}`));
  });
});

test("the synth command is the checkout's cdktf.json app", () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-review-app-"));
  try {
    expect(appCommand(dir)).toBe(DEFAULT_SYNTH_COMMAND);
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx tsx main.ts" }));
    expect(appCommand(dir)).toBe("npx tsx main.ts");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("compareStack", () => {
  const prod = () => awsStack(PROD) as JsonObject;
  const resource = (s: JsonObject, type: string, name: string) => ((s.resource as JsonObject)[type] as JsonObject)[name] as JsonObject;

  test("an expression rewritten into its literal value is no change", () => {
    const head = prod();
    resource(head, "aws_eks_node_group", "default").cluster_name = "prod";
    const report = compareStack("prod-aws", prod(), head);
    expect(report.changes).toEqual([]);
    expect(report.notes).toEqual(["aws_eks_node_group.default: 1 rewritten expression(s) resolve to the same value"]);
  });

  test("a replacement that compares unresolvable expressions is only possible", () => {
    const head = prod();
    resource(head, "aws_eks_cluster", "main").role_arn = "${aws_iam_role.node.arn}";
    const cluster = compareStack("prod-aws", prod(), head).changes[0]!;
    expect(cluster).toMatchObject({ action: "replace", causes: [expect.objectContaining({ path: "role_arn", possible: true })] });
  });

  test("ignores cdktf's // metadata and lifecycle.ignore_changes paths", () => {
    const head = prod();
    resource(head, "aws_eks_cluster", "main")["//"] = { metadata: { path: "prod-aws/elsewhere", uniqueId: "main" } };
    (resource(head, "aws_eks_node_group", "default").scaling_config as JsonObject).desired_size = 7;
    const report = compareStack("prod-aws", prod(), head);
    expect(report.changes).toEqual([]);
    expect(report.notes).toEqual([
      "aws_eks_node_group.default: change to `scaling_config.desired_size` ignored (lifecycle.ignore_changes)",
    ]);
  });

  test("protection comes from the base too, so a change cannot unprotect itself", () => {
    const head = awsStack({ env: "prod", protected: false, clusterName: "other" }) as JsonObject;
    const report = compareStack("prod-aws", prod(), head);
    expect(report.protected).toBe(true);
    expect(report.protectionSource).toContain("base only");
  });

  test("a changed lifecycle alone is a meta-argument update", () => {
    const head = prod();
    delete resource(head, "aws_eks_cluster", "main").lifecycle;
    const [cluster] = compareStack("prod-aws", prod(), head).changes;
    expect(cluster).toMatchObject({ action: "update", metaOnly: true, preventDestroy: true });
  });

  test("provider and backend changes are stack settings; the local backend path is not", () => {
    const head = prod();
    (head.provider as JsonObject).aws = [{ region: "eu-west-1", allowed_account_ids: ["333333333333"] }];
    ((head.terraform as JsonObject).backend as JsonObject).local = { path: "/other/checkout/terraform.prod-aws.tfstate" };
    expect(compareStack("prod-aws", prod(), head).settings.map((d) => d.path)).toEqual(["provider.aws[0].allowed_account_ids"]);
  });

  test("a possible replacement of a guarded resource is blocked and says so", () => {
    const withVolume = (volume: JsonObject) => {
      const s = prod();
      (s.resource as JsonObject).aws_ebs_volume = { data: { availability_zone: "eu-west-1a", size: 100, ...volume } };
      return s;
    };
    const report = compareStack("prod-aws", withVolume({}), withVolume({ kms_key_id: "${aws_kms_key.ebs.arn}" }));
    const { violations } = applyProtection([report], []);
    expect(violations).toEqual([expect.objectContaining({ address: "aws_ebs_volume.data", action: "replace", possible: true })]);
    expect(renderTerminal({ title: "t", subject: "s", stacks: [report], violations, allowed: [], unusedAllowances: [] })).toContain(
      "BLOCKED: prod-aws/aws_ebs_volume.data would possibly be replaced",
    );
  });

  test("a stack removed from the app is a note, not a list of destroys", () => {
    const report = compareStack("prod-aws", prod(), undefined);
    expect(report.changes).toEqual([]);
    expect(report.notes[0]).toMatch(/^stack removed from the app/);
  });
});

describe("predictReplacement (tools/lib/force-new.ts)", () => {
  const cluster = (extra: JsonObject = {}): JsonObject => ({
    name: "prod",
    role_arn: "arn:aws:iam::1:role/c",
    vpc_config: { subnet_ids: ["a", "b"] },
    ...extra,
  });
  const paths = (type: string, before: JsonObject, after: JsonObject) => predictReplacement(type, before, after).map((c) => c.path);

  test.each<[string, JsonObject, JsonObject, string[]]>([
    ["subnet ids are updated in place (provider ≥ 5)", cluster(), cluster({ vpc_config: { subnet_ids: ["a", "c"] } }), []],
    ["version is updated in place", cluster({ version: "1.34" }), cluster({ version: "1.35" }), []],
    ["role_arn", cluster(), cluster({ role_arn: "arn:aws:iam::1:role/d" }), ["role_arn"]],
    ["bootstrap_self_managed_addons defaults to true", cluster(), cluster({ bootstrap_self_managed_addons: false }), ["bootstrap_self_managed_addons"]],
    ["explicit default is no change", cluster(), cluster({ bootstrap_self_managed_addons: true }), []],
    [
      "service CIDR",
      cluster({ kubernetes_network_config: { service_ipv4_cidr: "10.100.0.0/16" } }),
      cluster({ kubernetes_network_config: { service_ipv4_cidr: "172.20.0.0/16" } }),
      ["kubernetes_network_config.service_ipv4_cidr"],
    ],
    [
      "creator admin permissions",
      cluster({ access_config: { authentication_mode: "API" } }),
      cluster({ access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false } }),
      ["access_config.bootstrap_cluster_creator_admin_permissions"],
    ],
    ["adding encryption is in place", cluster(), cluster({ encryption_config: { provider: { key_arn: "k" }, resources: ["secrets"] } }), []],
    [
      "removing encryption replaces",
      cluster({ encryption_config: { provider: { key_arn: "k" }, resources: ["secrets"] } }),
      cluster(),
      ["encryption_config"],
    ],
    [
      "changing the Auto Mode node role replaces",
      cluster({ compute_config: { enabled: true, node_pools: ["system"], node_role_arn: "r1" } }),
      cluster({ compute_config: { enabled: true, node_pools: ["system"], node_role_arn: "r2" } }),
      ["compute_config.node_role_arn"],
    ],
    [
      "clearing it while disabling Auto Mode does not",
      cluster({ compute_config: { enabled: true, node_pools: ["system"], node_role_arn: "r1" } }),
      cluster({ compute_config: { enabled: false } }),
      [],
    ],
  ])("aws_eks_cluster: %s", (_name, before, after, expected) => {
    expect(paths("aws_eks_cluster", before, after)).toEqual(expected);
  });

  test("node group: instance types replace, sizes do not", () => {
    const ng = (extra: JsonObject): JsonObject => ({ cluster_name: "c", node_role_arn: "r", subnet_ids: ["a"], ...extra });
    expect(paths("aws_eks_node_group", ng({ instance_types: ["m6i.large"] }), ng({ instance_types: ["m7i.large"] }))).toEqual(["instance_types"]);
    expect(paths("aws_eks_node_group", ng({ scaling_config: { max_size: 3 } }), ng({ scaling_config: { max_size: 5 } }))).toEqual([]);
  });

  test("Optional+Computed: setting it may replace, removing it keeps the live value", () => {
    expect(predictReplacement("aws_ebs_volume", { availability_zone: "a" }, { availability_zone: "a", kms_key_id: "k" })).toEqual([
      expect.objectContaining({ path: "kms_key_id", possible: true }),
    ]);
    expect(predictReplacement("aws_ebs_volume", { availability_zone: "a", kms_key_id: "k" }, { availability_zone: "a" })).toEqual([]);
    expect(paths("aws_ebs_volume", { availability_zone: "a", type: "gp2" }, { availability_zone: "a", type: "gp3" })).toEqual([]);
  });

  test("types outside the table predict nothing", () => {
    expect(predictReplacement("aws_s3_bucket", { bucket: "a" }, { bucket: "b" })).toEqual([]);
  });
});
