/**
 * The cost delta of a change (base → head environments), for the review: a Markdown section and
 * terminal lines. Both sides are priced with the head's price table and the head's `cost` section
 * of each environment (the base falling back to its own for prices the head lacks; a removed
 * environment with its own), so only what is deployed moves the number (docs/cost.md "The review's
 * cost delta" states the rules below for users).
 *
 * - A compute-mode switch keeps the capacity: the node groups' EC2 and root volumes move to
 *   usage-priced pools (or come from them), which is no saving (no increase); the change counted
 *   is the Auto Mode fee on that capacity, now paid (node groups → Auto Mode) or no longer paid
 *   (Auto Mode → node groups).
 * - A missing price is never a zero: a row whose side has the item but no price has an unknown
 *   change, a bound that counts the row's priced part (missing after the change only: "≥";
 *   before only: "≤"; both: not estimated), and the headline is a bound ("≥", "≤": every unknown
 *   change goes one way) or "not estimated", never a number that counts the missing price as $0.
 */
import type { Environment } from "../../../stacks/environment-schema";
import { type CostLine, type EnvironmentCost, estimateEnvironment, type EstimateOptions } from "./model";
import { type MissingPrice, missingMessage, type PriceFile } from "./prices";
import { usd } from "./render";

/**
 * One side of a row: a monthly amount, or why there is none: absent (the item is not there: $0),
 * "not estimated" (a line stated without an amount, as control-plane logs), "no price" (the item is
 * there, its price is missing), "usage-priced" (the capacity runs in pools priced per use).
 */
export type DeltaSide = number | "absent" | "not estimated" | "no price" | "usage-priced";

export interface CostDeltaRow {
  readonly env: string;
  readonly item: string;
  readonly before: DeltaSide;
  readonly after: DeltaSide;
  readonly note: string;
  /**
   * How the row counts in the headline. counted: after − before (absent = $0); moved: capacity a
   * compute-mode switch moves between hourly and usage pricing (shown, not counted); unknown: a
   * price is missing (`direction`: which way the change can go); unpriced: no amount on either
   * side by design (stated lines).
   */
  readonly kind: "counted" | "moved" | "unknown" | "unpriced";
  /** For unknown rows: up (an unpriced item comes), down (an unpriced item goes), either. */
  readonly direction?: "up" | "down" | "either";
  /** The prices this row lacks (unknown rows). */
  readonly missing?: readonly MissingPrice[];
  /**
   * For unknown rows: after − before over what is priced (a side without its price counts its
   * priced part, an io2 volume's storage say, else $0). With a price missing after the change only,
   * the change is at least this; before only, at most this; the headline's bound counts it.
   */
  readonly known?: number;
  /** A counted amount from an estimated price (the Auto Mode fee as 12 % of on-demand). */
  readonly estimated?: boolean;
}

export interface CostDelta {
  readonly rows: readonly CostDeltaRow[];
  /** Sum of after − before over the counted rows; for a bound, plus the priced part of the unknown rows (`known`). */
  readonly monthlyChange: number;
  /**
   * What monthlyChange is: exact (no unknown row), at least / at most (every unknown row can only
   * raise / lower it), not estimated (unknown rows go either way, or both ways).
   */
  readonly bound: "exact" | "at least" | "at most" | "not estimated";
  /** "cost: estimated monthly change +$66.08 (…)", the terminal's first line. */
  readonly headline: string;
  /** One terminal line per row, then the notes (each starts with two spaces). */
  readonly details: readonly string[];
  /** "prod: estimate assumptions changed (cost section); …" */
  readonly notes: readonly string[];
  readonly missing: readonly string[];
  readonly markdown: string;
  /** headline, details, missing prices. */
  readonly terminal: readonly string[];
}

const signed = (n: number): string => (Math.abs(n) < 0.005 ? usd(0) : n < 0 ? `−${usd(-n)}` : `+${usd(n)}`);
const amountOf = (s: DeltaSide): number => (typeof s === "number" ? s : 0);
const sideText = (s: DeltaSide): string => (typeof s === "number" ? usd(s) : s === "absent" || s === "not estimated" ? "—" : s);
/** "m5.large in ap-northeast-1": the price a row lacks, without the fix (the list below names it). */
const shortMissing = (m: MissingPrice): string => `no price for ${m.what} in ${m.region}`;

function sideOf(line: CostLine | undefined): DeltaSide {
  if (line === undefined) return "absent";
  if (line.monthly !== undefined) return line.monthly;
  return line.missing.length > 0 ? "no price" : "not estimated";
}

