import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../../stacks/app";
import { parseEnvironments } from "../../stacks/environment-validation";
import { environments as fixtures } from "../fixtures/environments";

/** Synthesized stacks by name (`dev-aws`, ...), parsed from the real cdk.tf.json files. */
export type SynthesizedStacks = Record<string, TerraformJson>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = Record<string, any>;

/** Runs the same code path as main.ts into `outdir`. */
export function synthesizeInto(outdir: string, inputs: readonly unknown[] = fixtures): void {
  const app = new App({ outdir, stackTraces: false });
  buildStacks(app, parseEnvironments(inputs));
  app.synth();
}

/** Every stack of a synthesized output directory, read back from the real cdk.tf.json files. */
export function readStacks(outdir: string): SynthesizedStacks {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stacks: SynthesizedStacks = {};
  for (const [name, s] of Object.entries<{ synthesizedStackPath: string }>(manifest.stacks)) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8"));
  }
  return stacks;
}

/**
 * Synthesized stacks by name. The fixture environments come from the run's global setup (one
 * synth for all test files); other inputs are synthesized here, into a temporary directory.
 */
export function synthesize(inputs?: readonly unknown[]): SynthesizedStacks {
  const shared = process.env.EKS_TEST_EXAMPLES_OUTDIR;
  if (inputs === undefined && shared) return readStacks(shared);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-"));
  try {
    synthesizeInto(outdir, inputs ?? fixtures);
    return readStacks(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Resource bodies of one type, by Terraform name. */
export function resourcesOf(stack: TerraformJson, type: string): Record<string, TerraformJson> {
  return stack.resource?.[type] ?? {};
}

/** The single resource of a type (fails the test if there are several or none). */
export function onlyResource(stack: TerraformJson, type: string): TerraformJson {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Every Kubernetes object of kubernetes_manifest resources, by Terraform name. */
export function manifests(stack: TerraformJson): Record<string, TerraformJson> {
  return Object.fromEntries(Object.entries(resourcesOf(stack, "kubernetes_manifest")).map(([k, v]) => [k, v.manifest]));
}

/** `apiVersion/kind` of every manifest, sorted. */
export function manifestKinds(stack: TerraformJson): string[] {
  return Object.values(manifests(stack)).map((m) => `${m.apiVersion}/${m.kind}`).sort();
}

export function deepClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
