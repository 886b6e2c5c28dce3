/**
 * Security policy over the synthesized Terraform JSON (checkov-compatible ids, no Python needed).
 * Waivers live in each stack's "//".policyWaivers; see tools/lib/policy/waivers.ts. Options: see --help.
 */
import { CliError, runTool } from "./lib/cli";
import { formatReport, loadStackFile, renderCheckTable, runPolicy, stackFilesIn, summarize } from "./lib/policy";

runTool(
  {
    name: "policy",
    command: "npm run -s policy --",
    summary: "Checks the synthesized stacks against the security policy (checkov-compatible check ids) and prints the findings.",
    positionals: { value: "[cdk.tf.json]", description: "stack files to check (default: every <dir>/stacks/<stack>/cdk.tf.json)" },
    options: {
      dir: { type: "string", value: "DIR", default: "cdktf.out", description: "the cdktf output directory to check" },
      verbose: { type: "boolean", short: "v", description: "also print PASS lines" },
      table: { type: "boolean", description: "print the check table (Markdown) and exit" },
    },
    notes: "Exit 0 nothing fails, 1 a check fails or a waiver is invalid or stale, 2 usage or input error (no stacks, unreadable JSON).",
  },
  ({ values, positionals }) => {
    if (values.table) {
      process.stdout.write(renderCheckTable());
      return 0;
    }
    const dir = values.dir ?? "cdktf.out";
    const paths = positionals.length > 0 ? positionals : stackFilesIn(dir);
    if (paths.length === 0) throw new CliError(`no stacks found under ${dir}/stacks (run npm run synth first)`, 2);
    let stacks;
    try {
      stacks = paths.map(loadStackFile);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
    const findings = runPolicy(stacks);
    process.stdout.write(formatReport(findings, values.verbose ?? false));
    return summarize(findings).ok ? 0 : 1;
  },
);
