/**
 * Review of the synthesized change before it is merged: synthesizes the base ref and the
 * working tree, compares every stack resource by resource, predicts replacements, suggests
 * `moved` blocks for renamed construct ids and refuses to lose protected resources.
 * Library: tools/lib/review.ts. Exit codes: 0 ok, 1 blocked, 2 error.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { emitReport, EXIT_OK, runCli } from "./lib/cli";
import { runReview } from "./lib/review";
import { DEFAULT_SYNTH_COMMAND } from "./lib/synth";

const USAGE = `usage: npx tsx tools/review.ts [--base <ref>] [--head <ref>] [--allow-destroy <address>]...
                                [--markdown <file>] [--repo <dir>] [--synth-command <cmd>]

  --base <ref>               compare against this ref (default: merge-base of HEAD and main; on main:
                             HEAD if the working tree has changes, else HEAD~1)
  --head <ref>               compare this ref instead of the working tree
  --allow-destroy <address>  accept replacing/destroying a protected resource: <stack>/<type>.<name>
                             (that stack) or <type>.<name> (any stack); repeatable
  --markdown <file>          write the Markdown report there (default: stdout)
  --repo <dir>               the git repository (default: current directory)
  --synth-command <cmd>      synth command run in each checkout with CDKTF_OUTDIR set
                             (default: that checkout's cdktf.json "app", else ${DEFAULT_SYNTH_COMMAND})
`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      head: { type: "string" },
      "allow-destroy": { type: "string", multiple: true, default: [] },
      markdown: { type: "string" },
      repo: { type: "string", default: "." },
      "synth-command": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  const report = runReview({
    repo: resolve(values.repo),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.head !== undefined ? { head: values.head } : {}),
    allowDestroy: values["allow-destroy"],
    ...(values["synth-command"] !== undefined ? { synthCommand: values["synth-command"] } : {}),
  });
  return emitReport(report, values.markdown);
});
