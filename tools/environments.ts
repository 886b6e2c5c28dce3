/**
 * Lists the environments as JSON for scripts and CI matrices.
 *
 *   npm run -s environments                   # [{ name, account, region, wave, protected, stacks }]
 *   npm run -s environments -- --wave 2       # only wave 2
 *   npm run -s environments -- --github-output  # writes all=<json> and wave<N>=<json> to $GITHUB_OUTPUT
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { parseEnvironments } from "../stacks/environment-schema";
import { loadEnvironments } from "../stacks/load-environments";
import { selectEnvironments, stacksOf, WORKFLOW_WAVES } from "./lib/rollout";

const { values } = parseArgs({ options: { wave: { type: "string" }, "github-output": { type: "boolean", default: false } } });
const envs = parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS));
const describe = (wave?: number) =>
  (wave === undefined ? selectEnvironments(envs, {}) : envs.filter((e) => e.rolloutWave === wave)).map((e) => ({
    name: e.name,
    account: e.account.id,
    region: e.account.region,
    wave: e.rolloutWave,
    protected: e.protected,
    stacks: stacksOf(e),
  }));

if (values["github-output"]) {
  const beyond = envs.filter((e) => !WORKFLOW_WAVES.includes(e.rolloutWave));
  if (beyond.length > 0) {
    process.stderr.write(`environments ${beyond.map((e) => `${e.name} (wave ${e.rolloutWave})`).join(", ")} are in waves the deploy workflow has no job for; add a job to .github/workflows/deploy.yml\n`);
    process.exit(1);
  }
  const lines = [`all=${JSON.stringify(describe())}`, ...WORKFLOW_WAVES.map((w) => `wave${w}=${JSON.stringify(describe(w))}`)];
  fs.appendFileSync(process.env.GITHUB_OUTPUT ?? "/dev/stdout", `${lines.join("\n")}\n`);
} else {
  process.stdout.write(`${JSON.stringify(describe(values.wave === undefined ? undefined : Number(values.wave)), null, 2)}\n`);
}
