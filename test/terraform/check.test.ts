/**
 * Terraform itself validates and plans the example stacks (npm run terraform-check, in-process),
 * and the check fails with Terraform's own message on the bugs it exists to catch, made by
 * editing copies of the synthesized JSON. Needs Terraform ≥ 1.10 on PATH (or TERRAFORM_BIN):
 * without it these tests fail with the check's message, they are never skipped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CheckError, terraformCheck, type StackResult } from "../../tools/lib/terraform-check/run";

const root = path.resolve(__dirname, "../..");
const terraform = process.env.TERRAFORM_BIN || "terraform";

function examplesOutdir(): string {
  const outdir = process.env.EKS_TEST_EXAMPLES_OUTDIR;
  if (!outdir) throw new Error("EKS_TEST_EXAMPLES_OUTDIR is unset: run through jest (test/support/global-setup.ts)");
  return outdir;
}

/** The shared provider processes of the last check (all gone once it returns). */
let providerPids: number[] = [];

async function check(outdir: string, progress: string[] = []): Promise<Map<string, StackResult>> {
  const result = await terraformCheck({ outdir, root, terraform, parallel: 2, progress: (m) => progress.push(m) });
  providerPids = result.providerPids;
  return new Map(result.results.map((r) => [r.name, r]));
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * A synth output directory holding the example stacks (copied unchanged) and edited copies of
 * some of them, or of stacks of another synth: one Terraform check run covers them all (the
 * copies read the outputs of the stacks their remote states name), instead of a run per variant
 * that checks the unchanged stacks again.
 */
class Fixture {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-tfcheck-"));
  private readonly manifest: { version: string; stacks: Record<string, Json> };

  constructor(private readonly source: string) {
    this.manifest = JSON.parse(fs.readFileSync(path.join(source, "manifest.json"), "utf8"));
    fs.cpSync(path.join(source, "stacks"), path.join(this.dir, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(this.dir, "manifest.json"), JSON.stringify(this.manifest, null, 2));
  }

  /** The example stacks (those of the source's manifest). */
  examples(): string[] {
    return Object.keys(JSON.parse(fs.readFileSync(path.join(this.source, "manifest.json"), "utf8")).stacks);
  }

  /**
   * Copies stack `from` (of the examples, or of the synth output `source`) as `name`; `edit`
   * changes its JSON (the copy gets its own state key). `dependencies`: the stacks whose state
   * its remote states read (default: dev-aws when it has any).
   */
  add(name: string, from: string, edit: (json: Json) => void = () => undefined, source = this.source, dependencies?: string[]): this {
    const json = JSON.parse(fs.readFileSync(path.join(source, "stacks", from, "cdk.tf.json"), "utf8"));
    if (name !== from) json.terraform.backend.s3.key = `terraform-check-test/${name}.tfstate`;
    edit(json);
    fs.mkdirSync(path.join(this.dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(this.dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json, null, 2));
    const deps = dependencies ?? (Object.keys(json.data?.terraform_remote_state ?? {}).length > 0 ? ["dev-aws"] : []);
    this.manifest.stacks[name] = { name, dependencies: deps, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
    fs.writeFileSync(path.join(this.dir, "manifest.json"), JSON.stringify(this.manifest, null, 2));
    return this;
  }
}

function firstKey(o: Json): string {
  return Object.keys(o)[0]!;
}

/** Replaces the first string containing `from` anywhere in the value. */
function replaceFirst(value: Json, from: string, to: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" && v.includes(from)) {
      value[k] = v.replace(from, to);
      return true;
    }
    if (replaceFirst(v, from, to)) return true;
  }
  return false;
}

let all: Map<string, StackResult>;
let fixture: Fixture;
/** The escaped-strings dev (issue 9) and the renamed-and-adopted prod (issue 12), synthesized together. */
let edited: string;

/** The stack's JSON in a synth output directory. */
function stackJson(outdir: string, name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
}

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeInto } = require("../support/synth") as typeof import("../support/synth");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { dev } = require("../fixtures/environments/dev") as typeof import("../fixtures/environments/dev");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prod } = require("../fixtures/environments/prod") as typeof import("../fixtures/environments/prod");
  const escaped = structuredClone(dev) as Json;
  escaped.helm["metrics-server"].values.args = ["--kubelet-preferred-address-types=${TYPE}", "%{ if x }"];
  escaped.nodePools.batch.nodeClass.tags["ci-run"] = "${GITHUB_RUN_ID}";
  const day2 = structuredClone(prod) as Json;
  day2.cluster.compute.nodeGroups.web = day2.cluster.compute.nodeGroups.general;
  delete day2.cluster.compute.nodeGroups.general;
  day2.renames = { nodeGroups: { general: "web" } };
  day2.adopt = { cluster: true, logGroup: true, volumes: { "loki-data": "vol-0123456789abcdef0" } };
  edited = fs.mkdtempSync(path.join(os.tmpdir(), "eks-tfcheck-edited-"));
  synthesizeInto(edited, [escaped, day2]);
  // The day-2 prod's stacks read its own prod-aws: their remote states follow the copy's state key.
  const prodAwsKey = stackJson(edited, "prod-aws").terraform.backend.s3.key as string;
  const readDay2ProdAws = (j: Json) => {
    const reads = Object.values<Json>(j.data?.terraform_remote_state ?? {}).filter((r) => r.config?.key === prodAwsKey);
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) r.config.key = "terraform-check-test/day2-prod-aws.tfstate";
  };

  fixture = new Fixture(examplesOutdir())
    // A user string with `${...}` written unescaped: Terraform reads it as a reference.
    .add("dollar", "dev-aws", (j) => {
      j.resource.aws_iam_role[firstKey(j.resource.aws_iam_role)].description = "role of ${CLUSTER_NAME}";
    })
    .add("unknown-argument", "dev-aws", (j) => {
      j.resource.aws_kms_key[firstKey(j.resource.aws_kms_key)].bogus_argument = true;
    })
    .add("cycle", "dev-aws", (j) => {
      const role = firstKey(j.resource.aws_iam_role);
      const key = firstKey(j.resource.aws_kms_key);
      j.resource.aws_iam_role[role].depends_on = [`aws_kms_key.${key}`];
      j.resource.aws_kms_key[key].depends_on = [`aws_iam_role.${role}`];
    })
    // Reads an output dev-aws does not have.
    .add("missing-output", "dev-k8s", (j) => {
      const prefix = "data.terraform_remote_state.cross-stack-reference-input-dev-aws.outputs.";
      expect(replaceFirst(j.resource, prefix, `${prefix}no-such-output_`)).toBe(true);
    })
    // The escaped dev's dev-k8s reads the examples' dev-aws (the same bytes: asserted below).
    .add("escaped-dev-k8s", "dev-k8s", () => undefined, edited, ["dev-aws"])
    .add("day2-prod-aws", "prod-aws", () => undefined, edited, [])
    .add("day2-prod-controllers", "prod-controllers", readDay2ProdAws, edited, ["day2-prod-aws"])
    .add("day2-prod-k8s", "prod-k8s", readDay2ProdAws, edited, ["day2-prod-aws"]);
  const started = performance.now();
  all = await check(fixture.dir);
  process.stderr.write(`terraform-check on the examples and edited copies: ${((performance.now() - started) / 1000).toFixed(1)} s (${[...all.values()].map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ")})\n`);
}, 180_000);

