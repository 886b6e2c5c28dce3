/**
 * Summary of real Terraform plans: the output of `terraform show -json <planfile>`.
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type AttrDiff, diffValues, formatPath, isObject, type JsonObject, overlayMarks, type PathStep, SENSITIVE, UNKNOWN, type Value } from "./json";
import { docFor, FORCE_NEW, type ReplaceCause } from "./force-new";
import { REVIEW_ONLY_RULES, reviewRules } from "./eks-rules";
import { applyAcknowledgements, applyProtection, pairRenames, type Action, type Finding, type Report, type ResourceChange, type StackReport } from "./report";
import { stackEnvironment, stackResources } from "./stack-json";
import { ToolError } from "./synth";

/** `change.actions` combinations the format documents, and what each means here. */
function toAction(actions: unknown, where: string): { action: Action; replaceOrder?: ResourceChange["replaceOrder"] } {
  switch (Array.isArray(actions) ? actions.join(",") : "") {
    case "no-op":
      return { action: "no-op" };
    case "create":
      return { action: "create" };
    case "read":
      return { action: "read" };
    case "update":
      return { action: "update" };
    case "delete,create":
      return { action: "replace", replaceOrder: "destroy-before-create" };
    case "create,delete":
      return { action: "replace", replaceOrder: "create-before-destroy" };
    case "delete":
      return { action: "delete" };
    case "forget": // Terraform ≥ 1.7 `removed { lifecycle { destroy = false } }`: leaves state, object stays.
      return { action: "forget" };
    default:
      throw new ToolError(`${where}: unknown change.actions ${JSON.stringify(actions)}`);
  }
}

/** `action_reason` values, in words. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "the object is tainted",
  replace_because_cannot_update: "an argument that cannot be updated in place changed",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "lifecycle.replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "count index out of range",
  delete_because_each_key: "for_each key removed",
  delete_because_no_move_target: "moved target does not exist",
  read_because_config_unknown: "configuration unknown until apply",
  read_because_dependency_pending: "a dependency has pending changes",
  read_because_check_nested: "nested check block",
};

/**
 * The stack a plan file belongs to, from its name: `prod-aws.json`, `prod-aws.plan.json` or
 * `prod-aws.tfplan.json` → `prod-aws`; a generic name (`plan.json`) takes its directory's name,
 * as in `cdktf.out/stacks/prod-aws/plan.json`.
 */
export function stackNameForPlan(file: string): string {
  const name = basename(file).replace(/\.json$/i, "").replace(/\.(tf)?plan$/i, "");
  return /^(tf)?plan$/i.test(name) || name === "" ? basename(dirname(file)) : name;
}

export interface PlanGuard {
  readonly protected: boolean;
  readonly source: string;
  /** Addresses with `lifecycle.prevent_destroy` in the synthesized configuration. */
  readonly preventDestroy: ReadonlySet<string>;
}

/**
 * Plan JSON carries no lifecycle settings (the configuration representation has no
 * `prevent_destroy`), so protection comes from the synthesized stack the plan was made from,
 * `<synthDir>/stacks/<stack>/cdk.tf.json` (the contract the review uses), or from
 * `--protected <stack>`. When neither is available the stack is treated as protected: a
 * guardrail that cannot tell must not wave a cluster deletion through.
 */
export function planGuard(stack: string, synthDir: string, protectedStacks: readonly string[]): PlanGuard {
  const file = join(synthDir, "stacks", stack, "cdk.tf.json");
  const json: unknown = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  const synth = isObject(json) ? json : undefined;
  const preventDestroy = new Set(
    [...stackResources(synth).values()]
      .filter((r) => isObject(r.body.lifecycle) && r.body.lifecycle.prevent_destroy === true)
      .map((r) => r.address),
  );
  if (protectedStacks.includes(stack)) return { protected: true, source: "--protected", preventDestroy };
  if (synth !== undefined) {
    const env = stackEnvironment(synth);
    return { protected: env.protected, source: env.protected ? `"//".environment.protected in ${file}` : `not marked protected in ${file}`, preventDestroy };
  }
  return { protected: true, source: `assumed: no ${file} (pass --synth-dir, or --protected for the protected stacks)`, preventDestroy };
}

