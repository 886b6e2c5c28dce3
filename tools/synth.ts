/**
 * `npm run synth`: runs the cdktf app (cdktf.json "app", tools/synth.cjs) directly, as `cdktf synth`
 * does, and says what it wrote and what comes next. Options: see --help.
 *
 * Why not the cdktf CLI: it echoes everything the app writes to stderr twice, once live as
 * "[ERROR] default - ..." and again under "Command output on stderr:" when the app fails
 * (@cdktf/commons shell(): stderr chunks go to processLoggerError and into the error; stdout
 * chunks are printed and also quoted in the error), so no way of writing a problem prints it once.
 * It also takes ~5-8 s to the app's ~0.4 s. When cdktf.json's app is this repository's
 * `node tools/synth.cjs`, it runs in this process (one Node start-up, not two; issue 15). The output directory is the same, byte for byte
 * (same app, same CDKTF_OUTDIR; the app removes stale stack directories itself when the CLI does not);
 * `cdktf synth` keeps working for those who type it.
 * @see https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/commons/src/util.ts
 * @see https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/cli-core/src/lib/synth-stack.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { CliError, runTool } from "./lib/cli";
import { appCommand } from "./lib/synth";

const ROOT = resolve(__dirname, "..");
/** cdktf.json's app as this repository ships it: run in this process rather than spawned. */
const IN_PROCESS_APP = "node tools/synth.cjs";

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}

runTool(
  {
    name: "synth",
    command: "npm run synth --",
    summary: `Validates every environment and writes one Terraform JSON stack per environment and kind
(<env>-aws, <env>-controllers for node-group environments, <env>-k8s) with cdktf's manifest.json.
Configuration problems are printed one per line (<env>: <field.path>: <problem>) and nothing is written.
Same output as \`npx cdktf synth\`, in a fraction of the time.`,
    options: {
      output: { type: "string", value: "DIR", default: "cdktf.out", description: "output directory (manifest.json and stacks/<stack>/cdk.tf.json)" },
    },
    notes: `Environment: EKS_ENVIRONMENTS (another environments file, .ts/.js/.json).
Exit 0 written, 1 invalid configuration (nothing written), 2 usage error.`,
  },
  async ({ values }) => {
    const outdir = resolve(values.output ?? "cdktf.out");
    const command = appCommand(ROOT);
    // The app prints configuration problems itself (once) and exits 1; stdio passes straight through.
    if (command.trim() === IN_PROCESS_APP && process.cwd() === ROOT) {
      process.env.CDKTF_OUTDIR = outdir;
      const status = await (require("./synth.cjs") as { synthesize: () => Promise<number> }).synthesize();
      if (status !== 0) return status;
    } else {
      const r = spawnSync(command, { cwd: ROOT, shell: true, stdio: "inherit", env: { ...process.env, CDKTF_OUTDIR: outdir } });
      if (r.error) throw new CliError(`\`${command}\` could not start: ${r.error.message}`, 1);
      if (r.status !== 0) return r.status ?? 1;
    }

    const manifestFile = join(outdir, "manifest.json");
    if (!existsSync(manifestFile)) throw new CliError(`\`${command}\` wrote no ${manifestFile}`, 1);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    // Paths as the user would type them: relative inside the current directory, absolute outside.
    const shown = (p: string) => {
      const rel = relative(process.cwd(), p);
      return rel === "" ? "." : rel.startsWith("..") ? p : rel;
    };
    const stacks = Object.entries(manifest.stacks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const envs = [...new Set(stacks.map(([, s]) => readEnvironmentName(join(outdir, s.synthesizedStackPath))))].filter((e): e is string => e !== undefined);
    const width = Math.max(...stacks.map(([name]) => name.length));
    const custom = values.output !== undefined && resolve(values.output) !== resolve("cdktf.out");
    const next: Array<[string, string]> = [
      ["npm run -s review", "what this change does to each stack, compared with main"],
      [`npm run -s policy${custom ? ` -- --dir ${shown(outdir)}` : ""}`, "security checks over the stacks"],
      [`npm run plan -- --env ${envs[0] ?? "NAME"}`, "plan against AWS (needs Terraform ≥ 1.10, the AWS CLI and credentials)"],
    ];
    const nextWidth = Math.max(...next.map(([c]) => c.length));
    const lines = [
      `Wrote ${stacks.length} stack${stacks.length === 1 ? "" : "s"} for ${envs.length} environment${envs.length === 1 ? "" : "s"} (${envs.join(", ")}) to ${shown(outdir)}:`,
      ...stacks.map(([name, s]) => `  ${name.padEnd(width)}  ${shown(join(outdir, s.synthesizedStackPath))}`),
      "",
      "Next:",
      ...next.map(([c, what]) => `  ${c.padEnd(nextWidth)}  ${what}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
);

/** The environment a stack belongs to, from the metadata the app writes into its "//" block. */
function readEnvironmentName(file: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as { "//"?: { environment?: { name?: string } } };
    return json["//"]?.environment?.name;
  } catch {
    return undefined;
  }
}
