/**
 * Every tool follows tools/lib/cli.ts: --help lists every option (exit 0), an unknown option or a
 * bad value prints the usage on stderr (exit 2), an invalid configuration prints its problems one
 * per line (exit 1), and no expected failure prints a stack trace.
 *
 * As users run them (`node tools/run.cjs <tool>`, what `npm run <tool>` does, in a small pool
 * sharing each tool's cached bundle): every tool's --help (each bundle builds, starts and exits 0),
 * one unknown option and one invalid configuration (the exit codes reach the shell), and all of
 * bench (it exits through process.exit). The other cases run in-process
 * (test/support/tool-in-process.ts: same code from runTool on, ~0.3 s of CPU less each; issue 15).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runToolInProcess } from "../support/tool-in-process";

const repo = path.resolve(__dirname, "../..");
/** The tools run on the tests' fixture environments, never on the user's (stacks/environments). */
const FIXTURE_ENVIRONMENTS = path.join(repo, "test/fixtures/environments/index.ts");

/** Each tool's options, as its --help must list them (plus -h, --help). */
const TOOLS: Record<string, readonly string[]> = {
  synth: ["--output"],
  policy: ["--dir", "--verbose", "--table"],
  review: ["--base", "--head", "--allow-destroy", "--markdown", "--repo", "--synth-command"],
  plan: ["--env", "--out", "--output", "--allow-destroy", "--acknowledge", "--acknowledgements"],
  "plan-summary": ["--allow-destroy", "--acknowledge", "--acknowledgements", "--markdown", "--synth-dir", "--protected"],
  rollout: ["--wave", "--env", "--dry-run", "--auto-approve", "--upgrade", "--output", "--stacks"],
  environments: ["--wave", "--github-output"],
  connect: ["--env"],
  cost: ["--env", "--from", "--markdown", "--prices"],
  bench: ["--runs", "--quick", "--no-peer"],
  docs: ["--check"],
  "terraform-check": ["--out", "--parallel", "--keep", "--managed-providers"],
};

const missingDir = path.join(os.tmpdir(), "eks-cli-no-such-dir", "sub");
const invalidConfig = path.join(repo, "test/fixtures/invalid-envs/acceptance.ts");
const synthOut = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eks-cli-")), "cdktf.out");

/** Bad values: each must be a usage error (exit 2) whose message names the problem. */
const BAD_VALUES: ReadonlyArray<[tool: string, args: string[], message: string]> = [
  ["environments", ["--wave", "abc"], 'environments: --wave "abc": expected a whole number ≥ 1'],
  ["rollout", ["--wave", "0", "--dry-run"], 'rollout: --wave "0": expected a whole number ≥ 1'],
  ["rollout", ["--env", "no-such-env", "--dry-run"], 'rollout: unknown environment "no-such-env" (known: dev, prod)'],
  ["bench", ["--runs", "many"], 'bench: --runs "many": expected a whole number ≥ 1'],
  ["plan", [], "plan: --env is required (npm run -s environments lists them)"],
  ["plan", ["--env", "dev", "--acknowledge", "node-group-replaced:dev-aws"], "plan: --allow-destroy, --acknowledge and --acknowledgements apply to the plan summary, which only --out writes (add --out DIR)"],
  ["connect", ["--env", "no-such-env"], 'connect: unknown environment "no-such-env" (known: dev, prod)'],
  ["cost", ["--from", "tomorrow"], 'cost: --from "tomorrow": expected a date as YYYY-MM-DD'],
  ["review", ["--markdown", path.join(missingDir, "review.md")], `review: --markdown ${path.join(missingDir, "review.md")}: directory ${missingDir} does not exist`],
  ["plan-summary", ["--markdown", path.join(missingDir, "s.md"), "x.json"], `plan-summary: --markdown ${path.join(missingDir, "s.md")}: directory ${missingDir} does not exist`],
  ["synth", ["--output"], "synth: Option '--output <value>' argument missing"],
  ["policy", ["--dir"], "policy: Option '--dir <value>' argument missing"],
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repo, "tools/run.cjs"), tool, ...args],
      { cwd: repo, env: { ...process.env, EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS, ...env }, timeout: 50_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs the jobs with at most `limit` processes at a time (2 cores shared with jest's other worker). */
async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

const STACK_LINE = /^\s+at /m;
const runs = new Map<string, Run>();
const key = (tool: string, args: readonly string[]) => `${tool} ${args.join(" ")}`;

beforeAll(async () => {
  fs.rmSync(path.dirname(missingDir), { recursive: true, force: true });
  const cases: Array<[string, string[], NodeJS.ProcessEnv?]> = [
    ...Object.keys(TOOLS).flatMap((tool): Array<[string, string[]]> => [
      [tool, ["--help"]],
      [tool, ["--bogus"]],
    ]),
    ...BAD_VALUES.map(([tool, args]): [string, string[]] => [tool, args]),
    ["environments", [], { EKS_ENVIRONMENTS: invalidConfig }],
    ["connect", ["--env", "dev"], { EKS_ENVIRONMENTS: invalidConfig }],
    // Into a temporary directory: a failed synth removes the output directory's stacks.
    ["synth", ["--output", synthOut], { EKS_ENVIRONMENTS: invalidConfig }],
  ];
  // In a process: what only a process shows (see the top of this file).
  const inProcess = ([tool, args, env]: [string, string[], NodeJS.ProcessEnv?]) =>
    tool !== "bench" && args[0] !== "--help" && !(tool === "review" && args[0] === "--bogus") && !(tool === "synth" && env !== undefined);
  const processes = cases.filter((c) => !inProcess(c));
  const results = await pool(processes.map(([tool, args, env]) => () => runTool(tool, args, env)), 4);
  processes.forEach(([tool, args, env], i) => runs.set(key(tool, args) + (env ? " (invalid config)" : ""), results[i]!));
  for (const [tool, args, env] of cases.filter(inProcess)) {
    runs.set(key(tool, args) + (env ? " (invalid config)" : ""), await runToolInProcess(tool, args, { EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS, ...env }));
  }
}, 120_000);

describe.each(Object.entries(TOOLS))("%s", (tool, options) => {
  test("--help: exit 0, usage and every option on stdout", () => {
    const r = runs.get(key(tool, ["--help"]))!;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^usage: npm run /);
    for (const option of [...options, "--help"]) expect(r.stdout).toMatch(new RegExp(`^  (-\\w, )?${option}\\b`, "m"));
  });

  test("--bogus: exit 2, the problem and the usage on stderr, no stack trace", () => {
    const r = runs.get(key(tool, ["--bogus"]))!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^${tool}: Unknown option '--bogus'\\n\\nusage: npm run `));
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

test.each(BAD_VALUES)("%s %j: exit 2 with the usage", (tool, args, message) => {
  const r = runs.get(key(tool, args))!;
  expect(r.stderr.split("\n")[0]).toBe(message);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("\nusage: npm run ");
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stdout).toBe("");
});

test.each([["environments"], ["connect"]])("%s on an invalid configuration: the problems one per line, as synth prints them, exit 1", (tool) => {
  const r = [...runs.entries()].find(([k]) => k.startsWith(`${tool} `) && k.endsWith("(invalid config)"))![1];
  const synth = runs.get(`${key("synth", ["--output", synthOut])} (invalid config)`)!;
  expect(synth.code).toBe(1);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const problems = synth.stderr.replace("No Terraform was written.\n", "");
  expect(problems).toMatch(/^\d+ configuration problems:\n(  \w[\w-]*: \S+: .+\n)+$/);
  expect(r.stderr).toBe(problems);
});
