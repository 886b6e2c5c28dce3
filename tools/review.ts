/**
 * Review of the synthesized change before it is merged: synthesizes the base ref and the
 * working tree, compares every stack resource by resource, predicts replacements, suggests
 * `moved` blocks for renamed construct ids and refuses to lose protected resources.
 * Library: tools/lib/review.ts. Options: see --help.
 */
import { resolve } from "node:path";
import { checkWritable, emitReport, progress, runTool } from "./lib/cli";
import { runReview } from "./lib/review";
import { DEFAULT_SYNTH_COMMAND } from "./lib/synth";

runTool(
  {
    name: "review",
    command: "npm run -s review --",
    summary: `Synthesizes the base ref and the working tree (or --head), compares every stack resource by resource,
predicts replacements, suggests \`moved\` blocks for renamed construct ids and refuses to lose protected resources.`,
    options: {
      base: {
        type: "string",
        value: "REF",
        description: "compare against this ref (default: merge-base of HEAD and main; on main:\nHEAD if the working tree has changes, else HEAD~1)",
      },
      head: { type: "string", value: "REF", description: "compare this ref instead of the working tree" },
      "allow-destroy": {
        type: "string",
        value: "ADDRESS",
        multiple: true,
        default: [],
        description: "accept replacing/destroying a protected resource: <stack>/<type>.<name>\n(that stack) or <type>.<name> (any stack)",
      },
      markdown: { type: "string", value: "FILE", description: "write the Markdown report there (default: stdout)" },
      repo: { type: "string", value: "DIR", default: ".", description: "the git repository" },
      "synth-command": {
        type: "string",
        value: "CMD",
        description: `synth command run in each checkout with CDKTF_OUTDIR set\n(default: that checkout's cdktf.json "app", else ${DEFAULT_SYNTH_COMMAND})`,
      },
    },
    notes: "Exit 0 nothing protected is lost, 1 a protected resource would be replaced or destroyed, 2 usage or runtime error.",
  },
  ({ values }) => {
    checkWritable("markdown", values.markdown);
    const report = runReview({
      repo: resolve(values.repo ?? "."),
      ...(values.base !== undefined ? { base: values.base } : {}),
      ...(values.head !== undefined ? { head: values.head } : {}),
      allowDestroy: values["allow-destroy"] ?? [],
      ...(values["synth-command"] !== undefined ? { synthCommand: values["synth-command"] } : {}),
      onProgress: (line) => progress("review", line),
    });
    return emitReport(report, values.markdown);
  },
);
