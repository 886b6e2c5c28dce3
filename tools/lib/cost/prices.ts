/**
 * The price table the cost estimate multiplies (data/prices.json), merged with an environment's
 * own prices (config `cost`), and the lookups that say where a missing price should go.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CostConfig } from "../../../stacks/environment-schema";
import { partitionOf } from "../../../modules/private/aws";

/** Where the shipped price table lives, as users are told to edit it. */
export const PRICES_FILE = "data/prices.json";

export interface Gp3Prices {
  readonly perGiBMonth: number;
  readonly perIopsMonthAbove3000: number;
  readonly perMiBsMonthAbove125: number;
}

/**
 * The other EBS volume types, with the dimensions AWS bills for each: gp2, st1 and sc1 storage
 * only (GB-month); io1 storage and every provisioned IOPS-month at one rate; io2 storage and
 * provisioned IOPS in three tiers per volume (up to 32,000, 32,001 to 64,000, above 64,000: the
 * Price List's usage types EBS:VolumeP-IOPS.io2, .io2.tier2 and .io2.tier3).
 * @see https://aws.amazon.com/ebs/pricing/
 */
export interface StoragePrices {
  readonly perGiBMonth: number;
}
export interface Io1Prices extends StoragePrices {
  readonly perIopsMonth: number;
}
export interface Io2Prices extends StoragePrices {
  /** Each provisioned IOPS-month up to 32,000 IOPS of a volume. */
  readonly perIopsMonth: number;
  /** From 32,001 to 64,000 IOPS; needed only by volumes above 32,000. */
  readonly perIopsMonthAbove32000?: number;
  /** Above 64,000 IOPS; needed only by volumes above 64,000. */
  readonly perIopsMonthAbove64000?: number;
}
export interface EbsPrices {
  readonly gp2?: StoragePrices;
  readonly io1?: Io1Prices;
  readonly io2?: Io2Prices;
  readonly st1?: StoragePrices;
  readonly sc1?: StoragePrices;
}
/** The EBS volume types priced besides gp3. */
export const OTHER_EBS_TYPES = ["gp2", "io1", "io2", "st1", "sc1"] as const;
export type OtherEbsType = (typeof OTHER_EBS_TYPES)[number];

/**
 * Where a block of prices came from. `read` is the day we read the source; `asOf` the date of the
 * data itself (a copy's fetch date, a Price List publication date), when the source states one:
 * the prices are as old as `asOf`, however recent `read` is.
 */
export interface Sourced {
  readonly source: string;
  readonly read: string;
  readonly asOf?: string;
  /**
   * True when we did not check the block's numbers against AWS (its source says how far we got):
   * the rows priced with it say "table (unverified)" instead of "published".
   */
  readonly unverified?: boolean;
}

/** The control-plane fees of one partition (the fees and the currency differ between partitions). */
export type ControlPlanePrices = Sourced & { readonly partition: string; readonly standardPerHour: number; readonly extendedPerHour: number };

export interface PriceFile {
  readonly hoursPerMonth: number;
  readonly controlPlane: readonly ControlPlanePrices[];
  readonly ec2OnDemand: ReadonlyArray<Sourced & { readonly region: string; readonly perHour: Readonly<Record<string, number>> }>;
  readonly autoModeFee: ReadonlyArray<Sourced & { readonly region: string; readonly perHour: Readonly<Record<string, number>> }>;
  readonly autoModeFeeEstimate?: Sourced & { readonly shareOfOnDemand: number; readonly basis: string };
  readonly ebs: ReadonlyArray<Sourced & { readonly region: string; readonly gp3?: Gp3Prices } & EbsPrices>;
  readonly instanceTypes: { readonly vcpus: Readonly<Record<string, number>> };
}

/**
 * Where a price came from: the file (with its source: published, or unverified when the block
 * says we did not check it against AWS), the environment's config, or derived (estimated).
 */
export type PriceOrigin = "published" | "unverified" | "config" | "estimated";

