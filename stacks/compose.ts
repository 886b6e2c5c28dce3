/**
 * Building an environment from named parts (the shared platform, the environment's own fields)
 * without silent loss. A spread (`{ ...platform(), volumes: {...} }`) replaces the platform's whole
 * `volumes` map; `compose` merges keyed maps field by field instead, and a value that two parts
 * both set is a config problem naming both parts, unless one of them says `override(...)`.
 *
 *     export const prod = compose({
 *       platform: platform({ ... }),
 *       prod: { name: "prod", ..., volumes: { "pg-data": { ... } } },  // added beside loki-data
 *     });
 *
 * Conflicts are carried on the result (not thrown), so the synth command reports them with every
 * other problem, as `<env>: <field.path>: ...`.
 */
import type { EnvironmentInput } from "./environment-schema";

/** A value that deliberately replaces what an earlier part set at the same path. */
export interface Override<T> {
  readonly [OVERRIDE]: true;
  readonly value: T;
}
const OVERRIDE = Symbol.for("eks-cdktf.override");
/** Where compose keeps the conflicts it found (a symbol: invisible to the schema and to JSON). */
export const COMPOSE_CONFLICTS = Symbol.for("eks-cdktf.compose-conflicts");

export interface ComposeConflict {
  readonly path: readonly string[];
  readonly parts: readonly [string, string];
}

/** Marks `value` as replacing what an earlier part of `compose` set at the same path. */
export function override<T>(value: T): T {
  return { [OVERRIDE]: true, value } as unknown as T;
}

const isOverride = (v: unknown): v is Override<unknown> => typeof v === "object" && v !== null && OVERRIDE in v;
// By tag, not by prototype: objects from another realm (structuredClone, a vm context) are plain too.
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isOverride(v) && Object.prototype.toString.call(v) === "[object Object]";

/**
 * Keyed maps: each entry (a volume, a Helm release, ...) belongs to one part. An entry key defined
 * by two parts is one conflict, whatever fields the two definitions share.
 */
const KEYED_MAPS = new Set(["volumes", "targetGroups", "helm", "access", "nodePools", "cluster.compute.nodeGroups", "cluster.addons"]);

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** A deep partial of an environment: what one part contributes (typed, so a typo'd field fails tsc). */
export type EnvironmentPart = DeepPartial<EnvironmentInput>;

/**
 * Merges named parts in order: objects merge key by key; a leaf (string, number, list) set by two
 * parts is a conflict unless the later one is `override(...)`. The result is an environment input.
 */
export function compose(parts: Readonly<Record<string, EnvironmentPart>>): EnvironmentInput {
  const conflicts: ComposeConflict[] = [];
  const owners = new Map<string, string>();
  const merge = (target: Record<string, unknown>, source: Record<string, unknown>, part: string, path: string[]) => {
    for (const [key, value] of Object.entries(source)) {
      const at = [...path, key];
      const id = JSON.stringify(at);
      if (isOverride(value)) {
        target[key] = structuredClone(value.value);
        owners.set(id, part);
        continue;
      }
      if (KEYED_MAPS.has(path.join(".")) && target[key] !== undefined) {
        conflicts.push({ path: at, parts: [owners.get(id) ?? firstOwner(at), part] });
        continue;
      }
      if (isPlainObject(value) && (target[key] === undefined || isPlainObject(target[key]))) {
        if (target[key] === undefined) owners.set(id, part);
        target[key] ??= {};
        merge(target[key] as Record<string, unknown>, value, part, at);
        continue;
      }
      if (target[key] !== undefined) {
        conflicts.push({ path: at, parts: [owners.get(id) ?? firstOwner(at), part] });
        continue;
      }
      target[key] = structuredClone(value);
      owners.set(id, part);
    }
  };
  // Objects that a part created along the way are owned by the first part that created them.
  const firstOwner = (at: string[]) => {
    for (let i = at.length; i > 0; i--) {
      const o = owners.get(JSON.stringify(at.slice(0, i)));
      if (o) return o;
    }
    return "an earlier part";
  };
  const result: Record<string, unknown> = {};
  for (const [part, value] of Object.entries(parts)) merge(result, value as Record<string, unknown>, part, []);
  Object.defineProperty(result, COMPOSE_CONFLICTS, { value: conflicts, enumerable: false });
  return result as EnvironmentInput;
}

/** The conflicts `compose` recorded on an environment input (none for a hand-written object). */
export function composeConflicts(input: unknown): readonly ComposeConflict[] {
  return (typeof input === "object" && input !== null && (input as Record<symbol, ComposeConflict[]>)[COMPOSE_CONFLICTS]) || [];
}
