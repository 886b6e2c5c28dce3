/**
 * Benchmark of synth and of the checks (issue "Speed"): a Markdown table of wall time and peak
 * RSS, median and spread (min–max) over several runs, with the machine it ran on.
 *
 * Options: see --help (npm run bench -- --help).
 *
 * Every synth runs the command of cdktf.json's "app" (as `cdktf synth` does) in a fresh process,
 * after one unmeasured warm-up run, so the figures are those of a repeat synth (bundle and code
 * cache in place); the "first run after a change" row shows the rebuild. Wall time includes Node's
 * start-up. Other load on the machine shows as spread: compare the minimum when the load was high.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { environments as examples } from "../stacks/environments";
import { helpText, integerOption, parseCli, reportFailure, type CliArgs, type CliOption, type CliSpec } from "./lib/cli";
import { generateEnvironments } from "./lib/bench/generate-environments";
import { formatSpread, spread, timeCommand, type Sample } from "./lib/bench/measure";
import { preparePeer } from "./lib/bench/peer";

const ROOT = resolve(__dirname, "..");

interface Row {
  readonly label: string;
  readonly samples: readonly Sample[];
  /** Peak RSS column: the synth process's, the largest process's (a CLI that runs ours), or none. */
  readonly rss: "synth" | "largest" | "none";
  readonly target?: { readonly wall?: number; readonly rss?: number };
  readonly note?: string;
}

const spec = {
  name: "bench",
  command: "npm run bench --",
  summary: `Measures synth and the checks: a Markdown table (stdout) of wall time and peak RSS, median and spread
over several runs, with the machine it ran on. Progress on stderr.`,
  options: {
    runs: { type: "string", value: "N", default: "5", description: "measured runs per row (after one warm-up)" },
    quick: { type: "boolean", description: "app synth rows only (examples, 10 and 50 environments)" },
    "no-peer": { type: "boolean", description: "skip the AWS CDK peer app (bench/peer; installed into .cache/peer on first use)" },
  },
  notes: `The full run takes about 3 min on 2 cores (npm test twice), plus ~10 s and ~190 MB the first time to install the
AWS CDK peer (aws-cdk-lib, pinned in bench/peer/package-lock.json) into .cache/peer; offline, its row says why it is missing.
Exit 0 every row ran, 1 a measured command failed, 2 usage error.`,
} as const satisfies CliSpec<Record<string, CliOption>>;
let values: CliArgs<typeof spec.options>["values"];
try {
  values = parseCli(spec, process.argv.slice(2)).values;
  if (values.help) {
    process.stdout.write(helpText(spec));
    process.exit(0);
  }
} catch (e) {
  process.exit(reportFailure(spec.name, helpText(spec), e));
}
let RUNS = 0;
try {
  RUNS = integerOption("runs", values.runs ?? "5", 1);
} catch (e) {
  process.exit(reportFailure(spec.name, helpText(spec), e));
}

const work = mkdtempSync(join(tmpdir(), "eks-bench-"));
const appCommand: string[] = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.trim().split(/\s+/);
const baseEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
delete baseEnv.EKS_ENVIRONMENTS;
delete baseEnv.CDKTF_OUTDIR;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

/** `runs` measured runs (after `warmup` unmeasured ones); stops at the first failure. */
function measure(label: string, command: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; runs?: number; warmup?: number }): Sample[] {
  const runs = opts.runs ?? RUNS;
  progress(`${label}: ${opts.warmup ? `${opts.warmup} warm-up + ` : ""}${runs} run(s) of \`${command.join(" ")}\``);
  const run = () => timeCommand(command, { cwd: opts.cwd ?? ROOT, env: opts.env ?? baseEnv });
  for (let i = 0; i < (opts.warmup ?? 0); i++) {
    const w = run();
    if (w.status !== 0) return [w];
  }
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const s = run();
    samples.push(s);
    if (s.status !== 0) break;
  }
  return samples;
}

/** The app command with an outdir (and optionally an environments file). */
function synthRow(label: string, outdir: string, envFile?: string): Sample[] {
  const env = { ...baseEnv, CDKTF_OUTDIR: outdir, ...(envFile ? { EKS_ENVIRONMENTS: envFile } : {}) };
  return measure(label, appCommand, { env, warmup: 1 });
}

function stackCount(outdir: string): number {
  const manifest = join(outdir, "manifest.json");
  return existsSync(manifest) ? Object.keys((JSON.parse(readFileSync(manifest, "utf8")) as { stacks: object }).stacks).length : 0;
}

/** A copy of the repository without node_modules (linked), .git, test/, outputs and caches: a fresh checkout. */
function freshCopy(): string {
  const copy = join(work, "fresh");
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !/[\\/](node_modules|cdktf\.out|\.git|test|\.cache|coverage)$/.test(src) });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  return copy;
}