/**
 * The currency each partition bills in. The table and config prices are USD: a partition billing
 * in another currency gets no price at all (a sum of USD and CNY is no estimate).
 * @see https://www.amazonaws.cn/en/eks/pricing/ (AWS China: prices in CNY)
 * @see https://dev.to/kazuya_dev/aws-reinvent-2025-aws-european-sovereign-cloud-from-concept-to-reality-sec201-3b5k (AWS European Sovereign Cloud: "end-to-end euro pricing", re:Invent 2025 SEC201)
 */
export const PARTITION_CURRENCY: Readonly<Record<string, string>> = { aws: "USD", "aws-us-gov": "USD", "aws-cn": "CNY", "aws-eusc": "EUR" };
const PARTITION_NAME: Readonly<Record<string, string>> = { "aws-cn": "AWS China", "aws-eusc": "the AWS European Sovereign Cloud" };

/** Why no USD price can exist in this region, or undefined when its partition bills in USD. */
export function nonUsdReason(region: string): string | undefined {
  const partition = partitionOf(region);
  const currency = PARTITION_CURRENCY[partition];
  if (currency === "USD") return undefined;
  return `${PARTITION_NAME[partition] ?? partition} (partition ${partition}) bills in ${currency ?? "another currency"}; this estimate is in USD and does not price it`;
}

export interface Price {
  readonly value: number;
  readonly origin: PriceOrigin;
}

/**
 * A price the estimate needs and nobody gave: printed as "no price for X in Y; add it to Z", or,
 * when none can be added (another currency), "no price for X in Y (why)".
 */
export interface MissingPrice {
  readonly what: string;
  readonly region: string;
  /** Where to add it; absent when no price can be added. */
  readonly where?: string;
  /** Why it is missing, when the file has something that looks like it (another partition's fees). */
  readonly why?: string;
}

export function missingMessage(m: MissingPrice): string {
  return `no price for ${m.what} in ${m.region}${m.why !== undefined ? ` (${m.why})` : ""}${m.where !== undefined ? `; add it to ${m.where}` : ""}`;
}

/** The kinds of price block an estimate reads from the file, in the order the report lists their dates. */
export const PRICE_KINDS = ["control plane", "EC2 on-demand", "Auto Mode fee", "Auto Mode fee estimate", "EBS gp3", "EBS gp2", "EBS io1", "EBS io2", "EBS st1", "EBS sc1"] as const;
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

/**
 * A price table that does not hold what the estimate multiplies: every problem, one line each
 * (`data/prices.json: ec2OnDemand[ap-northeast-1].perHour["m7i.large"]: 0 is not a positive price (…)`).
 */