/** Rule notes for replace paths that match the force-new table. */
function causeFor(type: string, steps: readonly PathStep[]): ReplaceCause {
  const path = formatPath(steps);
  const schema = steps.filter((s) => typeof s === "string").join(".");
  const rule = FORCE_NEW[type]?.rules.find((r) => schema === r.path || schema.startsWith(`${r.path}.`));
  const doc = docFor(type);
  return { path, ...(doc ? { doc } : {}), ...(rule?.note ? { note: rule.note } : {}) };
}

const nullToUndefined = (v: Value): Value => (v === null ? undefined : v);

/** The marks (`*_sensitive`) that apply at `steps`: `true` once any ancestor is marked. */
function marksAt(marks: Value, steps: readonly PathStep[]): Value {
  let current = marks;
  for (const step of steps) {
    if (current === true) return true;
    if (Array.isArray(current) && typeof step === "number") current = current[step];
    else if (isObject(current) && typeof step === "string") current = current[step];
    else return undefined;
  }
  return current;
}

/**
 * Attribute diffs of a planned change. Sensitive values are compared raw (so a changed secret
 * still shows as changed) and printed masked. Plan objects list every schema attribute; for a
 * create or destroy the unset (null) ones are left out as noise.
 */
function planDiffs(change: JsonObject): AttrDiff[] {
  const before = nullToUndefined(change.before);
  const after = nullToUndefined(overlayMarks(nullToUndefined(change.after), change.after_unknown, UNKNOWN));
  return diffValues(before, after)
    .filter((d) => (before === undefined ? d.after !== null : after === undefined ? d.before !== null : true))
    .map((d) => ({
      ...d,
      before: overlayMarks(d.before, marksAt(change.before_sensitive, d.steps), SENSITIVE),
      after: overlayMarks(d.after, marksAt(change.after_sensitive, d.steps), SENSITIVE),
    }));
}

