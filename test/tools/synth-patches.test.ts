/**
 * The bundle's patches to cdktf's resolve() (tools/synth.cjs PATCHES) against cdktf as published,
 * value by value: the same result, or the same error, for values chosen at the edges of what the
 * patches skip (strings that look like encoded numbers, the map-token sentinels, token keys, the
 * depth limit). The byte comparisons of whole stacks are in test/process/synth.test.ts and
 * test/stacks/user-environments.test.ts; this covers values the fixtures do not contain.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
import * as fs from "node:fs";
import { Module } from "node:module";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../..");
const { PATCHES } = require("../../tools/synth.cjs") as { PATCHES: { name: string; module: string; apply: (s: string) => string | undefined }[] };
// Loaded with Node's own require: the patched copy and the original share cdktf's other modules
// (one token registry), whichever module registry this test file has.
const file = require.resolve("cdktf/lib/tokens/private/resolve.js", { paths: [repo] });

/** Compiles `source` as the module `file` with Node's own loader (not this test file's registry). */
function compileAt(source: string): any {
  const m = new Module(file) as any;
  m.filename = file;
  m.paths = (Module as any)._nodeModulePaths(path.dirname(file));
  m._compile(source, file);
  return m.exports;
}

// jest's `module.createRequire` answers from this file's registry; this is Node's, from cdktf's directory.
const nodeRequire = compileAt("module.exports = require;") as NodeJS.Require;
// cdktf's entry first: its modules require each other in a cycle that only resolves from there
// (entering at resolve.js leaves a class undefined, in this worker's module cache for every file).
const cdktf = nodeRequire("../../index.js");
const original = nodeRequire(file) as { resolve: (obj: unknown, options: object) => unknown };

function patchedResolve(): typeof original {
  let source = fs.readFileSync(file, "utf8");
  const applied: string[] = [];
  for (const patch of PATCHES.filter((p) => p.module === "cdktf/lib/tokens/private/resolve.js")) {
    const next = patch.apply(source);
    if (next === undefined) throw new Error(`"${patch.name}" no longer applies`);
    source = next;
    applied.push(patch.name);
  }
  expect(applied).toEqual(["cheaper token resolution", "plain values skip token resolution"]);
  return compileAt(source);
}

const patched = patchedResolve();
const { App, TerraformStack, Token, Lazy, Fn } = cdktf;
const { DefaultTokenResolver, StringConcat } = nodeRequire("../resolvable.js");
const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(require("node:os").tmpdir(), "eks-patches-")) }), "s");

const outcome = (impl: typeof original, value: unknown, preparing: boolean) => {
  try {
    return { value: impl.resolve(value, { scope: stack, prefix: [], resolver: new DefaultTokenResolver(new StringConcat()), preparing }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

const lazy = Token.asString(Lazy.stringValue({ produce: () => "from-lazy" }));
const lazyNumber = Token.asNumber(Lazy.numberValue({ produce: () => 42 }));
const nested = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { k: nested(depth - 1, leaf) });

const CASES: [string, unknown][] = [
  ["plain strings and booleans", { a: "", b: "abc", c: true, d: false, e: null, f: undefined, g: 1, h: 1.5 }],
  ["strings that look like numbers in exponent form", ["1e+5", "1.5e10", "name-e-1", "-e-", "|e|", "-1.8881545897087626e+289", "x.ee"]],
  ["a number token inside a string (cdktf decodes it)", { s: `count ${lazyNumber}`, alone: String(lazyNumber), n: lazyNumber }],
  ["Terraform template text (escapes are not tokens)", ["${var.x}", "%{ if true }x%{ endif }", "$${literal}", "{TfToken[", "${TfToken[nope]}"]],
  ["string tokens, alone and in text", { a: lazy, b: `prefix-${lazy}-suffix`, c: Fn.join(",", ["a", lazy]) }],
  ["a list token and a map token", { l: Token.asList(Lazy.listValue({ produce: () => ["x", "y"] })), m: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })) }],
  ["token keys", { [lazy]: "v", plain: { [`k-${lazy}`]: true } }],
  ["the map-token sentinels (both throw)", { s: Token.STRING_MAP_TOKEN_VALUE }],
  ["the other sentinel", [Token.ANY_MAP_TOKEN_VALUE]],
  ["arrays of mixed values", [true, "a", 1, null, undefined, lazy, ["nested", false]]],
  ["a string at depth 199", nested(199, "leaf")],
  ["a string at depth 200 (the limit)", nested(200, "leaf")],
  ["a string at depth 201 (beyond it)", nested(201, "leaf")],
  ["a boolean at depth 201", nested(201, true)],
];

describe.each([false, true])("preparing: %s", (preparing) => {
  test.each(CASES)("%s: same result or error as cdktf as published", (_name, value) => {
    expect(outcome(patched, value, preparing)).toEqual(outcome(original, value, preparing));
  });
});

// cdktf reads each property of an object once. User objects reach resolve() as they are (a
// kubernetes_manifest's nested manifest goes through cdktf.anyToTerraform, the identity; addOverride
// values are kept raw), so an accessor (an object literal's getter, a Proxy) must be read once too.
test.each([false, true])("an accessor property is read once, as cdktf as published reads it (preparing: %s)", (preparing) => {
  const fresh = () => {
    let reads = 0;
    return {
      get v() {
        reads += 1;
        return reads === 1 ? "first read" : "read again";
      },
    };
  };
  expect(outcome(patched, fresh(), preparing)).toEqual(outcome(original, fresh(), preparing));
});

test("the edge cases reach both outcomes (a value, an error)", () => {
  const results = CASES.map(([, v]) => outcome(original, v, false));
  expect(results.some((r) => "error" in r)).toBe(true);
  expect(results.some((r) => "value" in r)).toBe(true);
});