export class PriceFileError extends Error {
  override name = "PriceFileError";
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${problems.length} problem${problems.length === 1 ? "" : "s"} in the price table ${file}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/**
 * Reads and checks a price table (data/prices.json by default). Unreadable files and bad JSON
 * throw as fs and JSON.parse do; a table that parses but does not hold valid prices throws
 * PriceFileError with every problem.
 */
export function loadPriceFile(file?: string): PriceFile {
  const text = readFileSync(file ?? join(__dirname, "..", "..", "..", PRICES_FILE), "utf8");
  return parsePriceFile(JSON.parse(text) as unknown, file ?? PRICES_FILE);
}

/** `["ec2OnDemand", 1, "perHour", "m7i.large"]` → `ec2OnDemand[ap-northeast-1].perHour["m7i.large"]` (blocks named by region or partition). */
function pricePath(input: unknown, path: readonly PropertyKey[]): string {
  let out = "";
  let at: unknown = input;
  for (const key of path) {
    const here = at;
    at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === "number") {
      const block = at as { region?: unknown; partition?: unknown } | undefined;
      const label = typeof block?.region === "string" ? block.region : typeof block?.partition === "string" ? block.partition : undefined;
      out += `[${label !== undefined && Array.isArray(here) && here.filter((b) => (b as typeof block)?.region === label || (b as typeof block)?.partition === label).length === 1 ? label : key}]`;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const show = (v: unknown): string => {
  const json = JSON.stringify(v);
  return json === undefined ? String(v) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
};
/** A calendar day that exists (2026-02-30 does not). */
export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

/**
 * The price table's schema: what each block must hold for the estimate to multiply it. Built on
 * first use (zod and the config vocabularies cost load time that --help need not pay).
 */
function priceFileSchema() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { z } = require("zod") as typeof import("zod");
  const { ebsPriceShapes, INSTANCE_TYPE, REGION } = require("../../../stacks/environment-schema") as typeof import("../../../stacks/environment-schema");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const usd = (unit: string) =>
    z
      .number({ error: (iss) => (iss.input === undefined ? `is required (give the price in USD ${unit})` : `${show(iss.input)} is not a price (give a number in USD ${unit}, for example 0.1008${typeof iss.input === "string" ? ", not a string" : ""})`) })
      .positive({ error: (iss) => `${show(iss.input)} is not a positive price (give the price in USD ${unit}, greater than 0; leave out a price nobody knows, and the estimate names it as missing)` });
  const day = (what: string) =>
    z.string({ error: (iss) => `${iss.input === undefined ? "is required" : `${show(iss.input)} is not a date`} (give ${what} as YYYY-MM-DD)` }).refine(isDay, { error: (iss) => `${show(iss.input)} is not a date (give ${what} as YYYY-MM-DD, a day that exists)` });
  const sourced = {
    source: z.string({ error: () => "is required (name where the prices come from: a URL and what it says)" }).min(1, { error: () => "is empty (name where the prices come from: a URL and what it says)" }),
    read: day("the day the source was read"),
    asOf: day("the date of the source's data").optional(),
    unverified: z.boolean({ error: (iss) => `${show(iss.input)} is not true or false (true: the numbers were not checked against AWS)` }).optional(),
  };
  const region = z.string({ error: (iss) => `${iss.input === undefined ? "is required" : `${show(iss.input)} is not a region`} (give the region code, for example "ap-northeast-1")` }).regex(REGION, { error: (iss) => `${show(iss.input)} is not an AWS region (give the region code, for example "ap-northeast-1")` });
  const instanceType = z.string().regex(INSTANCE_TYPE, { error: (iss) => `${show(iss.input)} is not an EC2 instance type (for example "m7i.large")` });
  // The volume types' billing dimensions, as config states them (stacks/environment-schema.ts).
  const volumePrices = ebsPriceShapes((type, dimension) => usd(dimension === "per GB-month" ? `per GB-month of ${type} storage` : dimension));
  const schema = z.strictObject({
    $comment: z.array(z.string()).optional(),
    hoursPerMonth: z.number({ error: () => "is required (give the hours of a month, 730 as AWS's pricing pages use)" }).positive({ error: (iss) => `${show(iss.input)} is not a number of hours (give the hours of a month, 730 as AWS's pricing pages use)` }),
    hoursPerMonthSource: z.string().optional(),
    controlPlane: z.array(
      z.strictObject({
        partition: z.string({ error: () => 'is required (give the partition these fees are for, "aws" for the commercial regions)' }),
        standardPerHour: usd("per cluster hour in standard support"),
        extendedPerHour: usd("per cluster hour in extended support"),
        ...sourced,
      }),
      { error: (iss) => `${iss.input === undefined ? "is required" : `${show(iss.input)} is not a list`} (give one block per partition: [{ partition, standardPerHour, extendedPerHour, source, read }])` },
    ),
    ec2OnDemand: z.array(z.strictObject({ region, ...sourced, perHour: z.record(instanceType, usd("per instance hour, on-demand")) })),
    autoModeFee: z.array(z.strictObject({ region, ...sourced, perHour: z.record(instanceType, usd("per instance hour (the Auto Mode fee)")) })),
    autoModeFeeEstimate: z
      .strictObject({
        shareOfOnDemand: z.number().gt(0, { error: (iss) => `${show(iss.input)} is not a share from 0 to 1 (the fee as a fraction of the on-demand price, for example 0.12)` }).lt(1, { error: (iss) => `${show(iss.input)} is not a share from 0 to 1 (the fee as a fraction of the on-demand price, for example 0.12)` }),
        basis: z.string().min(1),
        ...sourced,
      })
      .optional(),
    ebs: z.array(
      z.strictObject({
        region,
        ...sourced,
        gp3: volumePrices.gp3.optional(),
        gp2: volumePrices.gp2.optional(),
        st1: volumePrices.st1.optional(),
        sc1: volumePrices.sc1.optional(),
        io1: volumePrices.io1.optional(),
        io2: volumePrices.io2.optional(),
      }),
    ),
    instanceTypes: z.strictObject({
      $comment: z.string().optional(),
      vcpus: z.record(instanceType, z.number().int({ error: (iss) => `${show(iss.input)} is not a vCPU count (give a whole number greater than 0)` }).positive({ error: (iss) => `${show(iss.input)} is not a vCPU count (give a whole number greater than 0)` })),
    }),
  });
  // The hand-written PriceFile is what the estimate reads: the schema's output must be one.
  const conforms = (x: import("zod").output<typeof schema>): PriceFile => x;
  void conforms;
  return schema;
}

/** zod's generic issues (missing blocks, wrong types), as someone editing the table would say them. */
function genericPriceMessage(iss: { code?: string; input?: unknown; expected?: string }): string | undefined {
  if (iss.code === "invalid_type") {
    const expected = iss.expected === "array" ? "a list" : iss.expected === "object" || iss.expected === "record" ? "an object" : `a ${iss.expected ?? "value"}`;
    return iss.input === undefined ? `is required (add ${expected}; see the shipped data/prices.json)` : `${show(iss.input)} is not ${expected} (give ${expected}; see the shipped data/prices.json)`;
  }
  return undefined;
}

/** Every problem of a parsed price table, `<name>: <path>: <problem (fix)>`, or the table. */
export function parsePriceFile(input: unknown, name: string = PRICES_FILE): PriceFile {
  const result = priceFileSchema().safeParse(input, { error: genericPriceMessage });
  const problems: string[] = [];
  const at = (path: readonly PropertyKey[], message: string) => problems.push(`${name}: ${path.length > 0 ? `${pricePath(input, path)}: ` : ""}${message}`);
  for (const iss of result.success ? [] : result.error.issues) {
    // One line per unknown field, at its own path (a top-level one had no path at all).
    if (iss.code === "unrecognized_keys") for (const key of iss.keys) at([...iss.path, key], "unknown field (check the spelling against the shipped data/prices.json and docs/cost.md)");
    // A record key the key schema refused: its own message (zod's says only "Invalid key in record").
    else if (iss.code === "invalid_key") at(iss.path, iss.issues[0]?.message ?? iss.message);
    else at(iss.path, iss.message);
  }
  // The checks across blocks run on every block that parsed, whatever else failed: all problems at once.
  checkBlocks(input, at);
  if (result.success && problems.length === 0) return result.data as PriceFile;
  throw new PriceFileError(name, problems);
}

/**
 * Partitions, currencies and prices given twice, over the blocks whose fields these checks read
 * are valid (the schema reports the others). A block that repeats prices of an earlier block of
 * its region is one problem, however many types it repeats.
 */
function checkBlocks(input: unknown, at: (path: readonly PropertyKey[], message: string) => void): void {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { REGION } = require("../../../stacks/environment-schema") as typeof import("../../../stacks/environment-schema");
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  const root = isObject(input) ? input : {};
  const blocks = (list: string): Array<[Record<string, unknown>, number]> => (Array.isArray(root[list]) ? (root[list] as unknown[]).flatMap((b, i) => (isObject(b) ? [[b, i] as [Record<string, unknown>, number]] : [])) : []);
  const regionOf = (b: Record<string, unknown>): string | undefined => (typeof b.region === "string" && REGION.test(b.region) ? b.region : undefined);
  const seenPartition = new Set<string>();
  for (const [b, i] of blocks("controlPlane")) {
    if (typeof b.partition !== "string") continue;
    const currency = PARTITION_CURRENCY[b.partition];
    if (currency === undefined) at(["controlPlane", i, "partition"], `${show(b.partition)} is not a partition (use "aws" for the commercial regions or "aws-us-gov" for GovCloud)`);
    else if (currency !== "USD") at(["controlPlane", i, "partition"], `${show(b.partition)} bills in ${currency} and this table is in USD (remove the block; the estimate does not price ${b.partition})`);
    else if (seenPartition.has(b.partition)) at(["controlPlane", i], `a second block for partition ${b.partition} (keep one: the estimate would read only the first)`);
    seenPartition.add(b.partition);
  }
  for (const list of ["ec2OnDemand", "autoModeFee", "ebs"] as const) {
    for (const [b, i] of blocks(list)) {
      const region = regionOf(b);
      const why = region === undefined ? undefined : nonUsdReason(region);
      if (why !== undefined) at([list, i, "region"], `${show(region)}: ${why} (remove the block)`);
    }
  }
  // A price given twice for one region: the estimate would take the first and silently drop the other.
  const repeated = (list: string, i: number, path: readonly PropertyKey[], region: string, types: readonly string[], all: boolean) => {
    if (types.length === 1) at([...path, types[0]!], `${types[0]!} is priced in an earlier ${region} block too (keep one price: the estimate would use the first)`);
    else if (types.length > 1) {
      const named = types.length > 3 ? `${types.slice(0, 3).join(", ")} and ${types.length - 3} more` : `${types.slice(0, -1).join(", ")} and ${types.at(-1)!}`;
      at(
        all ? [list, i] : path,
        all
          ? `repeats an earlier ${region} block: all its ${types.length} prices (${named}) are priced there too (remove this block: the estimate would use the first)`
          : `${types.length} prices (${named}) are priced in an earlier ${region} block too (keep one price each: the estimate would use the first)`,
      );
    }
  };
  for (const list of ["ec2OnDemand", "autoModeFee"] as const) {
    const first = new Set<string>();
    for (const [b, i] of blocks(list)) {
      const region = regionOf(b);
      if (region === undefined || !isObject(b.perHour)) continue;
      const types = Object.keys(b.perHour);
      const again = types.filter((t) => first.has(`${region} ${t}`));
      types.forEach((t) => first.add(`${region} ${t}`));
      repeated(list, i, [list, i, "perHour"], region, again, again.length === types.length);
    }
  }
  const ebsSeen = new Set<string>();
  for (const [b, i] of blocks("ebs")) {
    const region = regionOf(b);
    if (region === undefined) continue;
    const types = (["gp3", ...OTHER_EBS_TYPES] as const).filter((t) => b[t] !== undefined);
    const again = types.filter((t) => ebsSeen.has(`${region} ${t}`));
    types.forEach((t) => ebsSeen.add(`${region} ${t}`));
    repeated("ebs", i, ["ebs", i], region, again, false);
  }
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

  /**
   * The control plane's hourly fees: the environment's own, else the file's block for the
   * region's partition (the commercial fees are not GovCloud's). None in a partition that bills
   * in another currency, whatever the config says.
   */
  controlPlane(): { value: { standardPerHour: number; extendedPerHour: number }; origin: PriceOrigin } | MissingPrice {
    const why = nonUsdReason(this.region);
    if (why !== undefined) return { what: "the control plane", region: this.region, why };
    const own = this.config?.controlPlane;
    if (own !== undefined) return { value: own, origin: "config" };
    const partition = partitionOf(this.region);
    const block = this.file.controlPlane.find((b) => b.partition === partition);
    if (block !== undefined) {
      this.use("control plane", block);
      return { value: block, origin: originOf(block) };
    }
    const others = this.file.controlPlane.map((b) => b.partition);
    return {
      what: "the control plane",
      region: this.region,
      ...(others.length > 0 ? { why: `the table's control-plane fees are for partition ${others.join(", ")}, not ${partition}` } : {}),
      where: `${PRICES_FILE} (a controlPlane block for partition ${partition}) or ${this.env}'s cost.controlPlane`,
    };
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

  /**
   * The reason every lookup but the control plane's fails in a partition that bills in another
   * currency: config prices are USD like the table's (a sum of USD and CNY is no estimate), so none
   * is used there, as for the control plane (configNotes in model.ts says each is unused).
   */
  private foreign(what: string): MissingPrice | undefined {
    const why = nonUsdReason(this.region);
    return why === undefined ? undefined : { what, region: this.region, why };
  }

  ec2(type: string): Price | MissingPrice {
    const foreign = this.foreign(type);
    if (foreign !== undefined) return foreign;
    const own = this.config?.ec2PerHour?.[type];
    if (own !== undefined) return { value: own, origin: "config" };
    for (const e of this.file.ec2OnDemand) {
      if (e.region !== this.region || e.perHour[type] === undefined) continue;
      this.use("EC2 on-demand", e);
      return { value: e.perHour[type]!, origin: originOf(e) };
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
    const foreign = this.foreign(`the Auto Mode fee of ${type}`);
    if (foreign !== undefined) return foreign;
    const own = this.config?.autoModeFeePerHour?.[type];
    if (own !== undefined) return { value: own, origin: "config" };
    for (const e of this.file.autoModeFee) {
      if (e.region !== this.region || e.perHour[type] === undefined) continue;
      this.use("Auto Mode fee", e);
      return { value: e.perHour[type]!, origin: originOf(e) };
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
    const foreign = this.foreign("EBS gp3");
    if (foreign !== undefined) return foreign;
    if (this.config?.gp3 !== undefined) return { value: this.config.gp3, origin: "config" };
    const e = this.file.ebs.find((x) => x.region === this.region && x.gp3 !== undefined);
    if (e?.gp3 !== undefined) {
      this.use("EBS gp3", e);
      return { value: e.gp3, origin: originOf(e) };
    }
    return { what: "EBS gp3", region: this.region, where: this.whereFor("gp3") };
  }

  /** The prices of an EBS volume type other than gp3: the environment's cost.ebs, else the file's. */
  ebs<T extends OtherEbsType>(type: T): { value: NonNullable<EbsPrices[T]>; origin: PriceOrigin } | MissingPrice {
    const foreign = this.foreign(`EBS ${type}`);
    if (foreign !== undefined) return foreign;
    const own = this.config?.ebs?.[type] as EbsPrices[T] | undefined;
    if (own !== undefined) return { value: own, origin: "config" };
    const e = this.file.ebs.find((x) => x.region === this.region && x[type] !== undefined);
    if (e?.[type] !== undefined) {
      this.use(`EBS ${type}` as PriceKind, e);
      return { value: e[type] as NonNullable<EbsPrices[T]>, origin: originOf(e) };
    }
    return { what: `EBS ${type}`, region: this.region, where: this.whereFor(`ebs.${type}`) };
  }

  vcpus(type: string): number | undefined {
    return this.file.instanceTypes.vcpus[type];
  }

  /** Every instance type with an on-demand price here (file and config), sorted. */
  knownTypes(): string[] {
    if (nonUsdReason(this.region) !== undefined) return [];
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

/** A file block's prices are published, or "unverified" when the block says we did not check them against AWS. */
const originOf = (block: Sourced): PriceOrigin => (block.unverified === true ? "unverified" : "published");

export function isPrice<T extends { value: unknown }>(p: T | MissingPrice): p is T {
  return (p as { value?: unknown }).value !== undefined;
}
