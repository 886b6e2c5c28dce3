/**
 * The monthly cost estimate of an environment, from its validated config and a price table:
 * what is fixed by the config (control plane, node groups at their configured size, volumes) as
 * monthly amounts, and what scales with usage the config does not know (Auto Mode and Karpenter
 * pools) as prices per 100 vCPU-hours. Every amount says which prices it used; a price nobody
 * gave is a MissingPrice, never a zero.
 */
import type { Environment, NodePoolConfig } from "../../../stacks/environment-schema";
import { KUBERNETES_VERSION_DATES } from "../../../stacks/kubernetes-versions";
import { isPrice, missingMessage, type MissingPrice, nonUsdReason, type OtherEbsType, type PriceDate, PRICES_FILE, type Price, type PriceFile, type PriceOrigin, RegionPrices } from "./prices";

/** One row of the monthly estimate. `monthly` is absent when a price is missing or nothing is estimated. */
export interface CostLine {
  /** What is paid for: "control plane", "node group general", "volume loki-data", ... */
  readonly item: string;
  /** The arithmetic, in words. */
  readonly detail: string;
  readonly monthly?: number;
  /**
   * For a line with a missing price, the part that is priced (an io2 volume's storage and the
   * IOPS tiers with a price): the line costs at least this. The total counts it (a lower bound
   * then) and the review's delta counts it in its bounds.
   */
  readonly knownMonthly?: number;
  /** published: from data/prices.json; unverified: from a block of it we did not check against AWS; config: the environment's cost section; estimated: derived (see detail); stated: shown, not priced. */
  readonly basis: PriceOrigin | "stated";
  readonly missing: readonly MissingPrice[];
}

/** The price of 100 vCPU-hours of one instance family in one pool: capacity that scales. */
export interface UnitPrice {
  readonly pool: string;
  readonly family: string;
  /** The size priced (the smallest the pool allows with a price). */
  readonly instanceType: string;
  /**
   * "on-demand"; "spot (0.6 stated discount)"; without a stated discount "spot (at on-demand: upper
   * bound)", and for a pool of both one row "spot (at on-demand: upper bound), on-demand" (one price).
   */
  readonly capacityType: string;
  /** EC2 per 100 vCPU-hours (spot: after the stated discount, or on-demand when none is stated). */
  readonly ec2Per100VcpuHours: number;
  /** Where the EC2 price came from (config: a stated spot discount applied to it). */
  readonly ec2Basis: PriceOrigin;
  /** The Auto Mode fee per 100 vCPU-hours: paid in Auto Mode, the saving elsewhere. */
  readonly feePer100VcpuHours?: number;
  readonly feeBasis?: PriceOrigin;
  /** Whether this pool pays the fee (Auto Mode) or not (Karpenter on node groups). */
  readonly paysFee: boolean;
}

export interface OtherMode {
  /** "Auto Mode" or "node groups / Karpenter". */
  readonly mode: string;
  /** The monthly fee difference for the same configured capacity (node groups: +fee); absent for usage-based capacity. */
  readonly monthlyFeeDifference?: number;
  /** When a fee of it is missing: the part of the fee difference that is priced (the difference is at least this). */
  readonly knownFeeDifference?: number;
  /** Where the fees in knownFeeDifference come from, the least sure one (an estimated fee makes it an estimate). */
  readonly knownFeeBasis?: PriceOrigin;
  readonly detail: string;
  readonly basis?: PriceOrigin;
}

/**
 * A price missing outside the total: it leaves the comparison with the other compute mode, or the
 * per-unit prices of capacity that scales, incomplete, never the monthly total. A note, not an
 * error (the tool's exit code and the total ignore it); it names the fix all the same.
 */
export interface PriceGap {
  readonly price: MissingPrice;
  /** comparison: what the same capacity would pay on Auto Mode; pool: a pool's price per 100 vCPU-hours. */
  readonly affects: "comparison" | "pool";
  /** The pool concerned; none for the node groups' comparison. */
  readonly pool?: string;
}

