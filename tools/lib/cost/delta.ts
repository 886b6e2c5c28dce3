/**
 * The cost delta of a change (base → head environments), for the review: a Markdown section and
 * terminal lines. A switch between compute modes keeps the capacity the config stated: node groups
 * moving to Auto Mode are charged the fee on the instances they had.
 */
import type { Environment } from "../../../stacks/environment-schema";
import { type EnvironmentCost, estimateEnvironment, type EstimateOptions } from "./model";
import { missingMessage, type PriceFile } from "./prices";
import { usd } from "./render";

export interface CostDeltaRow {
  readonly env: string;
  readonly item: string;
  readonly before?: number;
  readonly after?: number;
  readonly note?: string;
}

export interface CostDelta {
  readonly rows: readonly CostDeltaRow[];
  /** Sum of after − before over rows with both or either amount. */
  readonly monthlyChange: number;
  readonly missing: readonly string[];
  readonly markdown: string;
  readonly terminal: readonly string[];
}

const signed = (n: number): string => (Math.abs(n) < 0.005 ? usd(0) : n < 0 ? `−${usd(-n)}` : `+${usd(n)}`);

function envRows(base: EnvironmentCost | undefined, head: EnvironmentCost | undefined): CostDeltaRow[] {
  const env = (head ?? base)!.env;
  const rows: CostDeltaRow[] = [];
  const before = new Map((base?.lines ?? []).map((l) => [l.item, l]));
  const after = new Map((head?.lines ?? []).map((l) => [l.item, l]));
  for (const item of [...new Set([...before.keys(), ...after.keys()])]) {
    const b = before.get(item);
    const a = after.get(item);
    if (b?.monthly === a?.monthly && b?.detail === a?.detail) continue;
    rows.push({
      env,
      item,
      ...(b?.monthly !== undefined ? { before: b.monthly } : {}),
      ...(a?.monthly !== undefined ? { after: a.monthly } : {}),
      note: a?.detail ?? `removed (${b!.detail})`,
    });
  }
  if (base?.mode === "managed" && head?.mode === "auto" && base.otherMode.monthlyFeeDifference !== undefined) {
    rows.push({
      env,
      item: "Auto Mode fee on the node groups' capacity",
      before: 0,
      after: base.otherMode.monthlyFeeDifference,
      note: `if Auto Mode runs what the node groups ran (${base.otherMode.detail.replace(/^the same node groups would pay the Auto Mode fee on every instance: /, "")})${base.otherMode.basis === "estimated" ? ", estimated" : ""}; their EC2 cost then moves to usage-priced pools`,
    });
  }
  if (base?.mode === "managed" && head?.mode === "auto" && base.otherMode.monthlyFeeDifference === undefined) {
    // The comparison's gap is a gap of this change: the fee becomes part of the bill (costDelta lists the price).
    rows.push({ env, item: "Auto Mode fee on the node groups' capacity", note: `not estimated: ${base.otherMode.detail}` });
  }
  if (base?.mode === "auto" && head?.mode === "managed") {
    rows.push({ env, item: "Auto Mode fee", note: "no longer paid: the pools' fee per 100 vCPU-hours is saved on whatever capacity ran there" });
  }
  return rows;
}

/** The delta between two lists of validated environments, priced with `file`. */
export function costDelta(baseEnvs: readonly Environment[], headEnvs: readonly Environment[], file: PriceFile, options: EstimateOptions = {}): CostDelta {
  const base = new Map(baseEnvs.map((e) => [e.name, estimateEnvironment(e, file, options)]));
  const head = new Map(headEnvs.map((e) => [e.name, estimateEnvironment(e, file, options)]));
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const rows = names.flatMap((n) => envRows(base.get(n), head.get(n)));
  const monthlyChange = rows.reduce((s, r) => s + (r.after ?? 0) - (r.before ?? 0), 0);
  // The head's prices of the bill; for a switch to Auto Mode also the fees the base's node groups would pay.
  const switched = names.map((n) => base.get(n)).filter((b): b is EnvironmentCost => b?.mode === "managed" && head.get(b.env)?.mode === "auto");
  const missing = [
    ...new Set([
      ...[...head.values()].flatMap((c) => c.missing.map((m) => `${c.env}: ${missingMessage(m)}`)),
      ...switched.flatMap((b) => b.gaps.filter((g) => g.affects === "comparison" && g.pool === undefined).map((g) => `${b.env}: ${missingMessage(g.price)}`)),
    ]),
  ];

  const md: string[] = ["### Cost", ""];
  const terminal: string[] = [];
  if (rows.length === 0) {
    md.push("No change to the estimated monthly cost.", "");
    terminal.push("cost: no change to the estimated monthly cost");
  } else {
    md.push(`Estimated monthly change: **${signed(monthlyChange)}** (list prices, data/prices.json; \`npm run cost\` for the whole estimate).`, "");
    md.push("| environment | item | before | after | change | how |", "|---|---|---:|---:|---:|---|");
    for (const r of rows) {
      const change = r.before !== undefined || r.after !== undefined ? signed((r.after ?? 0) - (r.before ?? 0)) : "—";
      md.push(`| ${r.env} | ${r.item} | ${r.before !== undefined ? usd(r.before) : "—"} | ${r.after !== undefined ? usd(r.after) : "—"} | ${change} | ${(r.note ?? "").replace(/\|/g, "\\|")} |`);
    }
    md.push("");
    terminal.push(`cost: estimated monthly change ${signed(monthlyChange)}`);
    for (const r of rows) {
      const change = r.before !== undefined || r.after !== undefined ? signed((r.after ?? 0) - (r.before ?? 0)) : "";
      terminal.push(`  ${r.env}: ${r.item}${change ? ` ${change}` : ""}${r.note ? ` (${r.note})` : ""}`);
    }
  }
  if (missing.length > 0) {
    md.push("Missing prices (amounts that need them are left out):", "", ...missing.map((m) => `- ${m}`), "");
    terminal.push(...missing.map((m) => `  ${m}`));
  }
  return { rows, monthlyChange, missing, markdown: `${md.join("\n").trimEnd()}\n`, terminal };
}
