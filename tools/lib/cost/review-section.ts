/**
 * The review's cost section: the environments as the base ref and the head (working tree or ref)
 * define them, each loaded and validated by its own checkout's code, priced with the head's
 * data/prices.json (tools/lib/cost/delta.ts does the arithmetic).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Environment } from "../../../stacks/environment-schema";
import type { ReportSection } from "../report";
import { git, resolveBase, withWorktree } from "../synth";
import { costDelta } from "./delta";
import { loadPriceFile, PRICES_FILE } from "./prices";

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

export interface CostSectionOptions {
  readonly repo: string;
  readonly base?: string;
  readonly head?: string;
  /** First day of the month estimated; today by default. */
  readonly from?: string;
  readonly onProgress?: (line: string) => void;
}

/**
 * The cost delta as a review section, or undefined when the repository is not laid out like this
 * project (no config loader at the base, no price table at the head). Environments that do not
 * load give a section that says so instead of failing the review.
 */
export function costReviewSection(options: CostSectionOptions): ReportSection | undefined {
  const base = resolveBase(options.repo, options.base);
  if (!hasFile(options.repo, base.sha, "stacks/load-environments.ts")) return undefined;
  const headPrices = options.head === undefined ? join(options.repo, PRICES_FILE) : undefined;
  if (headPrices !== undefined ? !existsSync(headPrices) : !hasFile(options.repo, options.head!, PRICES_FILE)) return undefined;
  options.onProgress?.("estimating the cost of the base and the head environments");
  const section = (markdown: string, terminal: readonly string[]): ReportSection => ({ id: "cost", title: "Cost", markdown, terminal, order: 150 });
  try {
    const baseEnvs = withWorktree(options.repo, base.sha, environmentsIn);
    const [headEnvs, file] =
      options.head === undefined
        ? [environmentsIn(options.repo), loadPriceFile(headPrices)]
        : withWorktree(options.repo, options.head, (dir) => [environmentsIn(dir), loadPriceFile(join(dir, PRICES_FILE))] as const);
    const delta = costDelta(baseEnvs, headEnvs, file, options.from !== undefined ? { from: options.from } : {});
    // The report renders the section's own "### Cost" heading.
    const terminal = delta.terminal.filter((l) => !l.includes(": no price for ")).slice(0, 6);
    if (delta.missing.length > 0) terminal.push(`cost: ${delta.missing.length} price(s) missing; the report and \`npm run cost\` name them and where to add them`);
    return section(delta.markdown.replace(/^### Cost\n\n/, ""), terminal);
  } catch (e) {
    const reason = (e as Error).message;
    return section(`Not estimated: ${reason}.\n`, [`cost: not estimated (${reason})`]);
  }
}