const rows: Row[] = [];
const loadBefore = loadavg();
const started = Date.now();
try {
  const examplesOut = join(work, "out-examples");
  const exampleSamples = synthRow("examples", examplesOut);
  rows.push({
    label: `app synth, ${examples.length} example environments, ${stackCount(examplesOut)} stacks (\`${appCommand.join(" ")}\`)`,
    samples: exampleSamples,
    rss: "synth",
    target: { wall: 0.3, rss: 150 },
  });

  // The README's main command, `npm run synth` (node tools/run.cjs synth: the tool and the app in one process).
  const mainSamples = measure("main command", ["node", "tools/run.cjs", "synth", "--output", join(work, "out-main")], { warmup: 1 });
  rows.push({ label: "main command without npm: `node tools/run.cjs synth` (what `npm run synth` runs)", samples: mainSamples, rss: "synth" });
  rows.push({ label: "main command: `npm run -s synth`", samples: measure("npm run synth", ["npm", "run", "-s", "synth", "--", "--output", join(work, "out-npm")], { warmup: 1 }), rss: "largest" });
  rows.push({
    label: "app synth with EKS_SYNTH_NO_PATCHES=1 (cdktf unpatched in the bundle: the patches' gain)",
    samples: measure("examples, no patches", appCommand, { env: { ...baseEnv, EKS_SYNTH_NO_PATCHES: "1", CDKTF_OUTDIR: join(work, "out-nopatch") }, warmup: 1 }),
    rss: "synth",
  });

  if (!values.quick) {
    const copy = freshCopy();
    const coldEnv = { ...baseEnv, CDKTF_OUTDIR: join(work, "out-cold") };
    rows.push({
      label: "app synth, examples, first run after a change (bundle rebuilt)",
      samples: measure("first run", appCommand, { cwd: copy, env: coldEnv, runs: 1 }),
      rss: "synth",
      note: "1 run",
    });
    rows.push({
      label: "reference: `node --import tsx main.ts` (the app before)",
      samples: measure("tsx", ["node", "--import", "tsx", "main.ts"], { env: { ...baseEnv, CDKTF_OUTDIR: join(work, "out-tsx") }, warmup: 1 }),
      rss: "synth",
    });
    rows.push({
      label: "`cdktf synth` (CLI, end to end)",
      samples: measure("cdktf synth", [join(ROOT, "node_modules/.bin/cdktf"), "synth", "--output", join(work, "out-cli")], { env: { ...baseEnv, CI: "1" }, warmup: 1 }),
      rss: "largest",
    });
  }

  // The AWS CDK peer: the same environments as an aws-eks-v2 app (bench/peer/app.ts), its own synth.
  // Like for like with CDK_VALIDATION=false: aws-cdk-lib validates every CloudFormation template
  // at synth by default (~80 % of its time), which our synth leaves to policy and terraform-check.
  // The switch: aws-cdk-lib's README, "Validation" (.cache/peer/node_modules/aws-cdk-lib/README.md;
  // https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/README.md).
  // The default is measured too, on its own row; the user's CDK_VALIDATION never decides.
  let peerSamples: Sample[] | undefined;
  let peerMissing: string | undefined;
  if (!values.quick && !values["no-peer"]) {
    const peer = preparePeer(ROOT, progress);
    if ("unavailable" in peer) peerMissing = peer.unavailable;
    else {
      const peerEnv = (validation: boolean): NodeJS.ProcessEnv => {
        const env: NodeJS.ProcessEnv = { ...baseEnv, CDK_OUTDIR: join(work, validation ? "out-peer-validated" : "out-peer") };
        delete env.CDK_VALIDATION;
        return validation ? env : { ...env, CDK_VALIDATION: "false" };
      };
      peerSamples = measure("AWS CDK peer", peer.command, { env: peerEnv(false), warmup: 1 });
      rows.push({ label: `AWS CDK peer app: the same ${examples.length} environments with ${peer.version} aws-eks-v2 (bench/peer/app.ts), CDK_VALIDATION=false`, samples: peerSamples, rss: "synth" });
      rows.push({
        label: "same, aws-cdk-lib's defaults (its CloudFormation template validation on)",
        samples: measure("AWS CDK peer, validation on", peer.command, { env: peerEnv(true), warmup: 1 }),
        rss: "synth",
      });
    }
  }

  const generated: Record<number, { samples: Sample[]; stacks: number }> = {};
  for (const n of [10, 50]) {
    const file = join(work, `environments-${n}.json`);
    writeFileSync(file, JSON.stringify(generateEnvironments(n)));
    const out = join(work, `out-${n}`);
    mkdirSync(out, { recursive: true });
    const samples = synthRow(`${n} environments`, out, file);
    generated[n] = { samples, stacks: stackCount(out) };
    rows.push({
      label: `app synth, ${n} generated environments, ${generated[n].stacks} stacks`,
      samples,
      rss: "synth",
      target: n === 50 ? { wall: 0.6 } : undefined,
    });
  }

  if (!values.quick) {
    // The review in a git copy of the repository: nothing changed (base = HEAD = working tree),
    // then a prod change (a node group's size) against the same base. The warm-up fills the base cache.
    const repo = join(work, "review-repo");
    cpSync(ROOT, repo, { recursive: true, filter: (src) => !/[\\/](node_modules|cdktf\.out|\.git|\.cache|coverage)$/.test(src) });
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    // The product's fixture environments (the examples' copy the tests own), not the team's: the
    // review rows measure the same change whatever stacks/environments/ holds.
    writeFileSync(join(repo, "stacks/environments/index.ts"), 'export { environments } from "../../test/fixtures/environments";\n');
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "base");
    const review = ["node", "tools/run.cjs", "review", "--base", "HEAD", "--full", join(work, "review.md")];
    rows.push({ label: "`npm run review` (node tools/run.cjs review), nothing changed, base cached", samples: measure("review, nothing changed", review, { cwd: repo, warmup: 1 }), rss: "largest", target: { wall: 1 } });
    const prodFile = join(repo, "test/fixtures/environments/prod.ts");
    writeFileSync(prodFile, readFileSync(prodFile, "utf8").replace("desiredSize: 3,", "desiredSize: 4,"));
    rows.push({
      label: "`npm run review`, a prod change (node group size), base cached",
      samples: measure("review, prod change", review, { cwd: repo, warmup: 1 }),
      rss: "largest",
      target: { wall: 2 },
      note: "the warm-up rebuilds the app bundle for the changed source",
    });
    rmSync(join(repo, ".cache", "review"), { recursive: true, force: true });
    rows.push({ label: "same, first review against that base (base synthesized in a worktree, cold bundle)", samples: measure("review, cold base", review, { cwd: repo, runs: 1 }), rss: "largest", note: "1 run" });
  }

  for (const n of [500]) {
    const file = join(work, `environments-${n}.json`);
    writeFileSync(file, JSON.stringify(generateEnvironments(n)));
    const out = join(work, `out-${n}`);
    mkdirSync(out, { recursive: true });
    const samples = synthRow(`${n} environments`, out, file);
    rows.push({ label: `app synth, ${n} generated environments, ${stackCount(out)} stacks`, samples, rss: "synth", target: { wall: 3, rss: 300 } });
    if (!values.quick) {
      // Opt-in worker threads (stacks/synth-threads.ts): what they give on this machine's cores.
      const threaded = measure(`${n} environments, EKS_SYNTH_THREADS=auto`, appCommand, { env: { ...baseEnv, CDKTF_OUTDIR: join(work, `out-${n}-threads`), EKS_ENVIRONMENTS: file, EKS_SYNTH_THREADS: "auto" }, warmup: 1 });
      rows.push({ label: `same, \`EKS_SYNTH_THREADS=auto\` (opt-in worker threads: ${Math.min(availableParallelism(), 8)} here)`, samples: threaded, rss: "synth" });
    }
  }

  if (!values.quick) {
    rows.push({ label: "type check (`tsc --noEmit -p .`)", samples: measure("tsc", [join(ROOT, "node_modules/.bin/tsc"), "--noEmit", "-p", "."], { runs: Math.min(RUNS, 3) }), rss: "none" });
    rows.push({
      label: "`npm test` without the Terraform-core check (tsc + `jest --ci --testPathIgnorePatterns test/terraform/check`)",
      samples: measure("npm test w/o terraform", ["sh", "-c", "npx tsc --noEmit -p . && npx jest --ci --silent --testPathIgnorePatterns test/terraform/check"], { runs: 1 }),
      rss: "none",
      target: { wall: 12 },
      note: "1 run",
    });
    rows.push({ label: "Terraform-core check alone (`jest --ci test/terraform/check`)", samples: measure("terraform check", ["npx", "jest", "--ci", "--silent", "test/terraform/check"], { runs: 1 }), rss: "none", note: "1 run" });
    rows.push({ label: "`npm test` (tsc + jest, everything)", samples: measure("npm test", ["npm", "test", "--silent"], { runs: 1 }), rss: "none", target: { wall: 40 }, note: "1 run" });
  }

  // ---- report -------------------------------------------------------------------------------
  const okRow = (r: Row) => r.samples.length > 0 && r.samples.every((s) => s.status === 0);
  const wallOf = (r: Row) => spread(r.samples.map((s) => s.wall));
  const rssOf = (r: Row) => spread(r.samples.flatMap((s) => (s.peakRss === undefined ? [] : [s.peakRss])));
  const meets = (r: Row) => {
    if (!r.target || !okRow(r)) return "";
    const w = wallOf(r)!.median;
    const m = rssOf(r)?.median;
    const wallOk = r.target.wall === undefined || w <= r.target.wall;
    const rssOk = r.target.rss === undefined || (m !== undefined && m <= r.target.rss);
    const t = [r.target.wall !== undefined ? `≤ ${r.target.wall} s` : "", r.target.rss !== undefined ? `≤ ${r.target.rss} MiB` : ""].filter(Boolean).join(", ");
    return `${t}: ${wallOk && rssOk ? "met" : "**missed**"}`;
  };

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines: string[] = [];
  lines.push(`Machine: ${availableParallelism()} cores (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
  lines.push(`Load average (1 min) before/after: ${loadBefore[0]!.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}; ${RUNS} run(s) per row unless noted; bench took ${Math.round((Date.now() - started) / 1000)} s`);
  lines.push("");
  lines.push("| measurement | wall, median (min–max) | peak RSS, median (min–max) | target |");
  lines.push("|---|---|---|---|");
  for (const r of rows) {
    const failed = !okRow(r);
    const wall = failed ? `**failed** (exit ${r.samples.at(-1)?.status ?? "?"})` : formatSpread(wallOf(r), "s", 2);
    const rss = r.rss === "none" ? "–" : `${formatSpread(rssOf(r), "MiB", 0)}${r.rss === "largest" ? " (largest process: the CLI)" : ""}`;
    lines.push(`| ${r.label}${r.note ? ` (${r.note})` : ""} | ${wall} | ${rss} | ${meets(r)} |`);
  }

  // Growth: time and memory per extra environment, and whether it stays linear.
  const ex = rows[0]!;
  const g10 = generated[10]!;
  const g50 = generated[50]!;
  const med = (s: readonly Sample[], f: (x: Sample) => number | undefined) => spread(s.flatMap((x) => (f(x) === undefined ? [] : [f(x)!])))?.median;
  const t2 = med(ex.samples, (s) => s.wall);
  const t10 = med(g10.samples, (s) => s.wall);
  const t50 = med(g50.samples, (s) => s.wall);
  const m10 = med(g10.samples, (s) => s.peakRss);
  const m50 = med(g50.samples, (s) => s.peakRss);
  if (t2 !== undefined && t10 !== undefined && t50 !== undefined && okRow(ex)) {
    const perEnv = (t50 - t10) / 40;
    const early = (t10 - t2) / (10 - examples.length);
    const ratio = perEnv / early;
    lines.push(
      `| per extra environment, (t50 − t10) / 40 | ${(perEnv * 1000).toFixed(0)} ms | ${m10 !== undefined && m50 !== undefined ? `${((m50 - m10) / 40).toFixed(1)} MiB` : "–"} | ${ratio > 1.5 ? "**superlinear**" : ratio < 0.67 ? "sublinear (start-up and JIT warm-up amortized)" : "linear"}: ${(early * 1000).toFixed(0)} ms/env from ${examples.length} to 10 environments, ${(perEnv * 1000).toFixed(0)} ms/env from 10 to 50 |`,
    );
  }
  // The main command against the AWS CDK peer (target ≤ 0.10 ×) and against the app itself.
  const tMain = med(mainSamples, (s) => s.wall);
  const tNpm = med(rows.find((r) => r.label.startsWith("main command: `npm run"))?.samples ?? [], (s) => s.wall);
  const tPeer = peerSamples && peerSamples.every((s) => s.status === 0) ? med(peerSamples, (s) => s.wall) : undefined;
  if (t2 !== undefined && tMain !== undefined) {
    lines.push("");
    if (tPeer !== undefined) {
      const ratio = tMain / tPeer;
      lines.push(`Main command / AWS CDK peer app (CDK_VALIDATION=false): ${ratio.toFixed(3)} (${tMain.toFixed(2)} s / ${tPeer.toFixed(2)} s), target ≤ 0.10: ${ratio <= 0.1 ? "met" : "**missed**"}${tNpm !== undefined ? `; with npm's own start-up (\`npm run -s synth\`) ${(tNpm / tPeer).toFixed(3)}` : ""}; app synth / peer ${(t2 / tPeer).toFixed(3)}. Against the peer with its default template validation: see its row.`);
    } else {
      lines.push(`No AWS CDK peer ratio: ${peerMissing ?? (values.quick ? "--quick" : values["no-peer"] ? "--no-peer" : "the peer app failed (its row)")}.`);
    }
    lines.push(`Main command / app synth: ${(tMain / t2).toFixed(2)} (${tMain.toFixed(2)} s / ${t2.toFixed(2)} s).`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);

  const failures = rows.filter((r) => !okRow(r));
  for (const r of failures) process.stderr.write(`\n${r.label} failed:\n${r.samples.at(-1)?.stderr ?? ""}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
