/**
 * Provider schemas recovered from the prebuilt cdktf provider packages we already depend on
 * (@cdktf/provider-aws, -kubernetes, -helm), so Terraform can check our JSON against the real
 * argument names, types, nesting and required/optional/computed flags without downloading a
 * provider.
 *
 * Each package module (`lib/<name>/index.js`) embeds its TypeScript source in an inline source
 * map. cdktf's generator writes, from the provider's own schema:
 *   - `xToHclTerraform` / `synthesizeHclAttributes`: every settable argument with `isBlock`,
 *     `type` (simple/list/set/map/struct) and `storageClassType` (element type or struct class);
 *   - in the resource and `OutputReference` classes, one comment per attribute
 *     `// <name> - computed: <bool>, optional: <bool>, required: <bool>` followed by its getter,
 *     which also covers computed-only attributes (no setter, no input).
 * We read that text (never executing it) and rebuild the protocol schema. What cdktf does not
 * keep, overrides.ts supplies explicitly (nested attributes vs blocks, dynamic types).
 * @see https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/provider-generator/lib/get/generator/emitter/attributes-emitter.ts (the comment line)
 * @see https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/provider-generator/lib/get/generator/emitter/struct-emitter.ts (the HCL attribute metadata)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Attribute, Block, CtyType, Nesting } from "./schema";

export class SchemaGenError extends Error {
  override name = "SchemaGenError";
}

/** Where a type's module lives in a cdktf provider package. */
export function moduleDir(packageDir: string, provider: string, kind: "resource" | "data" | "provider", type: string): string {
  if (kind === "provider") return join(packageDir, "lib", "provider");
  if (!type.startsWith(`${provider}_`)) throw new SchemaGenError(`${type} is not a ${provider} type`);
  const name = kind === "data" ? `data-${type}` : type.slice(provider.length + 1);
  return join(packageDir, "lib", name.replace(/_/g, "-"));
}

/** The TypeScript source cdktf generated for one module, from its inline source map. */
export function moduleSource(dir: string): string {
  const file = join(dir, "index.js");
  if (!existsSync(file)) throw new SchemaGenError(`no module ${file}`);
  const js = readFileSync(file, "utf8");
  const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(js);
  if (!m) throw new SchemaGenError(`${file} has no inline source map (package layout changed: review tools/lib/terraform-check/schema-gen.ts)`);
  const map = JSON.parse(Buffer.from(m[1], "base64").toString("utf8")) as { sourcesContent?: string[] };
  const source = map.sourcesContent?.[0];
  if (!source) throw new SchemaGenError(`${file}: the source map has no sourcesContent`);
  return source;
}

interface HclEntry {
  name: string;
  value: string;
  isBlock: boolean;
  type: "simple" | "list" | "set" | "map" | "struct";
  storageClassType: string;
}

interface Member {
  name: string;
  computed: boolean;
  optional: boolean;
  required: boolean;
  /** Source lines after the comment, up to the next blank line: field and getter. */
  body: string;
}

/** One generated module, indexed by declaration name. */
class Module {
  private readonly classes = new Map<string, { base: string; body: string }>();
  private readonly functions = new Map<string, { param: string; body: string }>();
  private readonly interfaces = new Map<string, string>();

  constructor(
    readonly file: string,
    source: string,
  ) {
    // Generated code: top-level declarations start at column 0 and close with `}` at column 0.
    const decl = /^export (class|function|interface) (\w+)([^\n]*)\n([\s\S]*?)^}/gm;
    for (const m of source.matchAll(decl)) {
      const [, kind, name, rest, body] = m;
      if (kind === "class") this.classes.set(name, { base: /extends ([\w.]+)/.exec(rest)?.[1] ?? "", body });
      else if (kind === "function") this.functions.set(name, { param: /\(struct\?: ([^)]*)\)/.exec(rest)?.[1] ?? "", body });
      else this.interfaces.set(name, body);
    }
  }

  rootClass(bases: readonly string[]): { name: string; body: string } {
    const found = [...this.classes].filter(([, c]) => bases.includes(c.base));
    if (found.length !== 1) throw new SchemaGenError(`${this.file}: expected one class extending ${bases.join("/")}, found ${found.length}`);
    return { name: found[0][0], body: found[0][1].body };
  }

  classBody(name: string): string | undefined {
    return this.classes.get(name)?.body;
  }

  classBase(name: string): string | undefined {
    return this.classes.get(name)?.base;
  }

  hclFunction(name: string): { param: string; body: string } {
    const f = this.functions.get(name);
    if (!f) throw new SchemaGenError(`${this.file}: no function ${name}`);
    return f;
  }

  /** `readonly x?: T` properties of an interface: camelCase name → optional. */
  interfaceOptional(name: string): Map<string, boolean> {
    const body = this.interfaces.get(name) ?? "";
    return new Map([...body.matchAll(/^ {2}readonly (\w+)(\??):/gm)].map((m) => [m[1], m[2] === "?"]));
  }
}

const HCL_ENTRY =
  /^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;