afterAll(() => {
  for (const dir of [fixture.dir, edited]) fs.rmSync(dir, { recursive: true, force: true });
});

test("every example stack validates and plans", () => {
  const examples = fixture.examples();
  const results = new Map(examples.map((name) => [name, all.get(name)!]));
  const problems = [...results.values()].flatMap((r) => r.lines.map((l) => `${r.name}: ${l}`));
  expect(problems).toEqual([]);
  expect([...results.values()].map((r) => [r.name, r.status])).toEqual([...results.keys()].map((name) => [name, "ok"]));
  expect(results.size).toBeGreaterThanOrEqual(4);
});

describe("fails with Terraform's own message", () => {
  const results = { get: (name: string) => all.get(name) };

  test("the unedited stack passes", () => {
    expect(results.get("dev-aws")).toMatchObject({ status: "ok", lines: [] });
  });

  test("a string containing ${X}: Invalid reference", () => {
    const r = results.get("dollar")!;
    expect(r.status).toBe("failed");
    expect(r.lines[0]).toBe("Error: Invalid reference");
    expect(r.lines.join("\n")).toMatch(/on cdk\.tf\.json line \d+, in resource\.aws_iam_role\.[\w-]+:\n.*role of \$\{CLUSTER_NAME\}/);
    expect(r.lines).toContain("  A reference to a resource type must be followed by at least one attribute access, specifying the resource name.");
  });

  test("an unknown argument: Extraneous JSON object property", () => {
    const r = results.get("unknown-argument")!;
    expect(r.status).toBe("failed");
    // Terraform's JSON syntax names it so (HCL native syntax says "Unsupported argument").
    expect(r.lines[0]).toBe("Error: Extraneous JSON object property");
    expect(r.lines).toContain('  No argument or block type is named "bogus_argument".');
  });

  test("a dependency cycle: Cycle", () => {
    const r = results.get("cycle")!;
    expect(r.status).toBe("failed");
    expect(r.lines[0]).toMatch(/^Error: Cycle: aws_(iam_role|kms_key)\.[\w-]+, aws_(iam_role|kms_key)\.[\w-]+$/);
  });

  test("a reference to an output the upstream stack does not have: Unsupported attribute", () => {
    const r = results.get("missing-output")!;
    expect(r.status).toBe("failed");
    expect(r.lines[0]).toBe("Error: Unsupported attribute");
    expect(r.lines.join("\n")).toMatch(/This object does not have an attribute named "no-such-output_cross-stack-output-[\w-]+"\./);
  });
});

