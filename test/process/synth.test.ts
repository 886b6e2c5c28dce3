import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { readTree } from "../support/files";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const appCommand: string[] = JSON.parse(fs.readFileSync(path.join(repo, "cdktf.json"), "utf8")).app.split(" ");

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "eks-process-"));
const FIXTURE_ENVIRONMENTS = path.join(repo, "test/fixtures/environments/index.ts");

test("every cdktf patch of the bundled app still applies (a cdktf upgrade that breaks one fails here)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { patchProblems, PATCH_NAMES } = require("../../tools/synth.cjs") as { patchProblems: () => string[]; PATCH_NAMES: string[] };
  expect(PATCH_NAMES.length).toBeGreaterThan(0);
  expect(patchProblems()).toEqual([]);
});

test("the app command from cdktf.json (the bundle, with its cdktf patches) writes the same bytes as the plain in-process synth, from different directories, on one thread or two", async () => {
  const [a, b] = [tmp(), tmp()];
  // Once in this checkout, once in a copy of it elsewhere (sharing node_modules; its own bundle cache).
  const copy = path.join(b, "project");
  fs.cpSync(repo, copy, { recursive: true, filter: (src) => !/\/(node_modules|cdktf\.out|\.git|\.cache|test)$/.test(src) });
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(copy, "node_modules"));
  // An earlier run's stack that no longer exists must not survive a successful synth either.
  fs.mkdirSync(path.join(a, "stacks", "retired-aws"), { recursive: true });
  fs.writeFileSync(path.join(a, "stacks", "retired-aws", "cdk.tf.json"), "{}");
  const [cmd, ...args] = appCommand;
  // The copy has no test/: it reads the fixtures from this checkout.
  const env = { ...process.env, EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS };
  // Exit 0 (run rejects otherwise), and nothing a valid config must not print.
  const runs = await Promise.all([
    run(cmd, args, { cwd: repo, env: { ...env, CDKTF_OUTDIR: a } }),
    // The copy synthesizes on two threads (one per fixture environment: stacks/synth-threads.ts).
    run(cmd, args, { cwd: copy, env: { ...env, CDKTF_OUTDIR: path.join(b, "out"), EKS_SYNTH_THREADS: "2" } }),
  ]);
  for (const r of runs) {
    expect(r.stderr).not.toContain("configuration problem");
    expect(r.stdout + r.stderr).not.toContain("    at ");
  }
  const first = readTree(a);
  const second = readTree(path.join(b, "out"));
  // jest's global setup synthesized the fixtures in-process, from node_modules' cdktf (unpatched).
  const plain = readTree(process.env.EKS_TEST_EXAMPLES_OUTDIR!);
  expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
  expect([...first.keys()].sort()).toEqual([...plain.keys()].sort());
  for (const [file, bytes] of first) expect({ file, sameAsInProcess: bytes.equals(plain.get(file)!) }).toEqual({ file, sameAsInProcess: true });
  expect([...first.keys()].sort()).toEqual(["manifest.json", ...["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"].map((s) => path.join("stacks", s, "cdk.tf.json"))]);
  expect(fs.existsSync(path.join(a, "stacks", "retired-aws"))).toBe(false);
  for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
  for (const [file, bytes] of first) {
    expect({ file, absolutePath: /"\/(tmp|work|home|root|Users)\//.test(bytes.toString()) }).toEqual({ file, absolutePath: false });
  }
}, 60_000);

// `cdktf synth` on valid input: test/tools/synth-cli.test.ts (one CLI run, compared byte for byte with `npm run synth`).

test.concurrent("`cdktf synth` on an invalid environment exits non-zero with every problem and writes no stack", async () => {
  const out = path.join(tmp(), "cdktf.out");
  const result = await run(path.join(repo, "node_modules/.bin/cdktf"), ["synth", "--output", out], {
    cwd: repo,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", EKS_ENVIRONMENTS: path.join(repo, "test/fixtures/invalid-envs/acceptance.ts") },
  }).then(
    () => ({ code: 0, stderr: "" }),
    (e: { code: number; stderr: string; stdout: string }) => ({ code: e.code, stderr: `${e.stdout}\n${e.stderr}` }),
  );
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('dev: cluster.compute.builtInNodePools[1]: "sytem" is not a built-in node pool (use "general-purpose" or "system")');
  expect(result.stderr).toContain('dev: account.id: "123" is not an AWS account id (12 digits) (for example "111111111111")');
  expect(fs.existsSync(path.join(out, "stacks"))).toBe(false);
}, 90_000);
