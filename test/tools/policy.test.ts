// Policy checks over synthesized Terraform JSON (tools/lib/policy). Fixtures are small inline
// objects in the shape cdktf 0.21 writes (snake_case, single blocks as objects, "//" metadata).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CHECKS,
  formatReport,
  renderCheckTable,
  runPolicy,
  summarize,
  type Body,
  type Finding,
} from "../../tools/lib/policy";
import { imageTag } from "../../tools/lib/policy/checks/kubernetes";
import { isExactChartVersion } from "../../tools/lib/policy/checks/helm";

const ROOT = join(__dirname, "../..");
const STACK = "dev-aws";

type Resources = Record<string, Record<string, Body>>;

/** A resource body with the metadata cdktf writes. */
const res = (path: string, body: Body): Body => ({
  "//": { metadata: { path: `${STACK}/${path}`, uniqueId: path.replace(/\//g, "_") } },
  ...body,
});

function stackJson(resources: Resources, policyWaivers?: unknown): Record<string, unknown> {
  return {
    "//": {
      metadata: { backend: "local", stackName: STACK, version: "0.21.0" },
      outputs: {},
      ...(policyWaivers !== undefined ? { policyWaivers } : {}),
    },
    resource: resources,
  };
}

const run = (resources: Resources, policyWaivers?: unknown) =>
  runPolicy([{ name: STACK, json: stackJson(resources, policyWaivers) }]);

const only = (findings: Finding[], check: string, address?: string) =>
  findings.filter((f) => f.check === check && (address === undefined || f.address === address));

// ---------------------------------------------------------------- clean fixtures

const KEY = "${aws_kms_key.cluster_key_D00E14E1.arn}";
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const cluster = (over: Body = {}): Body =>
  res("cluster/cluster", {
    name: "dev",
    role_arn: "${aws_iam_role.cluster_role_1F2E3D4C.arn}",
    version: "1.34",
    enabled_cluster_log_types: LOG_TYPES,
    vpc_config: { subnet_ids: ["subnet-a", "subnet-b"], endpoint_private_access: true, endpoint_public_access: false },
    encryption_config: { resources: ["secrets"], provider: { key_arn: KEY } },
    ...over,
  });

const nodeGroup = (over: Body = {}): Body =>
  res("nodes/group", {
    cluster_name: "dev",
    node_role_arn: "${aws_iam_role.node.arn}",
    subnet_ids: ["subnet-a"],
    scaling_config: { desired_size: 2, max_size: 3, min_size: 1 },
    ...over,
  });

const launchTemplate = (metadata_options?: Body | Body[]): Body =>
  res("nodes/lt", { name_prefix: "dev-", ...(metadata_options ? { metadata_options } : {}) });

const IMDS_OK = { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 };

const volume = (over: Body = {}): Body =>
  res("data/volume", { availability_zone: "ap-northeast-1a", size: 10, type: "gp3", encrypted: true, kms_key_id: KEY, ...over });

const kmsKey = (over: Body = {}): Body => res("cluster/key", { description: "eks secrets", enable_key_rotation: true, ...over });

const targetGroup = (over: Body = {}): Body =>
  res("ingress/tg", { port: 8080, protocol: "HTTP", target_type: "ip", vpc_id: "vpc-1", health_check: { path: "/healthz", enabled: true }, ...over });

/** A kubernetes_deployment_v1 body (provider style) whose pod passes every workload check. */
const providerContainer = (over: Body = {}): Body => ({
  name: "app",
  image: "public.ecr.aws/nginx/nginx:1.27.3",
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  ...over,
});
const deployment = (podSpec: Body = {}): Body =>
  res("apps/web", {
    metadata: { name: "web", namespace: "apps" },
    spec: {
      selector: { match_labels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { security_context: { run_as_non_root: true, run_as_user: "10001" }, container: [providerContainer()], ...podSpec },
      },
    },
  });

/** A kubernetes_manifest body (Kubernetes JSON) of kind Deployment whose pod passes every workload check. */
const manifestContainer = (over: Body = {}): Body => ({
  name: "app",
  image: "ghcr.io/example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  ...over,
});
const manifest = (podSpec: Body = {}, kind = "Deployment"): Body =>
  res("apps/worker", {
    manifest: {
      apiVersion: "apps/v1",
      kind,
      metadata: { name: "worker", namespace: "apps" },
      spec: { template: { spec: { securityContext: { runAsNonRoot: true }, containers: [manifestContainer()], ...podSpec } } },
    },
  });

const helm = (over: Body = {}): Body =>
  res("platform/metrics", { name: "metrics-server", chart: "metrics-server", repository: "https://kubernetes-sigs.github.io/metrics-server/", version: "3.12.2", ...over });

// ---------------------------------------------------------------- one passing and one failing fixture per check

interface Case {
  id: string;
  type: string;
  good: Body;
  bad: Body;
  reason: RegExp;
  /** Checks that necessarily fail along with this one on the bad fixture. */
  alsoFails?: string[];
}

const k8sCases = (id: string, reason: RegExp, badProvider: Body, badManifest: Body): Case[] => [
  { id, type: "kubernetes_deployment_v1", good: deployment(), bad: deployment(badProvider), reason },
  { id, type: "kubernetes_manifest", good: manifest(), bad: manifest(badManifest), reason },
];

const CASES: Case[] = [
  { id: "CKV_AWS_37", type: "aws_eks_cluster", good: cluster(), bad: cluster({ enabled_cluster_log_types: ["api", "audit"] }), reason: /lacks authenticator, controllerManager, scheduler/ },
  {
    id: "CKV_AWS_38",
    type: "aws_eks_cluster",
    // One-element-array form of a single block, as escape hatches write it.
    good: cluster({ vpc_config: [{ subnet_ids: ["subnet-a"], endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }] }),
    bad: cluster({ vpc_config: { subnet_ids: ["subnet-a"], endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "0.0.0.0/0"] } }),
    reason: /public_access_cidrs includes 0\.0\.0\.0\/0/,
    alsoFails: ["CKV_AWS_39"], // a public endpoint is what CKV_AWS_39 forbids outright
  },
  {
    id: "CKV_AWS_39",
    type: "aws_eks_cluster",
    good: cluster(),
    bad: cluster({ vpc_config: { subnet_ids: ["subnet-a"], endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } }),
    reason: /endpoint_public_access is true/,
  },
  { id: "CKV_AWS_58", type: "aws_eks_cluster", good: cluster(), bad: cluster({ encryption_config: undefined }), reason: /encryption_config is unset/ },
  { id: "CKV_AWS_339", type: "aws_eks_cluster", good: cluster(), bad: cluster({ version: "1.28" }), reason: /version "1\.28" is not supported/ },
  {
    id: "CKV_AWS_100",
    type: "aws_eks_node_group",
    good: nodeGroup({ remote_access: { ec2_ssh_key: "ops", source_security_group_ids: ["${aws_security_group.ssh.id}"] } }),
    bad: nodeGroup({ remote_access: { ec2_ssh_key: "ops" } }),
    reason: /without source_security_group_ids/,
  },
  { id: "CKV_AWS_79", type: "aws_launch_template", good: launchTemplate(IMDS_OK), bad: launchTemplate({ ...IMDS_OK, http_tokens: "optional" }), reason: /http_tokens is "optional"/ },
  { id: "CKV_AWS_341", type: "aws_launch_template", good: launchTemplate([IMDS_OK]), bad: launchTemplate({ ...IMDS_OK, http_put_response_hop_limit: 2 }), reason: /hop_limit is 2/ },
  { id: "CKV_AWS_3", type: "aws_ebs_volume", good: volume(), bad: volume({ encrypted: false }), reason: /encrypted is false/ },
  { id: "CKV_AWS_189", type: "aws_ebs_volume", good: volume(), bad: volume({ kms_key_id: undefined }), reason: /kms_key_id is unset/ },
  { id: "CKV_AWS_7", type: "aws_kms_key", good: kmsKey(), bad: kmsKey({ enable_key_rotation: undefined }), reason: /enable_key_rotation is unset/ },
  { id: "CKV_AWS_261", type: "aws_lb_target_group", good: targetGroup(), bad: targetGroup({ health_check: { enabled: true, port: "traffic-port" } }), reason: /health_check\.path is unset/ },
  ...k8sCases(
    "CKV_K8S_10",
    /container "app" has no resources\.requests\.cpu/,
    { container: [providerContainer({ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { memory: "1Gi" } } })] },
    { containers: [manifestContainer({ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { memory: "1Gi" } } })] },
  ),
  ...k8sCases(
    "CKV_K8S_11",
    /container "app" has no resources\.limits\.cpu/,
    { container: [providerContainer({ resources: { limits: { memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } } })] },
    { containers: [manifestContainer({ resources: { limits: { memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } } })] },
  ),
  ...k8sCases(
    "CKV_K8S_12",
    /container "app" has no resources\.limits\.memory/,
    { container: [providerContainer({ resources: { limits: { cpu: "1" }, requests: { cpu: "1", memory: "1Gi" } } })] },
    { containers: [manifestContainer({ resources: { limits: { cpu: "1" }, requests: { cpu: "1", memory: "1Gi" } } })] },
  ),
  ...k8sCases(
    "CKV_K8S_13",
    /container "app" has no resources\.requests\.memory/,
    { container: [providerContainer({ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1" } } })] },
    { containers: [manifestContainer({ resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1" } } })] },
  ),
  ...k8sCases(
    "CKV_K8S_14",
    /container "app" image "nginx(:latest)?" (uses :latest|has no tag)/,
    { container: [providerContainer({ image: "nginx:latest" })] },
    { containers: [manifestContainer({ image: "nginx" })] },
  ),
  ...k8sCases(
    "CKV_K8S_23",
    /container "app" may run as root/,
    { security_context: {} },
    { securityContext: { runAsNonRoot: false } },
  ),
  { id: "EKS_HELM_1", type: "helm_release", good: helm(), bad: helm({ version: "~3.12" }), reason: /version "~3\.12" is a range\/constraint/ },
];

describe("every check has a passing and a failing fixture", () => {
  test("the cases cover the whole registry", () => {
    expect(new Set(CASES.map((c) => c.id))).toEqual(new Set(CHECKS.map((c) => c.id)));
  });

  test.each(CASES.map((c) => [c.id, c.type, c] as const))("%s on %s", (id, type, c) => {
    const good = run({ [type]: { subject: c.good } });
    expect(only(good, id)).toEqual([expect.objectContaining({ status: "pass", address: `${type}.subject` })]);

    const bad = run({ [type]: { subject: c.bad } });
    const failed = bad.filter((f) => f.status === "fail" && !c.alsoFails?.includes(f.check));
    // Exactly this check fails on the loosened fixture (the others still pass).
    expect(failed.map((f) => [f.check, f.address])).toEqual([[id, `${type}.subject`]]);
    expect(failed[0]!.reason).toMatch(c.reason);
    expect(failed[0]!.why).toMatch(/^https:\/\//);
  });
});

describe("check details", () => {
  test("a clean environment passes everything", () => {
    const findings = run({
      aws_eks_cluster: { cluster_A4C38409: cluster() },
      aws_kms_key: { cluster_key_D00E14E1: kmsKey() },
      aws_launch_template: { lt: launchTemplate(IMDS_OK) },
      aws_ebs_volume: { vol: volume() },
      aws_lb_target_group: { tg: targetGroup() },
      kubernetes_deployment_v1: { web: deployment() },
      kubernetes_manifest: { worker: manifest() },
      helm_release: { metrics: helm() },
      aws_iam_role: { cluster_role_1F2E3D4C: res("cluster/role", { assume_role_policy: "{}" }) },
    });
    expect(findings.filter((f) => f.status !== "pass")).toEqual([]);
    expect(summarize(findings)).toEqual({ passed: findings.length, failed: 0, waived: 0, ok: true });
  });

  test("CKV_AWS_38/39 fail on the provider default (no endpoint_public_access, no CIDRs)", () => {
    const f = run({ aws_eks_cluster: { c: cluster({ vpc_config: { subnet_ids: ["subnet-a"] } }) } });
    expect(only(f, "CKV_AWS_38")[0]).toMatchObject({ status: "fail", reason: expect.stringMatching(/defaults to 0\.0\.0\.0\/0/) });
    expect(only(f, "CKV_AWS_39")[0]).toMatchObject({ status: "fail", reason: expect.stringMatching(/defaults to true/) });
  });

  test("CKV_AWS_339 follows stacks/kubernetes-versions.ts and checkov's pass on an unset version", () => {
    expect(only(run({ aws_eks_cluster: { c: cluster({ version: undefined }) } }), "CKV_AWS_339")[0]!.status).toBe("pass");
    expect(only(run({ aws_eks_cluster: { c: cluster({ version: "${var.version}" }) } }), "CKV_AWS_339")[0]!.reason).toMatch(/expression/);
  });

  test("CKV_AWS_341 fails an unset hop limit (AL2023 default is 2); IMDS disabled passes both IMDS checks", () => {
    const unset = run({ aws_launch_template: { lt: launchTemplate({ http_tokens: "required" }) } });
    expect(only(unset, "CKV_AWS_341")[0]).toMatchObject({ status: "fail", reason: expect.stringMatching(/unset/) });
    expect(only(unset, "CKV_AWS_79")[0]!.status).toBe("pass");
    const none = run({ aws_launch_template: { lt: launchTemplate() } });
    expect(only(none, "CKV_AWS_79")[0]!.status).toBe("fail");
    const off = run({ aws_launch_template: { lt: launchTemplate({ http_endpoint: "disabled" }) } });
    expect(off.map((f) => f.status)).toEqual(["pass", "pass"]);
  });

  test("CKV_AWS_261 skips non-HTTP target groups and fails a disabled health check", () => {
    expect(run({ aws_lb_target_group: { tg: targetGroup({ protocol: "TCP", health_check: undefined }) } })).toEqual([]);
    const off = run({ aws_lb_target_group: { tg: targetGroup({ health_check: { enabled: false, path: "/" } }) } });
    expect(off[0]).toMatchObject({ status: "fail", reason: "health_check.enabled is false" });
  });

  test("CKV_AWS_7 skips asymmetric keys, which cannot rotate", () => {
    expect(run({ aws_kms_key: { k: kmsKey({ enable_key_rotation: false, customer_master_key_spec: "RSA_2048" }) } })).toEqual([]);
  });

  test("workload checks find pods in stateful sets, daemon sets, cron jobs and bare pods, and judge init containers", () => {
    const template = { spec: { security_context: { run_as_non_root: true }, container: [providerContainer()], init_container: [providerContainer({ name: "init", resources: {} })] } };
    const f = run({
      kubernetes_stateful_set_v1: { db: res("apps/db", { metadata: { name: "db" }, spec: { service_name: "db", template } }) },
      kubernetes_daemon_set_v1: { agent: res("apps/agent", { metadata: { name: "agent" }, spec: { template } }) },
      kubernetes_cron_job_v1: { job: res("apps/job", { metadata: { name: "job" }, spec: { schedule: "* * * * *", job_template: { spec: { template } } } }) },
      kubernetes_pod_v1: { pod: res("apps/pod", { metadata: { name: "pod" }, spec: template.spec }) },
    });
    const failed = f.filter((x) => x.status === "fail");
    expect(new Set(failed.map((x) => x.address))).toEqual(
      new Set(["kubernetes_stateful_set_v1.db", "kubernetes_daemon_set_v1.agent", "kubernetes_cron_job_v1.job", "kubernetes_pod_v1.pod"]),
    );
    expect(new Set(failed.map((x) => x.check))).toEqual(new Set(["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"]));
    expect(failed[0]!.reason).toMatch(/^init container "init" has no/);
  });

  test("workload checks skip non-workload manifests, expression manifests and resources without pods", () => {
    const nodePool = res("karpenter/pool", {
      manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "p" }, spec: { template: { spec: { nodeClassRef: { name: "x" } } } } },
    });
    const service = res("dns/svc", { manifest: { apiVersion: "v1", kind: "Service", metadata: { name: "kube-dns" }, spec: { ports: [] } } });
    const expr = res("apps/expr", { manifest: '${yamldecode(file("app.yaml"))}' });
    expect(run({ kubernetes_manifest: { pool: nodePool, svc: service, expr } })).toEqual([]);
  });

  test("CKV_K8S_23: the container's securityContext overrides the pod's", () => {
    const over = run({
      kubernetes_deployment_v1: {
        web: deployment({ security_context: { run_as_user: "1000" }, container: [providerContainer({ security_context: { run_as_user: "0" } })] }),
      },
    });
    expect(only(over, "CKV_K8S_23")[0]).toMatchObject({ status: "fail", reason: 'container "app" may run as root (runAsNonRoot unset, runAsUser "0")' });
    const containerOnly = run({ kubernetes_manifest: { w: manifest({ securityContext: undefined, containers: [manifestContainer({ securityContext: { runAsUser: 10001 } })] }) } });
    expect(only(containerOnly, "CKV_K8S_23")[0]!.status).toBe("pass");
  });

  test("CKV_K8S_14 image references", () => {
    expect(imageTag("nginx:1.27")).toBe("1.27");
    expect(imageTag("registry.local:5000/team/app")).toBe("");
    expect(imageTag("registry.local:5000/team/app:2.0.1")).toBe("2.0.1");
    expect(imageTag("${aws_ecr_repository.app.repository_url}:1.4.0")).toBe("1.4.0");
    const expr = run({ kubernetes_deployment_v1: { web: deployment({ container: [providerContainer({ image: "${var.image}" })] }) } });
    expect(only(expr, "CKV_K8S_14")[0]!.reason).toMatch(/no literal tag/);
  });

  test("EKS_HELM_1 accepts only exact versions", () => {
    for (const v of ["1.2.3", "v1.2.3", "1.2.3-rc.1", "0.0.1+build.5"]) expect([v, isExactChartVersion(v)]).toEqual([v, true]);
    for (const v of ["", "1.2", "1.x", "1.2.*", "~1.2.3", "^1.0.0", ">=1.0.0", "1.0.0 - 2.0.0", "*", "latest"]) {
      expect([v, isExactChartVersion(v)]).toEqual([v, false]);
    }
    expect(only(run({ helm_release: { m: helm({ version: undefined }) } }), "EKS_HELM_1")[0]!.reason).toMatch(/unset/);
    expect(run({ helm_release: { m: helm({ chart: "./charts/local", version: undefined }) } })).toEqual([]);
  });
});

// ---------------------------------------------------------------- waivers

const publicCluster = (path: string) =>
  res(path, { ...cluster(), "//": { metadata: { path: `${STACK}/${path}`, uniqueId: "x" } }, vpc_config: { subnet_ids: ["subnet-a"], endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } });

const twoPublicClusters: Resources = { aws_eks_cluster: { cluster_a: publicCluster("a/cluster"), cluster_b: publicCluster("b/cluster") } };

describe("waivers", () => {
  test.each([
    ["the Terraform address", "aws_eks_cluster.cluster_a"],
    ["the full construct path", "dev-aws/a/cluster"],
    ["the construct path without the stack name", "a/cluster"],
  ])("a waiver naming %s silences exactly one check on one resource", (_what, resource) => {
    const f = run(twoPublicClusters, [{ check: "CKV_AWS_39", resource, reason: "dev: restricted public endpoint for CI runners" }]);
    expect(f.filter((x) => x.status !== "pass").map((x) => [x.status, x.check, x.address])).toEqual([
      ["waived", "CKV_AWS_39", "aws_eks_cluster.cluster_a"],
      ["fail", "CKV_AWS_39", "aws_eks_cluster.cluster_b"],
    ]);
    // The other checks on the waived resource still run.
    expect(only(f, "CKV_AWS_38", "aws_eks_cluster.cluster_a")[0]!.status).toBe("pass");
    expect(only(f, "CKV_AWS_39", "aws_eks_cluster.cluster_a")[0]!.waiverReason).toBe("dev: restricted public endpoint for CI runners");
  });

  test("a waiver without a reason is an error and silences nothing", () => {
    const f = run(twoPublicClusters, [{ check: "CKV_AWS_39", resource: "a/cluster", reason: "  " }]);
    expect(f.filter((x) => x.status !== "pass").map((x) => [x.status, x.check, x.address])).toEqual([
      ["fail", "CKV_AWS_39", "aws_eks_cluster.cluster_a"],
      ["fail", "CKV_AWS_39", "aws_eks_cluster.cluster_b"],
      ["invalid-waiver", "CKV_AWS_39", "a/cluster"],
    ]);
    expect(f.at(-1)!.reason).toMatch(/policyWaivers\[0\].*no reason/);
    expect(summarize(f).ok).toBe(false);
  });

  test("malformed waivers and unknown check ids are errors", () => {
    const f = run({}, [{ check: "CKV_AWS_999", resource: "x", reason: "r" }, "nope", { check: "CKV_AWS_39", reason: "r" }]);
    expect(f.map((x) => [x.status, x.reason])).toEqual([
      ["invalid-waiver", expect.stringMatching(/\[0\]\): unknown check id "CKV_AWS_999"/)],
      ["invalid-waiver", expect.stringMatching(/\[1\]\): waiver must be an object/)],
      ["invalid-waiver", expect.stringMatching(/\[2\]\): waiver has no resource/)],
    ]);
    expect(run({}, { check: "CKV_AWS_39" })[0]!.reason).toMatch(/must be a list/);
  });

  test("a waiver that silences nothing is stale and fails the run", () => {
    const noSuchResource = run(twoPublicClusters, [
      { check: "CKV_AWS_39", resource: "a/cluster", reason: "dev" },
      { check: "CKV_AWS_39", resource: "b/cluster", reason: "dev" },
      { check: "CKV_AWS_39", resource: "c/cluster", reason: "removed cluster" },
      { check: "CKV_AWS_38", resource: "a/cluster", reason: "not needed" },
    ]);
    const stale = noSuchResource.filter((x) => x.status === "stale-waiver");
    expect(stale.map((x) => [x.check, x.address])).toEqual([
      ["CKV_AWS_39", "c/cluster"],
      ["CKV_AWS_38", "a/cluster"],
    ]);
    expect(stale[0]!.reason).toMatch(/no resource checked by CKV_AWS_39 matches "c\/cluster"/);
    expect(stale[1]!.reason).toMatch(/CKV_AWS_38 passes on this resource/);
    expect(summarize(noSuchResource)).toMatchObject({ failed: 2, waived: 2, ok: false });
  });

  test("report lines and summary", () => {
    const f = run(twoPublicClusters, [{ check: "CKV_AWS_39", resource: "a/cluster", reason: "dev endpoint" }]);
    const lines = formatReport(f).trimEnd().split("\n");
    expect(lines).toEqual([
      "WAIVED CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_a: vpc_config.endpoint_public_access is true: the API server is reachable from the internet (waived: dev endpoint)",
      "FAIL CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_b: vpc_config.endpoint_public_access is true: the API server is reachable from the internet (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)",
      "policy: 8 passed, 1 failed, 1 waived",
    ]);
  });
});

// ---------------------------------------------------------------- check table

test("renderCheckTable lists every check, and tools/lib/policy/README-table.md is current", () => {
  const table = renderCheckTable();
  for (const c of CHECKS) expect(table).toContain(`| ${c.id} |`);
  // Regenerate with: npx tsx tools/policy.ts --table > tools/lib/policy/README-table.md
  expect(readFileSync(join(ROOT, "tools/lib/policy/README-table.md"), "utf8")).toBe(table);
});

// ---------------------------------------------------------------- CLI

describe("CLI (tools/policy.ts)", () => {
  const RUN = join(ROOT, "tools/run.cjs");
  const tmp = mkdtempSync(join(tmpdir(), "policy-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
  }
  /** Run the CLI as `npm run policy` does (tools/run.cjs), asynchronously so the runs overlap. */
  const cli = (...args: string[]) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [RUN, "policy", ...args], { cwd: ROOT });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  function writeOut(name: string, stacks: Record<string, Record<string, unknown>>): string {
    const out = join(tmp, name);
    for (const [stack, json] of Object.entries(stacks)) {
      mkdirSync(join(out, "stacks", stack), { recursive: true });
      writeFileSync(join(out, "stacks", stack, "cdk.tf.json"), JSON.stringify(json, null, 2));
    }
    return out;
  }

  const k8sStack = (resources: Resources) => ({ "//": { metadata: { stackName: "dev-k8s", version: "0.21.0" }, outputs: {} }, resource: resources });
  const loosened = cluster({ vpc_config: { subnet_ids: ["subnet-a"], endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] } });

  let clean: Run, open: Run, waived: Run, missing: Run;
  beforeAll(async () => {
    const cleanOut = writeOut("clean", {
      "dev-aws": stackJson({ aws_eks_cluster: { cluster_A4C38409: cluster() }, aws_kms_key: { cluster_key_D00E14E1: kmsKey() } }),
      "dev-k8s": k8sStack({ helm_release: { metrics: helm() }, kubernetes_deployment_v1: { web: deployment() } }),
    });
    const openOut = writeOut("loosened", { "dev-aws": stackJson({ aws_eks_cluster: { cluster_A4C38409: loosened } }) });
    const waivedOut = writeOut("waived", {
      "dev-aws": stackJson({ aws_eks_cluster: { cluster_A4C38409: loosened } }, [{ check: "CKV_AWS_39", resource: "cluster/cluster", reason: "dev: kubectl from the office" }]),
    });
    [clean, open, waived, missing] = await Promise.all([
      cli("--dir", cleanOut),
      cli("--dir", openOut),
      // Explicit file argument instead of --dir.
      cli(join(waivedOut, "stacks/dev-aws/cdk.tf.json")),
      cli("--dir", join(tmp, "missing")),
    ]);
  }, 30_000);

  test("clean stacks: exit 0", () => {
    expect(clean.stderr.replace(/npm warn.*\n/g, "")).toBe("");
    expect(clean.stdout).toBe("policy: 13 passed, 0 failed, 0 waived\n");
    expect(clean.status).toBe(0);
  });

  test("loosened stack: exit 1 with FAIL lines", () => {
    expect(open.status).toBe(1);
    expect(open.stdout.trimEnd().split("\n")).toEqual([
      "FAIL CKV_AWS_38 dev-aws/aws_eks_cluster.cluster_A4C38409: public_access_cidrs includes 0.0.0.0/0 (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)",
      "FAIL CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_A4C38409: vpc_config.endpoint_public_access is true: the API server is reachable from the internet (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)",
      "policy: 3 passed, 2 failed, 0 waived",
    ]);
  });

  test("a waiver turns one failure into WAIVED; the CIDR failure remains", () => {
    expect(waived.status).toBe(1);
    expect(waived.stdout.trimEnd().split("\n")).toEqual([
      "FAIL CKV_AWS_38 dev-aws/aws_eks_cluster.cluster_A4C38409: public_access_cidrs includes 0.0.0.0/0 (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)",
      "WAIVED CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_A4C38409: vpc_config.endpoint_public_access is true: the API server is reachable from the internet (waived: dev: kubectl from the office)",
      "policy: 3 passed, 1 failed, 1 waived",
    ]);
  });

  test("no stacks: exit 2", () => {
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no stacks found");
  });
});
