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
 * Opt-in: EKS_SYNTH_THREADS=<n> uses n threads, `auto` one per core up to MAX_THREADS with at least
 * MIN_PER_THREAD environments each (a thread costs ~0.35 s to start and load the app); unset, one
 * thread, as before. Each thread holds its slice's constructs: measured on 2 cores, 500
 * environments took 6.8–7.4 s on 2 threads instead of 9.8–13 s, at 315–325 MiB instead of ~245
 * (docs/performance.md). Worth it on runners with more cores than this one.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
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
  return Math.max(1, Math.min(Number(setting), count));
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
  const app = new App({ outdir: part.outdir, stackTraces: false });
  buildStacks(app, part.envs);
  app.synth();
  parentPort!.postMessage(app.manifest.stacks);
}

/**
 * Synthesizes `envs` into `outdir` on `threads` threads (this one included) and resolves to the
 * names of the stacks written. `script` is the file to start worker threads from: the running
 * app (the bundle, or main.ts under tsx), which calls synthesizePart when workerPart() is set.
 */
export async function synthesize(envs: readonly Environment[], outdir: string, threads: number, script: string): Promise<string[]> {
  // Stack traces in construct metadata cost a third of synth time and nobody reads them here.
  const app = new App({ outdir, stackTraces: false });
  // A bundle run from memory (read-only checkout) has no file to start a thread from.
  const parts = slices(envs, existsSync(script) ? threads : 1);
  const workers = parts.slice(1).map((slice) => runWorker(script, { eksSynthPart: { envs: slice, outdir } }));
  // Rejections are handled below, after this thread's own slice.
  for (const w of workers) w.catch(() => undefined);
  buildStacks(app, parts[0] ?? []);
  app.synth();
  if (workers.length > 0) {
    for (const stacks of await Promise.all(workers)) Object.assign(app.manifest.stacks, stacks);
    // Every thread's App wrote its own manifest.json; this one, written last, has every stack.
    app.manifest.writeToFile();
  }
  return Object.keys(app.manifest.stacks);
}

function runWorker(script: string, data: Part): Promise<Record<string, StackManifest>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: data,
      // cdktf 0.21 calls util.isArray (DEP0044 on Node 22): the main thread silences it its own way.
      execArgv: [...process.execArgv, "--disable-warning=DEP0044"],
    });
    let result: Record<string, StackManifest> | undefined;
    worker.once("message", (stacks: Record<string, StackManifest>) => (result = stacks));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`a synth worker thread exited with code ${code} before writing its stacks`));
    });
  });
}
