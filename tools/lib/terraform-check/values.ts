/**
 * Values as Terraform sends them to providers: msgpack-encoded cty values, with unknown values
 * as msgpack extension type 0 (refined unknowns as type 12) and values of dynamic type as a
 * `[type JSON bytes, value]` pair. We decode with the schema in hand, change only what a
 * provider may change at plan time (computed attributes left null), and encode back.
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/object-wire-format.md
 * @see https://github.com/zclconf/go-cty/blob/main/cty/msgpack/unknown.go
 */
import { decode, encode, ExtensionCodec } from "@msgpack/msgpack";
import { attributeType, type Attribute, type Block, type CtyType } from "./schema";

/** An unknown value ("known after apply"). */
export const UNKNOWN: unique symbol = Symbol("unknown");

export type Value = null | boolean | number | string | Uint8Array | typeof UNKNOWN | Value[] | { [key: string]: Value };

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (input: unknown) => (input === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
// cty 1.14+ sends unknowns with refinements (not null, string prefix...) as extension 12.
codec.register({ type: 12, encode: () => null, decode: () => UNKNOWN });

export function decodeValue(bytes: Uint8Array): Value {
  if (bytes.length === 0) return null;
  return decode(bytes, { extensionCodec: codec }) as Value;
}

export function encodeValue(value: Value): Uint8Array {
  return encode(value, { extensionCodec: codec, ignoreUndefined: true });
}

function isObject(v: Value): v is { [key: string]: Value } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * A planned new state for a create: the proposed state (configuration merged by Terraform) with
 * every computed attribute the configuration leaves null marked unknown, as a real provider does
 * before it knows what the API returns.
 */
export function planBlock(block: Block, value: Value): Value {
  if (!isObject(value)) return value;
  const out: { [key: string]: Value } = { ...value };
  for (const a of block.attributes) out[a.name] = planAttribute(a, value[a.name] ?? null);
  for (const b of block.blocks) {
    const v = value[b.name] ?? null;
    if (Array.isArray(v)) out[b.name] = v.map((e) => planBlock(b.block, e));
    else if (b.nesting === "MAP" && isObject(v)) out[b.name] = Object.fromEntries(Object.entries(v).map(([k, e]) => [k, planBlock(b.block, e)]));
    else if (isObject(v)) out[b.name] = planBlock(b.block, v);
  }
  return out;
}

function planAttribute(a: Attribute, v: Value): Value {
  if (v === null) return a.computed ? UNKNOWN : null;
  if (!a.nested || v === UNKNOWN) return v;
  const nested: Block = { attributes: a.nested.attributes, blocks: [] };
  if (Array.isArray(v)) return v.map((e) => planBlock(nested, e));
  if (a.nested.nesting === "MAP" && isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, planBlock(nested, e)]));
  return planBlock(nested, v);
}

/**
 * The state a data source read returns: Terraform requires it wholly known, so computed
 * attributes the configuration leaves null get a known placeholder of their type (empty
 * string, 0, false, empty collections; null for a dynamic value).
 */
export function readBlock(block: Block, value: Value): Value {
  if (!isObject(value)) return value;
  const out: { [key: string]: Value } = { ...value };
  for (const a of block.attributes) {
    const v = value[a.name] ?? null;
    out[a.name] = v === null && a.computed ? placeholder(attributeType(a)) : v;
  }
  for (const b of block.blocks) {
    const v = value[b.name] ?? null;
    if (Array.isArray(v)) out[b.name] = v.map((e) => readBlock(b.block, e));
    else if (isObject(v)) out[b.name] = b.nesting === "MAP" ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, readBlock(b.block, e)])) : readBlock(b.block, v);
  }
  return out;
}

function placeholder(type: CtyType): Value {
  if (type === "string") return "";
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (type === "dynamic") return null;
  if (type[0] === "object") return Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, placeholder(t)]));
  return type[0] === "map" ? {} : [];
}

/** The state an import finds: every attribute null but `id`, no nested blocks. */
export function importedState(block: Block, id: string): Value {
  const out: { [key: string]: Value } = {};
  for (const a of block.attributes) out[a.name] = a.name === "id" ? id : null;
  for (const b of block.blocks) out[b.name] = b.nesting === "SINGLE" ? null : b.nesting === "MAP" ? {} : [];
  return out;
}
