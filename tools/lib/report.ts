/**
 * The report model shared by the synth review (tools/review.ts) and the plan summary
 * (tools/plan-summary.ts), the rename pairing, and the protection rule both enforce.
 */
import { type AttrDiff, similarity, type Value } from "./json";
import type { ReplaceCause } from "./force-new";

/**
 * What Terraform will do to one resource instance.
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
export type Action = "create" | "update" | "replace" | "delete" | "read" | "no-op" | "forget";

export interface ResourceChange {
  /** `<type>.<name>` (plus index or `(deposed …)` in plans). */
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Replacements only: Terraform's default order, or `create_before_destroy`. */
  readonly replaceOrder?: "destroy-before-create" | "create-before-destroy";
  /** Arguments that force (or may force) the replacement. */
  readonly causes: readonly ReplaceCause[];
  readonly diffs: readonly AttrDiff[];
  /** Why Terraform chose the action (plan `action_reason`), in words. */
  readonly reason?: string;
  /** The address this object had before a `moved` block moved it. */
  readonly movedFrom?: string;
  /** `lifecycle.prevent_destroy` is set on the resource (base or head configuration). */
  readonly preventDestroy: boolean;
  /** Only meta-arguments (lifecycle, depends_on, …) changed: no API call. */
  readonly metaOnly?: boolean;
}

/** A resource that disappears while a same-typed one appears: probably a renamed construct id. */
export interface RenameSuggestion {
  readonly from: string;
  readonly to: string;
  /** Share of equal attributes, 0..1, used to pair when there are several candidates. */
  readonly similarity: number;
}

export interface StackReport {
  readonly name: string;
  readonly protected: boolean;
  /** Where the protection flag came from, shown in the report. */
  readonly protectionSource: string;
  readonly changes: readonly ResourceChange[];
  readonly renames: readonly RenameSuggestion[];
  /** Stack-level differences (provider, backend). */
  readonly settings: readonly AttrDiff[];
  readonly notes: readonly string[];
  /** Resources with no change. */
  readonly unchanged: number;
}

export interface Violation {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly action: "replace" | "delete";
  readonly possible: boolean;
}

export interface Report {
  readonly title: string;
  /** One line saying what was compared. */
  readonly subject: string;
  readonly stacks: readonly StackReport[];
  readonly violations: readonly Violation[];
  /** Violations waived by `--allow-destroy`. */
  readonly allowed: readonly Violation[];
  /** `--allow-destroy` entries that matched no replacement or destroy (typos). */
  readonly unusedAllowances: readonly string[];
}

/**
 * Types whose loss is an outage or data loss whatever their lifecycle says: the cluster
 * (every workload and access entry), KMS keys (data encrypted with them becomes unreadable)
 * and EBS volumes (the data).
 */
export const GUARDED_TYPES: ReadonlySet<string> = new Set(["aws_eks_cluster", "aws_kms_key", "aws_ebs_volume"]);

export function isDestructive(change: ResourceChange): change is ResourceChange & { action: "replace" | "delete" } {
  return change.action === "replace" || change.action === "delete";
}

/**
 * Pairs destroyed and created addresses of the same type; with several candidates, the most
 * similar bodies first (greedy). Terraform would destroy and re-create these unless a `moved`
 * block says they are the same object.
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/refactoring#moved-block-syntax
 */
export function pairRenames(
  removed: ReadonlyArray<{ address: string; type: string; body: Value }>,
  added: ReadonlyArray<{ address: string; type: string; body: Value }>,
): RenameSuggestion[] {
  const candidates: RenameSuggestion[] = [];
  for (const r of removed) {
    for (const a of added) {
      if (r.type === a.type) candidates.push({ from: r.address, to: a.address, similarity: similarity(r.body, a.body) });
    }
  }
  // Stable order for ties: the candidate list follows the (sorted) inputs.
  candidates.sort((x, y) => y.similarity - x.similarity);
  const used = new Set<string>();
  const pairs: RenameSuggestion[] = [];
  for (const c of candidates) {
    if (used.has(c.from) || used.has(c.to)) continue;
    used.add(c.from);
    used.add(c.to);
    pairs.push(c);
  }
  return pairs.sort((x, y) => x.from.localeCompare(y.from));
}

/**
 * The protection rule: in a protected stack, replacing or destroying a guarded type (see
 * GUARDED_TYPES) or any resource with `lifecycle.prevent_destroy` is refused unless
 * `--allow-destroy` names it, as `<stack>/<address>` (that stack only) or `<address>` (any
 * stack). For a renamed resource the address to allow is the old one: that is what is destroyed.
 */
export function applyProtection(
  stacks: readonly StackReport[],
  allowDestroy: readonly string[],
): Pick<Report, "violations" | "allowed" | "unusedAllowances"> {
  const violations: Violation[] = [];
  const allowed: Violation[] = [];
  const used = new Set<string>();
  for (const stack of stacks) {
    for (const change of stack.changes) {
      if (!isDestructive(change)) continue;
      if (!stack.protected || !(GUARDED_TYPES.has(change.type) || change.preventDestroy)) continue;
      const violation: Violation = {
        stack: stack.name,
        address: change.address,
        type: change.type,
        action: change.action,
        possible: change.action === "replace" && change.causes.length > 0 && change.causes.every((c) => c.possible),
      };
      const match = allowDestroy.find((a) => a === `${stack.name}/${change.address}` || a === change.address);
      if (match === undefined) violations.push(violation);
      else {
        used.add(match);
        allowed.push(violation);
      }
    }
  }
  return { violations, allowed, unusedAllowances: allowDestroy.filter((a) => !used.has(a)) };
}

export function counts(stack: StackReport): Record<"add" | "change" | "replace" | "destroy", number> {
  const n = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const c of stack.changes) {
    if (c.action === "create") n.add++;
    else if (c.action === "update") n.change++;
    else if (c.action === "replace") n.replace++;
    else if (c.action === "delete") n.destroy++;
  }
  return n;
}
