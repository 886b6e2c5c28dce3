/**
 * The bench's AWS CDK peer (issue 15: "the bench prints the peer comparison itself if you can
 * install aws-cdk-lib here"): bench/peer/app.ts, type-checked and run against the packages pinned in
 * bench/peer/package-lock.json, which this installs into .cache/peer (npm ci, ~190 MB, ~10 s the
 * first time; again only when the lock changes). Never a dependency of the project itself: users
 * and CI install nothing for it unless they run the full bench.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Peer {
  /** The peer app's command (node and the built app), run with CDK_OUTDIR set. */
  readonly command: readonly string[];
  /** For the table: "aws-cdk-lib 2.276.0". */
  readonly version: string;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

/** Installs (when needed) and builds the peer app; a reason instead when it cannot (offline, say). */
export function preparePeer(root: string, progress: (msg: string) => void): Peer | { readonly unavailable: string } {
  const source = join(root, "bench", "peer");
  const dir = join(root, ".cache", "peer");
  mkdirSync(dir, { recursive: true });
  const lock = readJson(join(source, "package-lock.json")) as { packages: Record<string, { version?: string }> };
  const wanted = lock.packages["node_modules/aws-cdk-lib"]?.version;
  if (wanted === undefined) return { unavailable: "bench/peer/package-lock.json pins no aws-cdk-lib" };
  const installed = join(dir, "node_modules", "aws-cdk-lib", "package.json");
  const lockChanged = !existsSync(join(dir, "package-lock.json")) || readFileSync(join(dir, "package-lock.json"), "utf8") !== readFileSync(join(source, "package-lock.json"), "utf8");
  if (lockChanged || !existsSync(installed) || (readJson(installed) as { version: string }).version !== wanted) {
    progress(`installing the AWS CDK peer (aws-cdk-lib ${wanted}) into .cache/peer: npm ci`);
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(source, f), join(dir, f));
    const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) {
      const last = `${r.error?.message ?? ""}${r.stderr ?? ""}`.trim().split("\n").filter(Boolean).slice(-1)[0] ?? "";
      return { unavailable: `npm ci in .cache/peer failed (${last}); run the bench online once, or pass --no-peer` };
    }
  }
  // The peer app is typed against the aws-cdk-lib installed here (the project's own type check leaves
  // bench/ out: aws-cdk-lib is not one of its dependencies).
  const tsc = spawnSync(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", join(source, "tsconfig.json")], { cwd: root, encoding: "utf8" });
  if (tsc.status !== 0) {
    const first = `${tsc.error?.message ?? ""}${tsc.stdout ?? ""}`.trim().split("\n")[0];
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
