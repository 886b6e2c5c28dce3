/**
 * Lists the environments as JSON for scripts and CI matrices. Options: see --help.
 */
import * as fs from "node:fs";
import { CliError, integerOption, loadConfig, runTool } from "./lib/cli";
import { selectEnvironments, stacksOf, WORKFLOW_WAVES } from "./lib/rollout";

runTool(
  {
    name: "environments",
    command: "npm run -s environments --",
    summary: "Prints the environments as JSON: [{ name, account, region, wave, protected, stacks, awsRunsOn, kubernetesRunsOn, planRole }],\nwaves ascending.",
    options: {
      wave: { type: "string", value: "N", description: "only the environments of rollout wave N (1, 2, ...)" },
      "github-output": {
        type: "boolean",
        description: "write all=<json> and wave<N>=<json> (one per deploy workflow wave) to $GITHUB_OUTPUT\n(stdout when it is unset), for the deploy workflow's matrices",
      },
    },
    notes: "Reads stacks/environments/ (or the file EKS_ENVIRONMENTS names). Exit 0 ok, 1 invalid configuration, 2 usage error.",
  },
  ({ values }) => {
    const wave = values.wave === undefined ? undefined : integerOption("wave", values.wave, 1);
    const envs = loadConfig();
    const describe = (w?: number) =>
      (w === undefined ? selectEnvironments(envs, {}) : envs.filter((e) => e.rolloutWave === w)).map((e) => ({
        name: e.name,
        account: e.account.id,
        region: e.account.region,
        wave: e.rolloutWave,
        protected: e.protected,
        stacks: stacksOf(e),
        // CI runners (GitHub Actions runs-on labels) and whether pull-request plans can use a read-only role.
        awsRunsOn: e.ci.awsRunsOn,
        kubernetesRunsOn: e.ci.kubernetesRunsOn,
        planRole: e.account.planRoleArn !== undefined,
      }));

    if (values["github-output"]) {
      const beyond = envs.filter((e) => !WORKFLOW_WAVES.includes(e.rolloutWave));
      if (beyond.length > 0) {
        throw new CliError(`environments ${beyond.map((e) => `${e.name} (wave ${e.rolloutWave})`).join(", ")} are in waves the deploy workflow has no job for; add a job to .github/workflows/deploy.yml`, 1);
      }
      const lines = [`all=${JSON.stringify(describe())}`, ...WORKFLOW_WAVES.map((w) => `wave${w}=${JSON.stringify(describe(w))}`)];
      fs.appendFileSync(process.env.GITHUB_OUTPUT ?? "/dev/stdout", `${lines.join("\n")}\n`);
      return 0;
    }
    // A wave with no environment lists [] (scripts loop over waves); a wave that is no number is a usage error.
    process.stdout.write(`${JSON.stringify(describe(wave), null, 2)}\n`);
    return 0;
  },
);
