/**
 * Plans one environment, stack by stack, in deploy order. Options: see --help.
 *
 * With --out, each stack is planned by Terraform directly in <output>/stacks/<stack> and saved as
 * <stack>.tfplan and <stack>.json (`terraform show -json`), then summarized as plan-summary does
 * (tools/lib/plan.ts, in this process) with the same protection rule as the review. A Kubernetes stack plans only once its AWS stack exists.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError, emitReport, EXIT_ERROR, loadConfig, progress, runTool, UsageError } from "./lib/cli";
import { runPlanSummary } from "./lib/plan";
import { ACKNOWLEDGEMENT_OPTIONS, acknowledgementsFrom } from "./lib/review";
import { ToolError } from "./lib/synth";
import { requireDeployTools } from "./lib/prerequisites";
import { planRoleArgs } from "./lib/plan-role";
import { selectEnvironments, stackGroupOption, stacksOf } from "./lib/rollout";

let env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };


function run(command: string, args: string[], options: { cwd?: string; stdout?: number } = {}): number {
  progress("plan", `${options.cwd ? `(in ${path.relative(process.cwd(), options.cwd)}) ` : ""}${command} ${args.join(" ")}`);
  const r = spawnSync(command, args, { cwd: options.cwd, env, stdio: ["inherit", options.stdout ?? "inherit", "inherit"] });
  if (r.error) throw new CliError(`${command} ${args[0]}: ${r.error.message}`, 1);
  return r.status ?? 1;
}

runTool(
  {
    name: "plan",
    command: "npm run plan --",
    summary: `Synthesizes, then plans each stack of one environment in deploy order: \`cdktf diff\` per stack, or with --out
Terraform plan files, their JSON and the plan summary (summary.md: the review's protection rule and EKS rules,
judged on the real state the plans start from).
Before synth it checks Terraform ≥ 1.10, the AWS CLI and AWS credentials (locally: whether the state bucket
is reachable with them only Terraform's init can tell).`,
    options: {
      env: { type: "string", value: "NAME", description: "the environment to plan (required)" },
      out: { type: "string", value: "DIR", description: "write <stack>.tfplan, <stack>.json and summary.md there (terraform plan, not cdktf diff)" },
      output: { type: "string", value: "DIR", default: "cdktf.out", description: "where synth writes the stacks" },
      stacks: { type: "string", value: "GROUP", default: "all", description: "all, aws (AWS APIs only) or kubernetes (controllers and k8s stacks: need the API server)" },
      role: {
        type: "string",
        value: "ROLE",
        default: "deploy",
        description: "deploy, or plan: the environment's read-only account.planRoleArn (pull requests), state read without locking",
      },
      // The summary's, as plan-summary takes them (a pull request's plans: .review/acknowledgements).
      ...ACKNOWLEDGEMENT_OPTIONS,
    },
    notes: `Environment: CDKTF_BIN (default: cdktf from PATH; npm run puts node_modules/.bin first), TERRAFORM_BIN
(default: terraform from PATH), EKS_ENVIRONMENTS (another environments file).
Exit 0 planned (summary: nothing protected lost), 1 a prerequisite is missing, the configuration is invalid, a
plan failed or the summary blocks, 2 usage error.`,
  },
  ({ values }) => {
    if (!values.env) throw new UsageError("--env is required (npm run -s environments lists them)");
    if (!values.out && (values["allow-destroy"]?.length || values.acknowledge?.length || values.acknowledgements !== undefined)) {
      throw new UsageError("--allow-destroy, --acknowledge and --acknowledgements apply to the plan summary, which only --out writes (add --out DIR)");
    }
    const accepted = acknowledgementsFrom(values);
    const [environment] = selectEnvironments(loadConfig(), { envs: [values.env] });
    const group = stackGroupOption(values.stacks);
    const role = values.role ?? "deploy";
    if (role !== "deploy" && role !== "plan") throw new UsageError(`--role must be deploy or plan (got ${JSON.stringify(role)})`);
    if (role === "plan") {
      const planRole = environment!.account.planRoleArn;
      if (!planRole) throw new CliError(`${environment!.name}: account.planRoleArn: is not set, so there is no read-only role to plan with (add one; see docs/guides/ci-and-api-access.md)`, 1);
      env = { ...env, ...planRoleArgs(planRole) };
    }
    const cdktf = process.env.CDKTF_BIN || "cdktf";
    const terraform = process.env.TERRAFORM_BIN || "terraform";

    requireDeployTools("plan", cdktf, terraform);

    const synthDir = path.resolve(values.output ?? "cdktf.out");
    if (run(cdktf, ["synth", "--output", synthDir]) !== 0) throw new CliError("synth failed; nothing was planned", 1);
    const failed: string[] = [];
    const planned: string[] = [];
    for (const stack of stacksOf(environment!, group)) {
      if (!values.out) {
        if (run(cdktf, ["diff", stack, "--skip-synth", "--output", synthDir]) !== 0) failed.push(stack);
        continue;
      }
      const out = path.resolve(values.out);
      fs.mkdirSync(out, { recursive: true });
      const cwd = path.join(synthDir, "stacks", stack);
      if (!fs.existsSync(cwd)) throw new CliError(`${cwd} does not exist: synth did not write stack ${stack}`, 1);
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
      // What `npm run plan-summary -- <plans> --synth-dir <dir> --markdown <out>/summary.md` does, in
      // this process (no second Node start; issue 15). Its input errors are plan-summary's, exit 2.
      try {
        const report = runPlanSummary({ files: planned, ...accepted, protectedStacks: [], synthDir });
        code = Math.max(code, emitReport(report, path.join(path.resolve(values.out!), "summary.md")));
      } catch (e) {
        if (!(e instanceof ToolError || e instanceof CliError)) throw e;
        process.stderr.write(`plan-summary: ${e.message}\n`);
        code = EXIT_ERROR;
      }
    }
    if (failed.length > 0) process.stderr.write(`plan: failed for ${failed.join(", ")}\n`);
    return code;
  },
);
