/**
 * Runs a tool (tools/<tool>.ts) inside the test's process, as `node tools/run.cjs <tool> args...`
 * would run it: its own command line, environment, stdout/stderr and exit code, and a fresh module
 * registry (jest.isolateModulesAsync), so the tool's top-level runTool runs again each time.
 *
 * Why: a tool process costs ~0.25–0.5 s of CPU (Node start, the bundle, tsx for a .ts
 * environments file); the CLI-convention and rollout cases started ~60 of them (issue 15). What a
 * process adds over this stays tested in test/tools/cli-convention.test.ts: every tool's bundle
 * starting as a real process (--help), and exit codes reaching the shell (review --bogus: 2,
 * synth on an invalid configuration: 1, bench).
 *
 * Runs are serialized: argv, the environment and the output streams are process-wide.
 */
import * as path from "node:path";

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const repo = path.resolve(__dirname, "../..");
let queue: Promise<unknown> = Promise.resolve();

/**
 * `env` is merged into process.env for the run (a value of undefined removes the variable);
 * `replaceEnv` uses it as the whole environment instead.
 */
export function runToolInProcess(tool: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, replaceEnv = false): Promise<ToolResult> {
  const run = queue.then(() => once(tool, args, env, replaceEnv));
  queue = run.catch(() => undefined);
  return run;
}

type Write = typeof process.stdout.write;

function capture(append: (text: string) => void): Write {
  return ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), callback?: (e?: Error | null) => void) => {
    append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const cb = typeof encoding === "function" ? encoding : callback;
    cb?.();
    return true;
  }) as Write;
}

/**
 * Gives `fn` the process a tool would have: `argv`, and `env` as the environment both of this test
 * file's `process` and of the worker's real one, which modules shared across test files read
 * (cdktf: test/support/shared-modules-environment.cjs) and which child processes inherit.
 */
export async function withProcess<T>(argv: readonly string[], env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const host = (globalThis as { __eksHostProcess?: NodeJS.Process }).__eksHostProcess;
  const saved = { argv: process.argv, env: process.env, hostEnv: host?.env };
  process.argv = [...argv];
  process.env = env;
  if (host) host.env = env;
  try {
    return await fn();
  } finally {
    process.argv = saved.argv;
    process.env = saved.env;
    if (host) host.env = saved.hostEnv!;
  }
}

async function once(tool: string, args: readonly string[], env: NodeJS.ProcessEnv, replaceEnv: boolean): Promise<ToolResult> {
  const entry = path.join(repo, "tools", `${tool}.ts`);
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, exitCode: process.exitCode };
  let stdout = "";
  let stderr = "";
  const merged: NodeJS.ProcessEnv = replaceEnv ? {} : { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  process.stdout.write = capture((t) => (stdout += t));
  process.stderr.write = capture((t) => (stderr += t));
  try {
    return await withProcess([process.execPath, entry, ...args], merged, async () => {
      let code = 0;
      await jest.isolateModulesAsync(async () => {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const cli = require("../../tools/lib/cli") as typeof import("../../tools/lib/cli");
        delete cli.toolRun.last;
        require(entry);
        /* eslint-enable @typescript-eslint/no-require-imports */
        if (cli.toolRun.last === undefined) throw new Error(`tools/${tool}.ts did not call runTool`);
        code = await cli.toolRun.last;
      });
      // What would reach the shell: runTool sets it, as for a process.
      if (process.exitCode !== code) throw new Error(`tools/${tool}.ts: exit code ${code} but process.exitCode ${process.exitCode}`);
      return { code, stdout, stderr };
    });
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exitCode = saved.exitCode;
  }
}