/** "the Auto Mode comparison is incomplete: no price for …; add it to …" */
export function gapMessage(g: PriceGap): string {
  const what =
    g.affects === "pool" ? `pool ${g.pool} prices incomplete` : g.pool !== undefined ? `the Auto Mode comparison of pool ${g.pool} is incomplete` : "the Auto Mode comparison is incomplete";
  return `${what}: ${missingMessage(g.price)}`;
}

export interface EnvironmentCost {
  readonly env: string;
  readonly region: string;
  readonly mode: "auto" | "managed";
  /** First day of the 730-hour month estimated (YYYY-MM-DD, UTC). */
  readonly from: string;
  readonly lines: readonly CostLine[];
  /** Sum of the lines' amounts, and of the priced part of lines with a missing price (knownMonthly). */
  readonly monthlyTotal: number;
  /** False when a price of the bill is missing: the total is then a lower bound. */
  readonly complete: boolean;
  readonly units: readonly UnitPrice[];
  readonly otherMode: OtherMode;
  /** Prices the total needs and nobody gave: errors (the tool exits 1). */
  readonly missing: readonly MissingPrice[];
  /** Prices missing outside the total (comparison, pool prices): notes, after the errors. */
  readonly gaps: readonly PriceGap[];
  readonly notes: readonly string[];
  /**
   * The environment's own prices nothing uses, or that pools cannot use (`cost.ec2PerHour["m7i.lrage"]: …`):
   * notes after the price gaps; the exit code ignores them.
   */
  readonly configNotes: readonly string[];
  /** The date of the data of each price block of data/prices.json the estimate used. */
  readonly priceDates: readonly PriceDate[];
}

export interface EstimateOptions {
  /** First day of the month estimated (YYYY-MM-DD); today (UTC) by default. */
  readonly from?: string;
}

/**
 * A unit price as it was given, whatever its size: at least 4 decimals ($0.1000), as many as the
 * price has up to 10 (AWS's Auto Mode fees and some EC2 prices have 5, $1.0416 keeps its 4, a
 * config price may have more), so the arithmetic shown is the arithmetic done; beyond that (a
 * computed value's binary noise) it says it is rounded. Monthly amounts are in cents (render.ts usd).
 */
export const money = (n: number): string => {
  for (let decimals = 4; decimals <= 10; decimals++) if (Number(n.toFixed(decimals)) === n) return `$${n.toFixed(decimals)}`;
  return `$${n.toFixed(10)} (rounded)`;
};
const DAY_MS = 86_400_000;

/** Hours from the start of `from` to the start of the day after `lastDay` (0 if before). */
function hoursUntilEndOf(from: string, lastDay: string): number {
  return Math.max(0, (Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS - Date.parse(`${from}T00:00:00Z`)) / 3_600_000);
}

/**
 * Control plane: $0.10/h in standard support, $0.60/h in extended support (data/prices.json, the
 * block of the region's partition, or the environment's cost.controlPlane). With
 * upgradeSupportType STANDARD, EKS upgrades the cluster at the end of standard support instead of
 * charging extended support; with EXTENDED, hours after the version's end of standard support are
 * billed at the extended rate, and at the end of extended support EKS upgrades the cluster to the
 * oldest version then in extended support: still the extended rate.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html ("If you haven't updated your cluster before the extended support period ends, your cluster is auto-upgraded to the oldest currently supported extended version.")
 */
