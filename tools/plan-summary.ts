/**
 * Summary of real Terraform plans (`terraform show -json <planfile> > <stack>.json`), with the
 * same report, protection rule and EKS rules as tools/review.ts, judged on the real state.
 * Library: tools/lib/plan.ts. Options: see --help.
 */
import { checkWritable, emitReport, runTool } from "./lib/cli";
import { runPlanSummary } from "./lib/plan";
import { ACKNOWLEDGEMENT_OPTIONS, acknowledgementsFrom } from "./lib/review";

runTool(
  {
    name: "plan-summary",
    command: "npm run -s plan-summary --",
    summary: `Summarizes Terraform plans as a Markdown report, refuses to lose protected resources and checks the
review's EKS change rules against the real state the plans start from (version skew, EBS, compute mode, capacity).`,
    positionals: {
      value: "<plan.json>",
      description: "`terraform show -json` output; the stack is the file name (prod-aws.json, prod-aws.plan.json)\nor, for plan.json, its directory (cdktf.out/stacks/prod-aws/)",
    },
    options: {
      ...ACKNOWLEDGEMENT_OPTIONS,
      markdown: { type: "string", value: "FILE", description: "write the Markdown report there (default: stdout)" },
      "synth-dir": {
        type: "string",
        value: "DIR",
        default: "cdktf.out",
        description: "cdktf output the plans were made from, for protection;\na stack without <dir>/stacks/<stack>/cdk.tf.json is treated as protected",
      },
      protected: { type: "string", value: "STACK", multiple: true, default: [], description: "treat this stack as protected" },
    },
    notes: `Give the plans of one environment together (its -aws, -controllers and -k8s stacks): capacity rules count the
workloads of its k8s plan, and assume some when it is missing. Finding types and their sources: docs/reading-a-review.md.
Exit 0 nothing blocks, 1 a protected resource would be replaced or destroyed or a blocking finding is not
acknowledged, 2 usage or input error.`,
  },
  ({ values, positionals }) => {
    checkWritable("markdown", values.markdown);
    const report = runPlanSummary({
      files: positionals,
      ...acknowledgementsFrom(values),
      protectedStacks: values.protected ?? [],
      ...(values["synth-dir"] !== undefined ? { synthDir: values["synth-dir"] } : {}),
    });
    return emitReport(report, values.markdown);
  },
);
