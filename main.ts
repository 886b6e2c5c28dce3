import { App } from "cdktf";
import { buildStacks } from "./stacks/app";
import { ConfigError } from "./stacks/config-errors";
import { parseEnvironments } from "./stacks/environment-schema";
import { environments } from "./stacks/environments";

// Validate every environment before building anything: invalid input never produces Terraform.
let envs;
try {
  envs = parseEnvironments(environments);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\nNo Terraform was written.\n`);
  process.exit(1);
}

const app = new App();
buildStacks(app, envs);
app.synth();
