/**
 * Summary of real Terraform plans (`terraform show -json <planfile> > <stack>.json`), with the
 * same report and protection rule as tools/review.ts. Library: tools/lib/plan.ts.
 * Exit codes: 0 ok, 1 blocked, 2 error.
 */
import { parseArgs } from "node:util";
import { emitReport, EXIT_OK, runCli } from "./lib/cli";
import { runPlanSummary } from "./lib/plan";

const USAGE = `usage: npx tsx tools/plan-summary.ts <plan.json>... [--allow-destroy <address>]... [--markdown <file>]
                                      [--synth-dir <dir>] [--protected <stack>]...

  <plan.json>                \`terraform show -json\` output; the stack is the file name (prod-aws.json,
                             prod-aws.plan.json) or, for plan.json, its directory (cdktf.out/stacks/prod-aws/)
  --allow-destroy <address>  accept replacing/destroying a protected resource: <stack>/<type>.<name>
                             or <type>.<name>; repeatable
  --markdown <file>          write the Markdown report there (default: stdout)
  --synth-dir <dir>          cdktf output the plans were made from, for protection (default: cdktf.out);
                             a stack without <dir>/stacks/<stack>/cdk.tf.json is treated as protected
  --protected <stack>        treat this stack as protected; repeatable
`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    options: {
      "allow-destroy": { type: "string", multiple: true, default: [] },
      markdown: { type: "string" },
      "synth-dir": { type: "string" },
      protected: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  const report = runPlanSummary({
    files: positionals,
    allowDestroy: values["allow-destroy"],
    protectedStacks: values.protected,
    ...(values["synth-dir"] !== undefined ? { synthDir: values["synth-dir"] } : {}),
  });
  return emitReport(report, values.markdown);
});
