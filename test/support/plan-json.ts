/**
 * `terraform show -json` plans for the plan-summary tests, in the shapes Terraform and the providers
 * write them (https://developer.hashicorp.com/terraform/internals/json-format): blocks and sets are
 * lists, unset attributes null, unknowns null in `after` and `true` in `after_unknown`, a
 * replacement `["delete","create"]` with `replace_paths` and `action_reason`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject } from "../../tools/lib/json";
import { runPlanSummary } from "../../tools/lib/plan";
import type { Report } from "../../tools/lib/report";

type J = JsonObject;

/** One entry of `resource_changes`. */
export interface Rc {
  readonly address: string;
  readonly actions: string[];
  readonly before?: J | null;
  readonly after?: J | null;
  readonly afterUnknown?: J;
  readonly replacePaths?: (string | number)[][];
  readonly actionReason?: string;
  readonly previousAddress?: string;
  readonly importing?: J;
  readonly provider?: "aws" | "kubernetes" | "helm";
}

/** A plan as Terraform 1.13 writes it (format 1.2, with complete/applyable/errored); `top` overrides those. */
export const planJson = (rcs: readonly Rc[], top: J = {}): J => ({
  format_version: "1.2",
  terraform_version: "1.13.5",
  complete: true,
  applyable: rcs.some((r) => r.actions.join() !== "no-op"),
  errored: false,
  ...top,
  resource_changes: rcs.map((r) => {
    const [type, name] = r.address.split(".") as [string, string];
    return {
      address: r.address,
      ...(r.previousAddress ? { previous_address: r.previousAddress } : {}),
      mode: "managed",
      type,
      name,
      provider_name: `registry.terraform.io/hashicorp/${r.provider ?? type.split("_")[0]}`,
      change: {
        actions: r.actions,
        before: r.before ?? null,
        after: r.after ?? null,
        after_unknown: r.afterUnknown ?? {},
        before_sensitive: {},
        after_sensitive: {},
        ...(r.replacePaths ? { replace_paths: r.replacePaths } : {}),
        ...(r.importing ? { importing: r.importing } : {}),
      },
      ...(r.actionReason ? { action_reason: r.actionReason } : {}),
    };
  }),
});

export const noop = (address: string, body: J): Rc => ({ address, actions: ["no-op"], before: body, after: body });

/** hashicorp/kubernetes SDKv2 `metadata` as state holds it. */
export const k8sMeta = (name: string, over: J = {}): J[] => [
  { annotations: null, generate_name: "", generation: 0, labels: null, name, resource_version: "48213", uid: "6a1f0c2e-0000-4000-8000-000000000001", ...over },
];

/**
 * Registers the hooks of a test file that summarizes plans: a synth directory holding `stacks`
 * (as `cdktf synth` writes them, for protection) and a fresh directory per test for the plan files.
 */
export function usePlanSummary(stacks: () => ReadonlyArray<readonly [string, unknown]>): (plans: Record<string, J>, options?: { allowDestroy?: string[]; acknowledge?: string[] }) => Report {
  let synthDir = "";
  let dir = "";
  beforeAll(() => {
    synthDir = mkdtempSync(join(tmpdir(), "eks-plan-synth-"));
    for (const [name, json] of stacks()) {
      mkdirSync(join(synthDir, "stacks", name), { recursive: true });
      writeFileSync(join(synthDir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    }
  });
  afterAll(() => rmSync(synthDir, { recursive: true, force: true }));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "eks-plan-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return (plans, options = {}) =>
    runPlanSummary({
      files: Object.entries(plans).map(([stack, p]) => {
        writeFileSync(join(dir, `${stack}.json`), JSON.stringify(p));
        return join(dir, `${stack}.json`);
      }),
      synthDir,
      ...options,
    });
}
