/**
 * Plans one environment, stack by stack, in deploy order.
 *
 *   npm run plan -- --env NAME               # cdktf diff per stack
 *   npm run plan -- --env NAME --out plans/  # terraform plan files + JSON + the plan summary
 *
 * With --out, each stack is planned by Terraform directly in cdktf.out/stacks/<stack> and saved as
 * <stack>.tfplan and <stack>.json (`terraform show -json`), then summarized by plan-summary with the
 * same protection rule as the review. A Kubernetes stack plans only once its AWS stack exists.
 * CDKTF_BIN and TERRAFORM_BIN override the binaries found on PATH.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../stacks/config-errors";
import { parseEnvironments } from "../stacks/environment-schema";
import { loadEnvironments } from "../stacks/load-environments";
import { selectEnvironments, stacksOf } from "./lib/rollout";

const USAGE = "usage: npm run plan -- --env NAME [--out DIR] [--output cdktf.out]\n";
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };

function run(command: string, args: string[], options: { cwd?: string; stdout?: number } = {}): number {
  process.stdout.write(`==> ${options.cwd ? `(in ${path.relative(process.cwd(), options.cwd)}) ` : ""}${command} ${args.join(" ")}\n`);
  const r = spawnSync(command, args, { cwd: options.cwd, env, stdio: ["inherit", options.stdout ?? "inherit", "inherit"] });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function main(): number {
  const { values } = parseArgs({
    options: { env: { type: "string" }, out: { type: "string" }, output: { type: "string", default: "cdktf.out" }, help: { type: "boolean", default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.env) throw new UsageError("--env is required");
  const [environment] = selectEnvironments(parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS)), { envs: [values.env] });
  const cdktf = process.env.CDKTF_BIN || "cdktf";
  const terraform = process.env.TERRAFORM_BIN || "terraform";
  const stacks = stacksOf(environment);

  const synthDir = path.resolve(values.output);
  if (run(cdktf, ["synth", "--output", synthDir]) !== 0) {
    process.stderr.write("plan: synth failed\n");
    return 1;
  }
  const failed: string[] = [];
  const planned: string[] = [];
  for (const stack of stacks) {
    if (!values.out) {
      if (run(cdktf, ["diff", stack, "--skip-synth", "--output", synthDir]) !== 0) failed.push(stack);
      continue;
    }
    const out = path.resolve(values.out);
    fs.mkdirSync(out, { recursive: true });
    const cwd = path.join(synthDir, "stacks", stack);
    if (!fs.existsSync(cwd)) throw new UsageError(`${cwd} does not exist: synth did not write stack ${stack}`);
    const planFile = path.join(out, `${stack}.tfplan`);
    const ok =
      run(terraform, ["init", "-input=false"], { cwd }) === 0 &&
      run(terraform, ["plan", "-input=false", "-lock-timeout=120s", `-out=${planFile}`], { cwd }) === 0;
    if (!ok) {
      failed.push(stack);
      continue;
    }
    const json = fs.openSync(path.join(out, `${stack}.json`), "w");
    const shown = run(terraform, ["show", "-json", planFile], { cwd, stdout: json });
    fs.closeSync(json);
    if (shown !== 0) failed.push(stack);
    else planned.push(path.join(out, `${stack}.json`));
  }

  let code = failed.length > 0 ? 1 : 0;
  if (planned.length > 0) {
    const summary = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "plan-summary.ts"), ...planned, "--synth-dir", synthDir, "--markdown", path.join(path.resolve(values.out!), "summary.md")], { stdio: "inherit", env });
    if (summary.status !== 0) code = summary.status ?? 1;
  }
  if (failed.length > 0) process.stderr.write(`plan: failed for ${failed.join(", ")}\n`);
  return code;
}

class UsageError extends Error {}

try {
  process.exitCode = main();
} catch (e) {
  const msg = (e as Error).message ?? "";
  if (e instanceof ConfigError || e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") || msg.startsWith("unknown environment")) {
    process.stderr.write(`${msg}\n${e instanceof ConfigError ? "" : USAGE}`);
    process.exitCode = 2;
  } else throw e;
}
