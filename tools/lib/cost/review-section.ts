/**
 * The review's cost section: the environments as the base ref and the head (working tree or ref)
 * define them, each validated by its own checkout's code (the environments its synth validated,
 * see tools/lib/review.ts), priced with the head's data/prices.json and each environment's head
 * cost section (tools/lib/cost/delta.ts does the arithmetic).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Environment } from "../../../stacks/environment-schema";
import type { ReportSection } from "../report";
import { git } from "../synth";
import { costDelta } from "./delta";
import { loadPriceFile, parsePriceFile, PriceFileError, PRICES_FILE, type PriceFile } from "./prices";

/** Loads and validates the environments of the checkout in `dir` with that checkout's own code. */
export function environmentsIn(dir: string): Environment[] {
  const script = [
    'const { loadEnvironments } = require("./stacks/load-environments");',
    'const { parseEnvironments } = require("./stacks/environment-validation");',
    "process.stdout.write(JSON.stringify(parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS))));",
  ].join("\n");
  try {
    const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(out) as Environment[];
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message);
    throw new Error(stderr.split("\n").find((l) => l.trim() !== "")?.trim() ?? "the environments do not load");
  }
}

const hasFile = (repo: string, sha: string, path: string): boolean => {
  try {
    git(repo, ["cat-file", "-e", `${sha}:${path}`]);
    return true;
  } catch {
    return false;
  }
};

/** Rows and notes the review prints under the cost headline before "… and N more (full report)". */
export const TERMINAL_DETAILS = 5;

/** One side's environments as the review's synth validated them (tools/lib/review.ts ReviewSides). */
type SideEnvironments = { readonly environments: unknown[] } | { readonly error: string } | undefined;

/**
 * The same section from the environments the review's own synths validated (issue 15: no
 * worktree and no process of its own, so it adds milliseconds, not seconds). Undefined when the
 * base is not laid out like this project or the head has no price table.
 */
export function costSectionFromSides(
  repo: string,
  sides: { readonly base: { readonly environments: SideEnvironments }; readonly head: { readonly ref?: string; readonly environments: SideEnvironments } },
  options: { readonly from?: string } = {},
): ReportSection | undefined {
  const baseSide = sides.base.environments;
  const headSide = sides.head.environments;
  if (baseSide === undefined || headSide === undefined) return undefined;
  const headRef = sides.head.ref;
  if (headRef === undefined ? !existsSync(join(repo, PRICES_FILE)) : !hasFile(repo, headRef, PRICES_FILE)) return undefined;
  const section = (markdown: string, terminal: readonly string[]): ReportSection => ({ id: "cost", title: "Cost", markdown, terminal, order: 150 });
  try {
    // Checked as `npm run cost` checks it: a bad table is this section's "not estimated", never a crash of the review.
    let file: PriceFile;
    try {
      file =
        headRef === undefined
          ? loadPriceFile(join(repo, PRICES_FILE))
          : parsePriceFile(JSON.parse(git(repo, ["show", `${headRef}:${PRICES_FILE}`])) as unknown, `${headRef}:${PRICES_FILE}`);
    } catch (e) {
      if (e instanceof PriceFileError) {
        // The terminal gets the count, the first problem and the command that lists them all (a bad table can have
        // hundreds: one line of all of them was unreadable); the report gets every problem.
        const list = headRef === undefined ? `\`npm run cost -- --prices ${PRICES_FILE}\`` : `\`git show ${headRef}:${PRICES_FILE} > prices.json && npm run cost -- --prices prices.json\``;
        const first = `${e.problems.length} problem(s) in the price table, the first: ${e.problems[0]}`;
        return section(`Not estimated: ${e.problems.length} problem(s) in the price table (${list} lists them):\n\n${e.problems.map((p) => `- ${p}`).join("\n")}\n`, [
          `cost: not estimated (${first}${e.problems.length > 1 ? `; ${list} lists them all` : ""})`,
        ]);
      }
      if (e instanceof SyntaxError) throw new Error(`${PRICES_FILE} is not JSON: ${e.message}`);
      throw e;
    }
    for (const side of [baseSide, headSide]) if ("error" in side) throw new Error(side.error);
    const delta = costDelta(
      (baseSide as { environments: Environment[] }).environments,
      (headSide as { environments: Environment[] }).environments,
      file,
      options.from !== undefined ? { from: options.from } : {},
    );
    // The headline and the first rows and notes; the rest is in the report, and the terminal says how many.
    const terminal = [delta.headline, ...delta.details.slice(0, TERMINAL_DETAILS)];
    if (delta.details.length > TERMINAL_DETAILS) terminal.push(`  … and ${delta.details.length - TERMINAL_DETAILS} more (full report)`);
    if (delta.missing.length > 0) terminal.push(`cost: ${delta.missing.length} price(s) missing; the report and \`npm run cost\` name them and where to add them`);
    return section(delta.markdown.replace(/^### Cost\n\n/, ""), terminal);
  } catch (e) {
    const reason = (e as Error).message;
    return section(`Not estimated: ${reason}.\n`, [`cost: not estimated (${reason})`]);
  }
}
