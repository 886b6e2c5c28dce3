#!/usr/bin/env node
/**
 * The cdktf app (cdktf.json "app": `node tools/synth.cjs`): runs main.ts from an esbuild bundle
 * kept in .cache/synth/, with a V8 code cache, instead of compiling TypeScript with tsx on every
 * run (issue "Speed": 1.2–1.4 s → ~0.23 s for the examples, same bytes out; see
 * docs/performance.md).
 *
 * Never stale: the bundle's name is a content hash of everything it is built from (main.ts,
 * stacks/, modules/, .gen/, tsconfig.json, package.json, both lock files, this file, the Node
 * version, and any other file outside node_modules the last build read); any change rebuilds
 * it (first run ~0.8 s). The check reads and hashes ~50 files and the lock files (~6 ms).
 *
 * Plain CommonJS on purpose (no tsx, no ESM loader start-up). Environment:
 *   EKS_ENVIRONMENTS=<file>     as for main.ts; a .ts/.js file is loaded at run time through tsx
 *   EKS_SYNTH_THREADS=<n>|auto  synthesize slices of the environments on worker threads (stacks/synth-threads.ts)
 *   EKS_SYNTH_NO_BUNDLE=1       run `node --import tsx main.ts` instead (to rule the bundle out)
 *   EKS_SYNTH_TOKEN_STACKS=1    keep cdktf's token creation stacks (quoted in token errors)
 *   EKS_SYNTH_NO_PATCHES=1      bundle cdktf as it is, none of PATCHES (each one's gain: docs/performance.md)
 *   EKS_SYNTH_STRICT_PATCHES=1  a patch that no longer applies fails the build (default under CI=true;
 *                               elsewhere a warning, and that file is bundled unchanged)
 *
 * Required as a module (tools/synth.ts, the tests), it runs nothing: see module.exports at the end.
 */
"use strict";

/**
 * cdktf 0.21 (archived, so not fixable upstream) calls the deprecated util.isArray for every
 * TerraformOutput; Node 22 warns about it (DEP0044) on every synth. Silence that one warning only.
 * https://nodejs.org/api/deprecations.html#DEP0044
 */
function silenceDep0044() {
  if (process.emitWarning.eksSilenced) return;
  const emitWarning = process.emitWarning;
  const silenced = function (warning, ...rest) {
    const code = typeof rest[0] === "object" && rest[0] !== null ? rest[0].code : rest[1];
    if (code === "DEP0044") return;
    return emitWarning.call(this, warning, ...rest);
  };
  silenced.eksSilenced = true;
  process.emitWarning = silenced;
}

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");
const { codeCacheFile: cacheFileFor, compile, hashFiles, readOrUndefined, registerTsxForEnvironments, writeAtomic, WRAPPER } = require("./lib/bundle-cache.cjs");

