/**
 * Security policy over the synthesized Terraform JSON (checkov-compatible ids, no Python needed).
 *
 *   tsx tools/policy.ts                    # every cdktf.out/stacks/<stack>/cdk.tf.json
 *   tsx tools/policy.ts --dir other.out    # another cdktf outdir
 *   tsx tools/policy.ts a/cdk.tf.json ...  # explicit files
 *   tsx tools/policy.ts --verbose          # also print PASS lines
 *   tsx tools/policy.ts --table            # print the check table (Markdown) and exit
 *
 * Exit 0 when nothing fails, 1 on any failure (a check failure, an invalid or a stale waiver),
 * 2 on a usage or input error (no stacks found, unreadable JSON).
 * Waivers live in each stack's "//".policyWaivers; see tools/lib/policy/waivers.ts.
 */
import { formatReport, loadStackFile, renderCheckTable, runPolicy, stackFilesIn, summarize } from "./lib/policy";

const USAGE = "usage: policy [--dir <cdktf.out>] [--verbose] [--table] [cdk.tf.json ...]";

function main(argv: string[]): number {
  let dir = "cdktf.out";
  let verbose = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir") {
      const v = argv[++i];
      if (!v) return usage("--dir needs a value");
      dir = v;
    } else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--table") {
      process.stdout.write(renderCheckTable());
      return 0;
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(USAGE + "\n");
      return 0;
    } else if (a.startsWith("-")) return usage(`unknown option ${a}`);
    else files.push(a);
  }

  const paths = files.length > 0 ? files : stackFilesIn(dir);
  if (paths.length === 0) {
    process.stderr.write(`policy: no stacks found under ${dir}/stacks (run cdktf synth first)\n`);
    return 2;
  }
  let stacks;
  try {
    stacks = paths.map(loadStackFile);
  } catch (e) {
    process.stderr.write(`policy: ${(e as Error).message}\n`);
    return 2;
  }
  const findings = runPolicy(stacks);
  process.stdout.write(formatReport(findings, verbose));
  return summarize(findings).ok ? 0 : 1;
}

function usage(msg: string): number {
  process.stderr.write(`policy: ${msg}\n${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
