/**
 * Reading Terraform JSON the way cdktf writes it.
 *
 * cdktf writes a single nested block (MaxItems 1, e.g. `vpc_config`) as an object, but escape
 * hatches (`addOverride`) and hand-written JSON use the HCL-to-JSON form, a one-element array;
 * repeated blocks (`container`) are arrays. Every accessor here accepts both.
 * Attribute values may be Terraform expressions ("${aws_kms_key.x.arn}"): presence checks count
 * them as set; checks that must compare a value need a literal (see `literal*`).
 * @see https://developer.hashicorp.com/terraform/language/syntax/json
 */
import type { Body } from "./types";

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A single nested block: the object itself, or the first element of a one-element array. */
export function block(v: unknown): Body | undefined {
  if (Array.isArray(v)) return isRecord(v[0]) ? v[0] : undefined;
  return isRecord(v) ? v : undefined;
}

/** A repeated block: the array's objects, or a lone object as a list of one. */
export function blocks(v: unknown): Body[] {
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

/** Walk nested blocks: `at(body, "vpc_config", "endpoint_public_access")`. */
export function at(body: Body | undefined, ...keys: string[]): unknown {
  let cur: unknown = body;
  for (const key of keys) {
    const obj = block(cur);
    if (!obj) return undefined;
    cur = obj[key];
  }
  return cur;
}

/** A Terraform interpolation or template directive, unknown until plan. */
export const isExpression = (v: unknown): v is string => typeof v === "string" && /\$\{|%\{/.test(v);

/** Configured at all: present and not empty. Expressions count as set. */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** A literal boolean; Terraform converts "true"/"false" strings for bool attributes. */
export function literalBool(v: unknown): boolean | undefined {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  return undefined;
}

/** A literal number; numeric strings count (the kubernetes provider types run_as_user as a string). */
export function literalNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export const literalString = (v: unknown): string | undefined =>
  typeof v === "string" && !isExpression(v) ? v : undefined;

/** A list whose every element is a literal string, else undefined. */
export function literalStringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.map(literalString);
  return out.every((s): s is string => s !== undefined) ? out : undefined;
}

/** Short rendering of a value for a failure reason. */
export const show = (v: unknown): string => (v === undefined ? "unset" : JSON.stringify(v));