function hclEntries(body: string): HclEntry[] {
  return [...body.matchAll(HCL_ENTRY)].map((m) => ({
    name: m[1],
    value: m[2],
    isBlock: m[3] === "true",
    type: m[4] as HclEntry["type"],
    storageClassType: m[5],
  }));
}

const MEMBER = /^ {2}\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n((?:.+\n)*)/gm;

function members(classBody: string | undefined): Map<string, Member> {
  const out = new Map<string, Member>();
  for (const m of (classBody ?? "").matchAll(MEMBER)) {
    out.set(m[1], { name: m[1], computed: m[2] === "true", optional: m[3] === "true", required: m[4] === "true", body: m[5] });
  }
  return out;
}

const PRIMITIVE: Record<string, CtyType> = { string: "string", number: "number", boolean: "bool", any: "dynamic" };

/** `stringList` with outer kind `set` → set(string); `stringMapList` → list(map(string)). */
function collectionType(storageClassType: string, outer: "list" | "set" | "map" | "simple"): CtyType {
  const m = /^(string|number|boolean|any)((?:List|Map)*)$/.exec(storageClassType);
  if (!m) throw new SchemaGenError(`unknown storage class ${storageClassType}`);
  let type: CtyType = PRIMITIVE[m[1]];
  const kinds = (m[2].match(/List|Map/g) ?? []).map((k) => (k === "List" ? "list" : "map") as "list" | "map");
  kinds.forEach((kind, i) => {
    const last = i === kinds.length - 1;
    type = [last && outer !== "simple" ? outer : kind, type];
  });
  return type;
}

/** The struct interface a `xToHclTerraform(struct?: A | B)` function takes. */
function structName(param: string): string {
  const names = param.split("|").map((s) => s.trim()).filter((s) => !s.startsWith("cdktf.") && !s.endsWith("OutputReference"));
  if (names.length !== 1) throw new SchemaGenError(`cannot tell the struct of parameter type ${param}`);
  return names[0];
}

