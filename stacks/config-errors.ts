/**
 * One error type for every configuration problem, so the synth command can print them as one
 * readable block (`<env>: <field.path>: <problem and fix>`) instead of a stack trace.
 */
export interface ConfigProblem {
  /** Environment name, or `environments[<i>]` when the name itself is unusable. */
  readonly environment: string;
  /** Field path such as `cluster.compute.builtInNodePools[1]`; empty for the whole environment. */
  readonly path: string;
  /** What is wrong, with the bad value, and how to fix it. */
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return p.path ? `${p.environment}: ${p.path}: ${p.message}` : `${p.environment}: ${p.message}`;
}

export class ConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(
      `${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `["cluster", "subnetIds", 1]` → `cluster.subnetIds[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Quote a user value for a message: strings in double quotes, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