/** The priced part of a side: its amount, a line's knownMonthly when a price of it is missing, else $0. */
type Known = { readonly before?: number; readonly after?: number };
const knownOf = (line: CostLine | undefined): number | undefined => line?.knownMonthly;

/**
 * A row from its two sides: counted, unknown (with its direction) or unpriced. A side without its
 * price costs at least its priced part (`known`): missing after the change only, the change is at
 * least the priced difference (up); before only, at most (down); on both sides, unknown (either).
 */
function row(env: string, item: string, before: DeltaSide, after: DeltaSide, detail: string, missing: readonly MissingPrice[], estimated = false, known: Known = {}): CostDeltaRow {
  if (before === "no price" || after === "no price") {
    const direction = before === "no price" && after === "no price" ? "either" : after === "no price" ? "up" : "down";
    const part = (s: DeltaSide, k: number | undefined) => (s === "no price" ? (k ?? 0) : amountOf(s));
    return {
      env,
      item,
      before,
      after,
      kind: "unknown",
      direction,
      known: part(after, known.after) - part(before, known.before),
      missing,
      note: `${unique(missing.map(shortMissing)).join(", ")}; ${detail}`,
      // The priced part of this row is an estimate (a bound that counts it includes an estimated fee).
      ...(estimated ? { estimated } : {}),
    };
  }
  if (typeof before !== "number" && typeof after !== "number") return { env, item, before, after, kind: "unpriced", note: detail };
  return { env, item, before, after, kind: "counted", note: detail, ...(estimated ? { estimated } : {}) };
}

/** The items of the node groups' capacity: their instances and root volumes (model.ts names them so). */
function nodeGroupItems(env: Environment | undefined): Set<string> {
  const compute = env?.cluster.compute;
  if (compute?.mode !== "managed") return new Set();
  return new Set(Object.keys(compute.nodeGroups).flatMap((n) => [`node group ${n}`, `node group ${n} root volumes`]));
}

/** "(3 × m7i.large × $0.01562 + …) × 730 h" and what follows it, from the other mode's detail. */
function feeFormula(c: EnvironmentCost): { formula: string; rest: string[] } {
  const [formula, ...rest] = c.otherMode.detail.replace(/^the same node groups would pay the Auto Mode fee on every instance: /, "").split("; ");
  return { formula: formula!, rest };
}

/** The fee on the node groups' capacity: paid after a switch to Auto Mode, no longer paid after a switch away. */
function feeRow(env: string, groups: EnvironmentCost, toAuto: boolean): CostDeltaRow {
  const item = "Auto Mode fee on the node groups' capacity";
  const fee = groups.otherMode.monthlyFeeDifference;
  const missing = groups.gaps.filter((g) => g.affects === "comparison" && g.pool === undefined).map((g) => g.price);
  const what = toAuto ? "paid on what the node groups ran" : "no longer paid on what the node groups run";
  const knownFee = groups.otherMode.knownFeeDifference;
  if (fee === undefined) {
    return row(env, item, toAuto ? 0 : "no price", toAuto ? "no price" : 0, what, missing, groups.otherMode.knownFeeBasis === "estimated" && (knownFee ?? 0) !== 0, toAuto ? { after: knownFee } : { before: knownFee });
  }
  const { formula, rest } = feeFormula(groups);
  const pools = rest.length > 0 ? (toAuto ? "; the pools now pay the Auto Mode fee column of the pool prices on what they run" : "; the pools no longer pay the Auto Mode fee column of the pool prices") : "";
  // Any fee not plainly published says where it is from, as the cost report does ("(estimated)", "(config)").
  const basis = groups.otherMode.basis !== undefined && groups.otherMode.basis !== "published" ? ` (${groups.otherMode.basis})` : "";
  return row(env, item, toAuto ? 0 : fee, toAuto ? fee : 0, `${what}: ${formula}${basis}${pools}`, [], groups.otherMode.basis === "estimated");
}

/** A price not plainly from the table's published blocks says where it is from, as the cost report's basis column does. */
const basisNote = (l: CostLine): string => (l.basis === "config" || l.basis === "estimated" || l.basis === "unverified" ? ` (${l.basis})` : "");