test("the shared schema-only providers (one per provider) have exited when the check returns", () => {
  expect(providerPids).toHaveLength(3); // aws, kubernetes, helm
  expect(providerPids.filter(running)).toEqual([]);
});

test("a shared provider that dies during the check fails the check naming it, not the stacks", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-tfcheck-died-"));
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(fixture.dir, "manifest.json"), "utf8"));
    fs.cpSync(path.join(fixture.dir, "stacks", "unknown-argument"), path.join(dir, "stacks", "unknown-argument"), { recursive: true });
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ ...manifest, stacks: { "unknown-argument": manifest.stacks["unknown-argument"] } }));
    // The setup line names each provider's pid: kill hashicorp/aws's before any plan runs.
    const kill = (m: string) => {
      const pid = /hashicorp\/aws \(pid (\d+)\)/.exec(m)?.[1];
      if (pid) process.kill(Number(pid), "SIGKILL");
    };
    const run = terraformCheck({ outdir: dir, root, terraform, parallel: 1, progress: kill });
    await expect(run).rejects.toThrow(CheckError);
    await expect(run).rejects.toThrow(/^the schema-only hashicorp\/aws provider \(tools\/lib\/terraform-check\/plugin\.ts\) exited \(SIGKILL\) during the check, so the plans after it could not reach it/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an old Terraform is a clear error naming the fix, not a skip", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-tfcheck-old-"));
  const fake = path.join(dir, "terraform");
  fs.writeFileSync(fake, `#!/bin/sh\necho '{"terraform_version":"1.9.8","platform":"linux_amd64"}'\n`, { mode: 0o755 });
  try {
    const run = terraformCheck({ outdir: examplesOutdir(), root, terraform: fake, parallel: 1, progress: () => undefined });
    await expect(run).rejects.toThrow(CheckError);
    await expect(run).rejects.toThrow("Terraform 1.9.8 is too old: install Terraform ≥ 1.10 (https://developer.hashicorp.com/terraform/install) or point TERRAFORM_BIN at it");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("user strings with ${...} and %{...} pass Terraform once the product has escaped them (issue 9)", () => {
  // The strings only reach dev-k8s; dev-aws is the examples' own, checked above with the same bytes.
  expect(JSON.stringify(stackJson(edited, "dev-aws"))).toBe(JSON.stringify(stackJson(examplesOutdir(), "dev-aws")));
  expect(JSON.stringify(stackJson(edited, "dev-k8s"))).toContain("GITHUB_RUN_ID");
  const results = ["dev-aws", "escaped-dev-k8s"].map((name) => all.get(name)!);
  expect(results.flatMap((r) => r.lines.map((l) => `${r.name}: ${l}`))).toEqual([]);
  expect(results.map((r) => r.status)).toEqual(["ok", "ok"]);
});

test("moved and import blocks from renames and adopt pass Terraform's own checks (issue 12)", () => {
  const aws = stackJson(edited, "prod-aws");
  expect(aws.moved?.length).toBeGreaterThan(0);
  expect(aws.import?.length).toBeGreaterThan(0);
  const prod = ["day2-prod-aws", "day2-prod-controllers", "day2-prod-k8s"].map((name) => all.get(name)!);
  expect(prod.map((r) => r.name)).toEqual(["day2-prod-aws", "day2-prod-controllers", "day2-prod-k8s"]);
  expect(prod.flatMap((r) => r.lines.map((l) => `${r.name}: ${l}`))).toEqual([]);
  expect(prod.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
});

test("--managed-providers (Terraform starts each provider: dev_overrides, handshake, mutual TLS) reports the same as the shared reattached providers", async () => {
  // One stack of the fixture above in a synth output of its own: its error comes from the schema
  // the provider served after the handshake (a passing plan would add ~2 s of provider starts).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-tfcheck-managed-"));
  try {
    const names = ["unknown-argument"];
    const manifest = JSON.parse(fs.readFileSync(path.join(fixture.dir, "manifest.json"), "utf8"));
    for (const name of names) fs.cpSync(path.join(fixture.dir, "stacks", name), path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ ...manifest, stacks: Object.fromEntries(names.map((n) => [n, manifest.stacks[n]])) }));
    const { results } = await terraformCheck({ outdir: dir, root, terraform, parallel: 2, progress: () => undefined, managedProviders: true });
    const strip = (r: StackResult) => ({ name: r.name, status: r.status, lines: r.lines });
    expect(results.map(strip)).toEqual(names.map((n) => strip(all.get(n)!)));
    expect(results.map((r) => r.status)).toEqual(["failed"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
