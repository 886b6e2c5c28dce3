/**
 * The cost report as a terminal table (with ASCII bars) and as Markdown (with a mermaid pie of
 * each environment's monthly amounts).
 */
import { type CostLine, type EnvironmentCost, gapMessage, type OtherMode, type UnitPrice } from "./model";
import { missingMessage, priceDateText, PRICES_FILE } from "./prices";

export const usd = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number): string => (n < 0 ? `−${usd(-n)}` : `+${usd(n)}`);
// A line with a missing price and a priced part (knownMonthly) costs at least that part.
const amount = (l: CostLine): string =>
  l.monthly !== undefined ? usd(l.monthly) : l.missing.length > 0 ? (l.knownMonthly !== undefined && l.knownMonthly > 0 ? `≥ ${usd(l.knownMonthly)}` : "no price") : "—";
/** "table (unverified)": from a block of data/prices.json that says we did not check it against AWS. */
const basisWord = (l: CostLine): string => (l.missing.length > 0 ? "missing" : l.basis === "unverified" ? "table (unverified)" : l.basis);
const total = (c: EnvironmentCost): string => (c.complete ? usd(c.monthlyTotal) : `≥ ${usd(c.monthlyTotal)} (incomplete)`);
/** The fee difference with its basis when it is not plainly published (an estimated fee makes it an estimate). */
const feeDifference = (om: OtherMode, text: (signed: string) => string): string =>
  `${text(signed(om.monthlyFeeDifference!))}${om.basis === "estimated" ? " (estimated)" : om.basis === "unverified" ? " (table, unverified)" : om.basis === "config" ? " (config)" : ""}`;
/** When the prices used are from: the date of each source's data (asOf), not the day it was read. */
const pricesAsOf = (c: EnvironmentCost): string => `prices as of: ${c.priceDates.map(priceDateText).join(", ")}`;

const ESTIMATE_NOTE = `Estimates, not bills: list prices from ${PRICES_FILE} (each with its source and the date of its data) at the configured sizes, 730 h a month; no discounts, data transfer, load balancers, NAT or logs volume.`;

function table(rows: readonly string[][], align: readonly ("l" | "r")[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (align[i] === "r" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

/** What the pool prices leave out, said under each pool table. */
const POOL_NOTE = "Instance hours only: the nodes' storage (EBS root or ephemeral volumes) is not in these prices.";

function unitRows(units: readonly UnitPrice[], paidWord: string): string[][] {
  return units.map((u) => [
    u.pool,
    // The size priced: families are priced at the smallest size the pool allows, which differs between pools.
    `${u.family} (${u.instanceType.slice(u.instanceType.indexOf(".") + 1)})`,
    u.capacityType,
    `${usd(u.ec2Per100VcpuHours)}${u.ec2Basis === "unverified" ? " (unverified)" : ""}`,
    u.feePer100VcpuHours !== undefined ? `${usd(u.feePer100VcpuHours)}${u.feeBasis === "estimated" ? " (est.)" : ""}` : "no price",
    // Karpenter pays no fee: what it pays is known without one.
    !u.paysFee ? usd(u.ec2Per100VcpuHours) : u.feePer100VcpuHours !== undefined ? usd(u.ec2Per100VcpuHours + u.feePer100VcpuHours) : "—",
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
        ...table([["pool", "family (size)", "capacity", "EC2", "Auto Mode fee", "you pay", ""], ...unitRows(c.units, c.mode === "auto" ? "fee paid" : "no fee (Karpenter)")], ["l", "l", "l", "r", "r", "r", "l"]).map((l) => `    ${l}`),
        `    ${POOL_NOTE}`,
      );
    }
    const om = c.otherMode;
    out.push(`  on ${om.mode}: ${om.monthlyFeeDifference !== undefined ? `${feeDifference(om, (d) => `${d}/month Auto Mode fee`)}; ` : ""}${om.detail}`);
    for (const n of c.notes) out.push(`  note: ${n}`);
    if (c.priceDates.length > 0) out.push(`  ${pricesAsOf(c)}`);
    out.push("");
  }
  // Errors (prices of the total: exit 1) first, then notes (prices outside it: exit unchanged).
  for (const c of costs) for (const m of c.missing) out.push(`${c.env}: ${missingMessage(m)}`);
  for (const c of costs) for (const g of c.gaps) out.push(`${c.env}: note: ${gapMessage(g)}`);
  for (const c of costs) for (const n of c.configNotes) out.push(`${c.env}: note: ${n}`);
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
      `| ${c.env} | ${c.region} | ${c.mode === "auto" ? "Auto Mode" : "node groups"} | ${total(c)} | ${om.monthlyFeeDifference !== undefined ? feeDifference(om, (d) => `${d} fee on ${om.mode}`) : c.mode === "auto" ? `no fee on ${om.mode}: see the fee column` : "fee on Auto Mode unknown (prices missing)"} |`,
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
        "| pool | family (size) | capacity | EC2 | Auto Mode fee | you pay | |",
        "|---|---|---|---:|---:|---:|---|",
        ...unitRows(c.units, c.mode === "auto" ? "fee paid" : "no fee (Karpenter)").map((r) => `| ${r.join(" | ")} |`),
        "",
        POOL_NOTE,
        "",
      );
    }
    const om = c.otherMode;
    out.push(`On ${om.mode}: ${om.monthlyFeeDifference !== undefined ? `${feeDifference(om, (d) => `**${d}/month** Auto Mode fee`)}; ` : ""}${om.detail}.`, "");
    for (const n of c.notes) out.push(`- ${n}`);
    if (c.priceDates.length > 0) out.push(`- ${pricesAsOf(c)}`);
    if (c.notes.length > 0 || c.priceDates.length > 0) out.push("");
    if (c.missing.length > 0) {
      out.push("Missing prices (the total is a lower bound):", "", ...c.missing.map((m) => `- ${missingMessage(m)}`), "");
    }
    if (c.gaps.length > 0) {
      out.push("Missing prices outside the total (notes: the total does not use them):", "", ...c.gaps.map((g) => `- ${gapMessage(g)}`), "");
    }
    if (c.configNotes.length > 0) {
      out.push("Prices in the environment's cost section (notes):", "", ...c.configNotes.map((n) => `- ${n}`), "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
