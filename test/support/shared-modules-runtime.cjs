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
 * Because the shared modules live in the worker's own JavaScript realm, not the test file's:
 * - errors and objects they create are another realm's: assert on messages and values
 *   (`toThrow(/message/)`, `toEqual`), not on classes (`toThrow(Error)` and `toBeInstanceOf(Error)`
 *   fail on them; `toEqual(new Error(...))` compares no message across realms);
 * - their console output (cdktf's `console.warn`) bypasses jest's console and spies;
 * - cdktf's token map lives on the worker's global and keeps each synthesized App alive until the
 *   worker ends (~2.5 MB per synth of the fixtures).
 * A file that needs cdktf in its own realm opts out by docblock (above). `jest.mock`,
 * `jest.doMock` and `jest.requireActual` of these packages still work: a module with an explicit
 * mock comes from jest as before, and requireActual answers with the shared copy.
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

function prepareShared() {
  if (tokenStacksPatched) return;
  tokenStacksPatched = true;
  // cdktf's entry first, whatever a test file imports first: its modules require each other in a
  // cycle that resolves only from there (a first import of cdktf/lib/terraform-output leaves a
  // class undefined).
  require("cdktf");
  if (process.env.EKS_SYNTH_TOKEN_STACKS) return;
  // Same change as the bundle's patch; the module's callers read it through its exports object.
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace");
  if (typeof stackTrace.captureStackTrace !== "function") throw new Error("cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace (cdktf upgrade?)");
  stackTrace.captureStackTrace = () => [];
}

class SharedModulesRuntime extends Runtime {
  /** The shared copy's file for this require, or undefined (not shared, or sharing is off here). */
  sharedFile(from, moduleName) {
    if (disabled() || this._environment?.eksSharedModules === false) return undefined;
    return sharedPath(from, moduleName);
  }

  requireModuleOrMock(from, moduleName) {
    const file = this.sharedFile(from, moduleName);
    // jest.mock / jest.doMock of one of these modules: jest's mock, as without sharing.
    if (file !== undefined && !this.mockState.shouldMockCjs(from, moduleName).shouldMock) {
      prepareShared();
      return require(file);
    }
    return super.requireModuleOrMock(from, moduleName);
  }

  requireActual(from, moduleName) {
    const file = this.sharedFile(from, moduleName);
    if (file === undefined) return super.requireActual(from, moduleName);
    prepareShared();
    return require(file);
  }
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