function envRows(baseEnv: Environment | undefined, headEnv: Environment | undefined, base: EnvironmentCost | undefined, head: EnvironmentCost | undefined): CostDeltaRow[] {
  const env = (head ?? base)!.env;
  const toAuto = base?.mode === "managed" && head?.mode === "auto";
  const fromAuto = base?.mode === "auto" && head?.mode === "managed";
  // The capacity a switch keeps running: the base's node groups (to Auto Mode) or the head's (from it).
  const moved = toAuto ? nodeGroupItems(baseEnv) : fromAuto ? nodeGroupItems(headEnv) : new Set<string>();
  const rows: CostDeltaRow[] = [];
  const before = new Map((base?.lines ?? []).map((l) => [l.item, l]));
  const after = new Map((head?.lines ?? []).map((l) => [l.item, l]));
  for (const item of [...new Set([...before.keys(), ...after.keys()])]) {
    const b = before.get(item);
    const a = after.get(item);
    if (b?.monthly === a?.monthly && b?.detail === a?.detail) continue;
    if (moved.has(item)) {
      rows.push(
        toAuto
          ? { env, item, before: sideOf(b), after: "usage-priced", kind: "moved", note: `moves to usage-priced pools (not a saving: the capacity still runs); was ${b!.detail}` }
          : { env, item, before: "usage-priced", after: sideOf(a), kind: "moved", note: `was usage-priced (Auto Mode pools; not an increase: the capacity ran before); now ${a!.detail}` },
      );
      continue;
    }
    rows.push(row(env, item, sideOf(b), sideOf(a), a !== undefined ? `${a.detail}${basisNote(a)}` : `removed; was ${b!.detail}${basisNote(b!)}`, [...(b?.missing ?? []), ...(a?.missing ?? [])], false, { before: knownOf(b), after: knownOf(a) }));
  }
  // First: the fee is what the switch changes (the headline), and the terminal shows the first rows only.
  if (toAuto) rows.unshift(feeRow(env, base, true));
  if (fromAuto) rows.unshift(feeRow(env, head, false));
  return rows;
}

/** JSON with sorted keys: the same cost section written in another order is the same. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) => (x !== null && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x)) ?? "undefined";

/** `env` with the given cost section (prices and assumptions are the estimate's, not the deployment's). */
function withCost(env: Environment, cost: Environment["cost"]): Environment {
  const { cost: _, ...rest } = env;
  return (cost === undefined ? rest : { ...rest, cost }) as Environment;
}

/**
 * The cost section the base side is priced with: the head's, and for a price the head lacks the
 * base's own (an instance-type migration may drop the old type's price from the head, as `npm run
 * cost`'s "no node group or pool uses this type" note invites). The head wins where both price
 * something, so a change of the cost section alone is still no change. Assumptions (spotDiscount)
 * are the head's only: they are not prices of something the head no longer runs.
 */
function baseCost(head: Environment["cost"], base: Environment["cost"]): Environment["cost"] {
  if (base === undefined) return head;
  const h = head ?? {};
  const records = <K extends "ec2PerHour" | "autoModeFeePerHour">(k: K) => (base[k] === undefined && h[k] === undefined ? {} : { [k]: { ...base[k], ...h[k] } });
  const ebs = base.ebs === undefined && h.ebs === undefined ? {} : { ebs: { ...base.ebs, ...h.ebs } };
  const pick = <K extends "gp3" | "controlPlane">(k: K) => {
    const v = h[k] ?? base[k];
    return v === undefined ? {} : { [k]: v };
  };
  return { ...h, ...records("ec2PerHour"), ...records("autoModeFeePerHour"), ...pick("gp3"), ...pick("controlPlane"), ...ebs } as Environment["cost"];
}

const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];

/**
 * The delta between two lists of validated environments, priced with `file` and, for each
 * environment on both sides, the head's cost section.
 */
