/**
 * Reports field differences between our hand-written CRD schemas (schemas/) and upstream copies of
 * the CRDs, so a reconciliation can be proved and a new upstream release compared. Upstream files
 * are read from a directory the caller names; nothing upstream is part of this project.
 *
 *   npx tsx tools/check-crd-drift.ts <upstream dir>
 *
 * <upstream dir> holds eks-auto-mode/{targetgroupbinding,ingressclassparams,nodeclass}_v1.json
 * (`kubeschema dump` of a live Auto Mode cluster, e.g. imroc/kubeschemas) and
 * aws-load-balancer-controller/crds.yaml (the controller chart's crds/crds.yaml). A missing file
 * is reported and skipped.
 *
 * Compared per field path (`spec.networking.ingress[].from[].ipBlock`): presence, type, required,
 * enum, and the bounds minItems/maxItems/minLength/maxLength/minimum/maximum/pattern. metadata and
 * status are not compared. A difference at a field whose schema in ours has a `$comment` starting
 * with "Deliberate" is listed as deliberate, with that comment; the others are drift.
 * Exit 0 no drift (deliberate differences allowed), 1 drift, 2 usage error.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

type Schema = Record<string, unknown>;
interface Field {
  readonly schema: Schema;
  readonly required: boolean;
}

const ROOT = join(__dirname, "..");
const BOUNDS = ["minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern", "minProperties", "maxProperties"] as const;

/** Ours → where its upstream lives in the upstream dir. */
export const PAIRS: ReadonlyArray<{ ours: string; upstream: (dir: string) => Schema | string }> = [
  { ours: "schemas/eks.amazonaws.com/v1/target-group-binding.schema.json", upstream: (d) => json(join(d, "eks-auto-mode/targetgroupbinding_v1.json")) },
  { ours: "schemas/eks.amazonaws.com/v1/ingress-class-params.schema.json", upstream: (d) => json(join(d, "eks-auto-mode/ingressclassparams_v1.json")) },
  { ours: "schemas/eks.amazonaws.com/v1/node-class.schema.json", upstream: (d) => json(join(d, "eks-auto-mode/nodeclass_v1.json")) },
  { ours: "schemas/elbv2.k8s.aws/v1beta1/target-group-binding.schema.json", upstream: (d) => crd(join(d, "aws-load-balancer-controller/crds.yaml"), "targetgroupbindings.elbv2.k8s.aws", "v1beta1") },
  { ours: "schemas/elbv2.k8s.aws/v1beta1/ingress-class-params.schema.json", upstream: (d) => crd(join(d, "aws-load-balancer-controller/crds.yaml"), "ingressclassparams.elbv2.k8s.aws", "v1beta1") },
];

function json(file: string): Schema | string {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Schema) : `${file}: not found`;
}

function crd(file: string, name: string, version: string): Schema | string {
  if (!existsSync(file)) return `${file}: not found`;
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const c = doc.toJS() as { metadata?: { name?: string }; spec?: { versions?: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> } } | null;
    if (c?.metadata?.name !== name) continue;
    const v = c.spec?.versions?.find((x) => x.name === version);
    if (v?.schema?.openAPIV3Schema) return v.schema.openAPIV3Schema;
  }
  return `${file}: no ${name} ${version}`;
}

/** Resolves `$ref: #/definitions/x` against the document root. */
function resolve(node: Schema, root: Schema): Schema {
  let n = node;
  while (typeof n.$ref === "string" && n.$ref.startsWith("#/")) {
    n = n.$ref.slice(2).split("/").reduce<Schema>((s, k) => s[k] as Schema, root);
  }
  return n;
}

/** Every field below `spec` (and the top level), by path. */
export function fields(root: Schema): Map<string, Field> {
  const out = new Map<string, Field>();
  const walk = (raw: Schema, path: string, required: boolean) => {
    const node = resolve(raw, root);
    if (path) out.set(path, { schema: node, required });
    if (path === "metadata" || path === "status") return;
    const props = (node.properties ?? {}) as Record<string, Schema>;
    const req = new Set((node.required ?? []) as string[]);
    for (const [k, v] of Object.entries(props)) walk(v, path ? `${path}.${k}` : k, req.has(k));
    if (node.items && typeof node.items === "object") walk(node.items as Schema, `${path}[]`, false);
    if (node.additionalProperties && typeof node.additionalProperties === "object") walk(node.additionalProperties as Schema, `${path}{}`, false);
  };
  walk(root, "", true);
  return out;
}

