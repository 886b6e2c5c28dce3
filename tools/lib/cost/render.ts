/**
 * The cost report as a terminal table (with ASCII bars) and as Markdown (with a mermaid pie of
 * each environment's monthly amounts).
 */
import type { CostLine, EnvironmentCost, UnitPrice } from "./model";
import { missingMessage, PRICES_FILE } from "./prices";

export const usd = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number): string => (n < 0 ? `−${usd(-n)}` : `+${usd(n)}`);
const amount = (l: CostLine): string => (l.monthly !== undefined ? usd(l.monthly) : l.missing.length > 0 ? "no price" : "—");
const basisWord = (l: CostLine): string => (l.missing.length > 0 ? "missing" : l.basis);
const total = (c: EnvironmentCost): string => (c.complete ? usd(c.monthlyTotal) : `≥ ${usd(c.monthlyTotal)} (incomplete)`);

const ESTIMATE_NOTE = `Estimates, not bills: list prices from ${PRICES_FILE} (each with its source and date) at the configured sizes, 730 h a month; no discounts, data transfer, load balancers, NAT or logs volume.`;

function table(rows: readonly string[][], align: readonly ("l" | "r")[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (align[i] === "r" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

function unitRows(units: readonly UnitPrice[], paidWord: string): string[][] {
  return units.map((u) => [
    u.pool,
    u.family,
    u.capacityType,
    usd(u.ec2Per100VcpuHours),
    u.feePer100VcpuHours !== undefined ? `${usd(u.feePer100VcpuHours)}${u.feeBasis === "estimated" ? " (est.)" : ""}` : "no price",
    u.feePer100VcpuHours !== undefined ? usd(u.ec2Per100VcpuHours + (u.paysFee ? u.feePer100VcpuHours : 0)) : "—",
    paidWord,
  ]);
}

/** The terminal report: one table per environment, bars for the monthly lines, missing prices last. */
export function renderCostTerminal(costs: readonly EnvironmentCost[]): string {
  const out: string[] = [];
  for (const c of costs) {
    out.push(`${c.env} (${c.region}, ${c.mode === "auto" ? "Auto Mode" : "managed node groups"}), month from ${c.from}: ${total(c)}`);
    const max = Math.max(...c.lines.map((l) => l.monthly ?? 0), 0);
    out.push(
      ...table(
        [["item", "per month", "basis", "", "how"], ...c.lines.map((l) => [l.item, amount(l), basisWord(l), max > 0 && (l.monthly ?? 0) > 0 ? "#".repeat(Math.max(1, Math.round(((l.monthly ?? 0) / max) * 20))) : "", l.detail])],
        ["l", "r", "l", "l", "l"],
      ).map((l) => `  ${l}`),
    );
    if (c.units.length > 0) {
      out.push(`  capacity that scales (usage not in the config): price per 100 vCPU-hours`);
      out.push(
        ...table([["pool", "family", "capacity", "EC2", "Auto Mode fee", "you pay", ""], ...unitRows(c.units, c.mode === "auto" ? "fee paid" : "no fee (Karpenter)")], ["l", "l", "l", "r", "r", "r", "l"]).map((l) => `    ${l}`),
      );
    }
    const om = c.otherMode;
    out.push(`  on ${om.mode}: ${om.monthlyFeeDifference !== undefined ? `${signed(om.monthlyFeeDifference)}/month Auto Mode fee; ` : ""}${om.detail}`);
    for (const n of c.notes) out.push(`  note: ${n}`);
    out.push("");
  }
  const missing = costs.flatMap((c) => c.missing.map((m) => `${c.env}: ${missingMessage(m)}`));
  for (const m of missing) out.push(m);
  out.push(ESTIMATE_NOTE);
  return `${out.join("\n")}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The Markdown report: a table per environment, a pie of its monthly amounts, the unit prices. */
export function renderCostMarkdown(costs: readonly EnvironmentCost[], heading = "##"): string {
  const out: string[] = [`${heading} Cost estimate`, "", ESTIMATE_NOTE, ""];
  out.push("| environment | region | compute | per month | on the other compute mode |", "|---|---|---|---:|---|");
  for (const c of costs) {
    const om = c.otherMode;
    out.push(
      `| ${c.env} | ${c.region} | ${c.mode === "auto" ? "Auto Mode" : "node groups"} | ${total(c)} | ${om.monthlyFeeDifference !== undefined ? `${signed(om.monthlyFeeDifference)} fee on ${om.mode}` : c.mode === "auto" ? `no fee on ${om.mode}: see the fee column` : "fee on Auto Mode unknown (prices missing)"} |`,
    );
  }
  out.push("");
  for (const c of costs) {
    out.push(`${heading}# ${c.env}`, "", `${c.region}, ${c.mode === "auto" ? "EKS Auto Mode" : "managed node groups"}, 730 hours from ${c.from}: **${total(c)}**`, "");
    out.push("| item | per month | basis | how |", "|---|---:|---|---|");
    for (const l of c.lines) out.push(`| ${cell(l.item)} | ${amount(l)} | ${basisWord(l)} | ${cell(l.detail)} |`);
    out.push("");
    const slices = c.lines.filter((l) => (l.monthly ?? 0) > 0);
    if (slices.length > 1) {
      out.push("```mermaid", `pie showData title ${c.env}: USD per month`, ...slices.map((l) => `    "${l.item}" : ${l.monthly!.toFixed(2)}`), "```", "");
    }
    if (c.units.length > 0) {
      out.push(
        `Capacity that scales with use (${c.mode === "auto" ? "Auto Mode pools" : "Karpenter pools"}): price per 100 vCPU-hours of each allowed family (the smallest priced size).`,
        "",
        "| pool | family | capacity | EC2 | Auto Mode fee | you pay | |",
        "|---|---|---|---:|---:|---:|---|",
        ...unitRows(c.units, c.mode === "auto" ? "fee paid" : "no fee (Karpenter)").map((r) => `| ${r.join(" | ")} |`),
        "",
      );
    }
    out.push(`On ${c.otherMode.mode}: ${c.otherMode.monthlyFeeDifference !== undefined ? `**${signed(c.otherMode.monthlyFeeDifference)}/month** Auto Mode fee; ` : ""}${c.otherMode.detail}.`, "");
    for (const n of c.notes) out.push(`- ${n}`);
    if (c.notes.length > 0) out.push("");
    if (c.missing.length > 0) {
      out.push("Missing prices (the total is a lower bound):", "", ...c.missing.map((m) => `- ${missingMessage(m)}`), "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
