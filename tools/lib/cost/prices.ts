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

interface Sourced {
  readonly source: string;
  readonly read: string;
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
    for (const e of this.file.ec2OnDemand) if (e.region === this.region && e.perHour[type] !== undefined) return { value: e.perHour[type]!, origin: "published" };
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
    for (const e of this.file.autoModeFee) if (e.region === this.region && e.perHour[type] !== undefined) return { value: e.perHour[type]!, origin: "published" };
    const share = this.file.autoModeFeeEstimate?.shareOfOnDemand;
    const onDemand = this.ec2(type);
    if (share !== undefined && isPrice(onDemand) && !isAccelerated(type)) return { value: roundFee(onDemand.value * share), origin: "estimated" };
    return { what: `the Auto Mode fee of ${type}`, region: this.region, where: this.whereFor("autoModeFeePerHour") };
  }

  gp3(): { value: Gp3Prices; origin: PriceOrigin } | MissingPrice {
    if (this.config?.gp3 !== undefined) return { value: this.config.gp3, origin: "config" };
    const e = this.file.ebs.find((x) => x.region === this.region && x.gp3 !== undefined);
    if (e?.gp3 !== undefined) return { value: e.gp3, origin: "published" };
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
