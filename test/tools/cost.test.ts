/**
 * The cost estimate (issue 14): the arithmetic on the fixture environments with a price table of
 * round test numbers (so every expected amount can be checked by hand), extended support from the
 * version's dates, the Auto Mode fee (published, estimated, on the other mode), missing prices as
 * errors with the fix, the review's cost delta, and the shipped data/prices.json itself.
 */
import { environmentSchema, sections, type Environment } from "../../stacks/environment-schema";
import { KUBERNETES_VERSIONS, KUBERNETES_VERSION_DATES, supportStatusOn, type KubernetesVersion } from "../../stacks/kubernetes-versions";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { costDelta } from "../../tools/lib/cost/delta";
import { costSectionFromSides } from "../../tools/lib/cost/review-section";
import { estimateEnvironment, gapMessage, money, parseInstanceType } from "../../tools/lib/cost/model";
import { isAccelerated, loadPriceFile, missingMessage, parsePriceFile, PriceFileError, roundFee, type PriceFile } from "../../tools/lib/cost/prices";
import { renderCostMarkdown, renderCostTerminal } from "../../tools/lib/cost/render";
import { dev } from "../fixtures/environments/dev";
import { prod } from "../fixtures/environments/prod";
import { withChange, type Draft } from "../support/environments";
import { runToolInProcess } from "../support/tool-in-process";

const TOKYO = "ap-northeast-1";
/** Round test prices (not AWS's): the expected amounts below are these numbers multiplied by hand. */
const PRICES: PriceFile = {
  hoursPerMonth: 730,
  controlPlane: [{ partition: "aws", standardPerHour: 0.1, extendedPerHour: 0.6, source: "test", read: "2026-11-30" }],
  ec2OnDemand: [{ region: TOKYO, source: "test", read: "2026-11-30", asOf: "2026-10-01", perHour: { "m7i.large": 0.1, "c7g.xlarge": 0.2, "c6g.xlarge": 0.18 } }],
  autoModeFee: [{ region: TOKYO, source: "test", read: "2026-11-30", perHour: { "m7i.large": 0.012 } }],
  autoModeFeeEstimate: { shareOfOnDemand: 0.12, basis: "test", source: "test", read: "2026-11-30" },
  ebs: [{ region: TOKYO, source: "test", read: "2026-11-30", asOf: "2026-09-10", gp3: { perGiBMonth: 0.08, perIopsMonthAbove3000: 0.005, perMiBsMonthAbove125: 0.04 } }],
  instanceTypes: { vcpus: { "m7i.large": 2, "c7g.xlarge": 4, "c6g.xlarge": 4 } },
};
const FROM = "2026-11-30";

/**
 * The schema's output for a fixture input. Node pools moved from cluster.compute to the top level
 * (issue 11): a fixture written either way parses with the schema of the day.
 */
function parse(input: unknown): Environment {
  const env = structuredClone(input) as Draft;
  if ("nodePools" in sections && env.cluster.compute.nodePools !== undefined) {
    env.nodePools = env.cluster.compute.nodePools;
    delete env.cluster.compute.nodePools;
  }
  return environmentSchema.parse(env) as Environment;
}
const estimate = (input: unknown, file: PriceFile = PRICES, from = FROM) => estimateEnvironment(parse(input), file, { from });
const line = (c: ReturnType<typeof estimate>, item: string) => c.lines.find((l) => l.item === item);

describe("prod (managed node groups) at its configured size", () => {
  const c = estimate(prod);

  test("each line: control plane, node groups × hours × on-demand, root volumes, the gp3 volume above baseline", () => {
    expect(c.lines.map((l) => [l.item, l.monthly === undefined ? undefined : Number(l.monthly.toFixed(2))])).toEqual([
      ["control plane", 73], // 730 h × $0.10
      ["node group general", 219], // 3 × 730 h × $0.10
      ["node group general root volumes", 12], // 3 × 50 GiB × $0.08
      ["node group batch", 292], // SPOT without a stated discount: 2 × 730 h × $0.20 (on-demand, an upper bound)
      ["node group batch root volumes", 8], // 2 × 50 GiB × $0.08
      ["volume loki-data", 60], // 500 GiB × $0.08 + (6000 − 3000) IOPS × $0.005 + (250 − 125) MiB/s × $0.04
      ["target groups", 0], // no charge of their own
      ["control-plane logs", undefined], // stated, not estimated
    ]);
    expect(c.monthlyTotal).toBeCloseTo(664, 6);
    expect(c.complete).toBe(true);
    expect(c.missing).toEqual([]);
    expect(line(c, "node group batch")!.detail).toBe(
      // Spot groups spread over the listed types (price-capacity-optimized): not "first of", as on-demand groups.
      "2 × c7g.xlarge × 730 h × $0.2000 (spot at on-demand: an upper bound; state cost.spotDiscount); spot allocation spreads across c7g.xlarge, c6g.xlarge: priced as the first",
    );
    expect(line(c, "control-plane logs")!.detail).toBe("kept 365 days in CloudWatch Logs; ingestion and storage depend on log volume: not estimated");
  });

  test("a stated spot discount applies to spot node groups only", () => {
    const s = estimate(withChange(prod, (e) => (e.cost = { spotDiscount: 0.6 })));
    expect(line(s, "node group batch")!.monthly).toBeCloseTo(116.8, 6); // 292 × 0.4
    expect(line(s, "node group general")!.monthly).toBeCloseTo(219, 6);
    expect(line(s, "node group batch")!.basis).toBe("config");
  });

  test("on Auto Mode the same instances would pay the fee: published for m7i.large, 12 % of on-demand (estimated) for c7g.xlarge", () => {
    // 3 × 730 h × $0.012 + 2 × 730 h × (0.12 × $0.20) = 26.28 + 35.04; spot or not, the fee is the same.
    expect(c.otherMode.mode).toBe("Auto Mode");
    expect(c.otherMode.monthlyFeeDifference).toBeCloseTo(61.32, 6);
    expect(c.otherMode.basis).toBe("estimated");
  });

  test("prices in the environment's config add to and override the table", () => {
    const o = estimate(withChange(prod, (e) => (e.cost = { ec2PerHour: { "m7i.large": 0.2 }, autoModeFeePerHour: { "c7g.xlarge": 0.03 } })));
    expect(line(o, "node group general")!.monthly).toBeCloseTo(438, 6); // 3 × 730 × 0.20
    expect(line(o, "node group general")!.basis).toBe("config");
    expect(o.otherMode.monthlyFeeDifference).toBeCloseTo(26.28 + 2 * 730 * 0.03, 6);
  });
});