/** `string`, `integer|string` (int-or-string), `object`, ... */
function typeOf(s: Schema): string {
  if (typeof s.type === "string") return s.type;
  const any = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (any) return [...new Set(any.map((a) => typeOf(a)))].sort().join("|");
  if (s["x-kubernetes-int-or-string"]) return "integer|string";
  return "any";
}

const LAST_STEP = /(\[\]|\{\}|\.[^.[{]+)$/;

/**
 * Why a difference is deliberate: the field's own `$comment` starting with "Deliberate"; for a
 * field only upstream has, its parent's such comment naming it in backticks.
 */
function deliberate(ours: Map<string, Field>, path: string): string | undefined {
  const own = ours.get(path)?.schema.$comment;
  if (typeof own === "string" && own.startsWith("Deliberate")) return own;
  if (ours.has(path)) return undefined;
  const name = path.split(/[.[{]/).pop()!;
  const parent = ours.get(path.replace(LAST_STEP, ""))?.schema.$comment;
  return typeof parent === "string" && parent.startsWith("Deliberate") && parent.includes(`\`${name}\``) ? parent : undefined;
}

export function compare(oursRoot: Schema, upstreamRoot: Schema): { drift: string[]; deliberate: string[] } {
  const ours = fields(oursRoot);
  const theirs = fields(upstreamRoot);
  const drift: string[] = [];
  const known: string[] = [];
  const report = (path: string, what: string) => {
    const why = deliberate(ours, path);
    if (why) known.push(`${path}: ${what} [${why}]`);
    else drift.push(`${path}: ${what}`);
  };
  const skip = (p: string) => /^(metadata|status)([.[{]|$)/.test(p);
  for (const path of [...new Set([...ours.keys(), ...theirs.keys()])].filter((p) => !skip(p)).sort()) {
    const a = ours.get(path);
    const b = theirs.get(path);
    // A field missing on one side is reported once, not again for each field below it.
    const parent = path.replace(LAST_STEP, "");
    if (parent !== path && (!ours.has(parent) || !theirs.has(parent)) && parent !== "") continue;
    if (!a) report(path, "only upstream");
    else if (!b) report(path, "only ours");
    else {
      if (typeOf(a.schema) !== typeOf(b.schema) && typeOf(b.schema) !== "any") report(path, `type ${typeOf(a.schema)} (upstream ${typeOf(b.schema)})`);
      if (a.required !== b.required) report(path, a.required ? "required in ours only" : "required upstream only");
      const ea = JSON.stringify(((a.schema.enum as unknown[]) ?? (a.schema.const !== undefined ? [a.schema.const] : undefined))?.slice().sort());
      const eb = JSON.stringify((b.schema.enum as unknown[])?.slice().sort());
      if (ea !== eb) report(path, `enum ${ea ?? "none"} (upstream ${eb ?? "none"})`);
      for (const k of BOUNDS) {
        if (a.schema[k] !== b.schema[k]) report(path, `${k} ${JSON.stringify(a.schema[k]) ?? "none"} (upstream ${JSON.stringify(b.schema[k]) ?? "none"})`);
      }
    }
  }
  return { drift, deliberate: known };
}

function main(argv: readonly string[]): number {
  if (argv.length !== 1 || argv[0] === "--help") {
    process.stderr.write("usage: npx tsx tools/check-crd-drift.ts <upstream dir>\n");
    return 2;
  }
  let drifted = 0;
  for (const pair of PAIRS) {
    const upstream = pair.upstream(argv[0]!);
    if (typeof upstream === "string") {
      process.stdout.write(`${pair.ours}: skipped (${upstream})\n`);
      continue;
    }
    const { drift, deliberate: known } = compare(JSON.parse(readFileSync(join(ROOT, pair.ours), "utf8")) as Schema, upstream);
    drifted += drift.length;
    process.stdout.write(`${pair.ours}: ${drift.length} drift, ${known.length} deliberate\n`);
    for (const d of drift) process.stdout.write(`  drift       ${d}\n`);
    for (const d of known) process.stdout.write(`  deliberate  ${d}\n`);
  }
  return drifted > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