const ROOT = path.resolve(__dirname, "..");
const CACHE_DIR = path.join(ROOT, ".cache", "synth");
/** Read at each call: tests switch it in one process. */
const unpatched = () => Boolean(process.env.EKS_SYNTH_NO_PATCHES);
/** The patched and the unpatched bundle are kept apart (their own manifest, file prefix and key). */
const variant = () => (unpatched() ? "plain" : "app");
const manifestFile = () => path.join(CACHE_DIR, unpatched() ? "manifest-plain.json" : "manifest.json");
/** CI fails on a patch that no longer applies (a cdktf upgrade must revisit it), others are warned. */
const strictPatches = () => Boolean(process.env.EKS_SYNTH_STRICT_PATCHES) || (Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0");
/** Inputs hashed on every run (directories recursively). node_modules is covered by the lock files. */
const SOURCES = ["main.ts", "stacks", "modules", ".gen", "tsconfig.json", "package.json", "package-lock.json", "node_modules/.package-lock.json", path.relative(ROOT, __filename), "tools/lib/bundle-cache.cjs"];

/**
 * The bundle's entry. zod compiles a parser per object schema with `new Function` on first use
 * (its JIT); for one parse of a few environments that costs more than it saves (~15 ms).
 * `jitless` gives the same results through the interpreted path. It is read when a schema is
 * built, so it is set before main.ts (and with it stacks/environment-schema.ts) is loaded.
 */
const ENTRY = `import { config } from "zod";
config({ jitless: true });
module.exports = require("./main.ts");
`;

/**
 * Changes to cdktf's code in the bundle only (not in node_modules, not in tests), each measured
 * (see docs/performance.md). `apply` returns undefined when the file no longer
 * looks as expected (another cdktf version): the build then warns and bundles it unchanged.
 */
const PATCHES = [
  {
    // cdktf records a full stack trace (stackTraceLimit = MAX_SAFE_INTEGER, formatted into strings)
    // for every token it creates, only to quote it if resolving that token fails: ~90 ms of the
    // examples' synth. App({ stackTraces: false }) does not cover tokens. The error itself keeps
    // its own stack; EKS_SYNTH_TOKEN_STACKS=1 brings the creation stacks back.
    name: "token creation stacks on demand",
    module: "cdktf/lib/tokens/private/stack-trace.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/,
    apply: (source) =>
      source.includes("exports.captureStackTrace = captureStackTrace;")
        ? `${source}\nif (!process.env.EKS_SYNTH_TOKEN_STACKS) exports.captureStackTrace = () => [];\n`
        : undefined,
  },
  {
    // cdktf/lib/private/fs.js (TerraformAsset helpers) loads archiver and its stream stack at
    // start-up (~25 ms); this app has no assets. The bundle gets a stand-in that loads the real
    // module from node_modules on first use (which also keeps its `node __filename` archive call
    // working, which would run the bundle if it were bundled).
    name: "asset helpers on first use",
    module: "cdktf/lib/private/fs.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/,
    apply: (source) =>
      source.includes('const archiver = require("archiver");')
        ? `"use strict";
let real;
const load = () => real || (real = require("cdktf/lib/private/fs.js"));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });
`
        : undefined,
  },
  {
    // resolve() runs for every value of every resource, twice (prepareStack, then toTerraform).
    // Each call built its diagnostic path ("/" + prefix.join("/")) though only errors use it, and
    // copied its options with a spread whose source shapes vary (V8's slow path): ~35% of the
    // 50-environment synth. The copy lists the fields instead: options only ever has these five
    // (Tokenization.resolve and findTokens are resolve()'s only callers).
    name: "cheaper token resolution",
    module: "cdktf/lib/tokens/private/resolve.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/,
    apply: (source) => {
      const spread = /return resolve\(x, \{\s*\.\.\.options,\s*prefix: newPrefix,\s*previousContext: context,?\s*\}\);/;
      const diagnosticPath = 'const pathName = "/" + prefix.join("/");';
      const uses = source.match(/\(pathName[,)]/g) ?? [];
      if (!spread.test(source) || !source.includes(diagnosticPath) || uses.length !== 4) return undefined;
      return source
        .replace(spread, "return resolve(x, { scope: options.scope, resolver: options.resolver, preparing: options.preparing, prefix: newPrefix, previousContext: context });")
        .replace(diagnosticPath, 'const pathName = () => "/" + prefix.join("/");')
        .replace(/\(pathName([,)])/g, "(pathName()$1");
    },
  },
  {
    // Most values of a resource are plain: strings without a token, booleans. resolve() still gave
    // each one (and each object key) a resolution context (two closures, a prefix array) and ran
    // up to four regular expressions over it. This returns them as they are, decided by cdktf's
    // own checks (a token marker contains "{TfToken["; numbers encoded in a string are what
    // TokenString.forNumbers finds; the two map-token values throw, so they take the full path).
    // Applied after "cheaper token resolution" (same file).
    name: "plain values skip token resolution",
    module: "cdktf/lib/tokens/private/resolve.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/,
    apply: (source) => {
      const depthCheck = "if (prefix.length > 200) {";
      const element = ".map((x, i) => makeContext(`${i}`)[0].resolve(x))";
      const key = "const resolvedKey = makeContext()[0].resolve(key);";
      const value = "const value = makeContext(key)[0].resolve(obj[key]);";
      const helpers = "const tokenMap = token_map_1.TokenMap.instance();";
      if (![depthCheck, element, key, value, helpers].every((s) => source.split(s).length === 2)) return undefined;
      return source
        .replace(
          helpers,
          `${helpers}
/** A value resolve() would return unchanged without looking further (see tools/synth.cjs). */
function plainValue(x) {
    if (typeof x === "boolean") return true;
    return typeof x === "string" && x.indexOf("{TfToken[") === -1 && x !== token_1.Token.STRING_MAP_TOKEN_VALUE && x !== token_1.Token.ANY_MAP_TOKEN_VALUE && !encoding_1.TokenString.forNumbers(x).test();
}`,
        )
        // One level deeper must still be within the depth limit, or the full path throws as before.
        .replace(depthCheck, `const plain = (x) => prefix.length < 200 && plainValue(x);\n    ${depthCheck}`)
        .replace(element, ".map((x, i) => (plain(x) ? x : makeContext(`${i}`)[0].resolve(x)))")
        .replace(key, "const resolvedKey = plain(key) ? key : makeContext()[0].resolve(key);")
        // Read once, as cdktf does: a getter or Proxy value must not be asked twice.
        .replace(value, "const raw = obj[key];\n        const value = plain(raw) ? raw : makeContext(key)[0].resolve(raw);");
    },
  },
  {
    // App.synth() runs prepareStack() on every stack, which resolves every element's toTerraform()
    // only to discover cross-stack references, and throws the result away; the stack's
    // toTerraform() then builds and resolves every element again: ~20% of a 500-environment synth.
    // This hands each element's prepared fragment to toTerraform() instead, in a synth where
    // nothing can make a second build differ from the first. Five independent reviews found what
    // can; any one of these anywhere in the app, and every element is built again, as published:
    // - a token other than cdktf's Intrinsic and its Terraform expressions (references, property
    //   access, function calls, operators, conditionals, for expressions, depends_on), whose value
    //   depends on their arguments alone: a Lazy's producer runs again and may read or change what
    //   changed since (a later stack's cross-stack outputs, a registry an aspect filled, another
    //   element); a custom token may read `preparing`;
    // - an override deeper than one level, or one that is an object, or one on anything but a
    //   resource, data source or S3 backend (whose attributes each build makes afresh): deepMerge
    //   writes it into the attributes' own objects and lists, which may be the user's, shared
    //   with other elements, and appends a list override again at each build;
    // - code of the app's own that cdktf runs in between: an aspect, a custom synthesis or a
    //   validation other than cdktf's own on any construct; a stack's own prepareStack() or
    //   synthesizer; a stack-level override (resolved, Lazy and all, only in the final pass);
    // - a synth that has ended (one that threw half-way leaves fragments behind: App.synth()
    //   closes its round, the next entry, for app.js).
    // Checked at the synth's first toTerraform(), after the first stack's aspects ran.
    // `preparing` changes only tfExpression's Reference, which returns the cross-stack identifier
    // it records, as the final pass does; elements added in between (cross-stack outputs, remote
    // states) have no prepared fragment and are built as before. A fragment is used once; the
    // next synth prepares and checks again; toHclTerraform() drops them. What it cannot see: code
    // of the app's own that changes an element at another time (a stack's toTerraform() before it
    // calls cdktf's, a getter, a Proxy, a toJSON) or builds differently each time it runs;
    // test/stacks/user-environments.test.ts compares a team's stacks with cdktf as published.
    // Here: only the S3 backend's use_lockfile override, so every element is built once.
    // https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/cdktf/lib/app.ts (synth)
    name: "each element resolved once",
    module: "cdktf/lib/terraform-stack.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]terraform-stack\.js$/,
    apply: (source) => {
      const prepare = "terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));";
      const final = "const fragments = elements.map((e) => (0, _tokens_1.resolve)(this, e.toTerraform()));";
      const hcl = "const fragments = elements.map((e) => (0, _tokens_1.resolve)(this, e.toHclTerraform()));";
      const anchor = "// eslint-disable-next-line jsdoc/require-jsdoc\nfunction terraformElements(";
      if (![prepare, final, hcl, anchor].every((s) => source.split(s).length === 2)) return undefined;
      return source
        .replace(prepare, "eksPrepare(this, terraformElements(this));")
        .replace(final, "const eksPrepared = eksTakePrepared(this);\n        const fragments = elements.map((e) => (eksPrepared && eksPrepared.has(e) ? eksPrepared.get(e) : (0, _tokens_1.resolve)(this, e.toTerraform())));")
        .replace(hcl, `this[EKS_PREPARED] = undefined;\n        ${hcl}`)
        .replace(
          anchor,
          `// tools/synth.cjs, "each element resolved once".
const EKS_PREPARED = Symbol("eks: prepared fragments");
// Shared with app.js's part of this patch, which closes the round when App.synth() ends.
const EKS_ROUND = Symbol.for("eks: prepared round");
// Required on first use: cdktf's modules require each other in a cycle.
let eks;
function eksModules() {
    if (eks) return eks;
    const tokens = require("./tokens");
    /** Token classes whose value depends on their arguments alone (resolved through the same resolver). */
    const pure = new Set([
        require("./tokens/private/intrinsic").Intrinsic.prototype,
        ...[tfExpression_1.rawString("x"), tfExpression_1.ref("x"), tfExpression_1.propertyAccess("x", ["y"]), tfExpression_1.conditional(true, 1, 2), tfExpression_1.call("f", []), tfExpression_1.forExpression([], "x"), new tfExpression_1.OperatorExpression("+", 1, 2), tokens.Tokenization.reverseString(tfExpression_1.dependable({ fqn: "x.y" })).firstToken].map(Object.getPrototypeOf),
    ]);
    /** The default resolver (as _tokens.js's), noting whether it met any other token. */
    class PurityResolver extends tokens.DefaultTokenResolver {
        constructor() {
            super(new tokens.StringConcat());
            this.pure = true;
        }
        resolveToken(t, context, postProcessor) {
            if (this.pure && !(t !== null && typeof t === "object" && pure.has(Object.getPrototypeOf(t)))) this.pure = false;
            return super.resolveToken(t, context, postProcessor);
        }
    }
    const v = require("./validations");
    const fresh = [require("./terraform-resource").TerraformResource, require("./terraform-data-source").TerraformDataSource, require("./backends/s3-backend").S3Backend];
    eks = { tokens, PurityResolver, fresh, Aspects: require("./aspect").Aspects, ownValidations: [v.ValidateProviderPresence, v.ValidateBinaryVersion] }; // ValidateTerraformVersion extends the latter
    return eks;
}
/**
 * An override that cannot change anything but this element's own fresh attributes: one level
 * deep, not an object (deepMerge would descend into the attributes' objects and arrays, which
 * may be the user's own, shared with other elements), on a resource, data source or S3 backend
 * whose toTerraform() builds its attributes afresh (processDynamicAttributes, keysToSnakeCase).
 */
function eksOverridesStayHome(e) {
    const overrides = e.rawOverrides;
    if (overrides === undefined) return true;
    const keys = Object.keys(overrides);
    if (keys.length === 0) return true;
    const { fresh } = eksModules();
    if (!fresh.some((k) => e instanceof k && e.toTerraform === k.prototype.toTerraform)) return false;
    return keys.every((k) => overrides[k] === null || typeof overrides[k] !== "object" || Array.isArray(overrides[k]));
}
/** prepareStack's resolution; the fragments, and whether anything in it rules reuse out for this synth. */
function eksPrepare(stack, elements) {
    const { tokens: eksTokens, PurityResolver } = eksModules();
    const root = stack.node.root;
    // A synth's prepareStack() calls all come before its first toTerraform(): a prepare after a take starts a new one.
    if (root[EKS_ROUND] === undefined || root[EKS_ROUND].taken || root[EKS_ROUND].closed) root[EKS_ROUND] = { taken: false, closed: false, ruledOut: false, still: undefined };
    const round = root[EKS_ROUND];
    const prepared = new Map();
    for (const e of elements) {
        const resolver = new PurityResolver();
        const fragment = eksTokens.Tokenization.resolve(e.toTerraform(), { scope: stack, preparing: true, resolver });
        if (!resolver.pure || !eksOverridesStayHome(e)) round.ruledOut = true;
        prepared.set(e, fragment);
    }
    stack[EKS_PREPARED] = { round, fragments: prepared };
}
/**
 * Whether nothing of the app's own runs between the prepare and the final build: no aspect,
 * custom synthesis or validation other than cdktf's own on any construct; every stack with cdktf's
 * own prepareStack() and synthesizer, and no stack-level override (resolved only in the final pass).
 */
function eksAppStill(root) {
    const validate = Object.getPrototypeOf(root.node).validate;
    // constructs keeps validations in node._validations (10.x); if that changes, trust nothing.
    if (typeof validate !== "function" || !String(validate).includes("_validations")) return false;
    const { Aspects: eksAspects, ownValidations: own } = eksModules();
    for (const c of root.node.findAll()) {
        if (eksAspects.of(c).all.length > 0 || c[Symbol.for("cdktf/customSynthesis")] !== undefined) return false;
        if ((c.node._validations ?? []).some((v) => !own.some((k) => v instanceof k))) return false;
        if (TerraformStack.isStack(c)) {
            if (c.prepareStack !== TerraformStack.prototype.prepareStack) return false;
            if (Object.getPrototypeOf(c.synthesizer) !== synthesizer_1.StackSynthesizer.prototype) return false;
            if (Object.keys(c.rawOverrides ?? {}).length > 0) return false;
        }
    }
    return true;
}
/** This stack's prepared fragments, once; none if anything in this synth may make a second build differ. */
function eksTakePrepared(stack) {
    const prepared = stack[EKS_PREPARED];
    stack[EKS_PREPARED] = undefined;
    const round = stack.node.root[EKS_ROUND];
    // A closed round: its App.synth() ended (a throw leaves later stacks' fragments behind).
    if (!prepared || round === undefined || prepared.round !== round || round.closed) return undefined;
    // Decided once per round, at its first take (after the first stack's aspects ran).
    if (round.still === undefined) round.still = !round.ruledOut && eksAppStill(stack.node.root);
    round.taken = true;
    return round.still ? prepared.fragments : undefined;
}
${anchor}`,
        );
    },
  },
  {
    // The second half of "each element resolved once": App.synth() closes its round when it ends,
    // returning or throwing, so a stack whose synthesize() never ran (the synth threw before it)
    // does not hand old fragments to a later toTerraform() (Testing.synth, a retry in-process).
    name: "each element resolved once: the synth's end",
    module: "cdktf/lib/app.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]app\.js$/,
    apply: (source) => {
      const head = "    synth() {\n        const session = {";
      if (source.split(head).length !== 2) return undefined;
      return source.replace(
        head,
        `    synth() {
        try {
            return this.eksSynthOnce();
        }
        finally {
            const round = this[Symbol.for("eks: prepared round")];
            if (round !== undefined) round.closed = true;
        }
    }
    eksSynthOnce() {
        const session = {`,
      );
    },
  },
  {
    // cdktf writes every stack with json-stable-stringify 1.3.0 (sorted keys, `{ space: 2 }`),
    // which builds the text by concatenating strings at every level: the ~40 MB of 500
    // environments cost ~1 s, most of it Node flattening those strings when it writes the file.
    // For the options cdktf passes (none, or only `space`) this writes the same text into one list
    // joined once; any other option goes to the module as published. Same output, same errors, by
    // the module's own rules: toJSON first, undefined and functions skipped in objects and null in
    // arrays, keys in Array.prototype.sort order, empty containers as "[" + newline-indent + "]",
    // a cycle through objects a TypeError. https://github.com/ljharb/json-stable-stringify/blob/v1.3.0/index.js
    name: "stack JSON written in one piece",
    module: "cdktf/node_modules/json-stable-stringify/index.js",
    file: /[\\/]node_modules[\\/]cdktf[\\/]node_modules[\\/]json-stable-stringify[\\/]index\.js$/,
    apply: (source) => {
      const tail = "\t\t}({ '': obj }, '', obj, 0)\n\t);\n};\n";
      if (!source.endsWith(tail) || source.split("module.exports = function stableStringify(obj) {").length !== 2) return undefined;
      return `${source}
// tools/synth.cjs, "stack JSON written in one piece".
var eksPublished = module.exports;
var eksIndents = [];
module.exports = function stableStringify(obj) {
	var opts = arguments.length > 1 ? arguments[1] : void undefined;
	// The options the module reads besides space: any of them set, it does the work.
	var onlySpace = opts === undefined || (typeof opts === 'object' && opts !== null && !opts.cmp && !opts.replacer && opts.cycles === undefined && opts.collapseEmpty === undefined);
	if (!onlySpace) { return eksPublished.apply(this, arguments); }
	var space = (opts && opts.space) || '';
	// A space the module would repeat or concatenate in its own way (2.5, -1, true, a list) goes to it too.
	if (typeof space !== 'string' && !(Number.isInteger(space) && space > 0)) { return eksPublished.apply(this, arguments); }
	if (typeof space === 'number') { space = ' '.repeat(space); }
	var indents = space === '  ' ? eksIndents : [];
	var indentAt = function (level) {
		if (indents[level] === undefined) { indents[level] = space ? '\\n' + space.repeat(level) : ''; }
		return indents[level];
	};
	var colon = space ? ': ' : ':';
	var parts = [];
	var seen = [];
	/** Appends node's text to parts; false (and nothing appended) where the module returns undefined. */
	var emit = function (node, level) {
		if (node && node.toJSON && typeof node.toJSON === 'function') { node = node.toJSON(); }
		if (node === undefined) { return false; }
		if (typeof node !== 'object' || node === null) {
			var text = jsonStringify(node);
			if (text === undefined) { return false; }
			parts.push(text);
			return true;
		}
		var inner = indentAt(level + 1);
		if (isArray(node)) {
			parts.push('[');
			for (var i = 0; i < node.length; i++) {
				parts.push(i === 0 ? inner : ',' + inner);
				if (!emit(node[i], level + 1)) { parts.push('null'); }
			}
			parts.push(indentAt(level), ']');
			return true;
		}
		if ($indexOf(seen, node) !== -1) { throw new TypeError('Converting circular structure to JSON'); }
		seen.push(node);
		var keys = $sort(objectKeys(node));
		parts.push('{');
		var written = 0;
		for (var k = 0; k < keys.length; k++) {
			var mark = parts.length;
			parts.push(written === 0 ? inner : ',' + inner, jsonStringify(keys[k]) + colon);
			if (emit(node[keys[k]], level + 1)) { written += 1; } else { parts.length = mark; }
		}
		$splice(seen, $indexOf(seen, node), 1);
		parts.push(indentAt(level), '}');
		return true;
	};
	return emit(obj, 0) ? parts.join('') : undefined;
};
`;
    },
  },
];

/** Relative paths (with "/") of the files under `rel` (a file or a directory), sorted. */
function listFiles(rel) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true });
  } catch (e) {
    if (e.code === "ENOTDIR") return [rel];
    if (e.code === "ENOENT") return [];
    throw e;
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(`${rel}/${e.name}`) : [`${rel}/${e.name}`]));
}

