import * as fs from "node:fs";
import * as path from "node:path";

/** Every file under `dir` (none if it does not exist), relative path → bytes: for byte comparisons of synth outputs. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** The same as text, for comparisons whose failure should show a readable diff. */
export const readTextTree = (dir: string): Map<string, string> => new Map([...readTree(dir)].map(([k, v]) => [k, v.toString("utf8")]));
