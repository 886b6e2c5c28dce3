/**
 * EKS_SYNTH_THREADS (stacks/synth-threads.ts) as a user meets it when something goes wrong, or
 * when the app's Node has flags: the threads must never change the outcome of a synth, and a
 * failed synth must not leave a manifest.json that looks like a complete one.
 * (Same bytes on valid input: test/process/synth.test.ts.)
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTextTree as readTree } from "../support/files";

const repo = path.resolve(__dirname, "../..");
const FIXTURE_ENVIRONMENTS = path.join(repo, "test/fixtures/environments/index.ts");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-threads-"));

interface Run {
  readonly code: number;
  readonly stderr: string;
}

/** `node [nodeArgs] tools/synth.cjs` (cdktf.json's app); resolves (never rejects) with exit code and stderr. */
function runApp(outdir: string, env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [...nodeArgs, "tools/synth.cjs"], { cwd: repo, env: { ...process.env, CDKTF_OUTDIR: outdir, ...env } }, (error, _stdout, stderr) =>
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr }),
    );
  });
}

describe("a worker thread that fails (two fixture environments on two threads: prod is the worker's)", () => {
  let outdir: string;
  let result: Run;

  beforeAll(async () => {
    const dir = tmp();
    outdir = path.join(dir, "cdktf.out");
    // Fault injection: in worker threads only, writing a stack's cdk.tf.json throws, as a construct
    // that fails at synth would.
    const inject = path.join(dir, "fail-in-worker.cjs");
    fs.writeFileSync(
      inject,
      `const { isMainThread } = require("node:worker_threads");
if (!isMainThread) {
  const fs = require("node:fs");
  const write = fs.writeFileSync;
  fs.writeFileSync = function (file, ...rest) {
    if (/[\\\\/]stacks[\\\\/][^\\\\/]+[\\\\/]cdk\\.tf\\.json$/.test(String(file))) throw new Error("injected: a worker thread's stack failed to synthesize");
    return write.call(this, file, ...rest);
  };
}
`,
    );
    result = await runApp(outdir, {
      EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS,
      EKS_SYNTH_THREADS: "2",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${inject}`.trim(),
    });
  }, 60_000);

  test("exits non-zero with the worker's error", () => {
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("injected: a worker thread's stack failed to synthesize");
  });

  test("leaves no manifest.json that lists only some environments' stacks", () => {
    // Today: the main thread's App writes manifest.json with dev's stacks only (cdktf's
    // App.synth() always ends with manifest.writeToFile()), and the failure leaves it there.
    const manifest = path.join(outdir, "manifest.json");
    const listed = fs.existsSync(manifest) ? Object.keys((JSON.parse(fs.readFileSync(manifest, "utf8")) as { stacks: object }).stacks) : [];
    expect(listed).toEqual([]);
  });

  test("the worker's stack is in source positions, as a main-thread crash's is", () => {
    // The worker's Error arrives with a read-only `stack`: tools/synth.cjs mapStack cannot rewrite it.
    expect(result.stderr).toContain(`${path.join(repo, "stacks", "synth-threads.ts")}:`);
  });
});

test("an app command with a V8 flag (node --max-old-space-size=… tools/synth.cjs) synthesizes on two threads as on one", async () => {
  // Worker execArgv may not hold V8 or process-wide flags (ERR_WORKER_INVALID_EXEC_ARGV);
  // stacks/synth-threads.ts passes the parent's execArgv to every worker.
  const [one, two] = [path.join(tmp(), "out"), path.join(tmp(), "out")];
  const flags = ["--max-old-space-size=2048"];
  const runs = await Promise.all([
    runApp(one, { EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS }, flags),
    runApp(two, { EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS, EKS_SYNTH_THREADS: "2" }, flags),
  ]);
  expect(runs.map((r) => r.code)).toEqual([0, 0]);
  expect(readTree(two)).toEqual(readTree(one));
}, 60_000);

test("a chart value the schema accepts (an object with toJSON, z.unknown()) synthesizes the same on two threads as on one", async () => {
  // Worker data is structured-cloned: a function anywhere in an environment is a DataCloneError
  // on two threads, while one thread renders it (JSON.stringify calls toJSON).
  const dir = tmp();
  const file = path.join(dir, "environments.ts");
  fs.writeFileSync(
    file,
    `import { environments as fixtures } from ${JSON.stringify(FIXTURE_ENVIRONMENTS.replace(/\.ts$/, ""))};
const built = { toJSON: () => "2026-11-30" };
export const environments = fixtures.map((env) => ({
  ...env,
  helm: Object.fromEntries(Object.entries(env.helm ?? {}).map(([key, release]) => [key, key === "metrics-server" ? { ...release, values: { ...release.values, podAnnotations: { "example.com/built": built } } } : release])),
}));
`,
  );
  const [one, two] = [path.join(dir, "one"), path.join(dir, "two")];
  const runs = await Promise.all([runApp(one, { EKS_ENVIRONMENTS: file }), runApp(two, { EKS_ENVIRONMENTS: file, EKS_SYNTH_THREADS: "2" })]);
  // Whatever one thread does with it (writes it, or reports a configuration problem), two do the same.
  expect({ code: runs[1].code, stderr: runs[1].stderr }).toEqual({ code: runs[0].code, stderr: runs[0].stderr });
  expect(readTree(two)).toEqual(readTree(one));
}, 60_000);