export function costDelta(baseEnvs: readonly Environment[], headEnvs: readonly Environment[], file: PriceFile, options: EstimateOptions = {}): CostDelta {
  const headByName = new Map(headEnvs.map((e) => [e.name, e]));
  const baseByName = new Map(baseEnvs.map((e) => [e.name, e]));
  const notes: string[] = [];
  const base = new Map(
    baseEnvs.map((e) => {
      const h = headByName.get(e.name);
      // A removed environment is priced with its own (base) cost section: the head has none for it.
      return [e.name, estimateEnvironment(h !== undefined ? withCost(e, baseCost(h.cost, e.cost)) : e, file, options)];
    }),
  );
  const head = new Map(headEnvs.map((e) => [e.name, estimateEnvironment(e, file, options)]));
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const rows = names.flatMap((n) => envRows(baseByName.get(n), headByName.get(n), base.get(n), head.get(n)));
  for (const n of names) {
    const b = baseByName.get(n);
    const h = headByName.get(n);
    if (b === undefined || h === undefined || canonical(b.cost) === canonical(h.cost)) continue;
    notes.push(
      rows.some((r) => r.env === n)
        ? `${n}: estimate assumptions changed (cost section): both sides are priced with the new one, so only deployed changes count`
        : `${n}: estimate assumptions changed (cost section); nothing deployed changes`,
    );
  }

  const counted = rows.filter((r) => r.kind === "counted");
  const countedChange = counted.reduce((s, r) => s + amountOf(r.after) - amountOf(r.before), 0);
  const unknown = rows.filter((r) => r.kind === "unknown");
  const directions = new Set(unknown.map((r) => r.direction));
  const bound: CostDelta["bound"] =
    unknown.length === 0 ? "exact" : directions.size === 1 && directions.has("up") ? "at least" : directions.size === 1 && directions.has("down") ? "at most" : "not estimated";
  // A bound counts the priced part of the unknown rows too (a new io2 volume's storage, the fees that have a price).
  const monthlyChange = bound === "not estimated" ? countedChange : countedChange + unknown.reduce((s, r) => s + (r.known ?? 0), 0);
  const lacking = unique(unknown.flatMap((r) => (r.missing ?? []).map(shortMissing))).join(", ");

  // The head's prices of the bill, and those of the rows whose change is unknown (a base's or a fee's).
  const missing = unique([
    ...[...head.values()].flatMap((c) => c.missing.map((m) => `${c.env}: ${missingMessage(m)}`)),
    ...unknown.flatMap((r) => (r.missing ?? []).map((m) => `${r.env}: ${missingMessage(m)}`)),
  ]);

  const md: string[] = ["### Cost", ""];
  const details: string[] = [];
  let headline: string;
  if (rows.length === 0) {
    headline = "cost: no change to the estimated monthly cost";
    md.push("No change to the estimated monthly cost.", "");
  } else {
    // A bound also counts the priced part of the unknown rows: an estimated fee there makes it an estimate too.
    const estimated = counted.some((r) => r.estimated) || (bound !== "not estimated" && unknown.some((r) => r.estimated)) ? "includes an estimated Auto Mode fee" : undefined;
    const sources = "list prices, data/prices.json; both sides priced with the head's prices and cost sections; `npm run cost` for the whole estimate";
    if (bound === "not estimated") {
      const priced = counted.length > 0 ? `; the rows with prices: ${signed(countedChange)}` : "";
      headline = `cost: monthly change not estimated (${lacking})${priced}`;
      md.push(`Monthly change: **not estimated** (${lacking}${priced}; ${sources}).`, "");
    } else {
      const amount = `${bound === "at least" ? "≥ " : bound === "at most" ? "≤ " : ""}${signed(monthlyChange)}`;
      const qualifier = [...(bound === "exact" ? [] : [`incomplete: ${lacking}`]), ...(estimated ? [estimated] : [])].join("; ");
      headline = `cost: estimated monthly change ${amount}${qualifier ? ` (${qualifier})` : ""}`;
      md.push(`Estimated monthly change: **${amount}** (${qualifier ? `${qualifier}; ` : ""}${sources}).`, "");
    }
    const change = (r: CostDeltaRow): string =>
      r.kind === "counted"
        ? signed(amountOf(r.after) - amountOf(r.before))
        : r.kind === "unknown"
          ? r.direction === "up"
            ? `≥ ${signed(r.known ?? 0)}`
            : r.direction === "down"
              ? `≤ ${signed(r.known ?? 0)}`
              : "not estimated"
          : r.kind === "moved"
            ? "not counted"
            : "—";
    md.push("| environment | item | before | after | change | how |", "|---|---|---:|---:|---:|---|");
    for (const r of rows) md.push(`| ${r.env} | ${r.item} | ${sideText(r.before)} | ${sideText(r.after)} | ${change(r)} | ${r.note.replace(/\|/g, "\\|")} |`);
    md.push("");
    // "item amount — how": the how has brackets of its own (formulas, "(estimated)"), so none around it.
    for (const r of rows) {
      const moved = typeof r.before === "number" ? r.before : r.after;
      const amount = r.kind === "counted" || r.kind === "unknown" ? ` ${change(r)}` : r.kind === "moved" && typeof moved === "number" ? ` ${usd(moved)}` : "";
      details.push(`  ${r.env}: ${r.item}${amount} — ${r.note}`);
    }
  }
  if (notes.length > 0) {
    md.push(...notes.map((n) => `- ${n}`), "");
    details.push(...notes.map((n) => `  ${n}`));
  }
  if (missing.length > 0) md.push("Missing prices (never counted as $0; each says where to add it):", "", ...missing.map((m) => `- ${m}`), "");
  const terminal = [headline, ...details, ...missing.map((m) => `  ${m}`)];
  return { rows, monthlyChange, bound, headline, details, notes, missing, markdown: `${md.join("\n").trimEnd()}\n`, terminal };
}
