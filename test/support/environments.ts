/**
 * Building invalid environments for the validation tests: start from a valid example, make one
 * mistake, and read back the problems exactly as the synth command prints them.
 */
import { formatProblem } from "../../stacks/config-errors";
import { checkEnvironment } from "../../stacks/environment-validation";

/**
 * An environment being edited by a test. Deliberately untyped: tests write values the schema
 * rejects (a number where a string belongs, a typo'd field), which the input type would not allow.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Draft = any;

/** A deep copy of `base` changed by `mutate`; `base` itself is never touched. */
export function withChange(base: unknown, mutate: (env: Draft) => void): Draft {
  const env = structuredClone(base);
  mutate(env);
  return env;
}

/** Every problem of one environment, formatted as the synth command prints them (`<env>: <path>: <message>`). */
export function problemsOf(input: unknown): string[] {
  return checkEnvironment(input).problems.map(formatProblem);
}

/** The full text of a ConfigError with these problem lines (what main.ts writes to stderr, before its last line). */
export function configErrorMessage(lines: readonly string[]): string {
  return `${lines.length} configuration problem${lines.length === 1 ? "" : "s"}:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}
