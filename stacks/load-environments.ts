import * as fs from "node:fs";
import * as path from "node:path";
import { environments } from "./environments";

/**
 * The environments to synthesize: the ones in stacks/environments/, or those exported as
 * `environments` by the module `EKS_ENVIRONMENTS` names (a .ts, .js or .json file; used by the
 * process-level tests and by anyone keeping environments outside this repository).
 */
export function loadEnvironments(file?: string): readonly unknown[] {
  if (!file) return environments;
  const resolved = path.resolve(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = resolved.endsWith(".json") ? JSON.parse(fs.readFileSync(resolved, "utf8")) : require(resolved);
  const list = Array.isArray(mod) ? mod : mod.environments;
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of environments, or a module exporting \`environments\``);
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
