/**
 * Rolls environments out wave by wave: `cdktf synth` once, then `cdktf deploy` per stack in order
 * (AWS stack, controllers stack where there is one, Kubernetes stack), waves ascending,
 * environments of a wave by name. Stops at the first failure. Options: see --help.
 */
import { CliError, integerOption, loadConfig, progress, runTool, UsageError } from "./lib/cli";
import { requireDeployTools } from "./lib/prerequisites";
import * as fs from "node:fs";
import * as path from "node:path";
import { rolloutSteps, runSteps, selectEnvironments, spawnRunner, stackGroupOption, upgradeSteps } from "./lib/rollout";

runTool(
  {
    name: "rollout",
    command: "npm run rollout --",
    summary: `Synthesizes once, then runs \`cdktf deploy\` per stack: waves ascending, environments of a wave by name,
each environment's AWS stack, then its controllers stack (node-group environments), then its Kubernetes stack.
Stops at the first failure. Before synth it checks Terraform ≥ 1.10, the AWS CLI and AWS credentials.`,
    options: {
      wave: { type: "string", value: "N", description: "only the environments of rollout wave N (1, 2, ...)" },
      env: { type: "string", value: "NAME", multiple: true, description: "only this environment" },
      "dry-run": { type: "boolean", description: "print the commands in order and run nothing (no prerequisites needed)" },
      "auto-approve": { type: "boolean", description: "pass --auto-approve to cdktf deploy (CI; protected environments are gated by the workflow)" },
      upgrade: {
        type: "boolean",
        description: "a Kubernetes version upgrade of one environment (--env): the control plane alone, then the add-ons that\ndo not need nodes (targeted terraform applies), then the rollout; stops at the first failure",
      },
      output: { type: "string", value: "DIR", description: "where synth writes the stacks (default: cdktf synth's, cdktf.out)" },
      stacks: {
        type: "string",
        value: "GROUP",
        default: "all",
        description: "all, aws (the AWS stack: AWS APIs only) or kubernetes (controllers and k8s stacks: need the API server;\nCI runs them on the environment's ci.kubernetesRunsOn runner)",
      },
    },
    notes: `Environment: CDKTF_BIN (default: cdktf from PATH; npm run puts node_modules/.bin first), TERRAFORM_BIN
(default: terraform from PATH), EKS_ENVIRONMENTS (another environments file).
Exit 0 all deployed, 1 a prerequisite is missing, the configuration is invalid or a step failed, 2 usage error.`,
  },
  ({ values }) => {
    const wave = values.wave === undefined ? undefined : integerOption("wave", values.wave, 1);
    const stacks = stackGroupOption(values.stacks);
    if (values.upgrade && (values.env?.length !== 1 || wave !== undefined || stacks === "kubernetes")) {
      throw new UsageError("--upgrade takes exactly one --env (and no --wave, no --stacks kubernetes): an upgrade is one environment's change");
    }
    const output = values.output ? ["--output", values.output] : [];
    const steps = rolloutSteps(selectEnvironments(loadConfig(), { wave, envs: values.env }), { autoApprove: values["auto-approve"] ?? false, stacks }).map((s) => ({ ...s, args: [...s.args, ...output] }));
    const cdktf = process.env.CDKTF_BIN || "cdktf";

    if (values["dry-run"]) {
      process.stdout.write(`rollout plan (dry run, nothing runs):\n${cdktf} synth\n`);
      for (const s of steps) process.stdout.write(`${cdktf} ${s.args.join(" ")}    # wave ${s.wave}, ${s.env}\n`);
      return 0;
    }

    requireDeployTools("rollout", cdktf, process.env.TERRAFORM_BIN || "terraform");

    progress("rollout", `${cdktf} synth ${output.join(" ")}`.trimEnd());
    if (spawnRunner(cdktf, ["synth", ...output]).status !== 0) throw new CliError("FAILED at synth; nothing was deployed", 1);
    if (values.upgrade) {
      const env = values.env![0]!;
      const dir = path.join(values.output ?? "cdktf.out", "stacks", `${env}-aws`);
      const file = path.join(dir, "cdk.tf.json");
      if (!fs.existsSync(file)) throw new CliError(`--upgrade: synth wrote no ${file}`, 1);
      for (const step of upgradeSteps(JSON.parse(fs.readFileSync(file, "utf8")), dir, process.env.TERRAFORM_BIN || "terraform", values["auto-approve"] ?? false)) {
        progress("rollout", `upgrade ${env}: ${step.label}: ${step.command} ${step.args.join(" ")}`);
        if (spawnRunner(step.command, step.args).status !== 0) throw new CliError(`FAILED at the upgrade step "${step.label}" of ${env}; nothing after it was run`, 1);
      }
    }
    const outcome = runSteps(cdktf, steps, spawnRunner, (line) => progress("rollout", line.replace(/^==> /, "")));
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log("rollout summary:");
    for (const r of outcome.ran) log(`  ${r.status === 0 ? "ok    " : "FAILED"} ${r.step.stack} (${r.seconds.toFixed(1)} s)`);
    for (const s of outcome.notRun) log(`  skipped ${s.stack}`);
    if (outcome.failed) {
      throw new CliError(`FAILED at ${outcome.failed.stack} (environment ${outcome.failed.env}, wave ${outcome.failed.wave}); ${outcome.notRun.length} stack(s) not run`, 1);
    }
    return 0;
  },
);
