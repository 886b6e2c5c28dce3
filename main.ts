import { writeFileSync } from "node:fs";
import { App } from "cdktf";
import { buildStacks } from "./stacks/app";
import { ConfigError } from "./stacks/config-errors";
import { parseEnvironments } from "./stacks/environment-validation";
import { loadEnvironments, removeStaleOutput, removeStaleStacks } from "./stacks/load-environments";

// Validate every environment before building anything: invalid input never produces Terraform.
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
let envs;
try {
  envs = parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  removeStaleOutput(outdir);
  process.stderr.write(`${e.message}\nNo Terraform was written.\n`);
  process.exit(1);
}

// The review prices base and head from the environments their synth validated (issue 15: no
// second process to load them again); nothing is written unless it asks.
if (process.env.EKS_SYNTH_ENVIRONMENTS_OUT) writeFileSync(process.env.EKS_SYNTH_ENVIRONMENTS_OUT, JSON.stringify(envs));

// Stack traces in construct metadata cost a third of synth time and nobody reads them here.
const app = new App({ outdir, stackTraces: false });
const built = buildStacks(app, envs);
app.synth();
// `cdktf synth` removes stale stack directories itself, and fails if one vanishes under it
// (it sets CDKTF_CONTEXT_JSON); a direct run of the app does it here.
if (!process.env.CDKTF_CONTEXT_JSON) {
  removeStaleStacks(outdir, built.flatMap((e) => [e.aws, e.controllers, e.k8s]).flatMap((s) => (s ? [s.node.id] : [])));
}