function controlPlane(env: Environment, prices: RegionPrices, from: string): { line: CostLine; notes: string[] } {
  const hours = prices.hoursPerMonth;
  const version = env.cluster.kubernetesVersion;
  const dates = KUBERNETES_VERSION_DATES[version];
  const end = dates?.endOfStandardSupport;
  const standardHours = end === undefined ? hours : Math.min(hours, hoursUntilEndOf(from, end));
  const notes: string[] = [];
  const upgradesAtStandardEnd = env.cluster.upgradeSupportType === "STANDARD" || standardHours >= hours;
  if (env.cluster.upgradeSupportType === "STANDARD" && standardHours < hours) {
    notes.push(`control plane: ${version} leaves standard support after ${end}; with upgradeSupportType STANDARD EKS then upgrades the cluster (no extended-support charge)`);
  }
  const extendedEnd = dates?.endOfExtendedSupport;
  if (!upgradesAtStandardEnd && extendedEnd !== undefined && hoursUntilEndOf(from, extendedEnd) < hours) {
    notes.push(
      `control plane: ${version} leaves extended support after ${extendedEnd}; EKS then upgrades the cluster to the oldest version in extended support, priced here at the extended rate as well (upgrade cluster.kubernetesVersion before then)`,
    );
  }
  const price = prices.controlPlane();
  if (!isPrice(price)) return { line: { item: "control plane", detail: `${version}, ${hours} h`, basis: "published", missing: [price] }, notes };
  const { standardPerHour, extendedPerHour } = price.value;
  if (upgradesAtStandardEnd) {
    return {
      line: { item: "control plane", detail: `${version}, standard support: ${hours} h × ${money(standardPerHour)}`, monthly: hours * standardPerHour, basis: price.origin, missing: [] },
      notes,
    };
  }
  const extendedHours = hours - standardHours;
  const detail =
    standardHours > 0
      ? `${version}, standard support until ${end}, then extended: ${standardHours} h × ${money(standardPerHour)} + ${extendedHours} h × ${money(extendedPerHour)}`
      : `${version}, extended support (standard ended ${end}): ${hours} h × ${money(extendedPerHour)}`;
  return { line: { item: "control plane", detail, monthly: standardHours * standardPerHour + extendedHours * extendedPerHour, basis: price.origin, missing: [] }, notes };
}

/** The node pools of an environment, wherever the config keeps them (top-level, or under Auto Mode compute). */
function nodePoolsOf(env: Environment): Record<string, NodePoolConfig> {
  const top = (env as { nodePools?: Record<string, NodePoolConfig> }).nodePools;
  if (top !== undefined && Object.keys(top).length > 0) return top;
  const compute = env.cluster.compute as { nodePools?: Record<string, NodePoolConfig> };
  return compute.nodePools ?? {};
}

/**
 * The built-in Auto Mode pools as EKS defines them: c/m/r of generation > 4, on-demand;
 * general-purpose amd64 only, system amd64 and arm64.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
 */
const BUILT_IN: Record<string, Pick<NodePoolConfig, "capacityTypes" | "instanceCategories" | "instanceGenerationAbove" | "architectures"> & { cpus?: string[] }> = {
  "general-purpose": { capacityTypes: ["on-demand"], instanceCategories: ["c", "m", "r"], instanceGenerationAbove: 4, architectures: ["amd64"] },
  system: { capacityTypes: ["on-demand"], instanceCategories: ["c", "m", "r"], instanceGenerationAbove: 4, architectures: ["amd64", "arm64"] },
};

/** `m7i.large` → category m, generation 7, arm64 when the family's attributes include "g" (Graviton). */
export function parseInstanceType(type: string): { family: string; category: string; generation: number; arch: "amd64" | "arm64" } | undefined {
  const family = type.split(".")[0]!;
  const m = /^([a-z]+?)(\d+)([a-z-]*)$/.exec(family);
  if (!m) return undefined;
  return { family, category: m[1]!, generation: Number(m[2]), arch: m[3]!.includes("g") ? "arm64" : "amd64" };
}

type PoolShape = Pick<NodePoolConfig, "capacityTypes" | "instanceCategories" | "instanceGenerationAbove" | "architectures"> & { cpus?: readonly string[] | undefined };

/**
 * Whether a pool may launch this instance type by its category, generation and architecture, and
 * (when the pool limits vCPUs) its vCPU count: undefined when only the vCPU count, unknown, decides.
 */
function poolAllows(pool: PoolShape, type: string, vcpus: number | undefined): boolean | undefined {
  const t = parseInstanceType(type);
  if (!t || !pool.instanceCategories.includes(t.category) || t.generation <= pool.instanceGenerationAbove || !pool.architectures.includes(t.arch)) return false;
  if (pool.cpus === undefined) return true;
  return vcpus === undefined ? undefined : pool.cpus.includes(String(vcpus));
}

