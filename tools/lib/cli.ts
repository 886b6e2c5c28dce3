/**
 * What the two CLIs share: writing the report and the exit-code contract.
 */
import { writeFileSync } from "node:fs";
import type { Report } from "./report";
import { renderMarkdown, renderTerminal } from "./render";
import { ToolError } from "./synth";

/** 0: nothing protected is lost; 1: a protected resource would be replaced or destroyed; 2: usage or runtime error. */
export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_ERROR = 2;

/** Markdown to `markdownFile` (or stdout), the short summary to stderr; returns the exit code. */
export function emitReport(report: Report, markdownFile: string | undefined): number {
  const markdown = renderMarkdown(report);
  if (markdownFile !== undefined) writeFileSync(markdownFile, markdown);
  else process.stdout.write(markdown);
  process.stderr.write(renderTerminal(report));
  return report.violations.length > 0 ? EXIT_BLOCKED : EXIT_OK;
}

/** Runs a CLI body, turning expected failures into a message and exit code 2. */
export function runCli(usage: string, body: () => number): void {
  let code: number;
  try {
    code = body();
  } catch (e) {
    const known = e instanceof ToolError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) process.stderr.write(`\n${usage}`);
    code = EXIT_ERROR;
  }
  // exitCode, not exit(): lets stdout drain when it is a pipe.
  process.exitCode = code;
}
