/**
 * The price table the cost estimate multiplies (data/prices.json), merged with an environment's
 * own prices (config `cost`), and the lookups that say where a missing price should go.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CostConfig } from "../../../stacks/environment-schema";

/** Where the shipped price table lives, as users are told to edit it. */
export const PRICES_FILE = "data/prices.json";

export interface Gp3Prices {
  readonly perGiBMonth: number;
  readonly perIopsMonthAbove3000: number;
  readonly perMiBsMonthAbove125: number;
}

/**
 * Where a block of prices came from. `read` is the day we read the source; `asOf` the date of the
 * data itself (a copy's fetch date, a Price List publication date), when the source states one:
 * the prices are as old as `asOf`, however recent `read` is.
 */
export interface Sourced {
  readonly source: string;
  readonly read: string;
  readonly asOf?: string;
}

export interface PriceFile {
  readonly hoursPerMonth: number;
  readonly controlPlane: Sourced & { readonly standardPerHour: number; readonly extendedPerHour: number };
  readonly ec2OnDemand: ReadonlyArray<Sourced & { readonly region: string; readonly perHour: Readonly<Record<string, number>> }>;
  readonly autoModeFee: ReadonlyArray<Sourced & { readonly region: string; readonly perHour: Readonly<Record<string, number>> }>;
  readonly autoModeFeeEstimate?: Sourced & { readonly shareOfOnDemand: number; readonly basis: string };
  readonly ebs: ReadonlyArray<Sourced & { readonly region: string; readonly gp3?: Gp3Prices }>;
  readonly instanceTypes: { readonly vcpus: Readonly<Record<string, number>> };
}

/** Where a price came from: the file (with its source) or the environment's config. */
export type PriceOrigin = "published" | "config" | "estimated";

export interface Price {
  readonly value: number;
  readonly origin: PriceOrigin;
}

/** A price the estimate needs and nobody gave: printed as "no price for X in Y; add it to Z". */
export interface MissingPrice {
  readonly what: string;
  readonly region: string;
  readonly where: string;
}

export function missingMessage(m: MissingPrice): string {
  return `no price for ${m.what} in ${m.region}; add it to ${m.where}`;
}

/** The kinds of price block an estimate reads from the file, in the order the report lists their dates. */
export const PRICE_KINDS = ["control plane", "EC2 on-demand", "Auto Mode fee", "Auto Mode fee estimate", "EBS gp3"] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

/** A block of the file an estimate used: what it prices, the date of its data (when known) and when it was read. */
export interface PriceDate {
  readonly kind: PriceKind;
  readonly asOf?: string;
  readonly read: string;
}

/** "EC2 on-demand 2025-11-04", or "control plane (undated; read 2026-11-30)" when the source states no date of its data. */
export function priceDateText(d: PriceDate): string {
  return d.asOf !== undefined ? `${d.kind} ${d.asOf}` : `${d.kind} (undated; read ${d.read})`;
}

export function loadPriceFile(file: string = join(__dirname, "..", "..", "..", PRICES_FILE)): PriceFile {
  return JSON.parse(readFileSync(file, "utf8")) as PriceFile;
}

/**
 * The prices of one region: the file's entries for that region, then the environment's own
 * (config wins). `env` names the environment for the "add it to" hint.
 */
export class RegionPrices {
  constructor(
    readonly file: PriceFile,
    readonly region: string,
    private readonly config: CostConfig | undefined,
    private readonly env: string,
  ) {}

  /** The file's blocks the lookups so far used (config prices have no date of their own). */
  private readonly used = new Map<PriceKind, Sourced>();
  private use(kind: PriceKind, block: Sourced): void {
    if (!this.used.has(kind)) this.used.set(kind, block);
  }

  /** The dates of the file's blocks this estimate used, in PRICE_KINDS order. */
  datesUsed(): PriceDate[] {
    return PRICE_KINDS.flatMap((kind) => {
      const b = this.used.get(kind);
      return b === undefined ? [] : [{ kind, read: b.read, ...(b.asOf !== undefined ? { asOf: b.asOf } : {}) }];
    });
  }

  /** The control plane's hourly fees (the same in every commercial region). */
  controlPlane(): PriceFile["controlPlane"] {
    this.use("control plane", this.file.controlPlane);
    return this.file.controlPlane;
  }

  get hoursPerMonth(): number {
    return this.file.hoursPerMonth;
  }

