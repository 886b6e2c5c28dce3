/**
 * Review of the synthesized change before it is merged: synthesizes the base ref and the
 * working tree, compares every stack resource by resource, predicts replacements, suggests
 * `moved` blocks for renamed construct ids and refuses to lose protected resources.
 * Library: tools/lib/review.ts. Options: see --help.
 */
import { join, resolve } from "node:path";
import { checkWritable, emitReport, progress, runTool } from "./lib/cli";
import { ACKNOWLEDGEMENT_OPTIONS, acknowledgementsFrom, runReview } from "./lib/review";
import { costSectionFromSides } from "./lib/cost/review-section";
import { DEFAULT_SYNTH_COMMAND } from "./lib/synth";

runTool(
  {
    name: "review",
    command: "npm run -s review --",
    summary: `Synthesizes the base ref and the working tree (or --head), compares every stack resource by resource,
predicts replacements (AWS and Kubernetes), checks EKS's change rules (version skew, EBS, compute mode, capacity,
access), prints the upgrade plan of a version change, suggests \`moved\` blocks for renamed construct ids and
refuses to lose protected resources.`,
    options: {
      base: {
        type: "string",
        value: "REF",
        description: "compare against this ref (default: merge-base of HEAD and main; on main:\nHEAD if the working tree has changes, else HEAD~1)",
      },
      head: { type: "string", value: "REF", description: "compare this ref instead of the working tree" },
      ...ACKNOWLEDGEMENT_OPTIONS,
      markdown: { type: "string", value: "FILE", description: "write a comment-sized report (≤ 65,536 characters) there" },
      full: { type: "string", value: "FILE", default: "cdktf.out/review.md", description: "write the full report there" },
      "full-name": { type: "string", value: "TEXT", description: "how the comment names the full report (CI: the workflow artifact)" },
      repo: { type: "string", value: "DIR", default: ".", description: "the git repository" },
      "synth-command": {
        type: "string",
        value: "CMD",
        description: `synth command run in each checkout with CDKTF_OUTDIR set\n(default: that checkout's cdktf.json "app", else ${DEFAULT_SYNTH_COMMAND})`,
      },
    },
    notes: `The terminal gets a short summary and the path of the full report. Finding types and their sources:
docs/reading-a-review.md.
Exit 0 nothing blocks, 1 a protected resource would be replaced or destroyed or a blocking finding is not
acknowledged, 2 usage or runtime error.`,
  },
  ({ values }) => {
    checkWritable("markdown", values.markdown);
    const accepted = acknowledgementsFrom(values);
    const repo = resolve(values.repo ?? ".");
    const report = runReview({
      // Issue 14: the cost delta of the change, as a report section, priced from the environments
      // each side's synth validated (issue 15: no extra worktree or process).
      environments: true,
      sectionsFor: (sides) => {
        const cost = costSectionFromSides(repo, sides);
        return cost !== undefined ? [cost] : [];
      },
      // Issue 15: the base's synth is kept by commit; the same base is synthesized once.
      cacheDir: join(repo, ".cache", "review"),
      repo,
      ...(values.base !== undefined ? { base: values.base } : {}),
      ...(values.head !== undefined ? { head: values.head } : {}),
      ...accepted,
      ...(values["synth-command"] !== undefined ? { synthCommand: values["synth-command"] } : {}),
      onProgress: (line) => progress("review", line),
    });
    return emitReport(report, {
      ...(values.markdown !== undefined ? { markdown: values.markdown } : {}),
      full: values.full ?? "cdktf.out/review.md",
      ...(values["full-name"] !== undefined ? { fullReportName: values["full-name"] } : {}),
    });
  },
);
