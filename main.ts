import { writeFileSync } from "node:fs";
import { ConfigError, type ConfigProblem } from "./stacks/config-errors";
import type { Environment } from "./stacks/environment-schema";
import { parseEnvironments } from "./stacks/environment-validation";
import { loadEnvironments, removeStaleOutput, removeStaleStacks } from "./stacks/load-environments";
import { synthesize, synthesizePart, synthThreads, workerPart } from "./stacks/synth-threads";

/**
 * Resolves when every stack is written (exit code 0). tools/synth.cjs awaits it when it runs the
 * app in-process; as a process, Node simply waits for it.
 */
export const done: Promise<number> = main();

async function main(): Promise<number> {
  // One of the threads a large synth starts (stacks/synth-threads.ts): its slice, nothing else.
  const part = workerPart();
  if (part) {
    synthesizePart(part);
    return 0;
  }

  // Validate every environment before building anything: invalid input never produces Terraform.
  // Every problem at once: the environments' and EKS_SYNTH_THREADS's.
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const problems: ConfigProblem[] = [];
  let envs: Environment[] = [];
  try {
    envs = parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  const threads = synthThreads(envs.length, process.env.EKS_SYNTH_THREADS);
  if (typeof threads !== "number") problems.push({ environment: "EKS_SYNTH_THREADS", path: "", message: threads.problem });
  if (problems.length > 0 || typeof threads !== "number") {
    removeStaleOutput(outdir);
    process.stderr.write(`${new ConfigError(problems).message}\nNo Terraform was written.\n`);
    process.exit(1);
  }

  // The review prices base and head from the environments their synth validated (issue 15: no
  // second process to load them again); nothing is written unless it asks.
  if (process.env.EKS_SYNTH_ENVIRONMENTS_OUT) writeFileSync(process.env.EKS_SYNTH_ENVIRONMENTS_OUT, JSON.stringify(envs));

  const stacks = await synthesize(envs, outdir, threads, __filename);
  // `cdktf synth` removes stale stack directories itself, and fails if one vanishes under it
  // (it sets CDKTF_CONTEXT_JSON); a direct run of the app does it here.
  if (!process.env.CDKTF_CONTEXT_JSON) removeStaleStacks(outdir, stacks);
  return 0;
}
