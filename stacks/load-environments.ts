import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "./config-errors";

/**
 * The environments to synthesize: the ones in stacks/environments/, or those exported as
 * `environments` by the module `EKS_ENVIRONMENTS` names (a .ts, .js or .json file; used by the
 * process-level tests and by anyone keeping environments outside this repository).
 */
export function loadEnvironments(file?: string): readonly unknown[] {
  const where = file ?? "stacks/environments";
  // A file that does not load is a config problem like any other: one line, exit 1, no Terraform.
  const problem = (message: string) => new ConfigError([{ environment: where, path: "", message }]);
  let mod: unknown;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    if (!file) mod = require("./environments");
    else {
      const resolved = path.resolve(file);
      mod = resolved.endsWith(".json") ? JSON.parse(fs.readFileSync(resolved, "utf8")) : require(resolved);
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (e) {
    // esbuild (tsx) puts the location on the second line: "Transform failed with 1 error:\n<file>:1:2: ERROR: ...".
    const first = String((e as Error)?.message ?? e).split("\n").filter((l) => l.trim() !== "").slice(0, 2).join(" ");
    throw problem(`could not be loaded: ${first} (fix the file; \`npm run typecheck\` shows where)`);
  }
  const list = Array.isArray(mod) ? mod : (mod as { environments?: unknown } | null)?.environments;
  if (!Array.isArray(list)) throw problem("exports no list of environments (export an array, or `export const environments = [...]`)");
  return list;
}

/** A failed synth leaves no stack JSON behind, not even an earlier run's: nothing stale can be deployed. */
export function removeStaleOutput(outdir: string): void {
  fs.rmSync(path.join(outdir, "stacks"), { recursive: true, force: true });
  fs.rmSync(path.join(outdir, "manifest.json"), { force: true });
}

/** After a successful synth: stack directories of stacks the app no longer has (a removed environment) go too. */
export function removeStaleStacks(outdir: string, current: readonly string[]): void {
  const dir = path.join(outdir, "stacks");
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (!current.includes(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
