#!/usr/bin/env node
/**
 * `node tools/run.cjs <tool> [args...]`: what `npm run <tool>` runs. Runs tools/<tool>.ts from an
 * esbuild bundle kept in .cache/tools/ with a V8 code cache, instead of compiling TypeScript with
 * tsx on every start (issue 15: tsx costs ~0.5–1 s per start, the bundle ~0.1 s; see
 * docs/performance.md). Same code, same behaviour: this only changes how it is loaded.
 *
 * Never stale: each tool's bundle is named by a content hash of every repository file the last
 * build read (esbuild's metafile), the lock files, this file, the checkout's path and the Node
 * version; any change rebuilds it (~0.3–0.6 s, once).
 *
 * Plain CommonJS on purpose (no tsx, no ESM loader start-up). Environment:
 *   EKS_TOOLS_NO_BUNDLE=1   run `node --import tsx tools/<tool>.ts` instead (to rule the bundle out)
 *   EKS_ENVIRONMENTS=<file> a .ts/.js environments file is compiled at run time through tsx, as
 *                           under tsx (the bundle holds stacks/environments, not that file)
 */
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");
const { codeCacheFile: cacheFileFor, compile, hashFiles, readOrUndefined, registerTsxForEnvironments, writeAtomic } = require("./lib/bundle-cache.cjs");

const ROOT = path.resolve(__dirname, "..");
const CACHE_DIR = path.join(ROOT, ".cache", "tools");
/** Hashed besides the files the bundle read: what decides node_modules, and this loader. */
const FIXED_INPUTS = ["package.json", "package-lock.json", "node_modules/.package-lock.json", "tsconfig.json", path.relative(ROOT, __filename), "tools/lib/bundle-cache.cjs"];
/** Loaded from node_modules at run time: native binaries and loaders that must stay themselves. */
const EXTERNAL = ["esbuild", "tsx", "tsx/*", "typescript", "fsevents", "@swc/*", "jest", "json-schema-to-typescript"];

const tool = process.argv[2];
if (tool === undefined || !/^[a-z][a-z0-9-]*$/.test(tool) || !fs.existsSync(path.join(ROOT, "tools", `${tool}.ts`))) {
  const known = fs.readdirSync(path.join(ROOT, "tools")).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
  process.stderr.write(`usage: node tools/run.cjs <tool> [args...]\n${tool === undefined ? "no tool given" : `no tool "${tool}"`} (known: ${known.join(", ")})\n`);
  process.exit(2);
}
const entry = path.join(ROOT, "tools", `${tool}.ts`);
// The tool sees the command line `node tools/<tool>.ts args...`, as under tsx.
process.argv.splice(1, 2, entry);

const manifestFile = path.join(CACHE_DIR, `${tool}.json`);
const bundleFile = (key) => path.join(CACHE_DIR, `${tool}-${key}.js`);
const codeCacheFile = (key) => cacheFileFor(path.join(CACHE_DIR, `${tool}-${key}`));

/** Content hash of `inputs` (repository-relative paths) and what else decides the bundle. */
function sourceKey(inputs) {
  const hash = crypto.createHash("sha256").update(`1\0${process.version}\0${process.arch}\0${ROOT}\0${tool}\0`);
  return hashFiles(hash, ROOT, [...FIXED_INPUTS, ...inputs]);
}

function cachedBundle() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(manifest.inputs) || sourceKey(manifest.inputs) !== manifest.key) return undefined;
  const code = readOrUndefined(bundleFile(manifest.key), "utf8");
  return code === undefined ? undefined : { key: manifest.key, code };
}

/**
 * A bundle has one __dirname (its own, in .cache/tools/); the tools read theirs to find the
 * repository and files beside them. Each repository module that uses them gets its own, as Node
 * would give it (esbuild renames the per-module declarations apart).
 */
const dirnamePlugin = {
  name: "eks-module-dirname",
  setup(b) {
    // The repository's own CommonJS files (tools/synth.cjs, the cdktf app) stay themselves: they
    // find the repository from their own __dirname and keep their own caches.
    b.onResolve({ filter: /\.cjs$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : { path: path.resolve(args.resolveDir, args.path), external: true },
    );
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, "utf8");
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !/\b__(dirname|filename)\b/.test(source)) return undefined;
      const rel = path.relative(ROOT, args.path).split(path.sep).join("/");
      const prelude =
        `const __filename = require("node:path").join(globalThis.__eksToolsRoot, ${JSON.stringify(rel)});` +
        `const __dirname = require("node:path").dirname(__filename);`;
      return { contents: `${prelude}${source}`, loader: "ts" };
    });
  },
};

async function build() {
  const esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      external: EXTERNAL,
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: "none",
      // Identifiers and line structure stay readable enough for a bug's stack trace.
      keepNames: true,
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [dirnamePlugin],
    });
  } catch (e) {
    const messages = e.errors ? esbuild.formatMessagesSync(e.errors, { kind: "error", color: process.stderr.isTTY }) : [String(e)];
    process.stderr.write(`${messages.join("")}Bundling tools/${tool}.ts failed (tools/run.cjs).\n`);
    process.exit(2);
  }
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes("node_modules/") && !p.startsWith("<"))
    .sort();
  const key = sourceKey(inputs);
  const code = result.outputFiles[0].text;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    writeAtomic(bundleFile(key), code);
    writeAtomic(manifestFile, `${JSON.stringify({ key, inputs }, null, 2)}\n`);
    for (const f of fs.readdirSync(CACHE_DIR)) {
      if (f.startsWith(`${tool}-`) && !f.startsWith(`${tool}-${key}`) && !f.endsWith(".tmp")) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
    }
  } catch {
    // read-only checkout: run the bundle from memory
  }
  return { key, code };
}

function run({ key, code }) {
  const { script, saveCodeCache } = compile(bundleFile(key), code, codeCacheFile(key));
  // stacks/load-environments.ts require()s a .ts/.js environments file: let tsx compile it.
  registerTsxForEnvironments(ROOT);
  // At exit, so the functions compiled lazily while the tool ran are cached too.
  process.once("exit", saveCodeCache);
  globalThis.__eksToolsRoot = ROOT;
  const mod = { exports: {}, id: ".", filename: entry, loaded: false };
  const req = createRequire(entry);
  // `require.main === module` holds for the tool, as when Node runs it as the main module.
  req.main = mod;
  script.runInThisContext()(mod.exports, req, mod, entry, path.dirname(entry));
}

if (process.env.EKS_TOOLS_NO_BUNDLE) {
  const { spawnSync } = require("node:child_process");
  const r = spawnSync(process.execPath, [...process.execArgv, "--import", "tsx", entry, ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
} else {
  const cached = cachedBundle();
  if (cached) run(cached);
  else build().then((built) => setImmediate(() => run(built)));
}
