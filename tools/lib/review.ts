/**
 * Review of a synthesized change: the Terraform JSON of every stack at a base ref against the
 * working tree (or a head ref), resource by resource, with predicted replacements, renamed
 * construct ids and the protection rule.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AttrDiff, diffValues, isObject, type Json, type JsonObject, schemaPath, stripMeta, type Value, valuesAt } from "./json";
import { FORCE_NEW, predictReplacement, SET_ARGUMENTS } from "./force-new";
import { reviewRules } from "./eks-rules";
import { applyAcknowledgements, applyProtection, pairRenames, type Report, type ReportSection, type ResourceChange, type StackReport } from "./report";
import { type Resource, stackEnvironment, stackResources } from "./stack-json";
import { ENVIRONMENTS_OUT, readSynthOutput, resolveBase, synthesize, ToolError, withTempDir, withWorktree } from "./synth";
import { environmentsIn } from "./cost/review-section";

/** `moved { from, to }` blocks of a stack (cdktf `moveFromId` / `moveTo`), keyed by `to`. */
function movedBlocks(stack: JsonObject | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const moved = stack?.moved;
  for (const block of Array.isArray(moved) ? moved : []) {
    if (isObject(block) && typeof block.from === "string" && typeof block.to === "string") out.set(block.to, block.from);
  }
  return out;
}

/** `import { to, id }` blocks of a stack (cdktf `importFrom`), keyed by `to`. Terraform ≥ 1.5. */
function importBlocks(stack: JsonObject | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const imports = stack?.import;
  for (const block of Array.isArray(imports) ? imports : []) {
    if (isObject(block) && typeof block.to === "string" && typeof block.id === "string") out.set(block.to, block.id);
  }
  return out;
}

/** Meta-arguments: changing only these makes no API call. */
const META_ARGUMENTS = new Set(["lifecycle", "depends_on", "provisioner", "connection"]);

const lifecycle = (body: Value): JsonObject => (isObject(body) && isObject(body.lifecycle) ? body.lifecycle : {});

/**
 * Paths in `lifecycle.ignore_changes` (`"scaling_config[0].desired_size"`, or `"all"`), as
 * schema paths: Terraform plans no change for them.
 * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes
 */
function ignoredPaths(body: JsonObject): string[] | "all" {
  const ignore = lifecycle(body).ignore_changes;
  if (ignore === "all" || (Array.isArray(ignore) && ignore.includes("all"))) return "all";
  if (!Array.isArray(ignore)) return [];
  return ignore.filter((p): p is string => typeof p === "string").map((p) => p.replace(/\[[^\]]*\]/g, "").replace(/^\.|\.$/g, ""));
}

const underAny = (path: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => path === p || path.startsWith(`${p}.`));

/** A copy of `body` without the arguments at `paths` (schema paths). */
function omit(body: Json, paths: readonly string[], prefix = ""): Json {
  if (Array.isArray(body)) return body.map((item) => omit(item, paths, prefix));
  if (!isObject(body)) return body;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (!paths.includes(path)) out[key] = omit(value, paths, path);
  }
  return out;
}

const REFERENCE = /\$\{([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z0-9_]+)\}/g;
const hasExpression = (v: Value): boolean => JSON.stringify(v ?? null).includes("${");

/**
 * Resolves plain references to literal arguments of the same stack
 * (`"${aws_eks_cluster.main.name}-batch"` → `"prod-batch"` when the cluster's `name` is the
 * literal "prod"), so rewriting an expression into its value, or back, is not reported as a
 * change. Computed attributes (arn, id) and anything else stay as written.
 */
export function resolveReferences(value: Json, resources: ReadonlyMap<string, Resource>, depth = 0): Json {
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, resources, depth));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) out[key] = resolveReferences(v, resources, depth);
    return out;
  }
  if (typeof value !== "string" || depth > 3 || !value.includes("${")) return value;
  const resolved = value.replace(REFERENCE, (ref, type: string, name: string, attr: string) => {
    const target = resources.get(`${type}.${name}`)?.body[attr];
    const literal = target === undefined ? undefined : resolveReferences(target, resources, depth + 1);
    return typeof literal === "string" || typeof literal === "number" || typeof literal === "boolean"
      ? String(literal).includes("${") ? ref : String(literal)
      : ref;
  });
  return resolved;
}