/** The struct function an HCL entry's value calls (`cdktf.listMapperHcl(fooToHclTerraform, true)(...)`). */
function structFunction(value: string): string {
  const m = /(?<!cdktf\.)\b([a-z]\w*ToHclTerraform)\b/.exec(value);
  if (!m) throw new SchemaGenError(`no struct function in ${value}`);
  return m[1];
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Type of a computed-only attribute, from its getter. */
function getterType(mod: Module, member: Member): CtyType {
  const body = member.body;
  const ctor = /= new ([\w.]+)\(this, "\w+"(?:, (true|false))?\)/.exec(body);
  if (ctor) {
    const [, cls, wrapsSet] = ctor;
    const flat = /^cdktf\.(String|Number|Boolean|Any)Map$/.exec(cls);
    if (flat) return ["map", PRIMITIVE[flat[1].toLowerCase()]];
    const builtin = /^cdktf\.(String|Number|Boolean|Any)(List|Map)(List|Map)$/.exec(cls);
    if (builtin) {
      const inner: CtyType = [builtin[2] === "List" ? "list" : "map", PRIMITIVE[builtin[1].toLowerCase()]];
      return [builtin[3] === "Map" ? "map" : wrapsSet === "true" ? "set" : "list", inner];
    }
    const base = mod.classBase(cls);
    if (base === "cdktf.ComplexList") {
      const element = /get\(index: number\): (\w+)OutputReference/.exec(mod.classBody(cls) ?? "");
      if (!element) throw new SchemaGenError(`${mod.file}: list class ${cls} has no element type`);
      return [wrapsSet === "true" ? "set" : "list", objectType(mod, `${element[1]}OutputReference`)];
    }
    if (base === "cdktf.ComplexMap") {
      const element = /get\(key: string\): (\w+)OutputReference/.exec(mod.classBody(cls) ?? "");
      if (!element) throw new SchemaGenError(`${mod.file}: map class ${cls} has no element type`);
      return ["map", objectType(mod, `${element[1]}OutputReference`)];
    }
    if (base === "cdktf.ComplexObject") {
      // An SDKv2 MaxItems:1 list is element 0 of a list (`super(..., false, 0)`); a plugin
      // framework single nested attribute is the object itself (`super(..., false)`).
      const isListElement = /super\(terraformResource, terraformAttribute, false, 0\)/.test(mod.classBody(cls) ?? "");
      const object = objectType(mod, cls);
      return isListElement ? ["list", object] : object;
    }
    throw new SchemaGenError(`${mod.file}: ${member.name}: unknown attribute class ${cls}`);
  }
  const get = /return (cdktf\.Fn\.tolist\()?(?:cdktf\.Token\.asNumberList\(cdktf\.Fn\.tolist\()?this\.(\w+)\('\w+'\)/.exec(body);
  const set = /cdktf\.Fn\.tolist\(/.test(body);
  const getters: Record<string, CtyType> = {
    getStringAttribute: "string",
    getNumberAttribute: "number",
    getBooleanAttribute: "bool",
    getListAttribute: [set ? "set" : "list", "string"],
    getNumberListAttribute: [set ? "set" : "list", "number"],
    getBooleanListAttribute: [set ? "set" : "list", "bool"],
    getStringMapAttribute: ["map", "string"],
    getNumberMapAttribute: ["map", "number"],
    getBooleanMapAttribute: ["map", "bool"],
    getAnyMapAttribute: ["map", "dynamic"],
    interpolationForAttribute: "dynamic",
  };
  const type = get ? getters[get[2]] : undefined;
  if (!type) throw new SchemaGenError(`${mod.file}: ${member.name}: cannot read the type of getter:\n${body}`);
  return type;
}

/** Object type of a computed value: every attribute of its OutputReference class. */
function objectType(mod: Module, cls: string): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const member of members(mod.classBody(cls)).values()) attrs[member.name] = getterType(mod, member);
  return ["object", attrs];
}

function nestingOf(entry: HclEntry): { nesting: Nesting; maxItems: number } {
  const collection = /\bcdktf\.(listMapperHcl|hashMapperHcl)\(/.test(entry.value);
  switch (entry.type) {
    case "list":
      return { nesting: "LIST", maxItems: collection ? 0 : 1 };
    case "set":
      return { nesting: "SET", maxItems: collection ? 0 : 1 };
    case "map":
      return { nesting: "MAP", maxItems: 0 };
    case "struct":
      return { nesting: "SINGLE", maxItems: 0 };
    default:
      throw new SchemaGenError(`${entry.name}: a block with type ${entry.type}`);
  }
}

/**
 * The block described by one HCL attribute table (a struct function's or the root class's),
 * flags from the class holding the attribute comments, falling back on the interface's `?`.
 */
function blockOf(mod: Module, entries: HclEntry[], memberClass: string | undefined, iface: string, skip: readonly string[] = []): Block {
  const flags = members(memberClass === undefined ? undefined : mod.classBody(memberClass));
  const optionalByCamel = mod.interfaceOptional(iface);
  const block: Block = { attributes: [], blocks: [] };
  const seen = new Set<string>();
  for (const entry of entries) {
    seen.add(entry.name);
    const member = flags.get(entry.name);
    const optional = member ? member.optional : (optionalByCamel.get(camel(entry.name)) ?? true);
    const required = member ? member.required : !optional;
    const computed = member ? member.computed : false;
    if (entry.isBlock) {
      const fn = structFunction(entry.value);
      const f = mod.hclFunction(fn);
      const struct = structName(f.param);
      const inner = blockOf(mod, hclEntries(f.body), `${struct}OutputReference`, struct);
      const { nesting, maxItems } = nestingOf(entry);
      block.blocks.push({ name: entry.name, nesting, block: inner, minItems: required && nesting !== "SINGLE" && nesting !== "MAP" ? 1 : 0, maxItems, required, computed });
    } else {
      if (entry.type === "struct") throw new SchemaGenError(`${mod.file}: ${entry.name}: a struct that is not a block`);
      const type = collectionType(entry.storageClassType, entry.type);
      block.attributes.push({ name: entry.name, type, required, optional, computed });
    }
  }
  // Computed-only attributes have a getter and a comment but no input.
  for (const member of flags.values()) {
    if (seen.has(member.name) || skip.includes(member.name)) continue;
    block.attributes.push({ name: member.name, type: getterType(mod, member), required: false, optional: false, computed: true });
  }
  block.attributes.sort((a, b) => (a.name < b.name ? -1 : 1));
  block.blocks.sort((a, b) => (a.name < b.name ? -1 : 1));
  return block;
}

/** The configuration schema of one resource, data source or provider, as cdktf describes it. */
export function generateBlock(packageDir: string, provider: string, kind: "resource" | "data" | "provider", type: string): Block {
  const dir = moduleDir(packageDir, provider, kind, type);
  const mod = new Module(join(dir, "index.js"), moduleSource(dir));
  const bases = kind === "provider" ? ["cdktf.TerraformProvider"] : kind === "data" ? ["cdktf.TerraformDataSource"] : ["cdktf.TerraformResource"];
  const root = mod.rootClass(bases);
  if (kind !== "provider") {
    const declared = /tfResourceType = "(\w+)"/.exec(root.body)?.[1];
    if (declared !== type) throw new SchemaGenError(`${mod.file} declares ${declared}, not ${type}`);
  }
  const synth = /protected synthesizeHclAttributes\(\)[^{]*\{([\s\S]*?)\n {2}\}\n/.exec(root.body);
  if (!synth) throw new SchemaGenError(`${mod.file}: no synthesizeHclAttributes in ${root.name}`);
  const entries = hclEntries(synth[1]).filter((e) => !(kind === "provider" && e.name === "alias"));
  // `alias` is Terraform's meta-argument, not part of the provider's schema.
  return blockOf(mod, entries, root.name, `${root.name}Config`, kind === "provider" ? ["alias"] : []);
}

/** Walks a block applying `f` to every attribute, with its dotted path. */
export function visitAttributes(block: Block, f: (path: string, a: Attribute) => void, prefix = ""): void {
  for (const a of block.attributes) f(`${prefix}${a.name}`, a);
  for (const b of block.blocks) visitAttributes(b.block, f, `${prefix}${b.name}.`);
}