  get spotDiscount(): number | undefined {
    return this.config?.spotDiscount;
  }

  /** Where to add a price of this kind: the shared file, or this environment's config. */
  whereFor(configField: string): string {
    return `${PRICES_FILE} (or ${this.env}'s cost.${configField})`;
  }

  ec2(type: string): Price | MissingPrice {
    const own = this.config?.ec2PerHour?.[type];
    if (own !== undefined) return { value: own, origin: "config" };
    for (const e of this.file.ec2OnDemand) {
      if (e.region !== this.region || e.perHour[type] === undefined) continue;
      this.use("EC2 on-demand", e);
      return { value: e.perHour[type]!, origin: "published" };
    }
    return { what: type, region: this.region, where: this.whereFor("ec2PerHour") };
  }

  /**
   * The Auto Mode fee per instance hour: published (file or config), else the file's stated
   * share of the on-demand price rounded as AWS's fees are, marked "estimated"; missing when
   * neither exists, and for accelerated instance types, whose fee is never estimated
   * (data/prices.json autoModeFeeEstimate.basis says why).
   */
  autoModeFee(type: string): Price | MissingPrice {
    const own = this.config?.autoModeFeePerHour?.[type];
    if (own !== undefined) return { value: own, origin: "config" };
    for (const e of this.file.autoModeFee) {
      if (e.region !== this.region || e.perHour[type] === undefined) continue;
      this.use("Auto Mode fee", e);
      return { value: e.perHour[type]!, origin: "published" };
    }
    const estimate = this.file.autoModeFeeEstimate;
    const onDemand = this.ec2(type);
    if (estimate !== undefined && isPrice(onDemand) && !isAccelerated(type)) {
      this.use("Auto Mode fee estimate", estimate);
      return { value: roundFee(onDemand.value * estimate.shareOfOnDemand), origin: "estimated" };
    }
    return { what: `the Auto Mode fee of ${type}`, region: this.region, where: this.whereFor("autoModeFeePerHour") };
  }

  gp3(): { value: Gp3Prices; origin: PriceOrigin } | MissingPrice {
    if (this.config?.gp3 !== undefined) return { value: this.config.gp3, origin: "config" };
    const e = this.file.ebs.find((x) => x.region === this.region && x.gp3 !== undefined);
    if (e?.gp3 !== undefined) {
      this.use("EBS gp3", e);
      return { value: e.gp3, origin: "published" };
    }
    return { what: "EBS gp3", region: this.region, where: this.whereFor("gp3") };
  }

  vcpus(type: string): number | undefined {
    return this.file.instanceTypes.vcpus[type];
  }

  /** Every instance type with an on-demand price here (file and config), sorted. */
  knownTypes(): string[] {
    const types = new Set<string>(Object.keys(this.config?.ec2PerHour ?? {}));
    for (const e of this.file.ec2OnDemand) if (e.region === this.region) for (const t of Object.keys(e.perHour)) types.add(t);
    return [...types].sort();
  }
}

/**
 * AWS's Auto Mode fees have 5 decimals (the EKS pricing-page data, see autoModeFeeEstimate.basis
 * in data/prices.json: c6g.large in ap-northeast-1 is $0.01027, 12 % of $0.0856 = 0.010272).
 * toPrecision first so that binary noise (1027.1999999…) cannot move a half.
 */
export const AUTO_MODE_FEE_DECIMALS = 5;
export function roundFee(usd: number): number {
  const scale = 10 ** AUTO_MODE_FEE_DECIMALS;
  return Math.round(Number((usd * scale).toPrecision(12))) / scale;
}

/**
 * Accelerated computing families as EC2 lists them (DL1, DL2q, F1, F2, G3-G7e, Gr6, Inf1-2,
 * P2-P6, Trn1-2, VT1: GPUs, FPGAs, Inferentia/Trainium, Habana, video transcoders): the Auto Mode
 * fee of these is never estimated from the on-demand price.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html (Accelerated computing)
 */
const ACCELERATED_FAMILY = /^(dl|f|gr?|inf|p|trn|vt)\d/;
export function isAccelerated(type: string): boolean {
  return ACCELERATED_FAMILY.test(type);
}

export function isPrice<T extends { value: unknown }>(p: T | MissingPrice): p is T {
  return (p as { value?: unknown }).value !== undefined;
}