/** The pools of an environment by name with their shape: the built-in Auto Mode pools, then the configured ones. */
function poolsOf(env: Environment): Array<[string, PoolShape]> {
  const compute = env.cluster.compute;
  const builtIn: Array<[string, PoolShape]> = compute.mode === "auto" ? compute.builtInNodePools.map((name): [string, PoolShape] => [name, BUILT_IN[name]!]) : [];
  return [...builtIn, ...Object.entries(nodePoolsOf(env))];
}

/**
 * The capacity label of a pool row. Spot rows are priced with the stated spot discount; without
 * one, spot is priced at on-demand, and the label says that this is an upper bound.
 */
function capacityLabel(capacityType: string, discount: number | undefined): string {
  if (capacityType !== "spot") return capacityType;
  return discount === undefined ? "spot (at on-demand: upper bound)" : `spot (${discount} stated discount)`;
}

/** Price per 100 vCPU-hours of every priced family a pool allows, per capacity type. */
function poolUnits(name: string, pool: PoolShape, prices: RegionPrices, paysFee: boolean): { units: UnitPrice[]; gaps: PriceGap[] } {
  const byFamily = new Map<string, { type: string; vcpus: number; price: Price }>();
  for (const type of prices.knownTypes()) {
    const t = parseInstanceType(type);
    const vcpus = prices.vcpus(type);
    if (!t || vcpus === undefined || poolAllows(pool, type, vcpus) !== true) continue;
    const price = prices.ec2(type);
    if (!isPrice(price)) continue;
    const seen = byFamily.get(t.family);
    if (seen === undefined || vcpus < seen.vcpus) byFamily.set(t.family, { type, vcpus, price });
  }
  if (byFamily.size === 0) {
    const what = `any instance family pool ${name} allows (${pool.instanceCategories.join("/")}, generation > ${pool.instanceGenerationAbove}, ${pool.architectures.join("/")}${pool.cpus ? `, ${pool.cpus.join("/")} vCPUs` : ""})`;
    // In a partition billing in another currency no price can be added: say why instead of where.
    const why = nonUsdReason(prices.region);
    return { units: [], gaps: [{ price: { what, region: prices.region, ...(why !== undefined ? { why } : { where: prices.whereFor("ec2PerHour") }) }, affects: "pool", pool: name }] };
  }
  const units: UnitPrice[] = [];
  const gaps: PriceGap[] = [];
  const discount = prices.spotDiscount;
  for (const [family, { type, vcpus, price }] of [...byFamily].sort(([a], [b]) => a.localeCompare(b))) {
    const fee = prices.autoModeFee(type);
    // Paid here (Auto Mode): the pool's price lacks it; not paid (Karpenter): what Auto Mode would add is unknown.
    if (!isPrice(fee)) gaps.push({ price: fee, affects: paysFee ? "pool" : "comparison", pool: name });
    // Without a stated spot discount spot is priced at on-demand: one row for both, its label says so.
    const rows = discount === undefined ? [pool.capacityTypes] : pool.capacityTypes.map((c) => [c]);
    for (const capacityTypes of rows) {
      const spotDiscount = discount !== undefined && capacityTypes[0] === "spot" ? discount : 0;
      units.push({
        pool: name,
        family,
        instanceType: type,
        capacityType: capacityTypes.map((c) => capacityLabel(c, discount)).join(", "),
        ec2Per100VcpuHours: (price.value / vcpus) * 100 * (1 - spotDiscount),
        ec2Basis: spotDiscount > 0 ? "config" : price.origin,
        ...(isPrice(fee) ? { feePer100VcpuHours: (fee.value / vcpus) * 100, feeBasis: fee.origin } : {}),
        paysFee,
      });
    }
  }
  return { units, gaps };
}

/**
 * Notes on the environment's own prices that nothing uses (a typo'd instance type is silently
 * unused otherwise), and on types pools cannot use for lack of a vCPU count: `cost.ec2PerHour["m7i.lrage"]: …`.
 * Notes, not config errors: which types are used depends on the pools and the price table.
 */
