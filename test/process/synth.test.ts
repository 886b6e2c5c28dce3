import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");
const appCommand: string[] = JSON.parse(fs.readFileSync(path.join(repo, "cdktf.json"), "utf8")).app.split(" ");

/** Every file under `dir`, relative path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "eks-process-"));

test("the app command from cdktf.json synthesizes byte-identical output from different directories", async () => {
  const [a, b] = [tmp(), tmp()];
  // Once in this checkout, once in a copy of it elsewhere (sharing node_modules; its own bundle cache).
  const copy = path.join(b, "project");
  fs.cpSync(repo, copy, { recursive: true, filter: (src) => !/\/(node_modules|cdktf\.out|\.git|\.cache|test)$/.test(src) });
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(copy, "node_modules"));
  // An earlier run's stack that no longer exists must not survive a successful synth either.
  fs.mkdirSync(path.join(a, "stacks", "retired-aws"), { recursive: true });
  fs.writeFileSync(path.join(a, "stacks", "retired-aws", "cdk.tf.json"), "{}");
  const [cmd, ...args] = appCommand;
  await Promise.all([
    run(cmd, args, { cwd: repo, env: { ...process.env, CDKTF_OUTDIR: a } }),
    run(cmd, args, { cwd: copy, env: { ...process.env, CDKTF_OUTDIR: path.join(b, "out") } }),
  ]);
  const first = readTree(a);
  const second = readTree(path.join(b, "out"));
  expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
  expect([...first.keys()]).toContain(path.join("stacks", "prod-aws", "cdk.tf.json"));
  expect(fs.existsSync(path.join(a, "stacks", "retired-aws"))).toBe(false);
  for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
  for (const [file, bytes] of first) {
    expect({ file, absolutePath: /"\/(tmp|work|home|root|Users)\//.test(bytes.toString()) }).toEqual({ file, absolutePath: false });
  }
}, 60_000);

test.concurrent("`cdktf synth` (the CLI users run) writes every stack and drops stale ones", async () => {
  const dir = tmp();
  const out = path.join(dir, "cdktf.out");
  fs.mkdirSync(path.join(out, "stacks", "retired-aws"), { recursive: true });
  fs.writeFileSync(path.join(out, "stacks", "retired-aws", "cdk.tf.json"), "{}");
  const { stdout } = await run(path.join(repo, "node_modules/.bin/cdktf"), ["synth", "--output", out], {
    cwd: repo,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
  });
  expect(stdout).toContain("Generated Terraform code for the stacks");
  for (const stack of ["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"]) {
    expect(fs.existsSync(path.join(out, "stacks", stack, "cdk.tf.json"))).toBe(true);
  }
  expect(fs.existsSync(path.join(out, "stacks", "retired-aws"))).toBe(false);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  expect(manifest.stacks["dev-k8s"].dependencies).toEqual(["dev-aws"]);
  expect(manifest.stacks["prod-k8s"].dependencies.sort()).toEqual(["prod-aws", "prod-controllers"]);
}, 90_000);

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