/** Content hash of the sources and `extras` (files outside SOURCES that the last build read). */
function sourceKey(extras) {
  const hash = crypto.createHash("sha256").update(`1\0${process.version}\0${process.arch}\0${variant()}\0`);
  return hashFiles(hash, ROOT, [...SOURCES.flatMap(listFiles), ...extras]);
}

const bundleFile = (key) => path.join(CACHE_DIR, `${variant()}-${key}.js`);
const codeCacheFile = (key) => cacheFileFor(path.join(CACHE_DIR, `${variant()}-${key}`));

/** The current bundle's key and code, or undefined when it must be (re)built. */
function cachedBundle() {
  const manifest = readOrUndefined(manifestFile(), "utf8");
  if (manifest === undefined) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    return undefined;
  }
  const key = sourceKey(parsed.extras ?? []);
  if (parsed.key !== key) return undefined;
  const code = readOrUndefined(bundleFile(key), "utf8");
  return code === undefined ? undefined : { key, code };
}

async function build() {
  const esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
  const extrasBefore = [];
  const before = sourceKey(extrasBefore);
  const patchPlugin = {
    name: "eks-synth-patches",
    setup(b) {
      // One onLoad per file (esbuild uses the first that answers): its patches apply in order.
      const patches = unpatched() ? [] : PATCHES;
      for (const module of [...new Set(patches.map((p) => p.module))]) {
        const forFile = patches.filter((p) => p.module === module);
        b.onLoad({ filter: forFile[0].file }, async (args) => {
          let source = await fs.promises.readFile(args.path, "utf8");
          for (const patch of forFile) {
            const patched = patch.apply(source);
            if (patched === undefined) {
              const problem = `tools/synth.cjs: cdktf changed, "${patch.name}" no longer applies to ${path.relative(ROOT, args.path)}`;
              if (strictPatches()) {
                return { errors: [{ text: `${problem}: revisit the patch (or drop it), or set EKS_SYNTH_NO_PATCHES=1 to bundle cdktf unpatched` }] };
              }
              process.stderr.write(`${problem}; bundling it without this patch (CI fails on this)\n`);
            }
            source = patched ?? source;
          }
          return { contents: source, loader: "js" };
        });
      }
      // The asset helpers' stand-in loads the real module at run time.
      if (!unpatched()) b.onResolve({ filter: /^cdktf\/lib\/private\/fs\.js$/ }, (args) => ({ path: args.path, external: true }));
    },
  };
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "<synth-entry>", loader: "ts" },
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      // Identifiers stay readable in stacks; whitespace and syntax minified (-35% to read and cache).
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: "none",
      // Read only when the app crashes, to give its stack source positions (see mapStack).
      sourcemap: "external",
      sourcesContent: false,
      outfile: path.join(CACHE_DIR, "app.js"),
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [patchPlugin],
    });
  } catch (e) {
    const messages = e.errors ? esbuild.formatMessagesSync(e.errors, { kind: "error", color: process.stderr.isTTY }) : [String(e)];
    process.stderr.write(`${messages.join("")}Bundling main.ts failed (tools/synth.cjs). No Terraform was written.\n`);
    process.exit(1);
  }
  // Repository files the bundle read besides SOURCES (e.g. a JSON file imported from elsewhere).
  const covered = new Set(SOURCES.flatMap(listFiles));
  const extras = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes("node_modules/") && !p.startsWith("<") && !covered.has(p))
    .sort();
  const key = sourceKey(extras);
  const code = result.outputFiles.find((f) => f.path.endsWith(".js")).text;
  const map = result.outputFiles.find((f) => f.path.endsWith(".js.map")).contents;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    writeAtomic(`${bundleFile(key)}.map`, map);
    writeAtomic(bundleFile(key), code);
    // Record it only if no source changed while bundling (else the next run builds again).
    if (sourceKey(extrasBefore) === before) {
      writeAtomic(manifestFile(), `${JSON.stringify({ key, extras }, null, 2)}\n`);
      for (const f of fs.readdirSync(CACHE_DIR)) {
        if (f.startsWith(`${variant()}-`) && !f.startsWith(`${variant()}-${key}`) && !f.endsWith(".tmp")) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
      }
    }
  } catch {
    // read-only checkout: run the bundle from memory
  }
  return { key, code };
}