/** One plan file (already parsed) as a stack report. */
export function summarizePlan(stack: string, plan: unknown, guard: PlanGuard): StackReport {
  if (!isObject(plan)) throw new ToolError(`${stack}: not a JSON object (expected \`terraform show -json <planfile>\` output)`);
  const version = plan.format_version;
  // "Reject any input which reports an unsupported major version." (JSON output format)
  if (typeof version !== "string" || !/^1\./.test(version)) {
    throw new ToolError(`${stack}: format_version ${JSON.stringify(version)} is not supported (expected 1.x from \`terraform show -json\`)`);
  }
  const rcs = plan.resource_changes ?? [];
  if (!Array.isArray(rcs)) throw new ToolError(`${stack}: resource_changes is not a list`);
  const notes: string[] = [];
  if (plan.errored === true) notes.push("the plan errored: it is incomplete and cannot be applied");
  const changes: ResourceChange[] = [];
  const deleted: Array<{ address: string; type: string; body: Value }> = [];
  const created: Array<{ address: string; type: string; body: Value }> = [];
  let unchanged = 0;
  let reads = 0;

  rcs.forEach((rc: unknown, i: number) => {
    const where = `${stack}: resource_changes[${i}]`;
    if (!isObject(rc) || typeof rc.address !== "string" || typeof rc.type !== "string" || !isObject(rc.change)) {
      throw new ToolError(`${where}: expected address, type and change`);
    }
    const { action, replaceOrder } = toAction(rc.change.actions, where);
    if (rc.mode === "data" || action === "read") {
      reads++;
      return;
    }
    const c = rc.change;
    // An import block adopts an existing object: without changes the action is no-op, yet it is
    // what the plan does to that address (Terraform prints "will be imported").
    const importId = isObject(c.importing) ? String(c.importing.id ?? "") : undefined;
    if (action === "no-op" && typeof rc.previous_address !== "string" && importId === undefined) {
      unchanged++;
      return;
    }
    const diffs = action === "no-op" || action === "forget" ? [] : planDiffs(c);
    const deposed = typeof rc.deposed === "string" ? rc.deposed : undefined;
    const address = deposed ? `${rc.address} (deposed ${deposed})` : rc.address;
    const configAddress = typeof rc.name === "string" && rc.module_address === undefined ? `${rc.type}.${rc.name}` : rc.address;
    const replacePaths = Array.isArray(c.replace_paths) ? c.replace_paths.filter(Array.isArray) : [];
    const reasons = [
      typeof rc.action_reason === "string" ? (ACTION_REASONS[rc.action_reason] ?? rc.action_reason) : undefined,
      importId !== undefined ? `imported: the existing object \`${importId}\` is adopted (import block)${action === "no-op" ? ", not created" : ", then changed"}` : undefined,
      deposed ? "leftover object of an earlier create_before_destroy replacement" : undefined,
    ].filter((r): r is string => r !== undefined);
    const change: ResourceChange = {
      address,
      type: rc.type,
      // Shown and counted as the review shows an import block: an import (with its changes, if any).
      action: action === "no-op" && importId !== undefined ? "create" : action,
      ...(importId !== undefined ? { importId } : {}),
      ...(replaceOrder ? { replaceOrder } : {}),
      causes: action === "replace" ? replacePaths.map((steps) => causeFor(rc.type as string, steps as PathStep[])) : [],
      diffs,
      ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
      ...(typeof rc.previous_address === "string" ? { movedFrom: rc.previous_address } : {}),
      preventDestroy: guard.preventDestroy.has(configAddress),
    };
    changes.push(change);
    if (action === "delete" && !deposed) deleted.push({ address, type: rc.type, body: nullToUndefined(c.before) });
    if (action === "create") created.push({ address, type: rc.type, body: nullToUndefined(c.after) });
  });

  const renames = pairRenames(deleted, created);
  const renamedTo = new Map(renames.map((r) => [r.from, r.to]));
  const withRenames = changes.map((c) => {
    const to = renamedTo.get(c.address);
    return to ? { ...c, reason: `${c.reason ? `${c.reason}; ` : ""}${to} is created (renamed construct id?)` } : c;
  });
  if (reads > 0) notes.push(`${reads} data source read(s) not listed`);
  return {
    name: stack,
    protected: guard.protected,
    protectionSource: guard.source,
    changes: withRenames.sort((x, y) => x.address.localeCompare(y.address)),
    renames,
    settings: [],
    notes,
    unchanged,
  };
}

/**
 * A plan's managed objects as the review's rules read a synthesized stack (`resource.<type>.<name>`):
 * `before`, the real state, as the base (under the address it had, when a `moved` block renames
 * it), and `after`, with its unknown values as UNKNOWN, as the head. So the rules judge what the
 * apply will really do: a cluster two minor versions behind its configuration because an earlier
 * change never reached this account, a volume already grown by hand.
 */
export function planStacks(plan: JsonObject): { base: JsonObject; head: JsonObject } {
  const base: Record<string, JsonObject> = {};
  const head: Record<string, JsonObject> = {};
  const put = (side: Record<string, JsonObject>, type: string, address: string, body: Value) => {
    if (!isObject(body)) return;
    // Root-module addresses are `<type>.<name>`; anything else keeps its whole address as the name.
    const name = address.startsWith(`${type}.`) ? address.slice(type.length + 1) : address;
    (side[type] ??= {})[name] = body;
  };
  for (const rc of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (!isObject(rc) || rc.mode === "data" || typeof rc.deposed === "string" || typeof rc.address !== "string" || typeof rc.type !== "string" || !isObject(rc.change)) continue;
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions : [];
    const [creates, ends] = [actions.includes("create"), actions.includes("delete") || actions.includes("forget")];
    // It existed unless only created; it exists afterwards unless only deleted or forgotten.
    if (!creates || ends) put(base, rc.type, typeof rc.previous_address === "string" ? rc.previous_address : rc.address, nullToUndefined(rc.change.before));
    if (!ends || creates) put(head, rc.type, rc.address, overlayMarks(nullToUndefined(rc.change.after), rc.change.after_unknown, UNKNOWN));
  }
  return { base: { resource: base }, head: { resource: head } };
}

