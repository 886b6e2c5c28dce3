/**
 * Terraform itself reads every synthesized stack: `terraform plan -refresh=false` (which runs
 * `terraform validate`'s checks first) against schema-only providers rebuilt from our pinned cdktf
 * provider packages. Offline: no provider download, no AWS, no cluster. Options: see --help;
 * what it proves and what it does not: docs/terraform-check.md.
 */
import { resolve } from "node:path";
import { CliError, EXIT_USAGE, integerOption, progress, runTool } from "./lib/cli";
import { CheckError, terraformCheck } from "./lib/terraform-check/run";

const NAME = "terraform-check";

runTool(
  {
    name: NAME,
    command: "npm run terraform-check --",
    summary: `Runs terraform plan -refresh=false (validation included) on every stack of a synth output
(manifest order, dependencies first) against schema-only providers: S3 backends become local
state, terraform_remote_state reads the planned outputs of the stack it names. Terraform's
diagnostics go to stdout, each line prefixed with its stack; progress to stderr.`,
    options: {
      out: { type: "string", value: "DIR", default: "cdktf.out", description: "synth output directory (with manifest.json)" },
      parallel: { type: "string", value: "N", default: "2", description: "stacks checked at once" },
      keep: { type: "boolean", description: "keep the temporary work directory and print its path" },
      "managed-providers": {
        type: "boolean",
        description: "let Terraform start the schema-only providers itself for every run (dev_overrides,\ngo-plugin handshake, mutual TLS) instead of sharing one reattached process per provider:\nthe same checks at about twice the CPU",
      },
    },
    notes: `Exit 0 every stack validates and plans, 1 Terraform reported an error, 2 usage error or missing
prerequisite (no synth output, Terraform missing or older than 1.10). TERRAFORM_BIN overrides
the terraform found on PATH.`,
  },
  async ({ values }) => {
    const parallel = integerOption("parallel", values.parallel ?? "2", 1);
    try {
      const { results, seconds, workdir } = await terraformCheck({
        outdir: resolve(values.out ?? "cdktf.out"),
        root: resolve(__dirname, ".."),
        terraform: process.env.TERRAFORM_BIN || "terraform",
        parallel,
        keep: values.keep ?? false,
        managedProviders: values["managed-providers"] ?? false,
        progress: (m) => progress(NAME, m),
      });
      for (const r of results) for (const line of r.lines) process.stdout.write(`${r.name}: ${line}\n`);
      const failed = results.filter((r) => r.status !== "ok");
      const timing = results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ");
      progress(NAME, `${results.length - failed.length}/${results.length} stacks ok in ${seconds.toFixed(1)} s (${timing})`);
      if (workdir) progress(NAME, `work directory kept: ${workdir}`);
      if (failed.length > 0) progress(NAME, `FAILED: ${failed.map((r) => `${r.name} (${r.status})`).join(", ")}`);
      return failed.length > 0 ? 1 : 0;
    } catch (e) {
      if (e instanceof CheckError) throw new CliError(e.message, EXIT_USAGE);
      throw e;
    }
  },
);