function configNotes(env: Environment, prices: RegionPrices): string[] {
  const cost = env.cost;
  if (cost === undefined) return [];
  const notes: string[] = [];
  // A partition billing in another currency uses none of them (RegionPrices): one note per price field given.
  const why = nonUsdReason(env.account.region);
  if (why !== undefined) {
    return (["ec2PerHour", "autoModeFeePerHour", "gp3", "ebs", "controlPlane"] as const).filter((f) => cost[f] !== undefined).map((f) => `cost.${f}: not used in ${env.account.region}: ${why} (remove it)`);
  }
  const compute = env.cluster.compute;
  const groupTypes = new Set(compute.mode === "managed" ? Object.values(compute.nodeGroups).flatMap((g) => g.instanceTypes) : []);
  const pools = poolsOf(env);
  for (const field of ["ec2PerHour", "autoModeFeePerHour"] as const) {
    for (const type of Object.keys(cost[field] ?? {})) {
      const at = `cost.${field}[${JSON.stringify(type)}]`;
      const vcpus = prices.vcpus(type);
      const maybe = pools.filter(([, pool]) => poolAllows(pool, type, vcpus) !== false).map(([name]) => name);
      const used = groupTypes.has(type) || (vcpus !== undefined && maybe.length > 0);
      const vcpusFix = `add "${type}": <its vCPU count> under instanceTypes.vcpus in ${PRICES_FILE}`;
      if (!used) notes.push(`${at}: no node group or pool uses this type (check the spelling${vcpus === undefined && maybe.length > 0 ? `; if it is right, ${vcpusFix} so that pools can use it` : ""})`);
      else if (vcpus === undefined && maybe.length > 0) notes.push(`${at}: pool${maybe.length > 1 ? "s" : ""} ${maybe.join(", ")} cannot be priced with ${type}: ${PRICES_FILE} has no vCPU count for it (${vcpusFix})`);
    }
  }
  const volumeTypes = new Set(Object.values(env.volumes).map((v) => v.type));
  for (const type of Object.keys(cost.ebs ?? {})) {
    if (!volumeTypes.has(type as OtherEbsType)) notes.push(`cost.ebs.${type}: no volume is of type ${type} (check the type, or remove the price)`);
  }
  return notes;
}

