/**
 * Many environments synthesize on several threads (issue 15: 500 environments took ~8 s on one
 * core, ~16 ms each, almost all inside cdktf's own synth). Each thread builds its own cdktf App
 * from a contiguous slice of the validated environments and writes their stacks; the main thread
 * then writes one manifest.json with every stack, through cdktf's own Manifest.
 *
 * Same bytes as one App: an environment's stacks refer only to stacks of the same environment
 * (stacks/app.ts buildStacks maps each environment on its own), stack files are written per
 * stack, and the manifest is keyed by stack name and written with sorted keys
 * (node_modules/cdktf/lib/manifest.js: json-stable-stringify). test/process/synth.test.ts
 * compares a threaded run with the plain in-process synth byte for byte.
 *
 * Opt-in: EKS_SYNTH_THREADS=<n> uses n threads (at most MAX_THREADS), `auto` one per core up to MAX_THREADS with at least
 * MIN_PER_THREAD environments each (a thread costs ~0.35 s to start and load the app); unset, one
 * thread, as before. Each thread holds its slice's constructs: measured on 2 cores, 500
 * environments took 6.8–7.4 s on 2 threads instead of 9.8–13 s, at 315–325 MiB instead of ~245
 * (docs/performance.md). Worth it on runners with more cores than this one.
 */
import { existsSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { App } from "cdktf";
import type { StackManifest } from "cdktf";
import { buildStacks } from "./app";
import type { Environment } from "./environment-schema";

/** Below this many environments per extra thread, starting the thread costs more than it saves. */
export const MIN_PER_THREAD = 8;
/** Each thread holds its slice's constructs; more threads than this add memory, not speed, on CI runners. */
export const MAX_THREADS = 8;

/** What a worker thread is given (structured-cloned). */
interface Part {
  readonly eksSynthPart: { readonly envs: readonly Environment[]; readonly outdir: string };
}

/**
 * The number of threads for `count` environments from EKS_SYNTH_THREADS (unset: 1), or the
 * problem with its value.
 */
export function synthThreads(count: number, setting: string | undefined, cores = availableParallelism()): number | { problem: string } {
  if (setting === undefined || setting === "") return 1;
  if (setting === "auto") return Math.max(1, Math.min(cores, MAX_THREADS, Math.floor(count / MIN_PER_THREAD)));
  if (!/^[1-9][0-9]*$/.test(setting)) {
    return { problem: `${JSON.stringify(setting)} is not a number of threads (a whole number ≥ 1, or "auto" for one per core; unset it for one thread)` };
  }
  return Math.max(1, Math.min(Number(setting), MAX_THREADS, count));
}

/** `items` in `n` contiguous slices whose sizes differ by at most one, in order. */
export function slices<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(items.length / n) + (i < items.length % n ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/** The slice this thread was started for, when it is one of synthesize()'s worker threads. */
export function workerPart(): Part["eksSynthPart"] | undefined {
  return isMainThread ? undefined : (workerData as Partial<Part> | undefined)?.eksSynthPart;
}

/** A worker thread's whole job: its slice's stacks, and their manifest entries back to the main thread. */
export function synthesizePart(part: Part["eksSynthPart"]): void {
  // The main thread reports deprecations (and silences cdktf's DEP0044 its own way); a worker runs
  // the same code on other environments and would only repeat them.
  (process as { noDeprecation?: boolean }).noDeprecation = true;
  const app = new App({ outdir: part.outdir, stackTraces: false });
  // Only the main thread writes manifest.json, once every thread has succeeded.
  app.manifest.writeToFile = () => undefined;
  buildStacks(app, part.envs);
  app.synth();
  parentPort!.postMessage(app.manifest.stacks);
}

/**
 * Whether `value` is plain data (strings, finite numbers, booleans, null, arrays and plain
 * objects): what a worker receives as exactly what this thread has. workerData is
 * structured-cloned, which drops prototypes and methods such as toJSON and refuses functions
 * (https://nodejs.org/api/worker_threads.html#new-workerfilename-options, `workerData`). Validation
 * already keeps free-form fields to JSON data (environment-schema.ts jsonData); anything else
 * still synthesizes on one thread.
 */
function plainData(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every(plainData);
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return false;
  return Object.values(value).every((v) => v === undefined || plainData(v));
}

/**
 * Synthesizes `envs` into `outdir` on `threads` threads (this one included) and resolves to the
 * names of the stacks written. `script` is the file to start worker threads from: the running
 * app (the bundle, or main.ts under tsx), which calls synthesizePart when workerPart() is set.
 * If any thread fails, the others are stopped and no manifest.json is left behind.
 */
export async function synthesize(envs: readonly Environment[], outdir: string, threads: number, script: string): Promise<string[]> {
  // Stack traces in construct metadata cost a third of synth time and nobody reads them here.
  const app = new App({ outdir, stackTraces: false });
  // A bundle run from memory (read-only checkout) has no file to start a thread from.
  const parts = slices(envs, existsSync(script) && envs.every(plainData) ? threads : 1);
  if (parts.length <= 1) {
    buildStacks(app, envs);
    app.synth();
    return Object.keys(app.manifest.stacks);
  }
  const writeManifest = app.manifest.writeToFile.bind(app.manifest);
  app.manifest.writeToFile = () => undefined;
  const workers = parts.slice(1).map((slice) => startWorker(script, { eksSynthPart: { envs: slice, outdir } }));
  try {
    buildStacks(app, parts[0]!);
    app.synth();
    for (const stacks of await Promise.all(workers.map((w) => w.done))) Object.assign(app.manifest.stacks, stacks);
  } catch (e) {
    // Nothing may keep writing after the failure is reported, and no partial manifest stays.
    await Promise.all(workers.map((w) => w.stop()));
    rmSync(join(outdir, "manifest.json"), { force: true });
    throw e;
  }
  writeManifest();
  return Object.keys(app.manifest.stacks);
}

interface RunningWorker {
  readonly done: Promise<Record<string, StackManifest>>;
  readonly stop: () => Promise<unknown>;
}

function startWorker(script: string, data: Part): RunningWorker {
  // execArgv is inherited (--import tsx under tsx, heap flags): Node refuses V8 flags given anew
  // (https://nodejs.org/api/worker_threads.html#new-workerfilename-options, `execArgv`).
  const worker = new Worker(script, { workerData: data });
  const envs = data.eksSynthPart.envs.map((e) => e.name);
  const where = `synth worker thread for environments ${envs[0]}–${envs.at(-1)}`;
  const done = new Promise<Record<string, StackManifest>>((resolve, reject) => {
    let result: Record<string, StackManifest> | undefined;
    worker.once("message", (stacks: Record<string, StackManifest>) => (result = stacks));
    worker.once("error", (error: Error) => {
      // A worker's error arrives with a read-only stack: a fresh Error, so the app runner can map
      // its bundle positions to source positions as for this thread's own errors.
      const copy = new Error(`${where}: ${error.message}`);
      copy.stack = `Error: ${where}: ${error.message}${String(error.stack ?? "").replace(/^[^\n]*/, "")}`;
      reject(copy);
    });
    worker.once("exit", (code) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`${where} exited with code ${code} before writing its stacks`));
    });
  });
  // Handled by synthesize() after this thread's own slice.
  done.catch(() => undefined);
  return { done, stop: () => worker.terminate() };
}
