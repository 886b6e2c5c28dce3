/**
 * The command-line convention every tool follows (synth, policy, review, plan, plan-summary,
 * rollout, environments, connect, bench):
 *
 * - options parsed by node's util.parseArgs (strict: an unknown option is an error);
 * - `--help` prints the usage and every option to stdout, exit 0;
 * - a usage error (unknown option, missing or bad value, unknown environment): the message and
 *   the usage on stderr, exit 2;
 * - configuration problems: one line each, `<env>: <field.path>: <problem>` as `npm run synth`
 *   prints them, exit 1;
 * - other expected failures (missing prerequisite, unreadable input): one message, no stack trace;
 * - results on stdout, progress of slow steps on stderr.
 *
 * Only an unexpected error (a bug) prints a stack trace.
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../../stacks/config-errors";
import type { Environment } from "../../stacks/environment-schema";
import { isBlocked, type Report } from "./report";
import { COMMENT_LIMIT, renderMarkdown, renderTerminal } from "./render";
import { ToolError } from "./synth";

/** 0: nothing protected is lost; 1: a protected resource would be replaced or destroyed; 2: usage or runtime error. */
export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_ERROR = 2;
/** Exit code of usage errors, for every tool. */
export const EXIT_USAGE = 2;

/** An expected failure with its own exit code: printed as its message, never with a stack trace. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A bad command line: the message and the usage go to stderr, exit 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

export interface CliOption {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
  readonly default?: string | boolean | string[];
  /** Placeholder of the value in the help (`N`, `DIR`); string options only. */
  readonly value?: string;
  /** One line (or several, joined by "\n") for the help. */
  readonly description: string;
}

export interface CliSpec<O extends Record<string, CliOption>> {
  /** The tool's name, prefixed to its messages (`environments: ...`). */
  readonly name: string;
  /** The command line to type, without options: `npm run -s environments --`. */
  readonly command: string;
  /** What the tool does, a few lines. */
  readonly summary: string;
  readonly options: O;
  /** Positional arguments, when the tool takes any: placeholder and description. */
  readonly positionals?: { readonly value: string; readonly description: string };
  /** Anything else worth knowing: exit codes, environment variables, examples. */
  readonly notes?: string;
}

const HELP_OPTION: CliOption = { type: "boolean", short: "h", description: "show this help" };

function optionLabel(name: string, o: CliOption): string {
  const long = `--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** The --help text, generated from the same option list the parser uses (so it lists every option). */
export function helpText<O extends Record<string, CliOption>>(spec: CliSpec<O>): string {
  const all: Array<[string, CliOption]> = [...Object.entries(spec.options), ["help", HELP_OPTION]];
  const brief = Object.entries(spec.options)
    .map(([name, o]) => `[${optionLabel(name, o).replace(/^-., /, "")}]${o.multiple ? "..." : ""}`)
    .join(" ");
  const rows: Array<[string, string]> = [
    ...(spec.positionals ? ([[spec.positionals.value, spec.positionals.description]] as Array<[string, string]>) : []),
    ...all.map(([name, o]): [string, string] => [
      optionLabel(name, o),
      `${o.description}${o.multiple ? "; repeatable" : ""}${o.default !== undefined && o.default !== false && !(Array.isArray(o.default) && o.default.length === 0) ? ` (default: ${String(o.default)})` : ""}`,
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.flatMap(([label, text]) => text.split("\n").map((t, i) => `  ${(i === 0 ? label : "").padEnd(width)}${t}`));
  return [
    `usage: ${spec.command} ${brief}${spec.positionals ? ` ${spec.positionals.value}...` : ""}`,
    "",
    spec.summary.trimEnd(),
    "",
    "options:",
    ...lines,
    ...(spec.notes ? ["", spec.notes.trimEnd()] : []),
    "",
  ].join("\n");
}

type ParseConfig<O> = { options: O & { help: typeof HELP_OPTION }; strict: true; allowPositionals: boolean };
export type CliArgs<O extends Record<string, CliOption>> = ReturnType<typeof parseArgs<ParseConfig<O>>>;

/** Parses `argv` against the spec; a parse error becomes a UsageError. */
export function parseCli<O extends Record<string, CliOption>>(spec: CliSpec<O>, argv: readonly string[]): CliArgs<O> {
  const config = {
    args: [...argv],
    options: { ...spec.options, help: HELP_OPTION } as O & { help: typeof HELP_OPTION },
    strict: true as const,
    allowPositionals: spec.positionals !== undefined,
  };
  try {
    return parseArgs(config) as CliArgs<O>;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      // parseArgs suggests "To specify an option argument starting with a dash use --wave=-X": keep the first sentence.
      throw new UsageError((e as Error).message.split(". ")[0]!.replace(/\.$/, ""));
    }
    throw e;
  }
}

/** A whole number ≥ `min` from a string option, or a UsageError naming the option. */
export function integerOption(name: string, raw: string, min: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} ${JSON.stringify(raw)}: expected a whole number ≥ ${min}`);
  return n;
}

