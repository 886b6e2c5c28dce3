/**
 * Rolls environments out wave by wave: `cdktf synth` once, then `cdktf deploy` per stack in order
 * (AWS stack, controllers stack where there is one, Kubernetes stack), waves ascending,
 * environments of a wave by name. Stops at the first failure.
 *
 *   npm run rollout -- [--wave N] [--env NAME]... [--dry-run] [--auto-approve]
 *
 * The cdktf CLI comes from PATH (`npm run` puts node_modules/.bin first); CDKTF_BIN overrides it.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../stacks/config-errors";
import { parseEnvironments } from "../stacks/environment-schema";
import { loadEnvironments } from "../stacks/load-environments";
import { rolloutSteps, runSteps, selectEnvironments, spawnRunner } from "./lib/rollout";

const USAGE = "usage: npm run rollout -- [--wave N] [--env NAME]... [--dry-run] [--auto-approve]\n";

function main(): number {
  const { values } = parseArgs({
    options: {
      wave: { type: "string" },
      env: { type: "string", multiple: true },
      "dry-run": { type: "boolean", default: false },
      "auto-approve": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const wave = values.wave === undefined ? undefined : Number(values.wave);
  if (wave !== undefined && !(Number.isInteger(wave) && wave >= 1)) throw new UsageError(`--wave ${values.wave}: expected a wave number (1, 2, ...)`);

  const envs = parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS));
  const steps = rolloutSteps(selectEnvironments(envs, { wave, envs: values.env }), { autoApprove: values["auto-approve"] });
  const cdktf = process.env.CDKTF_BIN || "cdktf";

  if (values["dry-run"]) {
    process.stdout.write(`rollout plan (dry run, nothing runs):\n${cdktf} synth\n`);
    for (const s of steps) process.stdout.write(`${cdktf} ${s.args.join(" ")}    # wave ${s.wave}, ${s.env}\n`);
    return 0;
  }

  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`==> ${cdktf} synth`);
  if (spawnRunner(cdktf, ["synth"]).status !== 0) {
    process.stderr.write("rollout: FAILED at synth; nothing was deployed\n");
    return 1;
  }
  const outcome = runSteps(cdktf, steps, spawnRunner, log);
  log("\nrollout summary:");
  for (const r of outcome.ran) log(`  ${r.status === 0 ? "ok    " : "FAILED"} ${r.step.stack} (${r.seconds.toFixed(1)} s)`);
  for (const s of outcome.notRun) log(`  skipped ${s.stack}`);
  if (outcome.failed) {
    process.stderr.write(`rollout: FAILED at ${outcome.failed.stack} (environment ${outcome.failed.env}, wave ${outcome.failed.wave}); ${outcome.notRun.length} stack(s) not run\n`);
    return 1;
  }
  return 0;
}

class UsageError extends Error {}

try {
  process.exitCode = main();
} catch (e) {
  if (e instanceof ConfigError || e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") || (e as Error).message?.startsWith("unknown environment") || (e as Error).message?.startsWith("no environment")) {
    process.stderr.write(`${(e as Error).message}\n${e instanceof ConfigError ? "" : USAGE}`);
    process.exitCode = 2;
  } else throw e;
}