/** Rewrites the bundle positions in a crash's stack to source positions (`stacks/x.ts:12:5`). */
function mapStack(error, file) {
  if (!(error instanceof Error) || typeof error.stack !== "string" || !error.stack.includes(file)) return;
  try {
    const { SourceMap } = require("node:module");
    const map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    const position = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+)`, "g");
    error.stack = error.stack.replace(position, (whole, line, column) => {
      const col = Number(line) === 1 ? Number(column) - WRAPPER.length : Number(column);
      const entry = map.findEntry(Number(line) - 1, col - 1);
      if (!entry || entry.originalSource === undefined) return whole;
      const source = decodeURIComponent(entry.originalSource);
      return `${source.includes("<") ? path.basename(source) : path.resolve(CACHE_DIR, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    });
  } catch {
    // no map (read-only checkout): bundle positions
  }
}

/**
 * Runs the bundle as a CommonJS module, compiled from (and then into) the V8 code cache. Resolves
 * to main.ts's exit code when every stack is written (a large synth finishes on worker threads:
 * stacks/synth-threads.ts); rejects with the app's error, its stack in source positions.
 */
function run(bundle, { exitWhenIdle = true } = {}) {
  silenceDep0044();
  const { key, code } = bundle;
  const file = bundleFile(key);
  const { script, saveCodeCache } = compile(file, code, codeCacheFile(key));
  // main.ts require()s a .ts/.js environments file: let tsx compile it (and what it imports).
  registerTsxForEnvironments(ROOT);
  bundle.code = undefined; // V8 holds the source now; don't keep a second copy alive
  const mod = { exports: {}, id: file, filename: file, loaded: false };
  let done;
  try {
    script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
    done = Promise.resolve(mod.exports.done);
  } catch (e) {
    done = Promise.reject(e);
  }
  return done.then(
    (status) => {
      // After the run, so the functions compiled lazily during synth are cached too.
      saveCodeCache();
      // The synth is synchronous. Left to itself, Node finishes V8's pending GC work (incremental
      // marking of a heap about to be thrown away) before exiting: 15-30 ms. Exit as soon as nothing
      // is left to do: no handle but stdio, nothing buffered on stdio, no beforeExit listener.
      if (exitWhenIdle) setImmediate(() => {
        const idle =
          process.getActiveResourcesInfo().every((r) => r === "TTYWrap" || r === "PipeWrap") &&
          process.stdout.writableLength === 0 &&
          process.stderr.writableLength === 0 &&
          process.listenerCount("beforeExit") === 0;
        if (idle) process.exit();
      });
      return status ?? 0;
    },
    (e) => {
      mapStack(e, file);
      throw e;
    },
  );
}