interface CompareContext {
  readonly base: ReadonlyMap<string, Resource>;
  readonly head: ReadonlyMap<string, Resource>;
  readonly notes: string[];
}

/** The change between two bodies of the same resource (same address, or moved). */
/** `body` with each set-typed argument of `type` (SET_ARGUMENTS) in sorted order: a reorder is no change. */
function sortedSets(type: string, body: JsonObject): JsonObject {
  const paths = SET_ARGUMENTS[type];
  if (!paths) return body;
  const sortAt = (value: Json, steps: readonly string[]): Json => {
    if (steps.length === 0) return Array.isArray(value) && value.every((v) => typeof v !== "object") ? [...value].sort((x, y) => String(x).localeCompare(String(y))) : value;
    if (Array.isArray(value)) return value.map((v) => sortAt(v, steps));
    if (!isObject(value) || !(steps[0]! in value)) return value;
    return { ...value, [steps[0]!]: sortAt(value[steps[0]!]!, steps.slice(1)) };
  };
  return paths.reduce<JsonObject>((b, path) => sortAt(b, path.split(".")) as JsonObject, body);
}

function compareResource(
  address: string,
  type: string,
  unsortedBefore: JsonObject,
  unsortedAfter: JsonObject,
  context: CompareContext,
  movedFrom?: string,
): ResourceChange | undefined {
  const [before, after] = [sortedSets(type, unsortedBefore), sortedSets(type, unsortedAfter)];
  const preventDestroy = lifecycle(before).prevent_destroy === true || lifecycle(after).prevent_destroy === true;
  const ignored = ignoredPaths(after);
  const resolvedBefore = resolveReferences(before, context.base);
  const resolvedAfter = resolveReferences(after, context.head);
  // Diff what Terraform would see (references resolved on both sides), shown as written where
  // the text changed, and as resolved where only a referenced value changed.
  const textual = new Map(diffValues(before, after).map((d) => [d.path, d]));
  const effective = diffValues(resolvedBefore, resolvedAfter);
  const allDiffs = effective.map((d) => textual.get(d.path) ?? d);
  const viaReference = effective.filter((d) => !textual.has(d.path)).map((d) => `\`${d.path}\``);
  const rewrites = [...textual.keys()].filter((path) => !effective.some((d) => d.path === path)).length;
  if (rewrites > 0) context.notes.push(`${address}: ${rewrites} rewritten expression(s) resolve to the same value`);
  let diffs: AttrDiff[] = allDiffs;
  let b: Json = resolvedBefore;
  let a: Json = resolvedAfter;
  if (ignored === "all") {
    diffs = allDiffs.filter((d) => META_ARGUMENTS.has(String(d.steps[0])));
    b = a = {};
  } else if (ignored.length > 0) {
    diffs = allDiffs.filter((d) => !underAny(schemaPath(d.steps), ignored));
    b = omit(resolvedBefore, ignored);
    a = omit(resolvedAfter, ignored);
  }
  if (diffs.length < allDiffs.length) {
    const skipped = allDiffs.filter((d) => !diffs.includes(d)).map((d) => `\`${d.path}\``);
    context.notes.push(`${address}: change to ${skipped.join(", ")} ignored (lifecycle.ignore_changes)`);
  }
  if (diffs.length === 0 && movedFrom === undefined) return undefined;
  // A value that is still an expression is only known at plan time: the replacement is possible, not certain.
  const causes = predictReplacement(type, b, a).map((c) =>
    !c.possible && (hasExpression(valuesAt(b, c.path)) || hasExpression(valuesAt(a, c.path)))
      ? { ...c, possible: true, note: [c.note, "compares expressions resolved at plan time"].filter(Boolean).join("; ") }
      : c,
  );
  const replace = causes.length > 0;
  const reasons = [
    movedFrom !== undefined ? `moved from ${movedFrom}` : undefined,
    viaReference.length > 0 ? `changes through a referenced value: ${viaReference.join(", ")}` : undefined,
  ].filter((r): r is string => r !== undefined);
  return {
    address,
    type,
    action: replace ? "replace" : diffs.length === 0 ? "no-op" : "update",
    ...(replace
      ? { replaceOrder: lifecycle(after).create_before_destroy === true ? "create-before-destroy" : "destroy-before-create" }
      : {}),
    causes,
    diffs,
    ...(movedFrom !== undefined ? { movedFrom } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
    preventDestroy,
    ...(lifecycle(after).prevent_destroy === true ? { preventDestroyAfter: true } : {}),
    ...(diffs.length > 0 && diffs.every((d) => META_ARGUMENTS.has(String(d.steps[0]))) ? { metaOnly: true } : {}),
    ...(!replace && diffs.length > 0 && FORCE_NEW[type] === undefined && !diffs.every((d) => META_ARGUMENTS.has(String(d.steps[0]))) ? { unpredicted: true } : {}),
  };
}

/** Provider configuration, provider versions and backend: changes worth a reviewer's eye. */
function stackSettings(stack: JsonObject | undefined): JsonObject {
  const terraform = isObject(stack?.terraform) ? stack.terraform : {};
  const backend = isObject(terraform.backend) ? { ...terraform.backend } : undefined;
  // cdktf's default local backend path is absolute (the checkout's directory): not a change.
  if (backend && isObject(backend.local)) backend.local = omit(backend.local, ["path"]);
  return stripMeta({
    ...(stack?.provider !== undefined ? { provider: stack.provider } : {}),
    ...(terraform.required_providers !== undefined ? { required_providers: terraform.required_providers } : {}),
    ...(backend !== undefined ? { backend } : {}),
  }) as JsonObject;
}

/** One stack, base → head. Either may be missing (stack added to or removed from the app). */
export function compareStack(name: string, base: JsonObject | undefined, head: JsonObject | undefined): StackReport {
  const baseEnv = stackEnvironment(base);
  const headEnv = stackEnvironment(head);
  // Protected if either side says so: a change that drops the flag must not unprotect itself.
  const isProtected = baseEnv.protected || headEnv.protected;
  const protectionSource = headEnv.protected
    ? '"//".environment.protected'
    : baseEnv.protected
      ? '"//".environment.protected (base only: the change removes it)'
      : "not marked protected";
  const notes: string[] = [];
  const baseResources = stackResources(base);
  const headResources = stackResources(head);

  if (head === undefined) {
    notes.push(
      `stack removed from the app: \`cdktf deploy\` no longer manages its ${baseResources.size} resources; they stay until \`cdktf destroy ${name}\``,
    );
    return { name, protected: isProtected, protectionSource, changes: [], renames: [], settings: [], notes, unchanged: 0 };
  }
  if (base === undefined) notes.push("new stack");

  const moved = movedBlocks(head);
  const imports = importBlocks(head);
  // A moved object is found in the base under its new address too, so references to it resolve.
  const baseWithMoves = new Map(baseResources);
  for (const [to, from] of moved) if (baseResources.has(from) && !baseResources.has(to)) baseWithMoves.set(to, baseResources.get(from)!);
  const context: CompareContext = { base: baseWithMoves, head: headResources, notes };
  const changes: ResourceChange[] = [];
  const removed: Resource[] = [];
  const added: Resource[] = [];
  let unchanged = 0;
  const movedAway = new Set<string>();
  for (const [to, from] of moved) if (headResources.has(to) && baseResources.has(from) && !baseResources.has(to)) movedAway.add(from);

  // References to a moved object in the base read as references to its new address: the same object.
  const movedRefs = [...moved].filter(([, from]) => movedAway.has(from));
  const followMoves = (body: JsonObject): JsonObject =>
    movedRefs.length === 0 ? body : (JSON.parse(movedRefs.reduce((text, [to, from]) => text.split(`\${${from}.`).join(`\${${to}.`), JSON.stringify(body))) as JsonObject);
  for (const [address, resource] of headResources) {
    const old = baseResources.get(address);
    const from = moved.get(address);
    if (old !== undefined) {
      const change = compareResource(address, resource.type, followMoves(old.body), resource.body, context);
      if (change === undefined) unchanged++;
      else changes.push(change);
    } else if (from !== undefined && movedAway.has(from)) {
      const source = baseResources.get(from)!;
      const change = compareResource(address, resource.type, followMoves(source.body), resource.body, context, from);
      if (change !== undefined) changes.push(change);
    } else {
      added.push(resource);
    }
  }
  for (const [address, resource] of baseResources) {
    if (!headResources.has(address) && !movedAway.has(address)) removed.push(resource);
  }

  const renames = pairRenames(removed, added);
  const renamedTo = new Map(renames.map((r) => [r.from, r.to]));
  const renamedFrom = new Map(renames.map((r) => [r.to, r.from]));
  for (const r of added) {
    const from = renamedFrom.get(r.address);
    const importId = imports.get(r.address);
    changes.push({
      address: r.address,
      type: r.type,
      action: "create",
      causes: [],
      diffs: diffValues(undefined, r.body),
      ...(from ? { reason: `new address; ${from} disappears (renamed construct id?)` } : {}),
      ...(importId !== undefined ? { importId, reason: `imported: the existing object \`${importId}\` is adopted (import block), not created` } : {}),
      preventDestroy: lifecycle(r.body).prevent_destroy === true,
    });
  }
  for (const r of removed) {
    const to = renamedTo.get(r.address);
    changes.push({
      address: r.address,
      type: r.type,
      action: "delete",
      causes: [],
      diffs: diffValues(r.body, undefined),
      reason: to ? `address gone; ${to} appears (renamed construct id?): destroy + create` : "removed from the configuration",
      preventDestroy: lifecycle(r.body).prevent_destroy === true,
    });
  }
  changes.sort((x, y) => x.address.localeCompare(y.address));
  // A replaced object gets new attribute values (ids, ARNs): what references it changes too,
  // possibly by replacement. Only a real plan knows; say where to look.
  for (const change of changes.filter((c) => c.action === "replace")) {
    const dependents = [...headResources.values()]
      .filter((r) => r.address !== change.address && JSON.stringify(r.body).includes(`${change.address}.`))
      .map((r) => r.address);
    if (dependents.length > 0) {
      notes.push(`${change.address} is replaced; it is referenced by ${dependents.join(", ")}, which may change or be replaced with it`);
    }
  }
  return {
    name,
    protected: isProtected,
    protectionSource,
    changes,
    renames,
    settings: diffValues(stackSettings(base), stackSettings(head)),
    notes,
    unchanged,
  };
}

/** Every stack of two synth outputs. */
export function compareSynth(base: ReadonlyMap<string, JsonObject>, head: ReadonlyMap<string, JsonObject>): StackReport[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((name) => compareStack(name, base.get(name), head.get(name)));
}

/**
 * The acknowledgements file of a pull request (`.review/acknowledgements`): one line each,
 * `allow-destroy <address>  # reason` or `acknowledge <rule>:<stack>  # reason`. A file in the
 * change (not a label): it is reviewed and versioned with the change it accepts, CODEOWNERS can
 * require an owner's approval for it, and the accepted address is visible in the diff.
 */
export function parseAcknowledgements(text: string, file: string): { allowDestroy: string[]; acknowledge: string[] } {
  const out = { allowDestroy: [] as string[], acknowledge: [] as string[] };
  const problems: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const [entry = "", ...reason] = raw.split("#");
    const line = entry.trim();
    if (line === "") return;
    const m = /^(allow-destroy|acknowledge)\s+(\S+)$/.exec(line);
    if (!m) problems.push(`${file}:${i + 1}: expected "allow-destroy ADDRESS  # reason" or "acknowledge RULE:STACK  # reason"`);
    else if (reason.join("#").trim().length < 10) problems.push(`${file}:${i + 1}: ${m[2]}: give the reason after "#" (at least 10 characters)`);
    else (m[1] === "allow-destroy" ? out.allowDestroy : out.acknowledge).push(m[2]!);
  });
  if (problems.length > 0) throw new ToolError(problems.join("\n"));
  return out;
}

