/**
 * The real app command on invalid configs (issue "Guardrails", part 1): cdktf.json's `app`
 * with EKS_ENVIRONMENTS naming a fixture module. Invalid input must end the process with exit code 1,
 * every problem on stderr (no stack trace), and no Terraform in the output directory, not even an
 * earlier run's. The runs take about 1.5 s each, so they all start at once in beforeAll (four runs:
 * keep it that way, since each one loads cdktf and the providers).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { configErrorMessage } from "../support/environments";

const ROOT = resolve(__dirname, "../..");
const FIXTURES = join(__dirname, "../fixtures/invalid-envs");
const STACK_TRACE = "    at ";
/** The command `cdktf synth` runs. */
const [APP, ...APP_ARGS] = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app.split(" ") as string[];

interface Run {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}

/** Runs the app as `cdktf synth` does; resolves (never rejects) with the exit code and output. */
function runApp(outdir: string, fixture?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, ...extraEnv };
  delete env.EKS_ENVIRONMENTS;
  if (fixture) env.EKS_ENVIRONMENTS = resolve(FIXTURES, fixture);
  return new Promise((done) => {
    execFile(APP === "node" ? process.execPath : APP, APP_ARGS, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? error.signal ?? null) : 0, stdout, stderr, outdir });
    });
  });
}

interface InvalidCase {
  readonly title: string;
  readonly fixture: string;
  /** An earlier run's output in the outdir, which the failed run must remove. */
  readonly staleOutput?: boolean;
  /** More of the app's environment (EKS_SYNTH_THREADS). */
  readonly env?: NodeJS.ProcessEnv;
  readonly expected: readonly string[];
}

function jsonError(file: string): string {
  try {
    JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return (e as Error).message.split("\n").filter((l) => l.trim() !== "").slice(0, 2).join(" ");
  }
  throw new Error(`${file} parses`);
}

const ACCEPTANCE = [
  `dev: account.id: "123" is not an AWS account id (12 digits) (for example "111111111111")`,
  "dev: cluster.subnetIds: has 1 subnet(s); EKS needs subnets in at least two availability zones (add another subnet id)",
  `dev: cluster.compute.builtInNodePools[1]: "sytem" is not a built-in node pool (use "general-purpose" or "system")`,
  "dev: access.ops-readonly.policies[0].namespaces: is empty: a namespace-scoped policy needs at least one namespace (list them, or remove namespaces for cluster scope)",
];

const INVALID: readonly InvalidCase[] = [
  { title: "the acceptance example (four mistakes in dev), over an earlier run's output", fixture: "acceptance.ts", staleOutput: true, expected: ACCEPTANCE },
  {
    title: "environments that clash with each other, and entries that are no environment",
    fixture: "cross-environment.ts",
    expected: [
      "environments[4]: null is not an object (use an object)",
      `environments[5]: "staging" is not an object (use an object)`,
      `prod: name: "prod" is used by environments[1] and environments[3] (environment names must be unique)`,
      `dev-b: cluster.name: EKS cluster "acme-dev" is also created by environment "dev" in account 111111111111 ap-northeast-1 (EKS cluster names are unique per account and region; give the cluster a different name)`,
      `dev-b: targetGroups.argocd: target group "acme-dev-argocd" is also created by environment "dev" in account 111111111111 ap-northeast-1 (target group names are unique per account and region, whatever the letter case; give the key or the cluster a different name)`,
    ],
  },
  {
    title: "node group rules next to field mistakes in other sections",
    fixture: "node-groups.ts",
    expected: [
      "prod: volumes.loki-data.sizeGiB: is required (add a number)",
      `prod: volumes.loki-data: unknown field "sizeGib" (check the spelling against the configuration reference in docs/reference/configuration.md)`,
      `prod: helm.metrics-server.version: "latest" is not an exact chart version (no ranges, no "latest") (for example "3.13.0")`,
      "prod: cluster.compute.nodeGroups.general.minSize: 11 is larger than maxSize 10 (need minSize <= desiredSize <= maxSize)",
      `prod: cluster.compute.nodeGroups.batch.instanceTypes[0]: "c7i.xlarge" is an x86_64 type but amiType is AL2023_ARM_64_STANDARD (use matching instance types or amiType)`,
    ],
  },
  // A file that does not load is a config error like any other: one line, exit 1, stale output gone.
  {
    title: "an environments file with a JSON syntax error, over an earlier run's output",
    fixture: "broken-syntax.json",
    staleOutput: true,
    expected: [
      // JSON.parse words its error per Node version: take this Node's words.
      `${join(FIXTURES, "broken-syntax.json")}: could not be loaded: ${jsonError(join(FIXTURES, "broken-syntax.json"))} (fix the file; \`npm run typecheck\` shows where)`,
    ],
  },
  // The app's own setting is checked with the environments, and reported with them.
  {
    title: "an environments file of the wrong shape, and a thread count that is no number",
    fixture: "wrong-shape.json",
    env: { EKS_SYNTH_THREADS: "many" },
    expected: [
      `${join(FIXTURES, "wrong-shape.json")}: exports no list of environments (export an array, or \`export const environments = [...]\`)`,
      `EKS_SYNTH_THREADS: "many" is not a number of threads (a whole number ≥ 1, or "auto" for one per core; unset it for one thread)`,
    ],
  },
];

const outdirs: string[] = [];
const freshOutdir = () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-invalid-config-"));
  outdirs.push(dir);
  return dir;
};

let invalidRuns: Run[];

beforeAll(async () => {
  const invalid = INVALID.map((c) => {
    const outdir = freshOutdir();
    if (c.staleOutput) {
      mkdirSync(join(outdir, "stacks", "old-aws"), { recursive: true });
      writeFileSync(join(outdir, "stacks", "old-aws", "cdk.tf.json"), JSON.stringify({ resource: { aws_eks_cluster: {} } }));
      writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: { "old-aws": { synthesizedStackPath: "stacks/old-aws/cdk.tf.json" } } }));
    }
    return runApp(outdir, c.fixture, c.env);
  });
  invalidRuns = await Promise.all(invalid);
}, 60_000);

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(INVALID.map((c, i) => [c.title, i] as const))("invalid config: %s", (_title, i) => {
  const c = INVALID[i];
  const run = () => invalidRuns[i];

  test("exits with code 1", () => {
    expect(run().code).toBe(1);
  });

  test("prints exactly the expected problems, then says no Terraform was written", () => {
    const problemLines = run().stderr.split("\n").filter((l) => l.startsWith("  "));
    expect(problemLines).toEqual(c.expected.map((l) => `  ${l}`));
    expect(run().stderr).toContain(`${configErrorMessage(c.expected)}\nNo Terraform was written.\n`);
  });

  test("prints no stack trace", () => {
    expect(run().stdout).not.toContain(STACK_TRACE);
    expect(run().stderr).not.toContain(STACK_TRACE);
  });

  test(c.staleOutput ? "removes the earlier run's stacks and manifest" : "writes no stacks and no manifest", () => {
    expect(existsSync(join(run().outdir, "stacks"))).toBe(false);
    expect(existsSync(join(run().outdir, "manifest.json"))).toBe(false);
  });
});

// The same app command on the fixture environments (exit 0, no problem, no stack trace, every
// stack and the manifest): test/process/synth.test.ts, which runs it anyway to compare its bytes.
