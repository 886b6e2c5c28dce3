/**
 * jest's module runtime, except that cdktf, constructs and the three cdktf providers are loaded
 * once per jest worker with Node's own require and shared by every test file that worker runs,
 * instead of being loaded again into each test file's module registry (issue 15: ~0.4 s of CPU per
 * test file and per in-process tool run; they are ~4,000 lines of jsii classes each time).
 *
 * What stays per test file: our own code (stacks/, modules/, tools/, test/), every other package,
 * and jest's mocks of them. What the shared modules keep between files is what they keep within
 * one app's run anyway (cdktf's token registry, which only grows). They read the real process's
 * environment: test/support/tool-in-process.ts sets it for a tool's run, as a process would get it.
 *
 * cdktf's token creation stacks are off in the shared copy, as in the bundled app (tools/synth.cjs,
 * "token creation stacks on demand"); EKS_SYNTH_TOKEN_STACKS=1 keeps them. A test file that needs
 * cdktf exactly as published (a byte comparison's "plain" side) opts out with the docblock
 * `@jest-environment-options {"sharedModules": false}` and gets its own copy, as before.
 *
 * One copy per worker also means one failure per worker: a test that loads a cdktf module with Node's
 * own require starting anywhere but cdktf's entry breaks cdktf's module cycle for every later file
 * in that worker (test/tools/synth-patches.test.ts loads the entry first for that reason).
 *
 * EKS_TEST_NO_SHARED_MODULES=1 turns all of this off (every file loads its own copy).
 * jest-runtime's requireModuleOrMock is the one entry every `require` of a test file goes through
 * (node_modules/jest-runtime/build/index.js, jest 30.5); jest.config.js names this file as `runtime`.
 */
"use strict";
const path = require("node:path");
const { default: Runtime } = require("jest-runtime");

const SHARED = /[\\/]node_modules[\\/](?:cdktf|constructs|@cdktf[\\/]provider-(?:aws|kubernetes|helm))[\\/]/;
const disabled = () => Boolean(process.env.EKS_TEST_NO_SHARED_MODULES);

/** Resolved path per (directory, specifier): Node's resolution, as the shared modules' own requires use. */
const resolved = new Map();
let tokenStacksPatched = false;

function sharedPath(from, moduleName) {
  if (moduleName.startsWith(".") || path.isAbsolute(moduleName) || moduleName.startsWith("node:")) return undefined;
  if (!/^(?:cdktf|constructs|@cdktf\/provider-(?:aws|kubernetes|helm))(?:\/|$)/.test(moduleName)) return undefined;
  const key = `${path.dirname(from)}\0${moduleName}`;
  let file = resolved.get(key);
  if (file === undefined) {
    file = require.resolve(moduleName, { paths: [path.dirname(from)] });
    resolved.set(key, file);
  }
  return SHARED.test(file) ? file : undefined;
}

function patchTokenStacks() {
  if (tokenStacksPatched) return;
  tokenStacksPatched = true;
  if (process.env.EKS_SYNTH_TOKEN_STACKS) return;
  // Same change as the bundle's patch; the module's callers read it through its exports object.
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace");
  if (typeof stackTrace.captureStackTrace !== "function") throw new Error("cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace (cdktf upgrade?)");
  stackTrace.captureStackTrace = () => [];
}

class SharedModulesRuntime extends Runtime {
  requireModuleOrMock(from, moduleName) {
    if (!disabled() && this._environment?.eksSharedModules !== false) {
      const file = sharedPath(from, moduleName);
      if (file !== undefined) {
        patchTokenStacks();
        return require(file);
      }
    }
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
