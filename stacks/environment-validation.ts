/**
 * Validation of environments: the schema's field checks (environment-schema.ts), the rules that
 * relate fields (environment-rules.ts) and the rules across environments (names unique where AWS
 * says they must be). Every problem is reported at once, as `<env>: <field.path>: <problem (fix)>`.
 */
import { z } from "zod";
import { composeConflicts } from "./compose";
import { ConfigError, formatPath, show, type ConfigProblem } from "./config-errors";
import { derivedNames, uniquenessKey } from "./derived-names";
import { environmentSchema, genericMessage, sections, type Environment } from "./environment-schema";
import { RULES as FIELD_RULES, type FieldPath } from "./environment-rules";
import { DAY2_RULES } from "./day2";

const RULES = [...FIELD_RULES, ...DAY2_RULES];

/** Name to use in messages, even when the name itself is invalid. */
function labelOf(input: unknown, index?: number): string {
  const name = (input as { name?: unknown } | null)?.name;
  if (typeof name === "string" && name.length > 0) return name;
  return index === undefined ? "(unnamed environment)" : `environments[${index}]`;
}

/** The schema of one field (`cluster.compute`), through defaults and optionals. */
function schemaAt(path: FieldPath): z.ZodType {
  const [section, ...rest] = path.split(".");
  let schema = (sections as Record<string, z.ZodType>)[section];
  if (!schema) throw new Error(`rule needs unknown section ${show(section)}`);
  for (const key of rest) {
    let inner: z.ZodType = schema;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.def.innerType as z.ZodType;
    if (!(inner instanceof z.ZodObject)) throw new Error(`rule needs ${show(path)}, but ${show(key)}'s parent is not an object`);
    schema = inner.shape[key] as z.ZodType;
    if (!schema) throw new Error(`rule needs unknown field ${show(path)}`);
  }
  return schema;
}

const get = (obj: unknown, keys: readonly string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);

function set(obj: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
}

/**
 * The fields the rules read, each parsed on its own (defaults applied): a rule runs when all the
 * fields it needs are valid, whatever the rest of the environment looks like.
 */
function validFields(input: unknown): { fields: Record<string, unknown>; valid: Set<FieldPath> } {
  const fields: Record<string, unknown> = {};
  const valid = new Set<FieldPath>();
  const wanted = new Set(RULES.flatMap((r) => r.needs));
  // Parents first, so a whole section parsed with its defaults is not overwritten piecemeal.
  for (const path of [...wanted].sort((a, b) => a.split(".").length - b.split(".").length)) {
    const keys = path.split(".");
    // A field of a section that is missing altogether is not "valid with its defaults": the
    // section's own problem is reported, and rules about its fields would only add noise.
    const parent = keys.length > 1 ? get(input, keys.slice(0, -1)) : input;
    if (parent === null || typeof parent !== "object") continue;
    const r = schemaAt(path).safeParse(get(input, keys));
    if (!r.success) continue;
    valid.add(path);
    if (get(fields, keys) === undefined) set(fields, keys, r.data);
  }
  return { fields, valid };
}

/** Validates one environment: every field problem and every rule problem, all at once. */
export function checkEnvironment(input: unknown, index?: number): { env?: Environment; problems: ConfigProblem[] } {
  const environment = labelOf(input, index);
  const problems: ConfigProblem[] = [];
  const result = environmentSchema.safeParse(input, { error: genericMessage });
  if (!result.success) {
    for (const iss of result.error.issues) {
      problems.push({ environment, path: formatPath(iss.path), message: iss.message });
    }
  }
  for (const c of composeConflicts(input)) {
    problems.push({
      environment,
      path: formatPath(c.path),
      message: `is set by both ${show(c.parts[0])} and ${show(c.parts[1])} (keep one, rename one of the keys, or wrap the later one in override(...) to replace it deliberately)`,
    });
  }
  const { fields, valid } = validFields(input);
  for (const r of RULES) {
    if (!r.needs.every((n) => valid.has(n))) continue;
    r.check(fields as Environment, (path, message) => problems.push({ environment, path: formatPath(path), message }));
  }
  return problems.length === 0 && result.success ? { env: result.data, problems } : { problems };
}

/**
 * Parses one environment definition.
 * @throws ConfigError listing every problem as `<env>: <field.path>: <problem and fix>`.
 */
export function parseEnvironment(input: unknown): Environment {
  const { env, problems } = checkEnvironment(input);
  if (!env) throw new ConfigError(problems);
  return env;
}

/**
 * Parses every environment, then checks them against each other: unique environment names, and
 * every AWS name the stacks derive unique in the scope where AWS requires it (IAM roles per
 * account whatever the case; clusters, KMS aliases, log groups, launch templates and target
 * groups per account and region). Nothing is built unless all of them are valid.
 * @throws ConfigError with the problems of all environments.
 */
export function parseEnvironments(inputs: readonly unknown[]): Environment[] {
  const problems: ConfigProblem[] = [];
  const envs: Environment[] = [];
  inputs.forEach((input, i) => {
    const r = checkEnvironment(input, i);
    problems.push(...r.problems);
    if (r.env) envs.push(r.env);
  });
  const names = new Map<string, number>();
  inputs.forEach((input, i) => {
    const name = labelOf(input, i);
    if (names.has(name)) {
      problems.push({ environment: name, path: "name", message: `${show(name)} is used by environments[${names.get(name)}] and environments[${i}] (environment names must be unique)` });
    } else names.set(name, i);
  });
  const owners = new Map<string, string>();
  for (const env of envs) {
    const reported = new Set<string>();
    for (const d of derivedNames(env)) {
      const key = uniquenessKey(d, env.account.id, env.account.region);
      const other = owners.get(key);
      if (other === undefined) owners.set(key, env.name);
      else if (other !== env.name && !reported.has(formatPath(d.path))) {
        reported.add(formatPath(d.path));
        const where = d.scope === "account" ? `account ${env.account.id}` : `account ${env.account.id} ${env.account.region}`;
        const rule = d.caseInsensitive ? `${d.kind} names are unique per ${d.scope === "account" ? "account" : "account and region"}, whatever the letter case` : `${d.kind} names are unique per account and region`;
        problems.push({
          environment: env.name,
          path: formatPath(d.path),
          message: `${d.kind} ${show(d.name)} is also created by environment ${show(other)} in ${where} (${rule}; give ${formatPath(d.path) === "cluster.name" ? "" : "the key or "}the cluster a different name)`,
        });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return envs;
}
