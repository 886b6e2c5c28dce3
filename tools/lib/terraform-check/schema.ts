/**
 * Provider schemas in the shape of the plugin protocol's `Schema` message (tfplugin6), as plain
 * JSON: what the schema-only provider plugin hands Terraform in GetProviderSchema, and what it
 * walks to plan values.
 * @see https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/tfplugin6.proto (message Schema)
 */

/**
 * A cty type in its JSON form, as the protocol's `Attribute.type` bytes carry it:
 * `"string"`, `["list","string"]`, `["object",{"a":"number"}]`, `"dynamic"`.
 * @see https://github.com/zclconf/go-cty/blob/main/docs/json.md#type-constraint-representation
 */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | ["list" | "set" | "map", CtyType]
  | ["object", { [name: string]: CtyType }];

export type Nesting = "SINGLE" | "LIST" | "SET" | "MAP";

export interface Attribute {
  name: string;
  /** Set for a plain attribute; `nested` for a nested attribute (plugin framework's *NestedAttribute). */
  type?: CtyType;
  nested?: { nesting: Nesting; attributes: Attribute[] };
  required: boolean;
  optional: boolean;
  computed: boolean;
}

export interface NestedBlock {
  name: string;
  nesting: Nesting;
  block: Block;
  minItems: number;
  /** 0 = unbounded. */
  maxItems: number;
  /** The flags cdktf recorded for it: what it gets when an override makes it a nested attribute. */
  required: boolean;
  computed: boolean;
}

export interface Block {
  attributes: Attribute[];
  blocks: NestedBlock[];
}

/** What the plugin serves for one provider: its own configuration and the types the stacks use. */
export interface ProviderSchema {
  provider: Block;
  resources: { [type: string]: Block };
  dataSources: { [type: string]: Block };
}

/** The cty type of a nested attribute's value (for walking values). */
export function nestedType(nested: NonNullable<Attribute["nested"]>): CtyType {
  const object: CtyType = ["object", Object.fromEntries(nested.attributes.map((a) => [a.name, attributeType(a)]))];
  switch (nested.nesting) {
    case "SINGLE":
      return object;
    case "LIST":
      return ["list", object];
    case "SET":
      return ["set", object];
    case "MAP":
      return ["map", object];
  }
}

export function attributeType(attribute: Attribute): CtyType {
  if (attribute.nested) return nestedType(attribute.nested);
  if (attribute.type === undefined) throw new Error(`attribute ${attribute.name} has neither a type nor a nested type`);
  return attribute.type;
}

/** Canonical JSON (sorted keys) for digests. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
