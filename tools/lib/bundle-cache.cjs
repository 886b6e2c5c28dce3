/**
 * What tools/run.cjs (the tools) and tools/synth.cjs (the cdktf app) share: both run an esbuild
 * bundle kept in .cache/ under a content hash, compiled through a V8 code cache. Plain CommonJS,
 * loaded before any bundle exists.
 */
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

/** The CommonJS wrapper the bundles run in (source maps offset their first line by its length). */
const WRAPPER = "(function (exports, require, module, __filename, __dirname) {";

function readOrUndefined(file, encoding) {
  try {
    return fs.readFileSync(file, encoding);
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so a concurrent run never reads half a file. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Adds each file (repository-relative, sorted, missing ones as missing) to `hash`; returns a 20-hex key. */
function hashFiles(hash, root, files) {
  for (const rel of [...new Set(files)].sort()) {
    const data = readOrUndefined(path.join(root, rel));
    hash.update(`${rel}\0${data ? data.length : -1}\0`);
    if (data) hash.update(data);
  }
  return hash.digest("hex").slice(0, 20);
}

/** V8 rejects a code cache made under other flags (--cpu-prof, heap sizes): one cache file per flag set. */
function codeCacheFile(base) {
  const flags = process.execArgv.length ? `-${crypto.createHash("sha256").update(process.execArgv.join("\0")).digest("hex").slice(0, 8)}` : "";
  return `${base}${flags}.v8`;
}

/**
 * Compiles `code` as a CommonJS module body from `cacheFile` when V8 accepts it. `saveCodeCache()`
 * writes a fresh cache when there was none or V8 rejected it; call it after the run, so the functions
 * compiled lazily meanwhile are cached too.
 */
function compile(file, code, cacheFile) {
  const cachedData = readOrUndefined(cacheFile);
  const script = new vm.Script(`${WRAPPER}${code}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const saveCodeCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      writeAtomic(cacheFile, script.createCachedData());
    } catch {
      // read-only checkout: run without a code cache
    }
  };
  return { script, saveCodeCache };
}

/** A .ts/.js environments file (EKS_ENVIRONMENTS) is require()d at run time: let tsx compile it, once per process. */
function registerTsxForEnvironments(root) {
  const envFile = process.env.EKS_ENVIRONMENTS;
  if (!envFile || envFile.endsWith(".json") || globalThis.__eksTsxRegistered) return;
  require(require.resolve("tsx/cjs/api", { paths: [root] })).register();
  globalThis.__eksTsxRegistered = true;
}

module.exports = { WRAPPER, readOrUndefined, writeAtomic, hashFiles, codeCacheFile, compile, registerTsxForEnvironments };
