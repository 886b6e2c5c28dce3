/**
 * The one check of the user's own environments (stacks/environments): whatever a team adds or
 * removes there, each environment parses, synthesizes, passes the policy check, and every object
 * its Kubernetes stacks refer to is created by the same environment. Nothing here names an
 * environment: an empty list, a list without dev, or ten new environments all keep it green unless
 * one of them is broken. The product's behaviour is tested on test/fixtures/environments.
 *
 * Its own copy of cdktf, as published (not the one test files share, which has the bundle's
 * token-stack change: test/support/shared-modules-runtime.cjs), for the byte comparison's plain side:
 * @jest-environment-options {"sharedModules": false}
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseEnvironments } from "../../stacks/environment-validation";
import { loadEnvironments } from "../../stacks/load-environments";
import { runPolicy } from "../../tools/lib/policy";
import { synthesize, synthesizeInto } from "../support/synth";

// The plain side of the byte comparison below is cdktf as published: without the token-stack
// stand-in the other test files get (test/support/token-stacks.ts; jest hoists this call).
jest.unmock("cdktf/lib/tokens/private/stack-trace");

test("the plain side is cdktf as published: this file's own copy, with token creation stacks", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require("cdktf").App instanceof Function).toBe(true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect((require("cdktf/lib/tokens/private/stack-trace").captureStackTrace() as string[]).length).toBeGreaterThan(0);
});

const inputs = loadEnvironments();
const envs = parseEnvironments(inputs);

test("every environment in stacks/environments is valid", () => {
  expect(envs).toHaveLength(inputs.length);
});

test("the app as cdktf.json runs it (the bundle, with its cdktf patches) writes the same bytes as the plain in-process synth", async () => {
  const repo = path.resolve(__dirname, "../..");
  const [bundled, plain] = [fs.mkdtempSync(path.join(os.tmpdir(), "eks-bundled-")), fs.mkdtempSync(path.join(os.tmpdir(), "eks-plain-"))];
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: bundled };
  delete env.EKS_ENVIRONMENTS;
  try {
    const [cmd, ...args] = (JSON.parse(fs.readFileSync(path.join(repo, "cdktf.json"), "utf8")) as { app: string }).app.split(" ");
    await promisify(execFile)(cmd!, args, { cwd: repo, env });
    synthesizeInto(plain, inputs);
    const files = (dir: string) => (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    expect(files(bundled)).toEqual(files(plain));
    // When this fails, the failure names the files and what to do (docs/guides/troubleshooting.md).
    const hint = "the bundled app (tools/synth.cjs, with its cdktf patches) wrote these differently from cdktf as published: `EKS_SYNTH_NO_PATCHES=1 npm run synth` writes what cdktf writes; see docs/guides/troubleshooting.md, 'The bundle writes different bytes'";
    const differ = files(plain).filter((f) => !fs.readFileSync(path.join(bundled, f)).equals(fs.readFileSync(path.join(plain, f))));
    expect({ differ, hint }).toEqual({ differ: [], hint });
  } finally {
    for (const d of [bundled, plain]) fs.rmSync(d, { recursive: true, force: true });
  }
});

describe.each(envs.length > 0 ? envs.map((e) => [e.name] as const) : [["(none)"] as const])("environment %s", (name) => {
  const env = inputs.find((e) => (e as { name?: string }).name === name);
  const stacks = env ? synthesize([env]) : {};

  test("synthesizes its stacks", () => {
    if (!env) return; // an empty list synthesizes nothing, which is fine
    expect(Object.keys(stacks).sort()).toEqual(expect.arrayContaining([`${name}-aws`, `${name}-k8s`]));
  });

  test("passes the policy check (failures need a waiver with a reason in the environment)", () => {
    const findings = runPolicy(Object.entries(stacks).map(([stack, json]) => ({ name: stack, json })));
    expect(findings.filter((f) => f.status === "fail").map((f) => `${f.check} ${f.stack}/${f.address}`)).toEqual([]);
  });
});
