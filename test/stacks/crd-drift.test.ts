import * as fs from "node:fs";
import * as path from "node:path";
import { compare, PAIRS } from "../../tools/check-crd-drift";

// tools/check-crd-drift.ts compares schemas/ with upstream CRD copies the caller points it at
// (never part of this project); these check its comparison on small schemas.
const upstream = {
  type: "object",
  required: ["apiVersion", "kind"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["arn"],
      properties: {
        arn: { type: "string", minLength: 1 },
        port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
        added: { type: "array", items: { type: "object", properties: { deep: { type: "string" } } } },
        mode: { type: "string", enum: ["a", "b"] },
      },
    },
    status: { type: "object", properties: { x: { type: "string" } } },
  },
};

test("reports fields on one side only (once, not for their children), required, enum and bound differences; skips metadata and status", () => {
  const ours = {
    type: "object",
    required: ["apiVersion", "kind", "metadata"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { $ref: "#/definitions/metadata" },
      spec: { $ref: "#/definitions/spec" },
    },
    definitions: {
      metadata: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
      spec: {
        type: "object",
        properties: {
          arn: { type: "string" },
          name: { type: "string" },
          port: { anyOf: [{ type: "integer" }, { type: "string" }] },
          mode: { type: "string", enum: ["a", "b", "c"] },
        },
      },
    },
  };
  expect(compare(ours, upstream)).toEqual({
    drift: [
      "spec.added: only upstream",
      "spec.arn: required upstream only",
      "spec.arn: minLength none (upstream 1)",
      'spec.mode: enum ["a","b","c"] (upstream ["a","b"])',
      "spec.name: only ours",
    ],
    deliberate: [],
  });
});

test("a difference is deliberate when the field's $comment (or, for a field only upstream has, its parent's naming it) starts with Deliberate", () => {
  const ours = {
    type: "object",
    required: ["apiVersion", "kind"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      spec: {
        $comment: "Deliberate: no `added` here.",
        type: "object",
        required: ["arn"],
        properties: {
          arn: { type: "string", minLength: 1 },
          port: { anyOf: [{ type: "integer" }, { type: "string" }] },
          mode: { $comment: "Deliberate: only a.", type: "string", enum: ["a"] },
        },
      },
    },
  };
  expect(compare(ours, upstream)).toEqual({
    drift: [],
    deliberate: ["spec.added: only upstream [Deliberate: no `added` here.]", 'spec.mode: enum ["a"] (upstream ["a","b"]) [Deliberate: only a.]'],
  });
});

test("every schema in schemas/ has an upstream to compare with", () => {
  const root = path.join(__dirname, "..", "..");
  const schemas = fs
    .readdirSync(path.join(root, "schemas"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".schema.json"))
    .map((f) => `schemas/${f.split(path.sep).join("/")}`);
  expect(schemas.length).toBeGreaterThan(0);
  expect(PAIRS.map((p) => p.ours).sort()).toEqual(schemas.sort());
});
