/**
 * The bench's AWS CDK peer (issue 15: "the bench prints the peer comparison itself if you can
 * install aws-cdk-lib here"): bench/peer/app.ts, type-checked and run against the packages pinned
 * in bench/peer/package-lock.json, which this installs into .cache/peer (npm ci, ~190 MB, ~10 s
 * the first time; again only when the lock changes). Never a dependency of the project itself:
 * users and CI install nothing for it unless they run the full bench.
 *
 * Anything that goes wrong here (offline, a read-only checkout, a peer app that no longer
 * type-checks against the pinned aws-cdk-lib) is a reason the table prints instead of a peer row,
 * never a failure of the whole bench.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Peer {
  /** The peer app's command (node and the built app), run with CDK_OUTDIR set. */
  readonly command: readonly string[];
  /** For the table: "aws-cdk-lib 2.276.0". */
  readonly version: string;
}

export type PeerOrReason = Peer | { readonly unavailable: string };

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

/** npm the way this process was started by it (npm_execpath), else `npm` from PATH (a shell on Windows, for npm.cmd). */
function npm(args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  return spawnSync("npm", [...args], { cwd, encoding: "utf8", shell: process.platform === "win32" });
}

/** npm's own summary of a failure ("npm error code ENOTFOUND ..."), not the line that points at its log. */
function npmReason(r: SpawnSyncReturns<string>): string {
  if (r.error) return r.error.message;
  const lines = `${r.stderr ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const code = lines.find((l) => /^npm (error|ERR!) code /.test(l));
  const detail = lines.find((l) => /^npm (error|ERR!) /.test(l) && !/code |A complete log|log of this run/.test(l));
  return [code, detail].filter(Boolean).join("; ") || `exit ${r.status}`;
}

/** Installs (when needed), type-checks and builds the peer app; a reason instead when it cannot. */
export function preparePeer(root: string, progress: (msg: string) => void): PeerOrReason {
  try {
    return prepare(root, progress);
  } catch (e) {
    return { unavailable: `the peer could not be prepared in .cache/peer: ${(e as Error).message}` };
  }
}

function prepare(root: string, progress: (msg: string) => void): PeerOrReason {
  const source = join(root, "bench", "peer");
  const dir = join(root, ".cache", "peer");
  const lockText = readFileSync(join(source, "package-lock.json"), "utf8");
  const lock = JSON.parse(lockText) as { packages: Record<string, { version?: string }> };
  const wanted = lock.packages["node_modules/aws-cdk-lib"]?.version;
  if (wanted === undefined) return { unavailable: "bench/peer/package-lock.json pins no aws-cdk-lib" };

  const installed = join(dir, "node_modules", "aws-cdk-lib", "package.json");
  const current =
    existsSync(join(dir, "package-lock.json")) &&
    readFileSync(join(dir, "package-lock.json"), "utf8") === lockText &&
    existsSync(installed) &&
    (readJson(installed) as { version: string }).version === wanted;
  if (!current) {
    // Into a directory of its own, renamed into place when complete: a failed install (offline)
    // leaves the previous working copy as it was.
    progress(`installing the AWS CDK peer (aws-cdk-lib ${wanted}) into .cache/peer: npm ci`);
    const staging = `${dir}.install-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(source, f), join(staging, f));
    // Offline, npm's default retries wait over a minute before failing; one retry is enough here.
    // --loglevel=error: `npm run -s bench` hands npm_config_loglevel=silent down, and a silent npm
    // would not say why it failed (npmReason reads its "npm error code" line).
    const r = npm(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--fetch-retries=1", "--fetch-retry-maxtimeout=10000", "--loglevel=error"], staging);
    if (r.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      return { unavailable: `npm ci of bench/peer failed (${npmReason(r)}); run the full bench online once, or pass --no-peer` };
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }

  // The peer app is typed against the aws-cdk-lib installed here (the project's own type check
  // leaves bench/ out: aws-cdk-lib is not one of its dependencies).
  const tscBin = join(dirname(require.resolve("typescript/package.json", { paths: [root] })), (readJson(require.resolve("typescript/package.json", { paths: [root] })) as { bin: { tsc: string } }).bin.tsc);
  const tsc = spawnSync(process.execPath, [tscBin, "--noEmit", "-p", join(source, "tsconfig.json")], { cwd: root, encoding: "utf8" });
  if (tsc.status !== 0) {
    const first = `${tsc.error?.message ?? ""}${tsc.stdout ?? ""}${tsc.stderr ?? ""}`.trim().split("\n")[0];
    return { unavailable: `bench/peer/app.ts does not type-check against aws-cdk-lib ${wanted}: ${first}` };
  }
  // Bundled like the app: our environment code included, aws-cdk-lib and constructs from .cache/peer.
  const esbuild = require(require.resolve("esbuild", { paths: [root] })) as typeof import("esbuild");
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [join(source, "app.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["aws-cdk-lib", "aws-cdk-lib/*", "constructs"],
    outfile: join(dir, "app.js"),
    logLevel: "silent",
  });
  return { command: [process.execPath, join(dir, "app.js")], version: `aws-cdk-lib ${wanted}` };
}
