/**
 * Running a command and measuring it: wall time (hrtime around the run) and the peak RSS of the
 * command's own process tree as GNU time reports it (`%M`: the largest resident set of the
 * command or of any child it waited for), so it is the synth process's, not the bench's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

export interface Sample {
  /** Seconds. */
  readonly wall: number;
  /** MiB; undefined without /usr/bin/time. */
  readonly peakRss?: number;
  readonly status: number | null;
  /** The tail of stderr, for failures. */
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function timeCommand(command: readonly string[], options: RunOptions): Sample {
  const [cmd, ...args] = command;
  if (cmd === undefined) throw new Error("empty command");
  const withTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(join(tmpdir(), "eks-bench-time-"));
  const report = join(dir, "time.txt");
  try {
    const start = process.hrtime.bigint();
    const r = withTime
      ? spawnSync(GNU_TIME, ["-f", "%M", "-o", report, cmd, ...args], { cwd: options.cwd, env: options.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
      : spawnSync(cmd, args, { cwd: options.cwd, env: options.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    // GNU time writes "Command exited with non-zero status N" before the figures when it fails.
    const kib = withTime && existsSync(report) ? Number(readFileSync(report, "utf8").trim().split(/\s+/).pop()) : NaN;
    return {
      wall,
      peakRss: Number.isFinite(kib) ? kib / 1024 : undefined,
      status: r.error ? null : r.status,
      stderr: `${r.error?.message ?? ""}${(r.stderr ?? "").slice(-2000)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** `0.27 s (0.25–0.31)`; one value without a range. */
export function formatSpread(s: Spread | undefined, unit: string, digits: number): string {
  if (!s) return "n/a";
  const f = (v: number) => v.toFixed(digits);
  return s.n === 1 ? `${f(s.median)} ${unit}` : `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`;
}