/** The command-line options that accept findings and destroys, shared by review, plan-summary and plan. */
export const ACKNOWLEDGEMENT_OPTIONS = {
  "allow-destroy": {
    type: "string",
    value: "ADDRESS",
    multiple: true,
    default: [] as string[],
    description: "accept replacing/destroying a protected resource: <stack>/<type>.<name>\n(that stack) or <type>.<name> (any stack)",
  },
  acknowledge: {
    type: "string",
    value: "RULE:STACK",
    multiple: true,
    default: [] as string[],
    description: "accept a blocking finding that can be acknowledged (compute-mode-switch:prod-aws, ...)",
  },
  acknowledgements: {
    type: "string",
    value: "FILE",
    description: "read acknowledgements from FILE, one a line with a reason:\n`allow-destroy ADDRESS  # why` or `acknowledge RULE:STACK  # why` (PRs: .review/acknowledgements)",
  },
} as const;

/**
 * The options of ACKNOWLEDGEMENT_OPTIONS together: the command line's and the file's. A file that
 * does not exist acknowledges nothing (a pull request without one); one that cannot be read is an error.
 */
export function acknowledgementsFrom(values: { "allow-destroy"?: string[]; acknowledge?: string[]; acknowledgements?: string }): { allowDestroy: string[]; acknowledge: string[] } {
  let fromFile = { allowDestroy: [] as string[], acknowledge: [] as string[] };
  if (values.acknowledgements !== undefined) {
    let text: string | undefined;
    try {
      text = readFileSync(values.acknowledgements, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new ToolError(`--acknowledgements ${values.acknowledgements}: ${(e as Error).message}`);
    }
    if (text !== undefined) fromFile = parseAcknowledgements(text, values.acknowledgements);
  }
  return {
    allowDestroy: [...(values["allow-destroy"] ?? []), ...fromFile.allowDestroy],
    acknowledge: [...(values.acknowledge ?? []), ...fromFile.acknowledge],
  };
}

export interface ReviewInput {
  readonly allowDestroy?: readonly string[];
  /** `<rule>:<stack>` or `<rule>:<stack>/<address>`: accepted blocking findings. */
  readonly acknowledge?: readonly string[];
  /** Sections other tools add (cost delta, ...). */
  readonly sections?: readonly ReportSection[];
}

/** Everything the review decides from two synth outputs: changes, protection, rules, guided changes. */
export function reviewSynth(
  base: ReadonlyMap<string, JsonObject>,
  head: ReadonlyMap<string, JsonObject>,
  input: ReviewInput = {},
): Omit<Report, "title" | "subject"> {
  const stacks = compareSynth(base, head);
  const { findings, guided } = reviewRules(base, head, stacks);
  return {
    stacks,
    ...applyProtection(stacks, input.allowDestroy ?? []),
    ...applyAcknowledgements(findings, input.acknowledge ?? []),
    guided,
    ...(input.sections && input.sections.length > 0 ? { sections: input.sections } : {}),
  };
}

export interface ReviewOptions extends ReviewInput {
  /** The git repository holding the app. */
  readonly repo: string;
  /** Base ref; see resolveBase for the default. */
  readonly base?: string;
  /** Head ref; default: the working tree as it is (uncommitted changes included). */
  readonly head?: string;
  /** Synth command run in the checkout with CDKTF_OUTDIR set. */
  readonly synthCommand?: string;
  /** Progress of the slow steps (each synth takes a second or more), for stderr. */
  readonly onProgress?: (line: string) => void;
  /** Also collect the environments each side's synth validated (for sectionsFor). */
  readonly environments?: boolean;
  /**
   * Keep the base's synth output here, by commit, and reuse it: reviewing against the same base
   * again synthesizes only the head (issue 15). Not used when EKS_ENVIRONMENTS names a module
   * (what it imports is not known); a .json file is part of the key.
   */
  readonly cacheDir?: string;
  /** Report sections computed from both sides' environments (the cost delta). */
  readonly sectionsFor?: (sides: ReviewSides) => readonly ReportSection[];
}

/** The environments one side's synth validated, why there are none, or undefined (not this project's layout). */
export type SideEnvironments = { readonly environments: unknown[] } | { readonly error: string } | undefined;

export interface ReviewSides {
  readonly base: { readonly sha: string; readonly environments: SideEnvironments };
  readonly head: { readonly ref?: string; readonly environments: SideEnvironments };
}

interface Side {
  readonly stacks: Map<string, JsonObject>;
  readonly environments: SideEnvironments;
}

/** One side's synth in `dir` (a checkout), with the environments it validated when asked. */
function synthSide(dir: string, out: string, options: ReviewOptions): Side {
  const envFile = `${out}.environments.json`;
  synthesize(dir, out, options.synthCommand, options.environments ? { [ENVIRONMENTS_OUT]: envFile } : {});
  const stacks = readSynthOutput(out);
  if (!options.environments) return { stacks, environments: undefined };
  if (existsSync(envFile)) return { stacks, environments: { environments: JSON.parse(readFileSync(envFile, "utf8")) as unknown[] } };
  // A checkout from before main.ts wrote them: load them with its own code (a second process).
  if (!existsSync(join(dir, "stacks", "load-environments.ts"))) return { stacks, environments: undefined };
  try {
    return { stacks, environments: { environments: environmentsIn(dir) } };
  } catch (e) {
    return { stacks, environments: { error: (e as Error).message } };
  }
}

const BASE_CACHE_VERSION = "review-base-1";
const BASE_CACHE_ENTRIES = 10;

/** The base cache's key: the commit and everything else its synth depends on; undefined: not cacheable. */
function baseCacheKey(repo: string, sha: string, options: ReviewOptions): string | undefined {
  const file = process.env.EKS_ENVIRONMENTS;
  if (file !== undefined && file !== "" && !file.endsWith(".json")) return undefined;
  const read = (path: string) => {
    try {
      return readFileSync(path);
    } catch {
      return "";
    }
  };
  const hash = createHash("sha256");
  for (const part of [BASE_CACHE_VERSION, sha, options.synthCommand ?? "(cdktf.json app)", options.environments ? "environments" : "", process.version, file ?? ""]) hash.update(`${part}\0`);
  // The base synthesizes with this checkout's node_modules (linked into its worktree).
  hash.update(read(join(repo, "node_modules", ".package-lock.json")));
  if (file) hash.update(read(resolve(file)));
  return hash.digest("hex").slice(0, 24);
}

function readCachedBase(dir: string): Side | undefined {
  if (!existsSync(join(dir, "complete"))) return undefined;
  try {
    const environments = JSON.parse(readFileSync(join(dir, "environments.json"), "utf8")) as SideEnvironments | null;
    return { stacks: readSynthOutput(join(dir, "out")), environments: environments ?? undefined };
  } catch {
    return undefined;
  }
}

/** Stores a base synth (write to a temporary name, then rename: concurrent reviews never see half of it). */
function writeCachedBase(cacheDir: string, key: string, out: string, side: Side): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = join(cacheDir, `${key}.${process.pid}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    cpSync(out, join(tmp, "out"), { recursive: true });
    writeFileSync(join(tmp, "environments.json"), JSON.stringify(side.environments ?? null));
    writeFileSync(join(tmp, "complete"), "");
    if (existsSync(join(cacheDir, key))) rmSync(tmp, { recursive: true, force: true });
    else renameSync(tmp, join(cacheDir, key));
    const entries = readdirSync(cacheDir)
      .filter((e) => !e.endsWith(".tmp"))
      .map((e) => ({ e, t: statSync(join(cacheDir, e)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { e } of entries.slice(BASE_CACHE_ENTRIES)) rmSync(join(cacheDir, e), { recursive: true, force: true });
  } catch {
    // a read-only checkout reviews without a cache
  }
}

/** Synthesizes base and head, compares them and applies the protection rule. */
export function runReview(options: ReviewOptions): Report {
  const base = resolveBase(options.repo, options.base);
  return withTempDir("eks-review-out-", (tmp) => {
    const key = options.cacheDir !== undefined ? baseCacheKey(options.repo, base.sha, options) : undefined;
    const cached = key !== undefined ? readCachedBase(join(options.cacheDir!, key)) : undefined;
    let baseSide: Side;
    if (cached !== undefined) {
      options.onProgress?.(`the base, ${base.sha.slice(0, 12)} (${base.description}), as synthesized before (${options.cacheDir}/${key})`);
      baseSide = cached;
    } else {
      options.onProgress?.(`synthesizing the base, ${base.sha.slice(0, 12)} (${base.description})`);
      const out = join(tmp, "base");
      baseSide = withWorktree(options.repo, base.sha, (dir) => synthSide(dir, out, options));
      if (key !== undefined) writeCachedBase(options.cacheDir!, key, out, baseSide);
    }
    options.onProgress?.(`synthesizing ${options.head === undefined ? "the working tree" : options.head}`);
    const headSide =
      options.head === undefined
        ? synthSide(options.repo, join(tmp, "head"), options)
        : withWorktree(options.repo, options.head, (dir) => synthSide(dir, join(tmp, "head"), options));
    const extra =
      options.sectionsFor?.({
        base: { sha: base.sha, environments: baseSide.environments },
        head: { ...(options.head !== undefined ? { ref: options.head } : {}), environments: headSide.environments },
      }) ?? [];
    const sections = [...(options.sections ?? []), ...extra];
    return {
      title: "Synth review",
      subject: `base \`${base.sha.slice(0, 12)}\` (${base.description}) → ${options.head === undefined ? "working tree" : `\`${options.head}\``}`,
      ...reviewSynth(baseSide.stacks, headSide.stacks, { ...options, sections }),
    };
  });
}
