/**
 * `npm run synth` (tools/synth.ts): each configuration problem printed once, a success that says
 * what was written where and what comes next, and the same output directory as `cdktf synth`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTree } from "../support/files";

const repo = path.resolve(__dirname, "../..");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-cli-"));

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: repo, env: { ...process.env, EKS_ENVIRONMENTS: path.join(repo, "test/fixtures/environments/index.ts"), CHECKPOINT_DISABLE: "1", CI: "1", ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const synth = (args: readonly string[], env?: NodeJS.ProcessEnv) => run(process.execPath, [path.join(repo, "tools/run.cjs"), "synth", ...args], env);

test.concurrent("an invalid configuration: every problem exactly once on stderr, nothing on stdout, exit 1, no stacks", async () => {
  const out = path.join(tmp(), "cdktf.out");
  const r = await synth(["--output", out], { EKS_ENVIRONMENTS: path.join(repo, "test/fixtures/invalid-envs/acceptance.ts") });
  expect(r).toEqual({
    code: 1,
    stdout: "",
    stderr: [
      "4 configuration problems:",
      '  dev: account.id: "123" is not an AWS account id (12 digits) (for example "111111111111")',
      "  dev: cluster.subnetIds: has 1 subnet(s); EKS needs subnets in at least two availability zones (add another subnet id)",
      '  dev: cluster.compute.builtInNodePools[1]: "sytem" is not a built-in node pool (use "general-purpose" or "system")',
      "  dev: access.ops-readonly.policies[0].namespaces: is empty: a namespace-scoped policy needs at least one namespace (list them, or remove namespaces for cluster scope)",
      "No Terraform was written.",
      "",
    ].join("\n"),
  });
  expect(fs.existsSync(path.join(out, "stacks"))).toBe(false);
});

// One successful `npm run synth` process serves both tests below: its report, and its output against the CLI's.
const successOut = path.join(tmp(), "cdktf.out");
let successRun: ReturnType<typeof synth> | undefined;
const success = () => (successRun ??= synth(["--output", successOut]));

test.concurrent("success: which stacks were written where, and what to do next", async () => {
  const out = successOut;
  const r = await success();
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  const next = [
    ["npm run -s review", "what this change does to each stack, compared with main"],
    [`npm run -s policy -- --dir ${out}`, "security checks over the stacks"],
    ["npm run plan -- --env dev", "plan against AWS (needs Terraform ≥ 1.10, the AWS CLI and credentials)"],
  ];
  const width = Math.max(...next.map(([command]) => command!.length));
  expect(r.stdout.split("\n")).toEqual([
    `Wrote 5 stacks for 2 environments (dev, prod) to ${out}:`,
    `  dev-aws           ${out}/stacks/dev-aws/cdk.tf.json`,
    `  dev-k8s           ${out}/stacks/dev-k8s/cdk.tf.json`,
    `  prod-aws          ${out}/stacks/prod-aws/cdk.tf.json`,
    `  prod-controllers  ${out}/stacks/prod-controllers/cdk.tf.json`,
    `  prod-k8s          ${out}/stacks/prod-k8s/cdk.tf.json`,
    "",
    "Next:",
    ...next.map(([command, what]) => `  ${command.padEnd(width)}  ${what}`),
    "",
  ]);
});

test.concurrent("writes the same output directory as `cdktf synth` (the CLI users run, which writes every stack and drops stale ones), byte for byte", async () => {
  const [viaWrapper, viaCli] = [successOut, path.join(tmp(), "out")];
  // An earlier run's stack that no longer exists must not survive the CLI's synth.
  fs.mkdirSync(path.join(viaCli, "stacks", "retired-aws"), { recursive: true });
  fs.writeFileSync(path.join(viaCli, "stacks", "retired-aws", "cdk.tf.json"), "{}");
  const [a, b] = await Promise.all([success(), run(path.join(repo, "node_modules/.bin/cdktf"), ["synth", "--output", viaCli])]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(b.stdout).toContain("Generated Terraform code for the stacks");
  for (const stack of ["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"]) {
    expect(fs.existsSync(path.join(viaCli, "stacks", stack, "cdk.tf.json"))).toBe(true);
  }
  expect(fs.existsSync(path.join(viaCli, "stacks", "retired-aws"))).toBe(false);
  const manifest = JSON.parse(fs.readFileSync(path.join(viaCli, "manifest.json"), "utf8"));
  expect(manifest.stacks["dev-k8s"].dependencies).toEqual(["dev-aws"]);
  expect(manifest.stacks["prod-k8s"].dependencies.sort()).toEqual(["prod-aws", "prod-controllers"]);
  const wrapper = readTree(viaWrapper);
  const cli = readTree(viaCli);
  expect([...wrapper.keys()].sort()).toEqual([...cli.keys()].sort());
  expect([...wrapper.keys()]).toContain("manifest.json");
  for (const [file, bytes] of wrapper) expect({ file, same: bytes.equals(cli.get(file)!) }).toEqual({ file, same: true });
}, 90_000);
