/**
 * The bench's AWS CDK peer (tools/lib/bench/peer.ts) when it cannot be prepared: a reason for the
 * table instead of a lost bench, and the previous working copy (if any) untouched. The peer
 * itself needs aws-cdk-lib from the registry, which CI does not install: `npm run bench` runs it.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { preparePeer } from "../../tools/lib/bench/peer";

const repo = resolve(__dirname, "../..");

/** A checkout with bench/peer as committed (or as `edit` makes it) and this repository's node_modules. */
function checkout(edit?: (dir: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), "eks-bench-peer-"));
  mkdirSync(join(root, "bench"));
  cpSync(join(repo, "bench", "peer"), join(root, "bench", "peer"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  edit?.(join(root, "bench", "peer"));
  return root;
}

test("a lock that pins no aws-cdk-lib is a reason, not a crash", () => {
  const root = checkout((dir) => writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages: { "": {} } })));
  try {
    expect(preparePeer(root, () => undefined)).toEqual({ unavailable: "bench/peer/package-lock.json pins no aws-cdk-lib" });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("offline (nothing in npm's cache): npm's own error code in the reason, and no half-installed peer left", () => {
  const root = checkout();
  const cache = mkdtempSync(join(tmpdir(), "eks-bench-peer-npm-cache-"));
  const saved = { offline: process.env.npm_config_offline, cache: process.env.npm_config_cache, loglevel: process.env.npm_config_loglevel };
  // npm without the network: --offline fails at once with ENOTCACHED on an empty cache.
  process.env.npm_config_offline = "true";
  process.env.npm_config_cache = cache;
  // As under `npm run -s bench` (npm hands its -s down): the reason must still carry npm's code.
  process.env.npm_config_loglevel = "silent";
  const progress: string[] = [];
  try {
    const result = preparePeer(root, (m) => progress.push(m));
    expect(result).toEqual({ unavailable: expect.stringMatching(/^npm ci of bench\/peer failed \(npm error code ENOTCACHED; .*\); run the full bench online once, or pass --no-peer$/) });
    expect(progress).toEqual([expect.stringContaining("installing the AWS CDK peer (aws-cdk-lib ")]);
    // The staging directory is gone and nothing took the place of .cache/peer.
    expect(existsSync(join(root, ".cache", "peer"))).toBe(false);
    expect(readdirSync(join(root, ".cache"))).toEqual([]);
  } finally {
    for (const [key, value] of [["npm_config_offline", saved.offline], ["npm_config_cache", saved.cache], ["npm_config_loglevel", saved.loglevel]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}, 60_000);
