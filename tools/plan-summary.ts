/**
 * Summary of real Terraform plans (`terraform show -json <planfile> > <stack>.json`), with the
 * same report and protection rule as tools/review.ts. Library: tools/lib/plan.ts. Options: see --help.
 */
import { checkWritable, emitReport, runTool } from "./lib/cli";
import { runPlanSummary } from "./lib/plan";

runTool(
  {
    name: "plan-summary",
    command: "npm run -s plan-summary --",
    summary: "Summarizes Terraform plans as a Markdown report and refuses to lose protected resources.",
    positionals: {
      value: "<plan.json>",
      description: "`terraform show -json` output; the stack is the file name (prod-aws.json, prod-aws.plan.json)\nor, for plan.json, its directory (cdktf.out/stacks/prod-aws/)",
    },
    options: {
      "allow-destroy": {
        type: "string",
        value: "ADDRESS",
        multiple: true,
        default: [],
        description: "accept replacing/destroying a protected resource: <stack>/<type>.<name> or <type>.<name>",
      },
      markdown: { type: "string", value: "FILE", description: "write the Markdown report there (default: stdout)" },
      "synth-dir": {
        type: "string",
        value: "DIR",
        default: "cdktf.out",
        description: "cdktf output the plans were made from, for protection;\na stack without <dir>/stacks/<stack>/cdk.tf.json is treated as protected",
      },
      protected: { type: "string", value: "STACK", multiple: true, default: [], description: "treat this stack as protected" },
    },
    notes: "Exit 0 nothing protected is lost, 1 a protected resource would be replaced or destroyed, 2 usage or input error.",
  },
  ({ values, positionals }) => {
    checkWritable("markdown", values.markdown);
    const report = runPlanSummary({
      files: positionals,
      allowDestroy: values["allow-destroy"] ?? [],
      protectedStacks: values.protected ?? [],
      ...(values["synth-dir"] !== undefined ? { synthDir: values["synth-dir"] } : {}),
    });
    return emitReport(report, values.markdown);
  },
);