export function estimateEnvironment(env: Environment, file: PriceFile, options: EstimateOptions = {}): EnvironmentCost {
  const from = options.from ?? new Date().toISOString().slice(0, 10);
  const prices = new RegionPrices(file, env.account.region, env.cost, env.name);
  const hours = file.hoursPerMonth;
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const units: UnitPrice[] = [];
  const gaps: PriceGap[] = [];

  const cp = controlPlane(env, prices, from);
  lines.push(cp.line);
  notes.push(...cp.notes);

  const gp3 = prices.gp3();
  const compute = env.cluster.compute;
  let feeOnAutoMode = 0;
  const feeOrigins = new Set<PriceOrigin>();
  const feeMissing: MissingPrice[] = [];
  const feeParts: string[] = [];
  if (compute.mode === "managed") {
    for (const [name, group] of Object.entries(compute.nodeGroups)) {
      // EKS launches on-demand node groups' types in the order listed ("prioritized"): the first is what runs.
      // Spot groups spread over every listed type (price-capacity-optimized allocation): priced as the first.
      // https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
      const type = group.instanceTypes[0]!;
      const price = prices.ec2(type);
      const spot = group.capacityType === "SPOT";
      const discount = spot ? prices.spotDiscount : undefined;
      if (isPrice(price)) {
        const factor = discount !== undefined ? 1 - discount : 1;
        const spotText = spot ? (discount !== undefined ? ` × (1 − ${discount} stated spot discount)` : " (spot at on-demand: an upper bound; state cost.spotDiscount)") : "";
        const others =
          group.instanceTypes.length <= 1 ? "" : spot ? `; spot allocation spreads across ${group.instanceTypes.join(", ")}: priced as the first` : `; first of ${group.instanceTypes.join(", ")}`;
        lines.push({
          item: `node group ${name}`,
          detail: `${group.desiredSize} × ${type} × ${hours} h × ${money(price.value)}${spotText}${others}`,
          monthly: group.desiredSize * hours * price.value * factor,
          basis: spot && discount !== undefined ? "config" : price.origin,
          missing: [],
        });
      } else lines.push({ item: `node group ${name}`, detail: `${group.desiredSize} × ${type}`, basis: "published", missing: [price] });
      lines.push(
        isPrice(gp3)
          ? {
              item: `node group ${name} root volumes`,
              detail: `${group.desiredSize} × ${group.diskSizeGiB} GiB gp3 × ${money(gp3.value.perGiBMonth)}/GiB-month`,
              monthly: group.desiredSize * group.diskSizeGiB * gp3.value.perGiBMonth,
              basis: gp3.origin,
              missing: [],
            }
          : { item: `node group ${name} root volumes`, detail: `${group.desiredSize} × ${group.diskSizeGiB} GiB gp3`, basis: "published", missing: [gp3] },
      );
      // The same capacity on Auto Mode pays the fee on every instance, spot or not.
      const fee = prices.autoModeFee(type);
      if (isPrice(fee)) {
        feeOnAutoMode += group.desiredSize * hours * fee.value;
        feeParts.push(`${group.desiredSize} × ${type} × ${money(fee.value)}`);
        feeOrigins.add(fee.origin);
      } else feeMissing.push(fee);
    }
  }
  for (const [name, pool] of poolsOf(env)) {
    const r = poolUnits(name, pool, prices, compute.mode === "auto");
    units.push(...r.units);
    gaps.push(...r.gaps);
  }

  for (const [name, v] of Object.entries(env.volumes)) {
    if (v.type !== "gp3") {
      lines.push(otherVolume(name, v.type, v.sizeGiB, v.iops, prices));
      continue;
    }
    const iops = Math.max(0, (v.iops ?? 3000) - 3000);
    const throughput = Math.max(0, (v.throughputMiBs ?? 125) - 125);
    if (!isPrice(gp3)) {
      lines.push({ item: `volume ${name}`, detail: `${v.sizeGiB} GiB gp3`, basis: "published", missing: [gp3] });
      continue;
    }
    const p = gp3.value;
    const parts = [`${v.sizeGiB} GiB × ${money(p.perGiBMonth)}`];
    if (iops > 0) parts.push(`${count(iops)} IOPS above 3,000 × ${money(p.perIopsMonthAbove3000)}`);
    if (throughput > 0) parts.push(`${throughput} MiB/s above 125 × ${money(p.perMiBsMonthAbove125)}`);
    lines.push({
      item: `volume ${name}`,
      detail: `gp3: ${parts.join(" + ")}`,
      monthly: v.sizeGiB * p.perGiBMonth + iops * p.perIopsMonthAbove3000 + throughput * p.perMiBsMonthAbove125,
      basis: gp3.origin,
      missing: [],
    });
  }

  const tgs = Object.keys(env.targetGroups).length;
  if (tgs > 0) {
    // ELB bills load balancer hours and capacity units; a target group has no price of its own.
    // https://aws.amazon.com/elasticloadbalancing/pricing/
    lines.push({ item: "target groups", detail: `${tgs}: no charge of their own (the load balancer in front of them is not in this config)`, monthly: 0, basis: "stated", missing: [] });
  }
  lines.push({
    item: "control-plane logs",
    detail: `kept ${env.cluster.logRetentionDays} days in CloudWatch Logs; ingestion and storage depend on log volume: not estimated`,
    basis: "stated",
    missing: [],
  });

  const otherMode: OtherMode =
    compute.mode === "managed"
      ? {
          mode: "Auto Mode",
          // The least sure fee decides: one estimated fee makes the difference an estimate.
          ...(feeMissing.length === 0
            ? { monthlyFeeDifference: feeOnAutoMode, basis: (["estimated", "unverified", "config"] as const).find((o) => feeOrigins.has(o)) ?? "published" }
            : { knownFeeDifference: feeOnAutoMode, knownFeeBasis: (["estimated", "unverified", "config"] as const).find((o) => feeOrigins.has(o)) ?? "published" }),
          detail:
            feeMissing.length === 0
              ? `the same node groups would pay the Auto Mode fee on every instance: ${feeParts.length > 1 ? `(${feeParts.join(" + ")})` : feeParts.join("")} × ${hours} h${units.length > 0 ? "; Karpenter pools would pay the Auto Mode fee column of the pool prices" : ""}`
              : `the Auto Mode fee of the node groups' instances is unknown (${feeMissing.map((m) => m.what).join(", ")})`,
        }
      : {
          mode: "node groups or Karpenter",
          detail: "the same capacity would not pay the Auto Mode fee: the Auto Mode fee column of the pool prices is the saving per 100 vCPU-hours (EC2 unchanged)",
        };

  // The node groups' fees on Auto Mode are no part of this bill: without them only the comparison is incomplete.
  gaps.unshift(...feeMissing.map((price) => ({ price, affects: "comparison" as const })));
  return {
    env: env.name,
    region: env.account.region,
    mode: compute.mode,
    from,
    lines,
    monthlyTotal: lines.reduce((sum, l) => sum + (l.monthly ?? l.knownMonthly ?? 0), 0),
    complete: lines.every((l) => l.missing.length === 0),
    units,
    otherMode,
    missing: dedupe(lines.flatMap((l) => l.missing), (m) => `${m.what}|${m.region}`),
    gaps: dedupe(gaps, gapMessage),
    notes,
    configNotes: configNotes(env, prices),
    priceDates: prices.datesUsed(),
  };
}

