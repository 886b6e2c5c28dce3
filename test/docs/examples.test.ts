/**
 * Every environments file in examples/ is a complete, working example: it loads (as
 * `EKS_ENVIRONMENTS=examples/<file>.ts npm run synth` loads it), passes config validation,
 * synthesizes its stacks and passes the policy check without waivers it does not carry.
 * Generic over the directory: a new example is tested by being there; examples/README.md lists each.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEnvironments } from "../../stacks/environment-validation";
import { loadEnvironments } from "../../stacks/load-environments";
import { runPolicy } from "../../tools/lib/policy";
import { synthesize } from "../support/synth";

const dir = path.resolve(__dirname, "../../examples");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();

test("examples/ has environments files, each listed in examples/README.md", () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
  const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
  expect(files.filter((f) => !readme.includes(`(${f})`))).toEqual([]);
});

describe.each(files)("examples/%s", (file) => {
  const inputs = loadEnvironments(path.join(dir, file));
  const envs = parseEnvironments(inputs);
  const stacks = synthesize(inputs);

  test("exports valid environments", () => {
    expect(envs.length).toBeGreaterThan(0);
    expect(envs).toHaveLength(inputs.length);
  });

  test("synthesizes an AWS and a Kubernetes stack per environment", () => {
    for (const env of envs) expect(Object.keys(stacks)).toEqual(expect.arrayContaining([`${env.name}-aws`, `${env.name}-k8s`]));
  });

  test("passes the policy check", () => {
    const findings = runPolicy(Object.entries(stacks).map(([name, json]) => ({ name, json })));
    expect(findings.filter((f) => f.status !== "pass" && f.status !== "waived").map((f) => `${f.check} ${f.stack}/${f.address}: ${f.reason ?? ""}`)).toEqual([]);
  });
});
