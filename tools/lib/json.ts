/**
 * JSON helpers shared by the synth review and the plan summary: attribute-level diffs with
 * dotted paths, compact rendering, and removal of cdktf's `"//"` metadata.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One step of an attribute path: an attribute name or a list index. */
export type PathStep = string | number;

/** A value shown in place of one Terraform cannot know at plan time, or must not print. */
export const UNKNOWN = "(known after apply)";
export const SENSITIVE = "(sensitive value)";

/** A marker for "absent" (attribute not set), distinct from JSON null. */
export type Value = Json | undefined;

export interface AttrDiff {
  /** Dotted path: `vpc_config.subnet_ids`, `launch_template[0].version`. */
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly before: Value;
  readonly after: Value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `["vpc_config", 0, "subnet_ids"]` → `vpc_config[0].subnet_ids`. */
export function formatPath(steps: readonly PathStep[]): string {
  let out = "";
  for (const step of steps) {
    if (typeof step === "number") out += `[${step}]`;
    else out += out === "" ? step : `.${step}`;
  }
  return out;
}

/** The path without list indices, for matching against schema attribute names. */
export function schemaPath(steps: readonly PathStep[]): string {
  return steps.filter((s): s is string => typeof s === "string").join(".");
}

/** Compact JSON; `undefined` (attribute absent) renders as `(none)`, plan placeholders bare. */
export function compact(value: Value): string {
  if (value === undefined) return "(none)";
  if (value === UNKNOWN || value === SENSITIVE) return value;
  return JSON.stringify(value);
}

/**
 * Removes cdktf's `"//"` metadata keys at any depth: they hold construct paths, not
 * resource arguments, and Terraform ignores them.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#comment-properties
 */
export function stripMeta(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripMeta);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== "//") out[key] = stripMeta(child);
  }
  return out;
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
    return true;
  }
  return false;
}

const isPrimitiveList = (v: Value): boolean =>
  Array.isArray(v) && v.every((item) => item === null || typeof item !== "object");

/**
 * Attribute-level differences between two values, deepest first where that stays readable:
 * objects recurse key by key; lists of blocks of equal length recurse by index; lists of
 * scalars (subnet ids, instance types) and lists whose length changed are reported whole,
 * because an index-by-index diff of those is noise.
 */
export function diffValues(before: Value, after: Value, steps: PathStep[] = []): AttrDiff[] {
  if (deepEqual(before, after)) return [];
  const here = (): AttrDiff[] => [{ path: formatPath(steps), steps: [...steps], before, after }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], [...steps, key]));
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    before.length === after.length &&
    !isPrimitiveList(before) &&
    !isPrimitiveList(after)
  ) {
    return before.flatMap((item, i) => diffValues(item, after[i], [...steps, i]));
  }
  return steps.length === 0 && (isObject(before) || isObject(after)) && (before === undefined || after === undefined)
    ? flatten(before, after, steps)
    : here();
}

/** For a whole resource created or destroyed: one row per top-level attribute. */
function flatten(before: Value, after: Value, steps: PathStep[]): AttrDiff[] {
  const source = (after ?? before) as JsonObject;
  return Object.keys(source)
    .sort()
    .map((key) => ({
      path: formatPath([...steps, key]),
      steps: [...steps, key],
      before: before === undefined ? undefined : (before as JsonObject)[key],
      after: after === undefined ? undefined : (after as JsonObject)[key],
    }));
}

/**
 * Values at a schema path (`a.b.c`), descending through lists of blocks: Terraform JSON may
 * write a single nested block as an object or as a one-element list.
 */
export function valuesAt(body: Value, path: string): Value {
  let current: Value = body;
  for (const key of path.split(".")) {
    if (current === undefined || current === null) return undefined;
    if (Array.isArray(current)) {
      const items = current.map((item) => (isObject(item) ? item[key] : undefined)).filter((v) => v !== undefined);
      current = items.length === 0 ? undefined : items.length === 1 ? items[0] : (items as Json[]);
    } else if (isObject(current)) {
      current = current[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Leaf `path=value` strings, for body similarity when pairing renamed resources. */
export function leaves(value: Value, steps: PathStep[] = [], out: Set<string> = new Set()): Set<string> {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...steps, key], out);
  } else if (Array.isArray(value) && !isPrimitiveList(value)) {
    value.forEach((child, i) => leaves(child, [...steps, i], out));
  } else if (value !== undefined) {
    out.add(`${formatPath(steps)}=${JSON.stringify(value)}`);
  }
  return out;
}

/** Jaccard similarity of two bodies' leaves, 0..1. */
export function similarity(a: Value, b: Value): number {
  const la = leaves(a);
  const lb = leaves(b);
  if (la.size === 0 && lb.size === 0) return 1;
  let common = 0;
  for (const leaf of la) if (lb.has(leaf)) common++;
  return common / (la.size + lb.size - common);
}

/** Replaces the leaves marked `true` in `marks` (plan `after_unknown`, `*_sensitive`) by `label`. */
export function overlayMarks(value: Value, marks: Value, label: string): Value {
  if (marks === true) return label;
  if (isObject(marks)) {
    const base: JsonObject = isObject(value) ? { ...value } : {};
    for (const [key, mark] of Object.entries(marks)) {
      const next = overlayMarks(base[key], mark, label);
      if (next !== undefined) base[key] = next;
    }
    return value === undefined && Object.keys(base).length === 0 ? undefined : base;
  }
  if (Array.isArray(marks)) {
    const base: Json[] = Array.isArray(value) ? [...value] : [];
    marks.forEach((mark, i) => {
      const next = overlayMarks(base[i], mark, label);
      if (next !== undefined) base[i] = next;
    });
    return value === undefined && base.length === 0 ? undefined : base;
  }
  return value;
}