/** The app's own error, thrown where Node prints it as with `node main.ts` (message line, then the stack). */
const crash = (e) => setImmediate(() => {
  throw e;
});

function runWithTsx() {
  const { spawnSync } = require("node:child_process");
  // DEP0044: the bundle silences it in-process (silenceDep0044); this Node gets the switch for it.
  const r = spawnSync(process.execPath, [...process.execArgv, "--disable-warning=DEP0044", "--import", "tsx", path.join(ROOT, "main.ts")], { stdio: "inherit" });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

/**
 * The names of the PATCHES that no longer apply to the installed cdktf (empty when all do): a
 * test asserts it is empty, so a cdktf upgrade that breaks one fails CI.
 */
function patchProblems() {
  // As the build applies them: a file's patches in order, each to the result of the ones before.
  const sources = new Map();
  return PATCHES.filter((patch) => {
    const file = require.resolve(patch.module, { paths: [ROOT] });
    if (!patch.file.test(file)) return true;
    const patched = patch.apply(sources.get(file) ?? fs.readFileSync(file, "utf8"));
    if (patched !== undefined) sources.set(file, patched);
    return patched === undefined;
  }).map((patch) => patch.name);
}

/**
 * The app in this process (tools/synth.ts: `npm run synth` without a second Node start-up):
 * writes $CDKTF_OUTDIR and resolves to the exit code. Invalid configuration: main.ts prints the
 * problems and exits the process with 1, as it does on its own.
 */
function synthesize() {
  if (process.env.EKS_SYNTH_NO_BUNDLE) {
    const { spawnSync } = require("node:child_process");
    const r = spawnSync(process.execPath, ["--disable-warning=DEP0044", "--import", "tsx", path.join(ROOT, "main.ts")], { stdio: "inherit" });
    return Promise.resolve(r.status ?? 1);
  }
  const cached = cachedBundle();
  if (cached) return run(cached, { exitWhenIdle: false });
  return build().then((built) => run(built, { exitWhenIdle: false }));
}

if (require.main === module) {
  if (process.env.EKS_SYNTH_NO_BUNDLE) {
    runWithTsx();
  } else {
    const cached = cachedBundle();
    // An error in the app is an uncaught exception, as with `node main.ts`.
    if (cached) run(cached).catch(crash);
    else build().then((built) => setImmediate(() => run(built).catch(crash)));
  }
} else {
  module.exports = { synthesize, patchProblems, silenceDep0044, PATCHES, PATCH_NAMES: PATCHES.map((p) => p.name) };
}