/** Writes the message (and usage, for usage errors) of an expected failure; returns the exit code. */
export function reportFailure(name: string, help: string, e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`${name}: ${e.message}\n\n${help}`);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    process.stderr.write(`${name}: ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof ToolError) {
    process.stderr.write(`${name}: ${e.message}\n`);
    return EXIT_ERROR;
  }
  // A bug: the stack is what a report needs.
  process.stderr.write(`${name}: unexpected error (a bug, please report it with this output):\n${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT_ERROR;
}

/**
 * The exit code of the last runTool in this module instance, once it is known. The tests run
 * tools in-process (test/support/tool-in-process.ts: a fresh module registry per run, its own
 * argv, environment and output) and wait on it instead of starting a process per case.
 */
export const toolRun: { last?: Promise<number> } = {};

/**
 * Parses the command line, prints the help for --help, runs `body` and sets the exit code,
 * turning expected failures into messages (see reportFailure). Resolves with the exit code.
 */
export function runTool<O extends Record<string, CliOption>>(
  spec: CliSpec<O>,
  body: (args: CliArgs<O>) => number | Promise<number>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<number> {
  const help = helpText(spec);
  const done = (code: number) => {
    // exitCode, not exit(): lets stdout drain when it is a pipe.
    process.exitCode = code;
    return code;
  };
  const run = (): number | Promise<number> => {
    try {
      const args = parseCli(spec, argv);
      if ((args.values as { help?: boolean }).help) {
        process.stdout.write(help);
        return done(EXIT_OK);
      }
      const result = body(args);
      if (typeof result === "number") return done(result);
      return result.then(done, (e: unknown) => done(reportFailure(spec.name, help, e)));
    } catch (e) {
      return done(reportFailure(spec.name, help, e));
    }
  };
  // Synchronous bodies finish before this returns, as before (the exit code is set on return).
  toolRun.last = Promise.resolve(run());
  return toolRun.last;
}

/**
 * The validated environments: stacks/environments/, or the file EKS_ENVIRONMENTS names. Config
 * problems throw ConfigError (printed one per line, exit 1); an unreadable file is a CliError.
 */
export function loadConfig(): Environment[] {
  // Loaded here, not at the top: the schema (zod) costs ~0.5 s that --help and usage errors need not pay.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parseEnvironments } = require("../../stacks/environment-validation") as typeof import("../../stacks/environment-validation");
  const { loadEnvironments } = require("../../stacks/load-environments") as typeof import("../../stacks/load-environments");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const file = process.env.EKS_ENVIRONMENTS;
  let inputs: readonly unknown[];
  try {
    inputs = loadEnvironments(file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new CliError(`EKS_ENVIRONMENTS=${file}: ${(e as Error).message.split("\n")[0]}`, 1);
  }
  return parseEnvironments(inputs);
}

/** A progress line on stderr (stdout carries results). */
export function progress(name: string, line: string): void {
  process.stderr.write(`${name}: ${line}\n`);
}

export interface EmitOptions {
  /** Comment-sized Markdown (≤ 65,536 characters, details cut from the end) there. */
  readonly markdown?: string;
  /** The whole report there; the terminal summary and the comment point to it. */
  readonly full?: string;
  /** How the comment names the full report (a workflow artifact); default: the --full path. */
  readonly fullReportName?: string;
}

function write(option: string, file: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    throw new ToolError(`--${option} ${file}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Writes the report and returns the exit code (1 when something blocks). With a string (the plan
 * summary): the whole Markdown to that file, or stdout. With EmitOptions (the review): the full
 * report to `full`, a comment-sized one to `markdown`, and only the short summary in the terminal.
 */
export function emitReport(report: Report, target: string | undefined | EmitOptions): number {
  if (typeof target === "object") {
    if (target.full !== undefined) write("full", target.full, renderMarkdown(report));
    const pointer = target.fullReportName ?? target.full;
    if (target.markdown !== undefined) write("markdown", target.markdown, renderMarkdown(report, { limit: COMMENT_LIMIT, ...(pointer ? { fullReport: pointer } : {}) }));
    process.stderr.write(renderTerminal(report, target.full));
  } else {
    const markdown = renderMarkdown(report);
    if (target !== undefined) write("markdown", target, markdown);
    else process.stdout.write(markdown);
    process.stderr.write(renderTerminal(report));
  }
  return isBlocked(report) ? EXIT_BLOCKED : EXIT_OK;
}

/**
 * Fails early, before any slow step, when `file` cannot be written (its directory is missing or
 * read-only), instead of after minutes of synth.
 */
export function checkWritable(option: string, file: string | undefined): void {
  if (file === undefined) return;
  const dir = dirname(resolve(file));
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--${option} ${file}: directory ${dir} does not exist`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--${option} ${file}: is a directory, expected a file name`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--${option} ${file}: directory ${dir} is not writable`);
  }
}