describe("control plane: standard and extended support from the version's dates", () => {
  test("a version in extended support with upgradeSupportType EXTENDED pays $0.60 an hour", () => {
    const c = estimate(withChange(prod, (e) => Object.assign(e.cluster, { kubernetesVersion: "1.33", upgradeSupportType: "EXTENDED" })));
    expect(line(c, "control plane")!.monthly).toBeCloseTo(438, 6); // 730 h × $0.60
    expect(line(c, "control plane")!.detail).toBe("1.33, extended support (standard ended 2026-07-29): 730 h × $0.6000");
  });

  test("1.34 falls into extended support after 2026-12-02: 72 standard hours, then 658 extended", () => {
    const c = estimate(withChange(prod, (e) => (e.cluster.upgradeSupportType = "EXTENDED")));
    expect(line(c, "control plane")!.monthly).toBeCloseTo(72 * 0.1 + 658 * 0.6, 6);
    expect(line(c, "control plane")!.detail).toBe("1.34, standard support until 2026-12-02, then extended: 72 h × $0.1000 + 658 h × $0.6000");
  });

  test("with upgradeSupportType STANDARD EKS upgrades instead of charging extended support (and says so)", () => {
    const c = estimate(prod);
    expect(line(c, "control plane")!.monthly).toBeCloseTo(73, 6);
    expect(c.notes).toEqual(["control plane: 1.34 leaves standard support after 2026-12-02; with upgradeSupportType STANDARD EKS then upgrades the cluster (no extended-support charge)"]);
    expect(estimate(prod, PRICES, "2026-10-01").notes).toEqual([]);
  });

  test("the dates agree with the status the schema uses, as of the list's last review (2026-11-30)", () => {
    for (const v of Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[]) {
      expect([v, supportStatusOn(v, "2026-11-30")]).toEqual([v, KUBERNETES_VERSIONS[v]]);
    }
    expect(KUBERNETES_VERSION_DATES["1.34"]).toEqual({ endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" });
  });
});

describe("dev (Auto Mode): capacity that scales is priced per 100 vCPU-hours, with the fee", () => {
  const c = estimate(dev);

  test("fixed lines: control plane and the volume; no node-group amounts", () => {
    expect(c.lines.map((l) => [l.item, l.monthly])).toEqual([
      ["control plane", 73],
      ["volume loki-data", 8], // 100 GiB × $0.08, baseline IOPS and throughput
      ["target groups", 0],
      ["control-plane logs", undefined],
    ]);
  });

  test("each allowed family: EC2 and Auto Mode fee per 100 vCPU-hours (published or estimated), the fee paid", () => {
    const rows = c.units.map((u) => [u.pool, u.family, u.capacityType, Number(u.ec2Per100VcpuHours.toFixed(4)), Number(u.feePer100VcpuHours!.toFixed(4)), u.feeBasis, u.paysFee]);
    expect(rows).toEqual([
      // general-purpose: c/m/r, generation > 4, amd64: m7i.large $0.10 / 2 vCPU; fee $0.012 / 2 (published)
      ["general-purpose", "m7i", "on-demand", 5, 0.6, "published", true],
      // system also takes arm64: c6g.xlarge $0.18 / 4, c7g.xlarge $0.20 / 4; fees 12 % of those (estimated)
      ["system", "c6g", "on-demand", 4.5, 0.54, "estimated", true],
      ["system", "c7g", "on-demand", 5, 0.6, "estimated", true],
      ["system", "m7i", "on-demand", 5, 0.6, "published", true],
      // batch: 4, 8 or 16 vCPUs only (m7i.large has 2); spot without a stated discount is one row at on-demand, labelled so
      ["batch", "c6g", "spot (at on-demand: upper bound), on-demand", 4.5, 0.54, "estimated", true],
      ["batch", "c7g", "spot (at on-demand: upper bound), on-demand", 5, 0.6, "estimated", true],
    ]);
    expect(c.otherMode.mode).toBe("node groups or Karpenter");
    expect(c.otherMode.monthlyFeeDifference).toBeUndefined();
  });

  test("a stated spot discount lowers the spot EC2 price, never the fee", () => {
    const s = estimate(withChange(dev, (e) => (e.cost = { spotDiscount: 0.5 })));
    const batch = s.units.filter((u) => u.pool === "batch" && u.family === "c6g");
    expect(batch.map((u) => [u.capacityType, u.ec2Per100VcpuHours, Number(u.feePer100VcpuHours!.toFixed(4))])).toEqual([
      ["spot (0.5 stated discount)", 2.25, 0.54],
      ["on-demand", 4.5, 0.54],
    ]);
  });
});

describe("a missing price is never a zero: an error when the total needs it, a note when only the comparison or the pool prices do", () => {
  test("an instance type and the gp3 price are errors; the fees on Auto Mode and a pool with no priced family are notes; each names where to add it", () => {
    const empty: PriceFile = { ...PRICES, ec2OnDemand: [], autoModeFee: [], ebs: [] };
    const p = estimate(prod, empty);
    expect(p.complete).toBe(false);
    expect(line(p, "node group general")!.monthly).toBeUndefined();
    expect(p.missing.map(missingMessage)).toEqual([
      "no price for m7i.large in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
      "no price for EBS gp3 in ap-northeast-1; add it to data/prices.json (or prod's cost.gp3)",
      "no price for c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
    ]);
    expect(p.gaps.map(gapMessage)).toEqual([
      "the Auto Mode comparison is incomplete: no price for the Auto Mode fee of m7i.large in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      "the Auto Mode comparison is incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      // The shared platform's Karpenter pool: nothing priced at all.
      "pool batch prices incomplete: no price for any instance family pool batch allows (c/m/r, generation > 4, amd64/arm64, 4/8/16 vCPUs) in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
    ]);
    const d = estimate(dev, empty);
    expect(d.missing.map(missingMessage)).toEqual(["no price for EBS gp3 in ap-northeast-1; add it to data/prices.json (or dev's cost.gp3)"]);
    expect(d.gaps.map(gapMessage)).toContain(
      "pool batch prices incomplete: no price for any instance family pool batch allows (c/m/r, generation > 4, amd64/arm64, 4/8/16 vCPUs) in ap-northeast-1; add it to data/prices.json (or dev's cost.ec2PerHour)",
    );
    const terminal = renderCostTerminal([p]).split("\n");
    expect(terminal).toContain("prod (ap-northeast-1, managed node groups), month from 2026-11-30: ≥ $73.00 (incomplete)");
    // Errors first, then the notes, then the closing remark.
    expect(terminal.slice(-8)).toEqual([
      "prod: no price for m7i.large in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
      "prod: no price for EBS gp3 in ap-northeast-1; add it to data/prices.json (or prod's cost.gp3)",
      "prod: no price for c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
      "prod: note: the Auto Mode comparison is incomplete: no price for the Auto Mode fee of m7i.large in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      "prod: note: the Auto Mode comparison is incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      "prod: note: pool batch prices incomplete: no price for any instance family pool batch allows (c/m/r, generation > 4, amd64/arm64, 4/8/16 vCPUs) in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
      expect.stringMatching(/^Estimates, not bills: /),
      "",
    ]);
  });

  test("an Auto Mode pool's missing fee is a note on that pool's prices; a Karpenter pool's, on its Auto Mode comparison; neither touches the total", () => {
    // No estimate and no published fee for the arm64 families: only m7i.large has a fee.
    const noEstimate: PriceFile = { ...PRICES, autoModeFeeEstimate: undefined };
    const d = estimate(dev, noEstimate);
    expect([d.complete, d.missing]).toEqual([true, []]);
    expect(d.gaps.map(gapMessage)).toEqual([
      "pool system prices incomplete: no price for the Auto Mode fee of c6g.xlarge in ap-northeast-1; add it to data/prices.json (or dev's cost.autoModeFeePerHour)",
      "pool system prices incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or dev's cost.autoModeFeePerHour)",
      "pool batch prices incomplete: no price for the Auto Mode fee of c6g.xlarge in ap-northeast-1; add it to data/prices.json (or dev's cost.autoModeFeePerHour)",
      "pool batch prices incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or dev's cost.autoModeFeePerHour)",
    ]);
    const md = renderCostMarkdown([d]);
    expect(md).not.toContain("Missing prices (the total is a lower bound)");
    expect(md).toContain("Missing prices outside the total (notes: the total does not use them):\n\n- pool system prices incomplete: no price for the Auto Mode fee of c6g.xlarge");
    expect(md).toContain("| system | c6g (xlarge) | on-demand | $4.50 | no price | — | fee paid |");
    // prod: the node groups' c7g.xlarge and the Karpenter pool's arm64 families lack a fee; what the pool pays is known.
    const p = estimate(prod, noEstimate);
    expect([p.complete, p.missing]).toEqual([true, []]);
    expect(p.gaps.map(gapMessage)).toEqual([
      "the Auto Mode comparison is incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      "the Auto Mode comparison of pool batch is incomplete: no price for the Auto Mode fee of c6g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      "the Auto Mode comparison of pool batch is incomplete: no price for the Auto Mode fee of c7g.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
    ]);
    expect(renderCostMarkdown([p])).toContain("| batch | c6g (xlarge) | spot (at on-demand: upper bound), on-demand | $4.50 | no price | $4.50 | no fee (Karpenter) |");
  });

  describe("npm run -s cost: exit 1 for a price of the total, 0 with notes only (fixture environments and price tables of this file)", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-cost-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // The fixture prod with a g6.xlarge group: a GPU, whose Auto Mode fee is never estimated.
    const envFile = join(dir, "gpu-environments.json");
    writeFileSync(envFile, JSON.stringify([withChange(prod, (e) => void (e.cluster.compute.nodeGroups.general.instanceTypes = ["g6.xlarge"]))]));
    const pricesFile = (ec2: Record<string, number>) => {
      const file = join(dir, `prices-${Object.keys(ec2).length}.json`);
      writeFileSync(file, JSON.stringify({ ...PRICES, ec2OnDemand: [{ ...PRICES.ec2OnDemand[0]!, perHour: ec2 }] } satisfies PriceFile));
      return file;
    };
    const cost = async (prices: string) => {
      const markdown = join(dir, "report.md");
      rmSync(markdown, { force: true });
      const r = await runToolInProcess("cost", ["--from", FROM, "--prices", prices, "--markdown", markdown], { EKS_ENVIRONMENTS: envFile });
      return { ...r, stdout: r.stdout.split("\n"), markdown: readFileSync(markdown, "utf8") };
    };

    test("the GPU group's fee on Auto Mode missing: the total is complete, a note names the fix, exit 0", async () => {
      const r = await cost(pricesFile({ ...PRICES.ec2OnDemand[0]!.perHour, "g6.xlarge": 1.2 }));
      expect([r.code, r.stderr]).toEqual([0, ""]);
      // 73 + 3 × 730 × 1.2 + 12 + 292 + 8 + 60 (prod's other lines, as above)
      expect(r.stdout[0]).toBe("prod (ap-northeast-1, managed node groups), month from 2026-11-30: $3,073.00");
      expect(r.stdout.filter((l) => l.startsWith("prod: "))).toEqual([
        "prod: note: the Auto Mode comparison is incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      ]);
      expect(r.markdown).toContain("| prod | ap-northeast-1 | node groups | $3,073.00 | fee on Auto Mode unknown (prices missing) |");
      expect(r.markdown).not.toContain("lower bound");
      expect(r.markdown).toContain(
        "Missing prices outside the total (notes: the total does not use them):\n\n- the Auto Mode comparison is incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)\n",
      );
    });

    test("the GPU group's EC2 price missing: the total is a lower bound, an error names the fix (before the note), exit 1", async () => {
      const r = await cost(pricesFile(PRICES.ec2OnDemand[0]!.perHour));
      expect([r.code, r.stderr]).toEqual([1, ""]);
      expect(r.stdout[0]).toBe("prod (ap-northeast-1, managed node groups), month from 2026-11-30: ≥ $445.00 (incomplete)");
      expect(r.stdout.filter((l) => l.startsWith("prod: "))).toEqual([
        "prod: no price for g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
        "prod: note: the Auto Mode comparison is incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
      ]);
      expect(r.markdown).toContain("Missing prices (the total is a lower bound):\n\n- no price for g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)\n");
    });
  });

  test("m7i.4xlarge in us-west-2 (a region the shipped table does not price) with the shipped table", () => {
    const c = estimateEnvironment(
      parse(withChange(prod, (e) => {
        e.account.region = "us-west-2";
        e.cluster.compute.nodeGroups.general.instanceTypes = ["m7i.4xlarge"];
      })),
      loadPriceFile(),
      { from: FROM },
    );
    expect(c.missing.map(missingMessage)).toContain("no price for m7i.4xlarge in us-west-2; add it to data/prices.json (or prod's cost.ec2PerHour)");
  });
});

describe("the cost delta of a change (review section)", () => {
  const base = [parse(dev), parse(prod)];
  const delta = (mutate: (e: Draft) => void) => costDelta(base, [parse(dev), parse(withChange(prod, mutate))], PRICES, { from: FROM });

  test("the review's section, from the environments both sides' synths validated: priced, 'Not estimated' when a side did not load, none outside this layout", () => {
    const root = join(__dirname, "../..");
    const loaded = { environments: base };
    expect(costSectionFromSides(root, { base: { environments: undefined }, head: { environments: loaded } })).toBeUndefined();
    expect(costSectionFromSides(root, { base: { environments: { error: "dev: x: broken" } }, head: { environments: loaded } })).toEqual({
      id: "cost",
      title: "Cost",
      order: 150,
      markdown: "Not estimated: dev: x: broken.\n",
      terminal: ["cost: not estimated (dev: x: broken)"],
    });
    // Priced with the head's (the working tree's) data/prices.json.
    const priced = costSectionFromSides(root, { base: { environments: loaded }, head: { environments: loaded } }, { from: FROM });
    expect(priced?.markdown).toMatch(/^No change to the estimated monthly cost\.\n/);
    expect(priced?.terminal?.[0]).toBe("cost: no change to the estimated monthly cost");
  });

  test("a head price table that fails its check, in the working tree or at a ref (e.g. the format before partitions), is the section's 'Not estimated', not a crash of the review", () => {
    const loaded = { environments: base };
    const repo = mkdtempSync(join(tmpdir(), "eks-cost-review-prices-"));
    try {
      const shipped = JSON.parse(readFileSync(join(__dirname, "../../data/prices.json"), "utf8"));
      mkdirSync(join(repo, "data"));
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" }).trim();
      git("init", "-q", "-b", "main");
      // An older layout: one control-plane object instead of a list of blocks per partition.
      writeFileSync(join(repo, "data/prices.json"), JSON.stringify({ ...shipped, controlPlane: { standardPerHour: 0.1, extendedPerHour: 0.6 } }));
      git("add", "-A");
      git("commit", "-q", "-m", "old table");
      const atRef = costSectionFromSides(repo, { base: { environments: loaded }, head: { ref: "HEAD", environments: loaded } }, { from: FROM })!;
      expect(atRef.terminal?.[0]).toMatch(/^cost: not estimated \(\d+ problem\(s\) in the price table, the first: HEAD:data\/prices\.json: controlPlane: /);
      // The working tree: a zero price.
      writeFileSync(join(repo, "data/prices.json"), JSON.stringify({ ...shipped, hoursPerMonth: 0 }));
      const inTree = costSectionFromSides(repo, { base: { environments: loaded }, head: { environments: loaded } }, { from: FROM })!;
      expect(inTree.terminal?.[0]).toMatch(/^cost: not estimated \(1 problem\(s\) in the price table, the first: .*hoursPerMonth: [^;]*\)$/);
      expect(inTree.markdown).toMatch(/^Not estimated: /);
      // Many problems: the terminal has the count, the first and the command listing them all, not one line of all (before: ~1,900 characters).
      writeFileSync(join(repo, "data/prices.json"), JSON.stringify({ ...shipped, ec2OnDemand: shipped.ec2OnDemand.map((b: Draft) => ({ ...b, perHour: Object.fromEntries(Object.keys(b.perHour).map((t) => [t, 0])) })) }));
      const many = costSectionFromSides(repo, { base: { environments: loaded }, head: { environments: loaded } }, { from: FROM })!;
      expect(many.terminal).toHaveLength(1);
      expect(many.terminal![0]).toMatch(/^cost: not estimated \(\d{3} problem\(s\) in the price table, the first: \S*data\/prices\.json: ec2OnDemand\[us-east-1\]\.perHour\["[^"]+"\]: 0 is not a positive price \([^)]*\); `npm run cost -- --prices data\/prices\.json` lists them all\)$/);
      expect(many.terminal![0]!.length).toBeLessThan(400);
      expect(many.markdown.split("\n").filter((l) => l.startsWith("- ")).length).toBeGreaterThan(100);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  test("no change", () => {
    const d = costDelta(base, base, PRICES, { from: FROM });
    expect(d.rows).toEqual([]);
    expect(d.markdown).toBe("### Cost\n\nNo change to the estimated monthly cost.\n");
    expect(d.terminal).toEqual(["cost: no change to the estimated monthly cost"]);
  });

  test("a row priced from the environment's cost section says '(config)', as the cost report's basis column does", () => {
    const priced = withChange(prod, (e) => (e.cost = { ec2PerHour: { "m7i.large": 0.2 } }));
    const grown = withChange(priced, (e) => Object.assign(e.cluster.compute.nodeGroups.general, { desiredSize: 5, maxSize: 10 }));
    const d = costDelta([parse(priced)], [parse(grown)], PRICES, { from: FROM });
    expect(d.terminal).toContain("  prod: node group general +$292.00 — 5 × m7i.large × 730 h × $0.2000 (config)");
    // The table's own price says nothing more.
    expect(d.terminal).toContain("  prod: node group general root volumes +$8.00 — 5 × 50 GiB gp3 × $0.0800/GiB-month");
  });

  test("a node group growing from 3 to 5: two more instances and root volumes", () => {
    const d = delta((e) => Object.assign(e.cluster.compute.nodeGroups.general, { desiredSize: 5, maxSize: 10 }));
    expect(d.monthlyChange).toBeCloseTo(2 * 730 * 0.1 + 2 * 50 * 0.08, 6); // +146 + 8
    expect(d.terminal).toEqual([
      "cost: estimated monthly change +$154.00",
      "  prod: node group general +$146.00 — 5 × m7i.large × 730 h × $0.1000",
      "  prod: node group general root volumes +$8.00 — 5 × 50 GiB gp3 × $0.0800/GiB-month",
    ]);
    expect(d.markdown).toContain("| prod | node group general | $219.00 | $365.00 | +$146.00 | 5 × m7i.large × 730 h × $0.1000 |");
  });

  test("the version falling into extended support (EXTENDED upgrade policy on 1.34 from 2026-11-30)", () => {
    const d = delta((e) => (e.cluster.upgradeSupportType = "EXTENDED"));
    expect(d.monthlyChange).toBeCloseTo(72 * 0.1 + 658 * 0.6 - 73, 6); // +329
    expect(d.terminal[0]).toBe("cost: estimated monthly change +$329.00");
  });

  const FEE = "Auto Mode fee on the node groups' capacity";
  const MOVES = "moves to usage-priced pools (not a saving: the capacity still runs)";

  test("a switch to Auto Mode is no saving: the node groups' EC2 and root volumes move to usage-priced pools (shown, not counted); the change is the Auto Mode fee, marked estimated", () => {
    const d = delta((e) => (e.cluster.compute = { mode: "auto" }));
    // The fee only. Counting the node groups' amounts as a saving gave 61.32 − 219 − 12 − 292 − 8 = −469.68.
    expect(d.monthlyChange).toBeCloseTo(61.32, 6);
    expect(d.bound).toBe("exact");
    // The fee first: it is the change (the review's terminal shows the first rows only).
    expect(d.rows.map((r) => [r.item, r.kind, r.before, r.after])).toEqual([
      [FEE, "counted", 0, expect.closeTo(61.32, 6)],
      ["node group general", "moved", 219, "usage-priced"],
      ["node group general root volumes", "moved", 12, "usage-priced"],
      ["node group batch", "moved", 292, "usage-priced"],
      ["node group batch root volumes", "moved", 8, "usage-priced"],
    ]);
    expect([d.terminal[0], ...d.terminal.slice(2, 4)]).toEqual([
      // c7g.xlarge's fee is 12 % of on-demand: the headline says the fee in it is an estimate.
      "cost: estimated monthly change +$61.32 (includes an estimated Auto Mode fee)",
      `  prod: node group general $219.00 — ${MOVES}; was 3 × m7i.large × 730 h × $0.1000`,
      `  prod: node group general root volumes $12.00 — ${MOVES}; was 3 × 50 GiB gp3 × $0.0800/GiB-month`,
    ]);
    expect(d.markdown).toContain("Estimated monthly change: **+$61.32** (includes an estimated Auto Mode fee; list prices");
    expect(d.markdown).toContain(`| prod | node group general | $219.00 | usage-priced | not counted | ${MOVES}; was 3 × m7i.large × 730 h × $0.1000 |`);
    // Published fees only: no "estimated" in the headline.
    const published: PriceFile = { ...PRICES, autoModeFee: [{ ...PRICES.autoModeFee[0]!, perHour: { "m7i.large": 0.012, "c7g.xlarge": 0.024 } }] };
    const p = costDelta(base, [parse(dev), parse(withChange(prod, (e) => (e.cluster.compute = { mode: "auto" })))], published, { from: FROM });
    expect(p.headline).toBe("cost: estimated monthly change +$61.32");
  });

  test("the switch row reads without nested brackets: what the fee is paid on, the formula once, '(estimated)' after it", () => {
    const d = delta((e) => (e.cluster.compute = { mode: "auto" }));
    expect(d.rows.find((r) => r.item === FEE)!.note).toBe(
      "paid on what the node groups ran: (3 × m7i.large × $0.0120 + 2 × c7g.xlarge × $0.0240) × 730 h (estimated); the pools now pay the Auto Mode fee column of the pool prices on what they run",
    );
    expect(d.terminal).toContain(
      `  prod: ${FEE} +$61.32 — paid on what the node groups ran: (3 × m7i.large × $0.0120 + 2 × c7g.xlarge × $0.0240) × 730 h (estimated); the pools now pay the Auto Mode fee column of the pool prices on what they run`,
    );
    expect(d.terminal.filter((l) => /\(\(|\)\)/.test(l))).toEqual([]);
  });

  test("a switch from Auto Mode to node groups is no increase: the node groups' amounts were usage-priced (shown, not counted); the change is the fee no longer paid", () => {
    const auto = parse(withChange(prod, (e) => (e.cluster.compute = { mode: "auto" })));
    const d = costDelta([parse(dev), auto], base, PRICES, { from: FROM });
    // The fee the head's node groups would pay on Auto Mode, saved; their EC2 ran in Auto Mode's pools before.
    expect(d.monthlyChange).toBeCloseTo(-61.32, 6);
    expect(d.headline).toBe("cost: estimated monthly change −$61.32 (includes an estimated Auto Mode fee)");
    expect(d.rows.map((r) => [r.item, r.kind, r.before, r.after])).toEqual([
      [FEE, "counted", expect.closeTo(61.32, 6), 0],
      ["node group general", "moved", "usage-priced", 219],
      ["node group general root volumes", "moved", "usage-priced", 12],
      ["node group batch", "moved", "usage-priced", 292],
      ["node group batch root volumes", "moved", "usage-priced", 8],
    ]);
    expect(d.terminal).toContain("  prod: node group general $219.00 — was usage-priced (Auto Mode pools; not an increase: the capacity ran before); now 3 × m7i.large × 730 h × $0.1000");
    expect(d.rows.find((r) => r.item === FEE)!.note).toBe(
      "no longer paid on what the node groups run: (3 × m7i.large × $0.0120 + 2 × c7g.xlarge × $0.0240) × 730 h (estimated); the pools no longer pay the Auto Mode fee column of the pool prices",
    );
  });

  test("a switch to Auto Mode of a GPU node group: the fee the change adds has no price, so the change is a lower bound counting the fees that have one (before: '≥ $0.00'), and the review lists the price", () => {
    const file: PriceFile = { ...PRICES, ec2OnDemand: [{ ...PRICES.ec2OnDemand[0]!, perHour: { ...PRICES.ec2OnDemand[0]!.perHour, "g6.xlarge": 1.2 } }] };
    const gpu = withChange(prod, (e) => void (e.cluster.compute.nodeGroups.general.instanceTypes = ["g6.xlarge"]));
    const d = costDelta([parse(gpu)], [parse(withChange(gpu, (e) => (e.cluster.compute = { mode: "auto" })))], file, { from: FROM });
    const missingFee = { what: "the Auto Mode fee of g6.xlarge", region: TOKYO, where: "data/prices.json (or prod's cost.autoModeFeePerHour)" };
    expect(d.rows.find((r) => r.item === FEE)).toEqual({
      env: "prod",
      item: FEE,
      before: 0,
      after: "no price",
      kind: "unknown",
      direction: "up",
      known: 35.04, // batch's fee, the one priced: 2 × c7g.xlarge × $0.024 × 730 h
      missing: [missingFee],
      note: "no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; paid on what the node groups ran",
      estimated: true, // the priced part, c7g.xlarge's fee, is 12 % of on-demand
    });
    // The bound counts an estimated fee: the headline says so, as for an exact change.
    expect(d.headline).toBe("cost: estimated monthly change ≥ +$35.04 (incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; includes an estimated Auto Mode fee)");
    expect(d.missing).toEqual(["prod: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)"]);
  });

  test("a node group's new instance type without a price: a lower bound (the new amount is at least $0), never the old amount counted as a saving", () => {
    // m5.large is not in this file's table (nor its vCPUs): the head's node group has no price.
    const d = delta((e) => (e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.large"]));
    expect([d.bound, d.monthlyChange]).toEqual(["at least", -219]);
    expect(d.rows).toEqual([
      {
        env: "prod",
        item: "node group general",
        before: 219,
        after: "no price",
        kind: "unknown",
        direction: "up",
        known: -219,
        missing: [{ what: "m5.large", region: TOKYO, where: "data/prices.json (or prod's cost.ec2PerHour)" }],
        note: "no price for m5.large in ap-northeast-1; 3 × m5.large",
      },
    ]);
    expect(d.terminal).toEqual([
      "cost: estimated monthly change ≥ −$219.00 (incomplete: no price for m5.large in ap-northeast-1)",
      "  prod: node group general ≥ −$219.00 — no price for m5.large in ap-northeast-1; 3 × m5.large",
      "  prod: no price for m5.large in ap-northeast-1; add it to data/prices.json (or prod's cost.ec2PerHour)",
    ]);
    expect(d.markdown).toContain("Estimated monthly change: **≥ −$219.00** (incomplete: no price for m5.large in ap-northeast-1; list prices");
    expect(d.markdown).toContain("| prod | node group general | $219.00 | no price | ≥ −$219.00 | no price for m5.large in ap-northeast-1; 3 × m5.large |");
    // With a priced change beside it: the bound counts it (730 × $0.20 + 50 GiB × $0.08 = +$150).
    const both = delta((e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.large"];
      e.cluster.compute.nodeGroups.batch.desiredSize = 3;
    });
    expect(both.headline).toBe("cost: estimated monthly change ≥ −$69.00 (incomplete: no price for m5.large in ap-northeast-1)");
    // Prices missing on both sides of one row, or one row up and one down: not estimated, the priced rows apart.
    const away = costDelta([parse(withChange(prod, (e) => (e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.large"])))], [parse(withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.xlarge"];
      e.cluster.compute.nodeGroups.batch.desiredSize = 3;
    }))], PRICES, { from: FROM });
    expect(away.headline).toBe("cost: monthly change not estimated (no price for m5.large in ap-northeast-1, no price for m5.xlarge in ap-northeast-1); the rows with prices: +$150.00");
  });

  test("a new node group without a price: the change can only be higher than the priced rows ('≥ … (incomplete: …)')", () => {
    const d = delta((e) => (e.cluster.compute.nodeGroups.extra = { ...e.cluster.compute.nodeGroups.general, instanceTypes: ["m5.large"], minSize: 1, desiredSize: 1 }));
    expect([d.bound, d.monthlyChange]).toEqual(["at least", 4]); // its root volume: 50 GiB × $0.08
    expect(d.headline).toBe("cost: estimated monthly change ≥ +$4.00 (incomplete: no price for m5.large in ap-northeast-1)");
    expect(d.rows.find((r) => r.item === "node group extra")).toMatchObject({ before: "absent", after: "no price", kind: "unknown", direction: "up" });
    expect(d.markdown).toContain("| prod | node group extra | — | no price | ≥ $0.00 | no price for m5.large in ap-northeast-1; 1 × m5.large |");
  });

  test("bounds keep the priced part of a row (before: '≥ $0.00', '≤ $0.00', 'not estimated' for big changes)", () => {
    const io2Cost = { ebs: { io2: { perGiBMonth: 0.125, perIopsMonth: 0.065 } } };
    // A new io2 volume of 100 GiB and 40,000 IOPS, its tier 2 unpriced: at least storage + 32,000 IOPS.
    const io2 = delta((e) => {
      e.volumes.fast = { ...e.volumes["loki-data"], type: "io2", sizeGiB: 100, iops: 40000 };
      delete e.volumes.fast.throughputMiBs;
      e.cost = io2Cost;
    });
    expect(io2.rows.find((r) => r.item === "volume fast")).toMatchObject({ kind: "unknown", direction: "up", known: 12.5 + 32000 * 0.065 });
    expect(io2.headline).toBe("cost: estimated monthly change ≥ +$2,092.50 (incomplete: no price for EBS io2 IOPS from 32,001 to 64,000 (perIopsMonthAbove32000) in ap-northeast-1)");
    // dev (Auto Mode) switched to node groups of m7i.large and g6.xlarge (no fee for the GPU): the m7i fee is no longer paid at least.
    const file: PriceFile = { ...PRICES, ec2OnDemand: [{ ...PRICES.ec2OnDemand[0]!, perHour: { ...PRICES.ec2OnDemand[0]!.perHour, "g6.xlarge": 1.2 } }] };
    const groups = parse(withChange(prod, (e) => (e.cluster.compute.nodeGroups.batch = { ...e.cluster.compute.nodeGroups.general, instanceTypes: ["g6.xlarge"], capacityType: "ON_DEMAND", desiredSize: 1, minSize: 1 })));
    const away = costDelta([parse(withChange(prod, (e) => (e.cluster.compute = { mode: "auto" })))], [groups], file, { from: FROM });
    expect(away.headline).toBe("cost: estimated monthly change ≤ −$26.28 (incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1)"); // 3 × $0.012 × 730 h
    // A price missing before the change only (m7i.8xlarge → m7i.large): at most the new amount.
    const up = costDelta([parse(withChange(prod, (e) => (e.cluster.compute.nodeGroups.general.instanceTypes = ["m7i.8xlarge"])))], [parse(prod)], PRICES, { from: FROM });
    expect(up.headline).toBe("cost: estimated monthly change ≤ +$219.00 (incomplete: no price for m7i.8xlarge in ap-northeast-1)"); // 3 × 730 h × $0.10
    expect(up.terminal[1]).toBe("  prod: node group general ≤ +$219.00 — no price for m7i.8xlarge in ap-northeast-1; 3 × m7i.large × 730 h × $0.1000");
  });

  test("npm run cost's total counts the priced part of a partly priced line (still a lower bound)", () => {
    const c = estimate(withChange(prod, (e) => {
      Object.assign(e.volumes["loki-data"], { type: "io2", sizeGiB: 100, iops: 40000 });
      delete e.volumes["loki-data"].throughputMiBs;
      e.cost = { ebs: { io2: { perGiBMonth: 0.125, perIopsMonth: 0.065 } } };
    }));
    expect([line(c, "volume loki-data")!.monthly, line(c, "volume loki-data")!.knownMonthly]).toEqual([undefined, 2092.5]);
    expect([c.complete, c.monthlyTotal]).toEqual([false, expect.closeTo(estimate(prod).monthlyTotal - line(estimate(prod), "volume loki-data")!.monthly! + 2092.5, 6)]); // instead of the gp3 volume
    expect(renderCostTerminal([c])).toMatch(/volume loki-data +≥ \$2,092\.50 /);
  });

  test("a change of the cost section only: both sides priced with the head's, no change, a note says the assumptions changed", () => {
    const cost = { spotDiscount: 0.6, ec2PerHour: { "m7i.large": 0.2 } };
    const d = delta((e) => (e.cost = cost));
    expect(d.rows).toEqual([]);
    expect(d.terminal).toEqual(["cost: no change to the estimated monthly cost", "  prod: estimate assumptions changed (cost section); nothing deployed changes"]);
    expect(d.markdown).toBe("### Cost\n\nNo change to the estimated monthly cost.\n\n- prod: estimate assumptions changed (cost section); nothing deployed changes\n");
    // With a deployed change too: both sides at the head's $0.20, so only the two new instances and their volumes count.
    const grown = delta((e) => {
      e.cost = cost;
      e.cluster.compute.nodeGroups.general.desiredSize = 5;
    });
    expect(grown.monthlyChange).toBeCloseTo(2 * 730 * 0.2 + 2 * 50 * 0.08, 6); // +292 + 8
    expect(grown.notes).toEqual(["prod: estimate assumptions changed (cost section): both sides are priced with the new one, so only deployed changes count"]);
    // The same section written in another key order is no change.
    const ordered = costDelta([parse(withChange(prod, (e) => (e.cost = { ec2PerHour: { "m7i.large": 0.2, "c7g.xlarge": 0.3 } })))], [parse(withChange(prod, (e) => (e.cost = { ec2PerHour: { "c7g.xlarge": 0.3, "m7i.large": 0.2 } })))], PRICES, { from: FROM });
    expect(ordered.terminal).toEqual(["cost: no change to the estimated monthly cost"]);
  });

  test("an instance-type migration that drops the old type's config price: the base keeps its own price for it (before: 'not estimated (no price for m5.large…)')", () => {
    // Base: general on m5.large, priced only by prod's cost.ec2PerHour; head: m7i.large (in the table), the m5.large price removed.
    const before = parse(withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.large"];
      e.cost = { ec2PerHour: { "m5.large": 0.15 } };
    }));
    const d = costDelta([parse(dev), before], [parse(dev), parse(prod)], PRICES, { from: FROM });
    expect([d.bound, Number(d.monthlyChange.toFixed(2))]).toEqual(["exact", -109.5]); // 3 × 730 h × ($0.10 − $0.15)
    expect(d.headline).toBe("cost: estimated monthly change −$109.50");
    // The head still wins where both price a type: a change of the price alone is no change.
    const repriced = costDelta([before], [parse(withChange(before, (e) => (e.cost = { ec2PerHour: { "m5.large": 0.2 } })))], PRICES, { from: FROM });
    expect(repriced.rows).toEqual([]);
    // A removed environment is priced with its own (base) cost section.
    const removed = costDelta([parse(dev), before], [parse(dev)], PRICES, { from: FROM });
    expect(removed.rows.find((r) => r.item === "node group general")).toMatchObject({ before: 328.5, after: "absent", kind: "counted" }); // 3 × 730 h × $0.15
  });

  test("the review's terminal lines: the headline and 5 rows, then '… and N more (full report)'; the report has every row", () => {
    const root = join(__dirname, "../..");
    const head = [parse(dev), parse(withChange(prod, (e) => {
      e.cluster.compute = { mode: "auto" }; // 4 node-group rows and the fee
      e.cluster.upgradeSupportType = "EXTENDED"; // control plane
      e.cluster.logRetentionDays = 30; // control-plane logs
    }))];
    const section = costSectionFromSides(root, { base: { environments: { environments: base } }, head: { environments: { environments: head } } }, { from: FROM })!;
    expect(section.terminal).toHaveLength(1 + 5 + 1);
    expect(section.terminal!.slice(1, 6).map((l) => l.split(" — ")[0]!.replace(/ [−+]?\$[\d,.]+$/, ""))).toEqual([
      `  prod: ${FEE}`,
      "  prod: control plane",
      "  prod: node group general",
      "  prod: node group general root volumes",
      "  prod: node group batch",
    ]);
    expect(section.terminal![6]).toBe("  … and 2 more (full report)");
    expect(section.markdown).toContain("| prod | node group batch root volumes |");
    expect(section.markdown).toContain("| prod | control-plane logs |");
  });
});

describe("the Auto Mode fee estimate: 12 % of on-demand, rounded like AWS's fees, never for accelerated types", () => {
  test("rounded to 5 decimals: 12 % of $0.1712 (0.020544) is $0.02054", () => {
    const withPrice = withChange(prod, (e) => (e.cost = { ec2PerHour: { "c7g.xlarge": 0.1712 } }));
    // 3 × 730 h × $0.012 (published m7i.large) + 2 × 730 h × $0.02054 (estimated, not 0.020544)
    expect(estimate(withPrice).otherMode.monthlyFeeDifference).toBeCloseTo(26.28 + 2 * 730 * 0.02054, 9);
    expect(estimate(withPrice).otherMode.detail).toContain("2 × c7g.xlarge × $0.02054");
    expect([roundFee(0.0856 * 0.12), roundFee(0.1302 * 0.12), roundFee(1.0416 * 0.12), roundFee(0.3328 * 0.12)]).toEqual([0.01027, 0.01562, 0.12499, 0.03994]);
  });

  test("the shipped table's Tokyo estimates equal AWS's fee rows (EKS pricing-page data 2025-10-28, see autoModeFeeEstimate.basis)", () => {
    const file = loadPriceFile();
    const c = estimateEnvironment(parse(prod), file, { from: FROM });
    // m7i.large $0.01562 and c7g.xlarge $0.02183: AWS's rows for these types in ap-northeast-1.
    expect(c.otherMode.detail).toContain("(3 × m7i.large × $0.01562 + 2 × c7g.xlarge × $0.02183) × 730 h");
    expect(c.otherMode.monthlyFeeDifference).toBeCloseTo(3 * 730 * 0.01562 + 2 * 730 * 0.02183, 9);
    expect(c.otherMode.basis).toBe("estimated");
  });

  test("a GPU node group: no estimated fee, a note that the Auto Mode comparison is incomplete with the usual fix; a published fee in config is used", () => {
    const gpu = withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["g6.xlarge"];
    });
    const file: PriceFile = { ...PRICES, ec2OnDemand: [{ ...PRICES.ec2OnDemand[0]!, perHour: { ...PRICES.ec2OnDemand[0]!.perHour, "g6.xlarge": 1.2 } }] };
    const c = estimate(gpu, file);
    expect(line(c, "node group general")!.monthly).toBeCloseTo(3 * 730 * 1.2, 6); // the EC2 price is there
    expect(c.otherMode.monthlyFeeDifference).toBeUndefined();
    // The fee is no part of this bill: the total is complete, the comparison is not.
    expect([c.complete, c.missing]).toEqual([true, []]);
    expect(c.gaps.map(gapMessage)).toEqual([
      "the Auto Mode comparison is incomplete: no price for the Auto Mode fee of g6.xlarge in ap-northeast-1; add it to data/prices.json (or prod's cost.autoModeFeePerHour)",
    ]);
    // Without the refusal 12 % of $1.20 would be taken as the fee.
    const published = estimate(withChange(gpu, (e) => (e.cost = { autoModeFeePerHour: { "g6.xlarge": 0.1 } })), file);
    expect([published.missing, published.gaps]).toEqual([[], []]);
    expect(published.otherMode.monthlyFeeDifference).toBeCloseTo(3 * 730 * 0.1 + 2 * 730 * 0.024, 6);
  });

  test("accelerated families as EC2 lists them, and nothing else", () => {
    const accelerated = ["dl1.24xlarge", "dl2q.24xlarge", "f1.2xlarge", "f2.6xlarge", "g4ad.xlarge", "g4dn.xlarge", "g5.xlarge", "g5g.xlarge", "g6.xlarge", "g6e.xlarge", "gr6.4xlarge", "inf1.xlarge", "inf2.xlarge", "p4d.24xlarge", "p5.48xlarge", "p6-b200.48xlarge", "trn1.2xlarge", "trn2.48xlarge", "vt1.3xlarge"];
    const general = ["c6g.large", "c7i.xlarge", "m7i.large", "m8g.medium", "r8g.large", "t3.medium", "t4g.large", "d3.xlarge", "i4i.large", "im4gn.large", "is4gen.large", "hpc7g.4xlarge", "x2gd.large", "z1d.large", "u7i-12tb.224xlarge", "mac2.metal", "a1.large"];
    expect(accelerated.filter((t) => !isAccelerated(t))).toEqual([]);
    expect(general.filter((t) => isAccelerated(t))).toEqual([]);
  });
});

describe("rendering", () => {
  test("markdown: summary table, per-environment table, a pie of the monthly amounts, the unit prices", () => {
    const md = renderCostMarkdown([estimate(dev), estimate(prod)]);
    expect(md).toContain("| prod | ap-northeast-1 | node groups | $664.00 | +$61.32 fee on Auto Mode (estimated) |");
    expect(md).toContain("| dev | ap-northeast-1 | Auto Mode | $81.00 | no fee on node groups or Karpenter: see the fee column |");
    expect(md).toContain('```mermaid\npie showData title prod: USD per month\n    "control plane" : 73.00\n    "node group general" : 219.00');
    expect(md).toContain("| general-purpose | m7i (large) | on-demand | $5.00 | $0.60 | $5.60 | fee paid |");
    expect(md).toContain("| system | c6g (xlarge) | on-demand | $4.50 | $0.54 (est.) | $5.04 | fee paid |");
  });

  test("a fee difference with an estimated fee in it says so, everywhere it is printed; one of published fees does not", () => {
    const c = estimate(prod); // c7g.xlarge's fee is 12 % of on-demand
    expect(renderCostMarkdown([c])).toContain("| prod | ap-northeast-1 | node groups | $664.00 | +$61.32 fee on Auto Mode (estimated) |");
    expect(renderCostMarkdown([c])).toContain("On Auto Mode: **+$61.32/month** Auto Mode fee (estimated); the same node groups would pay");
    expect(renderCostTerminal([c])).toContain("  on Auto Mode: +$61.32/month Auto Mode fee (estimated); the same node groups would pay");
    const published: PriceFile = { ...PRICES, autoModeFee: [{ ...PRICES.autoModeFee[0]!, perHour: { "m7i.large": 0.012, "c7g.xlarge": 0.024 } }] };
    const p = estimate(prod, published);
    expect(p.otherMode.basis).toBe("published");
    expect(renderCostMarkdown([p])).toContain("| prod | ap-northeast-1 | node groups | $664.00 | +$61.32 fee on Auto Mode |");
    expect(renderCostTerminal([p])).toContain("  on Auto Mode: +$61.32/month Auto Mode fee; the same node groups would pay");
    // Fees from the environment's config (and none estimated): the basis says config.
    const config = estimate(withChange(prod, (e) => (e.cost = { autoModeFeePerHour: { "c7g.xlarge": 0.024 } })));
    expect(config.otherMode.basis).toBe("config");
    expect(renderCostMarkdown([config])).toContain("| +$61.32 fee on Auto Mode (config) |");
  });

  test("unit prices keep their decimals whatever their size (the arithmetic shown is the one done); amounts are in cents", () => {
    const big = estimate(withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["m7i.4xlarge"];
      e.cost = { ec2PerHour: { "m7i.4xlarge": 1.0416 } };
    }));
    expect(line(big, "node group general")!.detail).toBe("3 × m7i.4xlarge × 730 h × $1.0416");
    expect(line(big, "node group general")!.monthly).toBeCloseTo(3 * 730 * 1.0416, 9);
    expect(renderCostMarkdown([big])).toContain("| node group general | $2,281.10 | config | 3 × m7i.4xlarge × 730 h × $1.0416 |");
    expect(big.otherMode.detail).toContain("3 × m7i.4xlarge × $0.12499"); // 12 % of $1.0416, rounded as AWS's fees are
    expect([money(0.1), money(0.0856), money(0.01027), money(1.0416), money(49.152), money(2), money(0.123456)]).toEqual([
      "$0.1000",
      "$0.0856",
      "$0.01027",
      "$1.0416",
      "$49.1520",
      "$2.0000",
      "$0.123456", // a config price with 6 decimals
    ]);
    expect(money(0.1 + 0.2)).toBe("$0.3000000000 (rounded)"); // binary noise of a computed value
  });

  test("each environment says how old its prices are: the date of each block's data (asOf), or undated with the day it was read", () => {
    const c = estimate(prod);
    expect(c.priceDates).toEqual([
      { kind: "control plane", read: "2026-11-30" },
      { kind: "EC2 on-demand", asOf: "2026-10-01", read: "2026-11-30" },
      { kind: "Auto Mode fee", read: "2026-11-30" },
      { kind: "Auto Mode fee estimate", read: "2026-11-30" },
      { kind: "EBS gp3", asOf: "2026-09-10", read: "2026-11-30" },
    ]);
    const dates = "prices as of: control plane (undated; read 2026-11-30), EC2 on-demand 2026-10-01, Auto Mode fee (undated; read 2026-11-30), Auto Mode fee estimate (undated; read 2026-11-30), EBS gp3 2026-09-10";
    expect(renderCostTerminal([c]).split("\n")).toContain(`  ${dates}`);
    expect(renderCostMarkdown([c]).split("\n")).toContain(`- ${dates}`);
    // Prices from the environment's config are not the file's: their blocks are not dated.
    const own = estimate(withChange(prod, (e) => (e.cost = { gp3: { perGiBMonth: 0.1, perIopsMonthAbove3000: 0.01, perMiBsMonthAbove125: 0.05 } })));
    expect(own.priceDates.map((d) => d.kind)).toEqual(["control plane", "EC2 on-demand", "Auto Mode fee", "Auto Mode fee estimate"]);
  });
});

describe("docs/cost.md", () => {
  test("the review delta's examples are what the delta prints for the fixture prod with the shipped table", () => {
    const docs = readFileSync(join(__dirname, "../../docs/cost.md"), "utf8").replace(/\n\s*/g, " ");
    const file = loadPriceFile();
    const head = (mutate: (e: Draft) => void) => costDelta([parse(prod)], [parse(withChange(prod, mutate))], file, { from: FROM }).headline;
    const toAuto = head((e) => (e.cluster.compute = { mode: "auto" }));
    const newGroup = head((e) => (e.cluster.compute.nodeGroups.extra = { ...e.cluster.compute.nodeGroups.general, instanceTypes: ["m5.large"], minSize: 1, desiredSize: 1 }));
    const unpriced = head((e) => (e.cluster.compute.nodeGroups.general.instanceTypes = ["m5.large"]));
    expect(docs).toContain(`\`${toAuto}\``);
    expect(docs).toContain(`\`${newGroup.replace(/^cost: estimated monthly change /, "")}\``);
    expect(docs).toContain(`\`${unpriced}\``);
    // The switch's headline is the fee of the report's summary row.
    expect(docs).toContain(`| ${/ (\+\$[\d.,]+) /.exec(toAuto)![1]} fee on Auto Mode (estimated) |`);
  });

  test("its example report is a fresh run of the command it names, headings one level down, byte for byte", async () => {
    const docs = readFileSync(join(__dirname, "../../docs/cost.md"), "utf8");
    const command = "EKS_ENVIRONMENTS=test/fixtures/environments/index.ts npm run -s cost -- --from 2026-11-30 --markdown report.md";
    expect(docs).toContain(`\`${command}\`:`);
    const dir = mkdtempSync(join(tmpdir(), "eks-cost-docs-"));
    try {
      const report = join(dir, "report.md");
      const r = await runToolInProcess("cost", ["--from", "2026-11-30", "--markdown", report], { EKS_ENVIRONMENTS: join(__dirname, "../fixtures/environments/index.ts") });
      expect(r.code).toBe(0);
      const shown = docs.slice(docs.indexOf("\n### Cost estimate\n") + 1);
      expect(shown).toBe(readFileSync(report, "utf8").replace(/^(#+) /gm, "#$1 "));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("data/prices.json", () => {
  const file = loadPriceFile();

  test("every entry names its source, the day it was read and (except the control plane) its region", () => {
    for (const e of [...file.ec2OnDemand, ...file.autoModeFee, ...file.ebs]) {
      expect(e.region).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d$/); // us-gov-west-1 too
      expect(e.source).toMatch(/https:\/\//);
      expect(e.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(file.controlPlane.map((b) => [b.partition, b.source])).toEqual([["aws", expect.stringMatching(/^https:\/\/aws\.amazon\.com\/eks\/pricing\//)]]);
    expect(file.autoModeFeeEstimate!.source).toMatch(/^https:\/\//);
  });

  test("asOf, the date of the data, wherever the source states one: it says how old the prices are, however recent read is", () => {
    const asOf = (list: readonly { region: string; asOf?: string }[]) => list.map((e) => [e.region, e.asOf]);
    expect(asOf(file.ec2OnDemand)).toEqual([
      ["us-east-1", "2026-07-20"], // Karpenter's table, generated 2026-07-20 from the Price List API
      ["ap-northeast-1", "2025-11-04"], // the copy of the pricing-page data, fetched 2025-11-04
      ["eu-west-1", "2025-11-04"],
      ["eu-central-1", "2025-11-04"],
      ["ap-northeast-3", "2025-11-04"],
      ["us-gov-west-1", "2026-07-20"],
    ]);
    expect(asOf(file.autoModeFee)).toEqual([["ap-northeast-1", "2025-10-28"]]); // the EKS pricing-page data holding the seed's $0.01027
    expect(file.autoModeFeeEstimate!.asOf).toBe("2025-10-28");
    // us-east-1 gp3 and the control plane were read from pages that state no date: undated.
    expect(asOf(file.ebs)).toEqual([["us-east-1", undefined], ["ap-northeast-1", "2026-09-10"]]); // Price List publicationDate
    expect(file.controlPlane[0]!.asOf).toBeUndefined();
    for (const e of [...file.ec2OnDemand, ...file.autoModeFee, ...file.ebs]) {
      expect(e.source).toContain(e.asOf === undefined ? "" : e.asOf.slice(0, 7)); // the source names the data's date
    }
    // Through the model: the fixture prod in Tokyo with the shipped table.
    const c = estimateEnvironment(parse(prod), file, { from: FROM });
    expect(renderCostTerminal([c]).split("\n")).toContain(
      "  prices as of: control plane (undated; read 2026-11-30), EC2 on-demand 2025-11-04, Auto Mode fee estimate 2025-10-28, EBS gp3 2026-09-10",
    );
  });

  test("the published numbers: control plane, Tokyo's c6g.large and its Auto Mode fee (seed 002), us-east-1 on-demand and gp3", () => {
    expect([file.controlPlane[0]!.standardPerHour, file.controlPlane[0]!.extendedPerHour]).toEqual([0.1, 0.6]);
    const tokyo = file.ec2OnDemand.find((e) => e.region === TOKYO)!;
    expect(tokyo.perHour["c6g.large"]).toBe(0.0856);
    expect(file.autoModeFee.find((e) => e.region === TOKYO)!.perHour["c6g.large"]).toBe(0.01027);
    // The 12 % estimate is that published ratio: 0.01027 / 0.0856 = 0.11998.
    expect(file.autoModeFeeEstimate!.shareOfOnDemand).toBeCloseTo(0.01027 / 0.0856, 3);
    const use1 = file.ec2OnDemand.find((e) => e.region === "us-east-1")!.perHour;
    expect([use1["m7i.large"], use1["c7g.xlarge"], use1["m7g.large"], use1["t3.medium"], use1["g5.xlarge"]]).toEqual([0.1008, 0.145, 0.0816, 0.0416, 1.006]);
    expect(file.ebs.find((e) => e.region === "us-east-1")!.gp3).toEqual({ perGiBMonth: 0.08, perIopsMonthAbove3000: 0.005, perMiBsMonthAbove125: 0.04 });
  });

  test("Tokyo on-demand from AWS's pricing-page data (lamngockhuong/aws-price@508fb45): every listed type, m7i.large $0.1302", () => {
    const tokyo = file.ec2OnDemand.find((e) => e.region === TOKYO)!;
    expect(tokyo.source).toContain("lamngockhuong/aws-price/blob/508fb45296c89efe38772babd7ec766644629267/lib/data/pricing/ec2-transformed.json");
    expect([tokyo.perHour["m7i.large"], tokyo.perHour["c7g.xlarge"], tokyo.perHour["c6g.xlarge"], tokyo.perHour["t3.medium"], tokyo.perHour["g6.xlarge"]]).toEqual([0.1302, 0.1819, 0.1712, 0.0544, 1.1672]);
    // Every type with a vCPU count has a Tokyo price, so the examples' pools and node groups are priced.
    expect(Object.keys(file.instanceTypes.vcpus).filter((t) => tokyo.perHour[t] === undefined)).toEqual([]);
    // Through the model: the fixture prod's general node group, 3 × m7i.large.
    const c = estimateEnvironment(parse(prod), file, { from: FROM });
    expect(line(c, "node group general")!.detail).toBe("3 × m7i.large × 730 h × $0.1302");
    expect(line(c, "node group general")!.monthly).toBeCloseTo(3 * 730 * 0.1302, 9);
    expect(c.missing).toEqual([]);
  });

  test("Tokyo gp3 from the Price List API (SKUs named in the source): $0.096/GB-month, $0.006/IOPS-month, $49.152/GiBps-month = $0.048/MiBps-month", () => {
    const tokyo = file.ebs.find((e) => e.region === TOKYO)!;
    expect(tokyo.gp3).toEqual({ perGiBMonth: 0.096, perIopsMonthAbove3000: 0.006, perMiBsMonthAbove125: 0.048 });
    expect(49.152 / 1024).toBe(0.048);
    for (const sku of ["C8Y3GJZBQTH8T5JV", "7TFGMV47Q2PEQ9W7", "PCKHHBTPD7TEQ3K4"]) expect(tokyo.source).toContain(sku);
    // What we checked and what we did not: not checked against AWS; exactly 1.2 × us-east-1 (which the source says); how to verify.
    expect(tokyo.source).toMatch(/^NOT checked against AWS by us .*third-party cost script .*cannot name or link it/);
    expect(tokyo.source).toContain("The three values are exactly 1.2 × the us-east-1 gp3 prices in this file (0.08, 0.005, 0.04 per month), which is all we checked.");
    const use1 = file.ebs.find((e) => e.region === "us-east-1")!.gp3!;
    expect(Object.values(use1).map((v) => Number((v * 1.2).toFixed(6)))).toEqual(Object.values(tokyo.gp3!));
    expect(tokyo.source).toContain("To verify them (needs AWS credentials; docs/cost.md shows the whole command and the expected output): aws pricing get-products --region us-east-1");
    // The fixture prod's volume: 500 GiB, 6,000 IOPS, 250 MiB/s.
    const c = estimateEnvironment(parse(prod), file, { from: FROM });
    expect(line(c, "volume loki-data")!.monthly).toBeCloseTo(500 * 0.096 + 3000 * 0.006 + 125 * 0.048, 9); // 48 + 18 + 6
  });

  test("the examples' other regions: eu-west-1, eu-central-1, ap-northeast-3 from AWS's pricing-page data, us-gov-west-1 from the Price List API (Karpenter); each lacks only what its source lacks; no gp3 without a source", () => {
    const ec2 = (region: string) => file.ec2OnDemand.find((e) => e.region === region)!;
    const pageData = "lamngockhuong/aws-price/blob/508fb45296c89efe38772babd7ec766644629267/lib/data/pricing/ec2-transformed.json";
    for (const r of ["eu-west-1", "eu-central-1", "ap-northeast-3"]) expect([r, ec2(r).source]).toEqual([r, expect.stringContaining(pageData)]);
    expect(ec2("us-gov-west-1").source).toContain("karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws_us_gov.go");
    // The types each source has no price for (GPU families not offered there when it was read).
    const unpriced = (region: string) => Object.keys(file.instanceTypes.vcpus).filter((t) => ec2(region).perHour[t] === undefined);
    expect(unpriced("eu-west-1")).toEqual(["g6.xlarge", "g6.2xlarge", "g6.4xlarge"]);
    expect(unpriced("eu-central-1")).toEqual([]);
    expect(unpriced("ap-northeast-3")).toEqual(["g5.xlarge", "g5.2xlarge", "g5.4xlarge", "g6.xlarge", "g6.2xlarge", "g6.4xlarge"]);
    expect(unpriced("us-gov-west-1")).toEqual(["g5.xlarge", "g5.2xlarge", "g5.4xlarge"]);
    expect([ec2("eu-west-1").perHour["m7i.large"], ec2("eu-central-1").perHour["m7i.large"], ec2("ap-northeast-3").perHour["m7i.large"], ec2("us-gov-west-1").perHour["m6i.large"]]).toEqual([0.11235, 0.12075, 0.1302, 0.121]);
    // Through the model: the fixture prod in Osaka is priced except its gp3 volumes, which stay a stated gap.
    const osaka = estimateEnvironment(parse(withChange(prod, (e) => void (e.account.region = "ap-northeast-3"))), file, { from: FROM });
    expect(line(osaka, "node group general")!.detail).toBe("3 × m7i.large × 730 h × $0.1302");
    expect([...new Set(osaka.missing.map(missingMessage))]).toEqual(["no price for EBS gp3 in ap-northeast-3; add it to data/prices.json (or prod's cost.gp3)"]);
  });

  test("every priced instance type has its vCPU count, and the families parse", () => {
    const types = new Set(file.ec2OnDemand.flatMap((e) => Object.keys(e.perHour)));
    for (const t of types) {
      expect([t, typeof file.instanceTypes.vcpus[t]]).toEqual([t, "number"]);
      expect(parseInstanceType(t)).toBeDefined();
    }
    expect(parseInstanceType("c7gn.xlarge")).toEqual({ family: "c7gn", category: "c", generation: 7, arch: "arm64" });
    expect(parseInstanceType("g5.xlarge")).toEqual({ family: "g5", category: "g", generation: 5, arch: "amd64" });
  });
});

// ---- review fixes: the table is checked, unused config prices, partitions, spot pool rows, other EBS types ----

/** The problems parsePriceFile names, one line each ([] for a valid table). */
function tableProblems(file: unknown, name = "data/prices.json"): readonly string[] {
  try {
    parsePriceFile(file, name);
    return [];
  } catch (e) {
    if (e instanceof PriceFileError) return e.problems;
    throw e;
  }
}

describe("data/prices.json is checked when it is loaded: every problem at once, one line each; the tool exits 2 without a stack trace", () => {
  test("a zero, a negative and a string price, a day that does not exist, an unknown field: each named with its block and the fix", () => {
    const bad: Draft = structuredClone(PRICES);
    bad.ec2OnDemand[0].perHour["m7i.large"] = 0; // was priced as $0.00 "published"
    bad.ebs[0].gp3.perGiBMonth = -0.08; // was negative money
    bad.autoModeFee[0].perHour["m7i.large"] = "0.012"; // was a TypeError (n.toFixed is not a function)
    bad.ec2OnDemand[0].asOf = "2026-02-30";
    bad.controlPlane[0].regions = "all commercial regions";
    expect(tableProblems(bad)).toEqual([
      "data/prices.json: controlPlane[aws].regions: unknown field (check the spelling against the shipped data/prices.json and docs/cost.md)",
      'data/prices.json: ec2OnDemand[ap-northeast-1].asOf: "2026-02-30" is not a date (give the date of the source\'s data as YYYY-MM-DD, a day that exists)',
      'data/prices.json: ec2OnDemand[ap-northeast-1].perHour["m7i.large"]: 0 is not a positive price (give the price in USD per instance hour, on-demand, greater than 0; leave out a price nobody knows, and the estimate names it as missing)',
      'data/prices.json: autoModeFee[ap-northeast-1].perHour["m7i.large"]: "0.012" is not a price (give a number in USD per instance hour (the Auto Mode fee), for example 0.1008, not a string)',
      "data/prices.json: ebs[ap-northeast-1].gp3.perGiBMonth: -0.08 is not a positive price (give the price in USD per GB-month of gp3 storage, greater than 0; leave out a price nobody knows, and the estimate names it as missing)",
    ]);
  });

  test("a table without its blocks names each (before: 'Cannot destructure property standardPerHour' from the estimate)", () => {
    expect(tableProblems({ hoursPerMonth: 730 }, "prices.json")).toEqual([
      "prices.json: controlPlane: is required (give one block per partition: [{ partition, standardPerHour, extendedPerHour, source, read }])",
      "prices.json: ec2OnDemand: is required (add a list; see the shipped data/prices.json)",
      "prices.json: autoModeFee: is required (add a list; see the shipped data/prices.json)",
      "prices.json: ebs: is required (add a list; see the shipped data/prices.json)",
      "prices.json: instanceTypes: is required (add an object; see the shipped data/prices.json)",
    ]);
  });

  test("partitions, currencies and duplicates: fees of a partition that bills in CNY, a second aws block, a type priced twice in one region", () => {
    const bad: Draft = structuredClone(PRICES);
    bad.controlPlane.push({ ...bad.controlPlane[0], partition: "aws-cn" }, { ...bad.controlPlane[0] });
    bad.ec2OnDemand.push({ ...bad.ec2OnDemand[0], perHour: { "m7i.large": 0.11 } }, { ...bad.ec2OnDemand[0], region: "cn-north-1" });
    expect(tableProblems(bad)).toEqual([
      'data/prices.json: controlPlane[aws-cn].partition: "aws-cn" bills in CNY and this table is in USD (remove the block; the estimate does not price aws-cn)',
      "data/prices.json: controlPlane[2]: a second block for partition aws (keep one: the estimate would read only the first)",
      'data/prices.json: ec2OnDemand[cn-north-1].region: "cn-north-1": AWS China (partition aws-cn) bills in CNY; this estimate is in USD and does not price it (remove the block)',
      "data/prices.json: ec2OnDemand[1].perHour[\"m7i.large\"]: m7i.large is priced in an earlier ap-northeast-1 block too (keep one price: the estimate would use the first)",
    ]);
  });

  test("the checks across blocks run even when a block fails the schema; a repeated block is one problem (before: 3 problems, then 82 more once fixed)", () => {
    const bad: Draft = structuredClone(PRICES);
    bad.ec2OnDemand[0].perHour["m6i.large"] = 0.11;
    bad.ec2OnDemand.push({ ...bad.ec2OnDemand[0], region: "us-moon-1", perHour: { "NOT A TYPE": 0.1 } }, { ...bad.ec2OnDemand[0] }, { ...bad.ec2OnDemand[0], perHour: { "m7i.large": 0.1, "c5.large": 0.1 } });
    bad.ebs[0].st1 = { perGiBMonth: 0.05, perIopsMonth: 0.1 };
    bad.controlPlane.push({ ...bad.controlPlane[0] });
    bad.extra = 1;
    expect(tableProblems(bad)).toEqual([
      'data/prices.json: ec2OnDemand[us-moon-1].region: "us-moon-1" is not an AWS region (give the region code, for example "ap-northeast-1")',
      'data/prices.json: ec2OnDemand[us-moon-1].perHour["NOT A TYPE"]: "NOT A TYPE" is not an EC2 instance type (for example "m7i.large")',
      "data/prices.json: ebs[ap-northeast-1].st1.perIopsMonth: unknown field (check the spelling against the shipped data/prices.json and docs/cost.md)",
      "data/prices.json: extra: unknown field (check the spelling against the shipped data/prices.json and docs/cost.md)",
      "data/prices.json: controlPlane[1]: a second block for partition aws (keep one: the estimate would read only the first)",
      "data/prices.json: ec2OnDemand[2]: repeats an earlier ap-northeast-1 block: all its 4 prices (m7i.large, c7g.xlarge, c6g.xlarge and 1 more) are priced there too (remove this block: the estimate would use the first)",
      'data/prices.json: ec2OnDemand[3].perHour["m7i.large"]: m7i.large is priced in an earlier ap-northeast-1 block too (keep one price: the estimate would use the first)',
    ]);
  });

  test("null is not a price without 'not a string'; a string still is", () => {
    const bad: Draft = structuredClone(PRICES);
    bad.ebs[0].gp3.perGiBMonth = null;
    bad.ec2OnDemand[0].perHour["m7i.large"] = "0.1";
    expect(tableProblems(bad)).toEqual([
      'data/prices.json: ec2OnDemand[ap-northeast-1].perHour["m7i.large"]: "0.1" is not a price (give a number in USD per instance hour, on-demand, for example 0.1008, not a string)',
      "data/prices.json: ebs[ap-northeast-1].gp3.perGiBMonth: null is not a price (give a number in USD per GB-month of gp3 storage, for example 0.1008)",
    ]);
  });

  test("the shipped table passes its own check", () => {
    expect(() => loadPriceFile()).not.toThrow();
    expect(tableProblems(JSON.parse(readFileSync(join(__dirname, "../../data/prices.json"), "utf8")))).toEqual([]);
  });

  test("npm run -s cost --prices with a zero price, with no blocks: exit 2, every problem on stderr, no stack trace, nothing estimated", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-cost-table-"));
    try {
      const zero = join(dir, "zero.json");
      writeFileSync(zero, JSON.stringify({ ...PRICES, ec2OnDemand: [{ ...PRICES.ec2OnDemand[0]!, perHour: { ...PRICES.ec2OnDemand[0]!.perHour, "m7i.large": 0 } }] }));
      const env = { EKS_ENVIRONMENTS: join(__dirname, "../fixtures/environments/index.ts") };
      const r = await runToolInProcess("cost", ["--from", FROM, "--prices", zero], env);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toBe(
        `cost: 1 problem in the price table ${zero}:\n  ${zero}: ec2OnDemand[ap-northeast-1].perHour["m7i.large"]: 0 is not a positive price (give the price in USD per instance hour, on-demand, greater than 0; leave out a price nobody knows, and the estimate names it as missing)\n`,
      );
      const empty = join(dir, "empty.json");
      writeFileSync(empty, JSON.stringify({ hoursPerMonth: 730 }));
      const e = await runToolInProcess("cost", ["--from", FROM, "--prices", empty], env);
      expect([e.code, e.stdout]).toEqual([2, ""]);
      expect(e.stderr.split("\n")[0]).toBe(`cost: 5 problems in the price table ${empty}:`);
      expect(e.stderr).not.toMatch(/unexpected error|TypeError|    at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a price table that cannot be read: the cause, then the fix in brackets (before: the cause where the fix belongs)", async () => {
    const missing = join(tmpdir(), "eks-cost-no-such-table.json");
    const r = await runToolInProcess("cost", ["--from", FROM, "--prices", missing], { EKS_ENVIRONMENTS: join(__dirname, "../fixtures/environments/index.ts") });
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(`cost: ${missing}: cannot read the price table: no such file (give --prices the path of a price table laid out like data/prices.json, or leave --prices out for the shipped one)\n`);
  });

  test("--from a day that does not exist (2026-02-30, which Date.parse takes as 2026-03-02) is a usage error, exit 2", async () => {
    const r = await runToolInProcess("cost", ["--from", "2026-02-30"], { EKS_ENVIRONMENTS: join(__dirname, "../fixtures/environments/index.ts") });
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr.split("\n")[0]).toBe('cost: --from "2026-02-30": expected a date as YYYY-MM-DD (2026-02-30 is not a day of the calendar)');
  });
});

describe("prices in the environment's cost section that nothing uses are notes, not silence", () => {
  test("a typo'd type and a type no group or pool has: a note each, with the fix; the total and exit code unchanged", () => {
    const c = estimate(withChange(prod, (e) => (e.cost = { ec2PerHour: { "m7i.lrage": 0.2, "zz9.large": 0.5 } })));
    expect(c.configNotes).toEqual([
      // m7i could be a batch pool type, but the table has no vCPU count for it: unused either way.
      'cost.ec2PerHour["m7i.lrage"]: no node group or pool uses this type (check the spelling; if it is right, add "m7i.lrage": <its vCPU count> under instanceTypes.vcpus in data/prices.json so that pools can use it)',
      'cost.ec2PerHour["zz9.large"]: no node group or pool uses this type (check the spelling)',
    ]);
    expect([c.complete, c.missing, c.monthlyTotal]).toEqual([true, [], estimate(prod).monthlyTotal]);
    expect(renderCostTerminal([c]).split("\n").slice(-4, -2)).toEqual([
      'prod: note: cost.ec2PerHour["m7i.lrage"]: no node group or pool uses this type (check the spelling; if it is right, add "m7i.lrage": <its vCPU count> under instanceTypes.vcpus in data/prices.json so that pools can use it)',
      'prod: note: cost.ec2PerHour["zz9.large"]: no node group or pool uses this type (check the spelling)',
    ]);
    expect(renderCostMarkdown([c])).toContain(
      "Prices in the environment's cost section (notes):\n\n- cost.ec2PerHour[\"m7i.lrage\"]: no node group or pool uses this type (check the spelling;",
    );
  });

  test("prices that are used give no note: a node group's first or other listed type, a pool's type, a fee; an unused EBS price does", () => {
    const used = estimate(withChange(prod, (e) => (e.cost = { ec2PerHour: { "m7i.large": 0.2, "c6g.xlarge": 0.17, "c7g.xlarge": 0.19 }, autoModeFeePerHour: { "c7g.xlarge": 0.03 } })));
    expect(used.configNotes).toEqual([]);
    const io1 = estimate(withChange(prod, (e) => (e.cost = { ebs: { io1: { perGiBMonth: 0.125, perIopsMonth: 0.065 } } })));
    expect(io1.configNotes).toEqual(["cost.ebs.io1: no volume is of type io1 (check the type, or remove the price)"]);
  });

  test("a type without a vCPU count in the table: its node group is priced, the pools that may launch it cannot be (a note says how to add the count)", () => {
    // The test table has vCPU counts for m7i.large, c7g.xlarge and c6g.xlarge only.
    const c = estimate(withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.general.instanceTypes = ["m7i.2xlarge"];
      e.cost = { ec2PerHour: { "m7i.2xlarge": 0.4 } };
    }));
    expect(line(c, "node group general")!.monthly).toBeCloseTo(3 * 730 * 0.4, 6);
    expect(c.units.map((u) => u.instanceType)).not.toContain("m7i.2xlarge");
    expect(c.configNotes).toEqual([
      'cost.ec2PerHour["m7i.2xlarge"]: pool batch cannot be priced with m7i.2xlarge: data/prices.json has no vCPU count for it (add "m7i.2xlarge": <its vCPU count> under instanceTypes.vcpus in data/prices.json)',
    ]);
  });
});

describe("the control plane is priced for the partition its fees are sourced for", () => {
  test("GovCloud: no price from the commercial block (before: $73.00 'published'); a GovCloud block or the config prices it", () => {
    const gov = withChange(prod, (e) => void (e.account.region = "us-gov-west-1"));
    const c = estimate(gov);
    expect(line(c, "control plane")!.monthly).toBeUndefined();
    expect(c.missing.map(missingMessage)[0]).toBe(
      "no price for the control plane in us-gov-west-1 (the table's control-plane fees are for partition aws, not aws-us-gov); add it to data/prices.json (a controlPlane block for partition aws-us-gov) or prod's cost.controlPlane",
    );
    const withBlock: PriceFile = { ...PRICES, controlPlane: [...PRICES.controlPlane, { partition: "aws-us-gov", standardPerHour: 0.1, extendedPerHour: 0.6, source: "test", read: "2026-11-30" }] };
    expect(line(estimate(gov, withBlock), "control plane")!.monthly).toBeCloseTo(73, 6);
    const own = estimate(withChange(gov, (e) => (e.cost = { controlPlane: { standardPerHour: 0.12, extendedPerHour: 0.7 } })));
    expect([line(own, "control plane")!.monthly, line(own, "control plane")!.basis]).toEqual([expect.closeTo(87.6, 6), "config"]);
    // The commercial regions keep the table's fees; the shipped table prices no GovCloud control plane.
    expect(line(estimate(prod), "control plane")!.monthly).toBeCloseTo(73, 6);
    const shipped = estimateEnvironment(parse(gov), loadPriceFile(), { from: FROM });
    expect(shipped.missing.map(missingMessage)).toContain(
      "no price for the control plane in us-gov-west-1 (the table's control-plane fees are for partition aws, not aws-us-gov); add it to data/prices.json (a controlPlane block for partition aws-us-gov) or prod's cost.controlPlane",
    );
  });

  test("AWS China bills in CNY: never a USD price, whatever the config states (a note says it is not used)", () => {
    const cn = withChange(prod, (e) => {
      e.account.region = "cn-north-1";
      e.cost = { controlPlane: { standardPerHour: 0.1, extendedPerHour: 0.6 } };
    });
    const c = estimate(cn);
    expect(c.missing.map(missingMessage)[0]).toBe("no price for the control plane in cn-north-1 (AWS China (partition aws-cn) bills in CNY; this estimate is in USD and does not price it)");
    expect(c.configNotes).toEqual(["cost.controlPlane: not used in cn-north-1: AWS China (partition aws-cn) bills in CNY; this estimate is in USD and does not price it (remove it)"]);
  });

  test("AWS China and the European Sovereign Cloud: no config price is used, EC2 and EBS included (before: summed as USD beside an unpriced control plane); a note names each", () => {
    for (const [region, why] of [
      ["cn-north-1", "AWS China (partition aws-cn) bills in CNY; this estimate is in USD and does not price it"],
      ["eusc-de-east-1", "the AWS European Sovereign Cloud (partition aws-eusc) bills in EUR; this estimate is in USD and does not price it"],
    ] as const) {
      const c = estimate(withChange(prod, (e) => {
        e.account.region = region;
        e.volumes["loki-data"].type = "io1";
        e.volumes["loki-data"].iops = 3000;
        e.cost = { ec2PerHour: { "m7i.large": 0.1, "c7g.xlarge": 0.2 }, gp3: PRICES.ebs[0]!.gp3, ebs: { io1: { perGiBMonth: 0.1, perIopsMonth: 0.1 } } };
      }));
      expect(c.lines.filter((l) => l.monthly !== undefined && l.monthly > 0)).toEqual([]);
      expect(c.lines.filter((l) => l.basis === "config")).toEqual([]);
      expect(c.missing.map(missingMessage)).toEqual(
        ["the control plane", "m7i.large", "EBS gp3", "c7g.xlarge", "EBS io1"].map((what) => `no price for ${what} in ${region} (${why})`),
      );
      expect(c.configNotes).toEqual(["ec2PerHour", "gp3", "ebs"].map((f) => `cost.${f}: not used in ${region}: ${why} (remove it)`));
    }
  });
});

describe("spot pool capacity is labelled as what it is priced at", () => {
  const spotOnly = withChange(dev, (e) => void ((e.nodePools ?? e.cluster.compute.nodePools).batch.capacityTypes = ["spot"]));

  test("a spot-only pool without a stated discount: 'spot (at on-demand: upper bound)' (before: 'spot' at the on-demand price), in the terminal and in Markdown", () => {
    const c = estimate(spotOnly);
    expect(c.units.filter((u) => u.pool === "batch").map((u) => [u.family, u.capacityType, u.ec2Per100VcpuHours])).toEqual([
      ["c6g", "spot (at on-demand: upper bound)", 4.5],
      ["c7g", "spot (at on-demand: upper bound)", 5],
    ]);
    expect(renderCostTerminal([c])).toMatch(/\n {4}batch +c6g \(xlarge\) +spot \(at on-demand: upper bound\) +\$4\.50 /);
    expect(renderCostMarkdown([c])).toContain("| batch | c6g (xlarge) | spot (at on-demand: upper bound) | $4.50 | $0.54 (est.) | $5.04 | fee paid |");
  });

  test("with cost.spotDiscount the spot rows are discounted and say so; the fee is not", () => {
    const c = estimate(withChange(spotOnly, (e) => (e.cost = { spotDiscount: 0.6 })));
    expect(renderCostMarkdown([c])).toContain("| batch | c6g (xlarge) | spot (0.6 stated discount) | $1.80 | $0.54 (est.) | $2.34 | fee paid |");
  });

  test("pool rows show the size priced (families are priced at the smallest size each pool allows), and that node storage is not in them", () => {
    const c = estimate(dev);
    // system allows m7i.large (2 vCPUs), batch only 4-16 vCPUs: the sizes differ, and the rows say which.
    expect(c.units.filter((u) => u.family === "m7i").map((u) => [u.pool, u.instanceType])).toEqual([
      ["general-purpose", "m7i.large"],
      ["system", "m7i.large"],
    ]);
    const terminal = renderCostTerminal([c]).split("\n");
    expect(terminal).toContain("    Instance hours only: the nodes' storage (EBS root or ephemeral volumes) is not in these prices.");
    expect(renderCostMarkdown([c])).toContain("| batch | c7g (xlarge) | spot (at on-demand: upper bound), on-demand | $5.00 | $0.60 (est.) | $5.60 | fee paid |\n\nInstance hours only: the nodes' storage (EBS root or ephemeral volumes) is not in these prices.\n");
  });
});

describe("gp2, io1, io2, st1 and sc1 volumes are priced when a price is given (before: never, whatever was added)", () => {
  const io2 = withChange(prod, (e) => {
    Object.assign(e.volumes["loki-data"], { type: "io2", iops: 40000 });
    delete e.volumes["loki-data"].throughputMiBs;
  });

  test("no price: the message names the config field and the table (before: 'the estimate prices gp3 only')", () => {
    expect(estimate(io2).missing.map(missingMessage)).toEqual(["no price for EBS io2 in ap-northeast-1; add it to data/prices.json (or prod's cost.ebs.io2)"]);
    // The shipped table has none (no source found): the same message.
    expect(estimateEnvironment(parse(io2), loadPriceFile(), { from: FROM }).missing.map(missingMessage)).toEqual(["no price for EBS io2 in ap-northeast-1; add it to data/prices.json (or prod's cost.ebs.io2)"]);
  });

  test("io2: storage and provisioned IOPS in tiers per volume (up to 32,000, then 32,001-64,000); a tier the volume needs and nobody priced is missing", () => {
    const priced = estimate(withChange(io2, (e) => (e.cost = { ebs: { io2: { perGiBMonth: 0.125, perIopsMonth: 0.065, perIopsMonthAbove32000: 0.0455 } } })));
    const v = line(priced, "volume loki-data")!;
    expect(v.detail).toBe("io2: 500 GiB × $0.1250 + 32,000 IOPS up to 32,000 × $0.0650 + 8,000 IOPS from 32,001 to 64,000 × $0.0455");
    expect([v.monthly, v.basis]).toEqual([expect.closeTo(500 * 0.125 + 32000 * 0.065 + 8000 * 0.0455, 6), "config"]); // 62.5 + 2080 + 364
    const noTier = estimate(withChange(io2, (e) => (e.cost = { ebs: { io2: { perGiBMonth: 0.125, perIopsMonth: 0.065 } } })));
    expect(noTier.missing.map(missingMessage)).toEqual(["no price for EBS io2 IOPS from 32,001 to 64,000 (perIopsMonthAbove32000) in ap-northeast-1; add it to data/prices.json (or prod's cost.ebs.io2)"]);
  });

  test("io1 from a table block (storage + every provisioned IOPS), st1 from config (storage only)", () => {
    const io1 = withChange(prod, (e) => {
      Object.assign(e.volumes["loki-data"], { type: "io1", iops: 6000 });
      delete e.volumes["loki-data"].throughputMiBs;
    });
    const table: PriceFile = { ...PRICES, ebs: [{ ...PRICES.ebs[0]!, io1: { perGiBMonth: 0.125, perIopsMonth: 0.065 } }] };
    const c = estimate(io1, table);
    expect([line(c, "volume loki-data")!.detail, line(c, "volume loki-data")!.monthly, line(c, "volume loki-data")!.basis]).toEqual([
      "io1: 500 GiB × $0.1250 + 6,000 IOPS × $0.0650",
      expect.closeTo(62.5 + 390, 6),
      "published",
    ]);
    expect(c.priceDates.map((d) => d.kind)).toContain("EBS io1");
    const st1 = withChange(prod, (e) => {
      Object.assign(e.volumes["loki-data"], { type: "st1" });
      delete e.volumes["loki-data"].iops;
      delete e.volumes["loki-data"].throughputMiBs;
    });
    expect(line(estimate(withChange(st1, (e) => (e.cost = { ebs: { st1: { perGiBMonth: 0.045 } } }))), "volume loki-data")!.monthly).toBeCloseTo(22.5, 6);
  });
});

describe("nits: the end of extended support, unverified table blocks", () => {
  test("past the end of extended support EKS upgrades the cluster; the note says so (before: $0.60 an hour, no note)", () => {
    const v133 = withChange(prod, (e) => Object.assign(e.cluster, { kubernetesVersion: "1.33", upgradeSupportType: "EXTENDED" }));
    const c = estimate(v133, PRICES, "2028-06-01");
    expect(line(c, "control plane")!.monthly).toBeCloseTo(438, 6);
    expect(c.notes).toEqual([
      "control plane: 1.33 leaves extended support after 2027-07-29; EKS then upgrades the cluster to the oldest version in extended support, priced here at the extended rate as well (upgrade cluster.kubernetesVersion before then)",
    ]);
    expect(estimate(v133, PRICES, "2026-11-30").notes).toEqual([]);
  });

  test("a block marked unverified (Tokyo gp3: not checked against AWS by us) gives its rows the basis 'table (unverified)', not 'published'", () => {
    const table: PriceFile = { ...PRICES, ebs: [{ ...PRICES.ebs[0]!, unverified: true }] };
    const c = estimate(prod, table);
    expect(line(c, "volume loki-data")!.basis).toBe("unverified");
    expect(renderCostMarkdown([c])).toContain("| volume loki-data | $60.00 | table (unverified) | gp3: 500 GiB × $0.0800");
    expect(renderCostTerminal([c])).toMatch(/\n {2}node group general root volumes +\$12\.00 {2}table \(unverified\) /);
    const shipped = loadPriceFile();
    expect(shipped.ebs.map((b) => [b.region, b.unverified ?? false])).toEqual([
      ["us-east-1", false],
      ["ap-northeast-1", true],
    ]);
    expect(line(estimateEnvironment(parse(prod), shipped, { from: FROM }), "volume loki-data")!.basis).toBe("unverified");
  });
});