/**
 * A volume of a type other than gp3, with the dimensions AWS bills for it: storage (all types),
 * provisioned IOPS (io1 at one rate; io2 in tiers per volume: up to 32,000, 32,001-64,000, above).
 * @see https://aws.amazon.com/ebs/pricing/
 */
function otherVolume(name: string, type: OtherEbsType, sizeGiB: number, iops: number | undefined, prices: RegionPrices): CostLine {
  const item = `volume ${name}`;
  const price = prices.ebs(type);
  if (!isPrice(price)) return { item, detail: `${sizeGiB} GiB ${type}`, basis: "published", missing: [price] };
  const parts = [`${sizeGiB} GiB × ${money(price.value.perGiBMonth)}`];
  let monthly = sizeGiB * price.value.perGiBMonth;
  const missing: MissingPrice[] = [];
  const provisioned = iops ?? 0;
  if (type === "io1" && provisioned > 0) {
    const p = price.value as { perIopsMonth: number };
    parts.push(`${count(provisioned)} IOPS × ${money(p.perIopsMonth)}`);
    monthly += provisioned * p.perIopsMonth;
  }
  if (type === "io2" && provisioned > 0) {
    const p = price.value as { perIopsMonth: number; perIopsMonthAbove32000?: number; perIopsMonthAbove64000?: number };
    const tiers: Array<[number, number | undefined, string, string]> = [
      [Math.min(provisioned, 32_000), p.perIopsMonth, provisioned > 32_000 ? "IOPS up to 32,000" : "IOPS", "perIopsMonth"],
      [Math.max(0, Math.min(provisioned, 64_000) - 32_000), p.perIopsMonthAbove32000, "IOPS from 32,001 to 64,000", "perIopsMonthAbove32000"],
      [Math.max(0, provisioned - 64_000), p.perIopsMonthAbove64000, "IOPS above 64,000", "perIopsMonthAbove64000"],
    ];
    for (const [n, rate, words, field] of tiers) {
      if (n === 0) continue;
      if (rate === undefined) {
        missing.push({ what: `EBS io2 ${words} (${field})`, region: prices.region, where: prices.whereFor("ebs.io2") });
        continue;
      }
      parts.push(`${count(n)} ${words} × ${money(rate)}`);
      monthly += n * rate;
    }
  }
  if (missing.length > 0) return { item, detail: `${type}: ${parts.join(" + ")}`, knownMonthly: monthly, basis: price.origin, missing };
  return { item, detail: `${type}: ${parts.join(" + ")}`, monthly, basis: price.origin, missing: [] };
}

/** 40000 → "40,000": counts read like the limits beside them ("above 3,000"), in every locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function dedupe<T>(list: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