export interface PlanSummaryOptions {
  readonly files: readonly string[];
  readonly allowDestroy?: readonly string[];
  /** `<rule>:<stack>` or `<rule>:<stack>/<address>`: accepted blocking findings, as in the review. */
  readonly acknowledge?: readonly string[];
  /** Stacks to treat as protected whatever the synth output says. */
  readonly protectedStacks?: readonly string[];
  /** Where `cdktf synth` wrote the stacks the plans were made from. */
  readonly synthDir?: string;
}

export function runPlanSummary(options: PlanSummaryOptions): Report {
  if (options.files.length === 0) throw new ToolError("no plan file given");
  const synthDir = options.synthDir ?? "cdktf.out";
  const seen = new Map<string, string>();
  const sides = { base: new Map<string, JsonObject>(), head: new Map<string, JsonObject>() };
  const errored: Finding[] = [];
  // `terraform plan -target` writes complete: false (Terraform ≥ 1.8), a saved plan that failed
  // errored: true; either lists only some objects. https://developer.hashicorp.com/terraform/internals/json-format
  const incomplete = new Set<string>();
  const stacks = options.files.map((file) => {
    const stack = stackNameForPlan(file);
    if (seen.has(stack)) throw new ToolError(`${file} and ${seen.get(stack)} are both plans of stack ${stack}`);
    seen.set(stack, file);
    let plan: unknown;
    try {
      plan = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new ToolError(`${file}: ${(e as Error).message}`);
    }
    const report = summarizePlan(stack, plan, planGuard(stack, synthDir, options.protectedStacks ?? []));
    // summarizePlan has checked it is an object.
    const json = plan as JsonObject;
    const { base, head } = planStacks(json);
    if (json.complete === false || json.errored === true) incomplete.add(stack);
    // `terraform plan -out` saves a plan that failed half-way too: what it lists is not what an apply would do.
    if (json.errored === true) {
      errored.push({ rule: "plan-errored", severity: "block", stack, message: `the plan of ${stack} errored: it lists only what was planned before the error and cannot be applied; fix the error and plan again`, source: "https://developer.hashicorp.com/terraform/internals/json-format#plan-representation", acknowledgeable: false });
    }
    sides.base.set(stack, base);
    sides.head.set(stack, head);
    return report;
  });
  // The review's EKS rules, on what the apply will really change (see planStacks).
  const findings = [...errored, ...reviewRules(sides.base, sides.head, stacks, { fromPlans: true, incomplete }).findings];
  // One acknowledgements file serves every plan job of a pull request (an environment and a stack
  // group each): an entry for a stack not summarized here is another job's, not a stale one.
  const here = (stack: string | undefined) => stack === undefined || seen.has(stack);
  const allowDestroy = (options.allowDestroy ?? []).filter((a) => here(a.includes("/") ? a.slice(0, a.indexOf("/")) : undefined));
  // ...and so is one for a rule only the review of the synthesized stacks checks.
  const acknowledge = (options.acknowledge ?? []).filter((a) => here(/^[^:]+:([^/]+)/.exec(a)?.[1]) && !REVIEW_ONLY_RULES.has(a.slice(0, a.indexOf(":"))));
  return {
    title: "Plan summary",
    subject: `${options.files.length} plan${options.files.length === 1 ? "" : "s"}: ${options.files.map((f) => `\`${basename(f)}\``).join(", ")}`,
    stacks,
    ...applyProtection(stacks, allowDestroy),
    ...applyAcknowledgements(findings, acknowledge),
  };
}
