import * as fs from "node:fs";
import * as path from "node:path";

// The provider packages' root index loads all ~2,400 resource classes (measured: 3.1 s and 730 MiB
// against 0.38 s and 97 MiB for deep imports). Only `@cdktf/provider-*/lib/<resource>` is allowed.
const ROOT_IMPORT = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-(aws|kubernetes|helm)["']/;

const repo = path.resolve(__dirname, "..");
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") || e.name === "cdktf.out" ? [] : sources(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

test("the root-import pattern catches every form", () => {
  // Built from parts so this file does not itself contain a root import for repository greps to flag.
  const pkg = (name: string) => `@cdktf/provider-${name}`;
  for (const line of [`import { EksCluster } from "${pkg("aws")}";`, `const k = require('${pkg("kubernetes")}')`, `await import("${pkg("helm")}")`]) {
    expect(ROOT_IMPORT.test(line)).toBe(true);
  }
  expect(ROOT_IMPORT.test(`import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";`)).toBe(false);
});

test("no source file imports a provider package from its root", () => {
  const files = [path.join(repo, "main.ts"), ...["stacks", "modules", "tools", "test", ".gen"].flatMap((d) => (fs.existsSync(path.join(repo, d)) ? sources(path.join(repo, d)) : []))];
  expect(files.length).toBeGreaterThan(20);
  const offenders = files.filter((f) => f !== __filename && ROOT_IMPORT.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(repo, f));
  expect(offenders).toEqual([]);
});
