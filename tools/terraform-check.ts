/**
 * Terraform itself reads every synthesized stack: `terraform validate` and
 * `terraform plan -refresh=false` against schema-only providers built from our pinned cdktf
 * provider packages. Offline: no provider download, no AWS, no cluster. See
 * docs/terraform-check.md.
 *
 *   npm run terraform-check                      # cdktf.out
 *   npm run terraform-check -- --out DIR         # another synth output directory
 *
 * Terraform's diagnostics go to stdout, each line prefixed with its stack; progress to stderr.
 * Exit 0: every stack validates and plans; 1: Terraform reported an error; 2: usage error
 * (bad arguments, no synth output, Terraform missing or older than 1.10).
 * TERRAFORM_BIN overrides the `terraform` found on PATH.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CheckError, terraformCheck } from "./lib/terraform-check/run";

const USAGE = `usage: npm run terraform-check -- [--out <cdktf.out>] [--parallel N] [--keep]

  --out DIR      synth output directory with manifest.json (default: cdktf.out)
  --parallel N   stacks checked at once, dependencies first (default: 2)
  --keep         keep the temporary work directory and report its path
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: "string", default: "cdktf.out" },
        parallel: { type: "string", default: "2" },
        keep: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`terraform-check: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parallel = Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1) {
    process.stderr.write(`terraform-check: --parallel must be a positive integer, got ${values.parallel}\n\n${USAGE}`);
    return 2;
  }
  try {
    const { results, seconds, workdir } = await terraformCheck({
      outdir: resolve(values.out),
      root: resolve(__dirname, ".."),
      terraform: process.env.TERRAFORM_BIN || "terraform",
      parallel,
      keep: values.keep,
      progress: (m) => process.stderr.write(`${m}\n`),
    });
    for (const r of results) for (const line of r.lines) process.stdout.write(`${r.name}: ${line}\n`);
    const failed = results.filter((r) => r.status !== "ok");
    const timing = results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ");
    process.stderr.write(`terraform-check: ${results.length - failed.length}/${results.length} stacks ok in ${seconds.toFixed(1)} s (${timing})\n`);
    if (workdir) process.stderr.write(`terraform-check: work directory kept: ${workdir}\n`);
    if (failed.length > 0) process.stderr.write(`terraform-check: FAILED: ${failed.map((r) => `${r.name} (${r.status})`).join(", ")}\n`);
    return failed.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof CheckError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

main().then((code) => {
  process.exitCode = code;
});
