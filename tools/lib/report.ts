/**
 * The report model shared by the synth review (tools/review.ts) and the plan summary
 * (tools/plan-summary.ts), the rename pairing, and the protection rule both enforce.
 */
import { type AttrDiff, deepEqual, isObject, type JsonObject, similarity, type Value, valuesAt } from "./json";
import { FORCE_NEW, type ReplaceCause } from "./force-new";

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
  /** `prevent_destroy` is still set in the new configuration: Terraform refuses the replacement at apply. */
  readonly preventDestroyAfter?: boolean;
  /** Only meta-arguments (lifecycle, depends_on, …) changed: no API call. */
  readonly metaOnly?: boolean;
  /** An update of a type the force-new table does not cover: shown as "replacement not predicted". */
  readonly unpredicted?: boolean;
  /** Created by a Terraform `import` block: the object exists and is adopted, not created. */
  readonly importId?: string;
}

/** A resource that disappears while one of the same type and content appears: a renamed construct id. */
export interface RenameSuggestion {
  readonly from: string;
  readonly to: string;
  /** Share of equal attributes, 0..1, used to pair when there are several candidates. */
  readonly similarity: number;
  /**
   * Name arguments (derived from a config key) that differ: a `moved` block alone would still
   * replace the object; the config's `renames` section keeps the old AWS name. Empty: `moved` keeps it.
   */
  readonly nameChanges: readonly string[];
}

/**
 * A rule of the review beyond the protection rule (EKS version skew, EBS modification, compute
 * mode switch, capacity, access): what AWS or Kubernetes will refuse, or what needs a person.
 */
export interface Finding {
  /** Stable id, used by --acknowledge and in the docs ("Reading a review"). */
  readonly rule: string;
  /** `block`: exit 1 (the apply fails, or loses something) unless acknowledged; `warn`: shown only. */
  readonly severity: "block" | "warn";
  readonly stack: string;
  readonly address?: string;
  /** One sentence: what, and what to do. */
  readonly message: string;
  /** The AWS / Kubernetes / provider page the rule comes from. */
  readonly source: string;
  /**
   * A blocking finding a person may accept (`--acknowledge <rule>:<stack>`, or the PR's
   * acknowledgements file); false when the apply cannot succeed whatever anyone accepts.
   */
  readonly acknowledgeable: boolean;
}

/** An ordered, guided change (a Kubernetes version upgrade): steps to run and what to check between them. */
export interface GuidedStep {
  readonly title: string;
  /** Commands to run, in order. */
  readonly commands: readonly string[];
  /** What to check before the next step. */
  readonly check?: string;
}
export interface GuidedChange {
  readonly title: string;
  readonly stack: string;
  readonly steps: readonly GuidedStep[];
  readonly source: string;
}

/**
 * A section another tool contributes to the report (for example the cost delta of issue 14):
 * rendered after the findings and the summary, before the per-stack details, in `order`.
 */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** Markdown body (kept whole when it fits; truncated with a pointer to the full report otherwise). */
  readonly markdown: string;
  /** At most a few lines for the terminal summary. */
  readonly terminal?: readonly string[];
  /** Lower first; findings are 0-99, the built-in summary 100. @default 200 */
  readonly order?: number;
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
  /** Rule findings not acknowledged (blocking ones fail the review). */
  readonly findings?: readonly Finding[];
  /** Blocking findings accepted with --acknowledge (or the acknowledgements file). */
  readonly acknowledged?: readonly Finding[];
  /** --acknowledge entries that matched no finding. */
  readonly unusedAcknowledgements?: readonly string[];
  readonly guided?: readonly GuidedChange[];
  /** Extra sections (cost delta, ...): see ReportSection. */
  readonly sections?: readonly ReportSection[];
}

/** Whether the report fails the check (exit 1). */
export function isBlocked(report: Report): boolean {
  return report.violations.length > 0 || (report.findings ?? []).some((f) => f.severity === "block");
}

/**
 * Applies `--acknowledge <rule>:<stack>` (or `<rule>:<stack>/<address>`) to the findings:
 * acknowledgeable blocking findings that match move to `acknowledged`.
 */
export function applyAcknowledgements(
  findings: readonly Finding[],
  acknowledge: readonly string[],
): Pick<Report, "findings" | "acknowledged" | "unusedAcknowledgements"> {
  const used = new Set<string>();
  const open: Finding[] = [];
  const acknowledged: Finding[] = [];
  for (const f of findings) {
    const keys = [`${f.rule}:${f.stack}`, ...(f.address ? [`${f.rule}:${f.stack}/${f.address}`] : [])];
    const match = f.severity === "block" && f.acknowledgeable ? acknowledge.find((a) => keys.includes(a)) : undefined;
    if (match === undefined) open.push(f);
    else {
      used.add(match);
      acknowledged.push(f);
    }
  }
  return { findings: open, acknowledged, unusedAcknowledgements: acknowledge.filter((a) => !used.has(a)) };
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

/** Bodies this similar (Jaccard of leaves, tags and names left out) may be one object renamed. */
export const RENAME_SIMILARITY = 0.6;

const withoutNoise = (body: Value, identity: readonly string[]): Value => {
  if (!isObject(body)) return body;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(body)) if (!["tags", "tags_all", "lifecycle", "depends_on", ...identity].includes(k)) out[k] = v;
  return out;
};

/**
 * Whether `after` is `before` renamed, judged by content: every force-new argument that is not a
 * name is equal (an IAM policy attachment of another policy is another object, however alike), and
 * the rest is mostly the same. Returns the name arguments that differ, or undefined for "not the same".
 */
export function sameObject(type: string, before: Value, after: Value): { nameChanges: string[]; similarity: number } | undefined {
  const rules = FORCE_NEW[type]?.rules ?? [];
  const nameChanges: string[] = [];
  for (const rule of rules) {
    if (rule.when) continue;
    const b = valuesAt(before, rule.path) ?? rule.default;
    const a = valuesAt(after, rule.path) ?? rule.default;
    if (deepEqual(b, a)) continue;
    if (!rule.identity) return undefined;
    nameChanges.push(rule.path);
  }
  const topNames = rules.filter((r) => r.identity && !r.path.includes(".")).map((r) => r.path);
  const score = similarity(withoutNoise(before, topNames), withoutNoise(after, topNames));
  return score >= RENAME_SIMILARITY ? { nameChanges, similarity: score } : undefined;
}

/**
 * Pairs destroyed and created addresses that hold the same object (same type, same content; see
 * sameObject); with several candidates, the most similar bodies first (greedy). Terraform would
 * destroy and re-create these unless a `moved` block says they are the same object.
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/refactoring#moved-block-syntax
 */
export function pairRenames(
  removed: ReadonlyArray<{ address: string; type: string; body: Value }>,
  added: ReadonlyArray<{ address: string; type: string; body: Value }>,
): RenameSuggestion[] {
  const candidates: RenameSuggestion[] = [];
  for (const r of removed) {
    for (const a of added) {
      if (r.type !== a.type) continue;
      const same = sameObject(r.type, r.body, a.body);
      if (same) candidates.push({ from: r.address, to: a.address, similarity: same.similarity, nameChanges: same.nameChanges });
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
