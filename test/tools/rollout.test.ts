import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runToolInProcess } from "../support/tool-in-process";
import { parseEnvironments } from "../../stacks/environment-validation";
import { environments } from "../fixtures/environments";
import { rolloutSteps, selectEnvironments } from "../../tools/lib/rollout";

const repo = path.resolve(__dirname, "../..");
/** The tools run on the tests' fixture environments, never on the user's (stacks/environments). */
const FIXTURE_ENVIRONMENTS = path.join(repo, "test/fixtures/environments/index.ts");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  calls: string[];
}

interface Fake {
  /** Fail the call whose arguments contain this word. */
  failOn?: string;
  /** Commands on the fake PATH, then nothing else (default: cdktf, terraform, aws, then /usr/bin:/bin for sh's tools). */
  bins?: string[];
  /** What `terraform version -json` reports. */
  terraformVersion?: string;
  /** Whether AWS credentials are in the environment (else `aws configure list` finds none). */
  credentials?: boolean;
}

/**
 * Runs a tool with fake `cdktf`, `terraform` and `aws` on PATH that record their arguments (no
 * Terraform, no AWS here). The prerequisite checks' own calls (`terraform version`, `aws configure
 * list`) are answered but not recorded. The real PATH is left out, so the real terraform is not found.
 */
function runTool(tool: string, args: string[], fake: Fake = {}): Promise<Result> {
  return runToolWith({}, tool, args, fake);
}

function runToolWith(extraEnv: NodeJS.ProcessEnv, tool: string, args: string[], fake: Fake = {}): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-rollout-"));
  const record = path.join(dir, "calls.log");
  const script = `#!/bin/sh
if [ "$(basename "$0")" = terraform ] && [ "$1" = version ]; then echo '{"terraform_version":"${fake.terraformVersion ?? "1.11.4"}","platform":"linux_amd64"}'; exit 0; fi
if [ "$(basename "$0")" = aws ] && [ "$1" = configure ]; then printf '      Name                    Value             Type    Location\n   profile                <not set>             None    None\naccess_key                <not set>             None    None\n'; exit 0; fi
echo "$(basename "$0") $*\${TF_CLI_ARGS_init:+ [TF_CLI_ARGS_init=$TF_CLI_ARGS_init]}\${TF_CLI_ARGS_plan:+ [TF_CLI_ARGS_plan=$TF_CLI_ARGS_plan]}" >> "${record}"
if [ -n "$FAIL_ON" ]; then case " $* " in *" $FAIL_ON "*) exit 1;; esac; fi
if [ "$(basename "$0")" = cdktf ] && [ "$1" = synth ] && [ "$2" = --output ]; then for s in dev-aws dev-k8s prod-aws prod-controllers prod-k8s; do mkdir -p "$3/stacks/$s"; done; fi
if [ "$(basename "$0")" = terraform ] && [ "$1" = show ]; then cat "${path.join(repo, "test/fixtures/plans/dev-aws.json")}"; fi
exit 0
`;
  for (const bin of fake.bins ?? ["cdktf", "terraform", "aws"]) fs.writeFileSync(path.join(dir, bin), script, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS, PATH: fake.bins ? dir : `${dir}:/usr/bin:/bin`, FAIL_ON: fake.failOn ?? "", CDKTF_BIN: "", TERRAFORM_BIN: "" /* empty: use PATH */ };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  if (fake.credentials ?? true) Object.assign(env, { AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake" });
  Object.assign(env, extraEnv);
  // In-process (test/support/tool-in-process.ts): the fakes still run as processes, the tool does
  // not (issue 15); test/tools/cli-convention.test.ts starts every tool as a real process (--help).
  return runToolInProcess(tool.replace(/\.ts$/, ""), args, env, true).then((r) => ({
    ...r,
    calls: fs.existsSync(record) ? fs.readFileSync(record, "utf8").trim().split("\n") : [],
  }));
}

test("dry run prints the ordered commands: waves ascending, AWS stack before controllers before Kubernetes", async () => {
  const r = await runTool("rollout.ts", ["--dry-run"]);
  expect(r.code).toBe(0);
  expect(r.calls).toEqual([]);
  expect(r.stdout.trim().split("\n")).toEqual([
    "rollout plan (dry run, nothing runs):",
    "cdktf synth",
    "cdktf deploy dev-aws --skip-synth --ignore-missing-stack-dependencies    # wave 1, dev",
    "cdktf deploy dev-k8s --skip-synth --ignore-missing-stack-dependencies    # wave 1, dev",
    "cdktf deploy prod-aws --skip-synth --ignore-missing-stack-dependencies    # wave 2, prod",
    "cdktf deploy prod-controllers --skip-synth --ignore-missing-stack-dependencies    # wave 2, prod",
    "cdktf deploy prod-k8s --skip-synth --ignore-missing-stack-dependencies    # wave 2, prod",
  ]);
});

test("a rollout runs synth once, then every stack in order", async () => {
  const r = await runTool("rollout.ts", ["--auto-approve"]);
  expect(r.code).toBe(0);
  expect(r.calls).toEqual([
    "cdktf synth",
    ...["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"].map(
      (s) => `cdktf deploy ${s} --skip-synth --ignore-missing-stack-dependencies --auto-approve`,
    ),
  ]);
  expect(r.stdout).toContain("ok     prod-k8s");
});

test("a failing deploy stops the rollout, exits non-zero and names the failed stack", async () => {
  const r = await runTool("rollout.ts", [], { failOn: "prod-aws" });
  expect(r.code).toBe(1);
  expect(r.calls).toEqual([
    "cdktf synth",
    ...["dev-aws", "dev-k8s", "prod-aws"].map((s) => `cdktf deploy ${s} --skip-synth --ignore-missing-stack-dependencies`),
  ]);
  expect(r.stderr).toContain("rollout: FAILED at prod-aws (environment prod, wave 2); 2 stack(s) not run");
  expect(r.stdout).toContain("skipped prod-k8s");
});

describe("selection (in process)", () => {
  const envs = parseEnvironments(environments);
  const stacks = (selection: Parameters<typeof selectEnvironments>[1]) =>
    rolloutSteps(selectEnvironments(envs, selection), { autoApprove: false }).map((s) => s.stack);

  test.each([
    [{ wave: 2 }, ["prod-aws", "prod-controllers", "prod-k8s"]],
    [{ envs: ["dev"] }, ["dev-aws", "dev-k8s"]],
    [{ envs: ["prod", "dev"] }, ["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"]],
  ])("%j deploys %j", (selection, expected) => {
    expect(stacks(selection)).toEqual(expected);
  });

  test("environments of one wave deploy by name, whatever their order in config", () => {
    const sameWave = [...envs].reverse().map((e) => ({ ...e, rolloutWave: 1 }));
    expect(rolloutSteps(selectEnvironments(sameWave, {}), { autoApprove: false }).map((s) => s.env)).toEqual(["dev", "dev", "prod", "prod", "prod"]);
  });

  test("unknown environments and empty waves are errors", () => {
    expect(() => stacks({ envs: ["no-such-env"] })).toThrow('unknown environment "no-such-env" (known: dev, prod)');
    expect(() => stacks({ wave: 3 })).toThrow("no environment matches wave 3");
  });
});

test("an unknown environment is a usage error of the command", async () => {
  const r = await runTool("rollout.ts", ["--env", "no-such-env", "--dry-run"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('unknown environment "no-such-env" (known: dev, prod)');
});

test("plan: cdktf diff per stack of the environment, after one synth", async () => {
  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-"));
  const r = await runTool("plan.ts", ["--env", "prod", "--output", synthDir]);
  expect(r.code).toBe(0);
  expect(r.calls).toEqual([
    `cdktf synth --output ${synthDir}`,
    ...["prod-aws", "prod-controllers", "prod-k8s"].map((s) => `cdktf diff ${s} --skip-synth --output ${synthDir}`),
  ]);
});

test("plan --out: terraform plan files and JSON per stack, then the plan summary", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "eks-plans-"));
  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-"));
  const r = await runTool("plan.ts", ["--env", "dev", "--out", out, "--output", synthDir]);
  const terraformCalls = r.calls.filter((c) => c.startsWith("terraform"));
  expect(terraformCalls).toEqual([
    "terraform init -input=false",
    `terraform plan -input=false -lock-timeout=120s -out=${path.join(out, "dev-aws.tfplan")}`,
    `terraform show -json ${path.join(out, "dev-aws.tfplan")}`,
    "terraform init -input=false",
    `terraform plan -input=false -lock-timeout=120s -out=${path.join(out, "dev-k8s.tfplan")}`,
    `terraform show -json ${path.join(out, "dev-k8s.tfplan")}`,
  ]);
  expect(JSON.parse(fs.readFileSync(path.join(out, "dev-aws.json"), "utf8")).format_version).toBeDefined();
  const summary = fs.readFileSync(path.join(out, "summary.md"), "utf8");
  expect(summary).toContain("dev-aws");
  // Exactly 1: the fake synth writes no cdk.tf.json, so plan-summary treats both stacks as protected
  // (a guardrail that cannot tell must not pass), and the fake plan (test/fixtures/plans/dev-aws.json)
  // destroys a cluster.
  expect(r.stderr).toContain("BLOCKED: dev-aws/aws_eks_cluster.main would be destroyed; to accept: --allow-destroy dev-aws/aws_eks_cluster.main");
  expect(r.code).toBe(1);
  // A pull request's acknowledgements file (the workflow passes .review/acknowledgements) reaches the summary.
  const file = path.join(out, "acknowledgements");
  // The fake terraform shows the same plan for both stacks: the address without a stack accepts it in each.
  fs.writeFileSync(file, "allow-destroy aws_eks_cluster.main  # the test's fake plan destroys it\n");
  const accepted = await runTool("plan.ts", ["--env", "dev", "--out", out, "--output", synthDir, "--acknowledgements", file]);
  expect({ code: accepted.code, ok: accepted.stderr.includes("OK: no protected resource is replaced or destroyed") }).toEqual({ code: 0, ok: true });
});

test("a failed synth deploys nothing: exit 1, only the synth ran", async () => {
  const r = await runTool("rollout.ts", ["--auto-approve"], { failOn: "synth" });
  expect(r.code).toBe(1);
  expect(r.calls).toEqual(["cdktf synth"]);
  expect(r.stderr).toContain("rollout: FAILED at synth; nothing was deployed");
});

test("waves deploy in wave order, not name order (prod in wave 1 before dev in wave 2)", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eks-waves-")), "envs.json");
  const { dev } = await import("../fixtures/environments/dev");
  const { prod } = await import("../fixtures/environments/prod");
  fs.writeFileSync(file, JSON.stringify([{ ...dev, rolloutWave: 2 }, { ...prod, rolloutWave: 1 }]));
  const r = await runToolWith({ EKS_ENVIRONMENTS: file }, "rollout.ts", ["--auto-approve"]);
  expect(r.code).toBe(0);
  expect(r.calls).toEqual([
    "cdktf synth",
    ...["prod-aws", "prod-controllers", "prod-k8s", "dev-aws", "dev-k8s"].map((s) => `cdktf deploy ${s} --skip-synth --ignore-missing-stack-dependencies --auto-approve`),
  ]);
});

test("environments --github-output writes the CI matrices: all and one list per workflow wave", async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eks-gh-")), "output");
  const r = await runToolInProcess("environments", ["--github-output"], { EKS_ENVIRONMENTS: FIXTURE_ENVIRONMENTS, GITHUB_OUTPUT: out });
  expect(r.code).toBe(0);
  const lines = Object.fromEntries(fs.readFileSync(out, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1))]));
  expect(Object.keys(lines)).toEqual(["all", "wave1", "wave2", "wave3"]);
  expect(lines.all.map((e: { name: string }) => e.name)).toEqual(["dev", "prod"]);
  expect(lines.wave2).toEqual([
    {
      name: "prod",
      account: "222222222222",
      region: "ap-northeast-1",
      wave: 2,
      protected: true,
      stacks: ["prod-aws", "prod-controllers", "prod-k8s"],
      // Where CI runs each part: the Kubernetes stacks on the in-VPC runner of a private cluster.
      awsRunsOn: ["ubuntu-latest"],
      kubernetesRunsOn: ["self-hosted", "acme-prod-vpc"],
      planRole: true,
    },
  ]);
  expect(lines.wave3).toEqual([]);
});

describe("prerequisites are checked before synth", () => {
  test.each([["plan.ts", ["--env", "dev"]], ["rollout.ts", []]])("%s without terraform on PATH: exit 1 at once, the fix named, nothing run", async (tool, args) => {
    const started = Date.now();
    const r = await runTool(tool, args, { bins: ["cdktf", "aws"] });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]); // no synth, no deploy
    expect(r.stderr).toContain(`${tool.replace(".ts", "")}: missing prerequisites, nothing was run:\n  terraform: \`terraform\` is not on PATH (install Terraform ≥ 1.10 (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BIN)\n`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // tsx start-up and the config load, not a synth (~5 s through the cdktf CLI).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test("Terraform older than 1.10 (no S3-native state locking) is refused with its version", async () => {
    const r = await runTool("plan.ts", ["--env", "dev"], { terraformVersion: "1.9.8" });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.stderr).toMatch(/terraform: \S+\/terraform is 1\.9\.8; the S3 state locking \(use_lockfile\) needs ≥ 1\.10 \(install Terraform/);
  });

  test("no AWS credentials (none in the environment, none found by `aws configure list`) and no AWS CLI: both named at once", async () => {
    const noCredentials = await runTool("rollout.ts", ["--auto-approve"], { credentials: false });
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.calls).toEqual([]);
    expect(noCredentials.stderr).toContain("aws: no AWS credentials found (run `aws sso login --profile NAME` and set AWS_PROFILE=NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `aws configure list` shows what the CLI finds)");
    const nothing = await runTool("rollout.ts", [], { bins: ["cdktf"], credentials: false });
    expect(nothing.stderr.split("\n").filter((l) => l.startsWith("  "))).toEqual([
      expect.stringMatching(/^  terraform: `terraform` is not on PATH/),
      expect.stringMatching(/^  aws: the AWS CLI is not on PATH; the Kubernetes stacks authenticate with `aws eks get-token`/),
    ]);
  });

  test("a dry run needs no prerequisite", async () => {
    const r = await runTool("rollout.ts", ["--dry-run"], { bins: ["cdktf"], credentials: false });
    expect(r.code).toBe(0);
  });
});

describe("plan --role plan: pull-request plans with the read-only role", () => {
  test("every terraform init and plan gets the plan role (backend override, var.role_arn) and no state lock", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "eks-plan-role-"));
    const r = await runTool("plan.ts", ["--env", "prod", "--stacks", "aws", "--role", "plan", "--out", out, "--output", path.join(out, "synth")]);
    const role = "arn:aws:iam::222222222222:role/eks-planner";
    const init = `'-backend-config=assume_role={role_arn="${role}"}'`;
    const plan = `-var=role_arn=${role} -lock=false`;
    expect(r.calls.filter((c) => c.startsWith("terraform"))).toEqual([
      `terraform init -input=false [TF_CLI_ARGS_init=${init}] [TF_CLI_ARGS_plan=${plan}]`,
      `terraform plan -input=false -lock-timeout=120s -out=${path.join(out, "prod-aws.tfplan")} [TF_CLI_ARGS_init=${init}] [TF_CLI_ARGS_plan=${plan}]`,
      `terraform show -json ${path.join(out, "prod-aws.tfplan")} [TF_CLI_ARGS_init=${init}] [TF_CLI_ARGS_plan=${plan}]`,
    ]);
  });

  test("--stacks kubernetes plans the controllers and k8s stacks only, with the deploy role by default", async () => {
    const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-synth-"));
    const r = await runTool("plan.ts", ["--env", "prod", "--stacks", "kubernetes", "--output", synthDir]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([`cdktf synth --output ${synthDir}`, ...["prod-controllers", "prod-k8s"].map((s) => `cdktf diff ${s} --skip-synth --output ${synthDir}`)]);
  });

  test("an environment without account.planRoleArn cannot plan with --role plan (exit 1, nothing run)", async () => {
    const noPlanRole = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eks-envs-")), "envs.json");
    const { prod } = await import("../fixtures/environments/prod");
    const { planRoleArn: _unused, ...account } = prod.account;
    fs.writeFileSync(noPlanRole, JSON.stringify([{ ...prod, account }]));
    const r = await runToolWith({ EKS_ENVIRONMENTS: noPlanRole }, "plan.ts", ["--env", "prod", "--role", "plan"]);
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.stderr).toContain("prod: account.planRoleArn: is not set, so there is no read-only role to plan with");
  });
});

describe("rollout --upgrade: the control plane, then the add-ons that need no nodes, then the rollout (issue 12)", () => {
  const stackJson = {
    resource: {
      aws_eks_cluster: { cluster_cluster: { name: "acme-prod", version: "1.35" } },
      aws_eks_addon: {
        "addon-vpc-cni_addon": { addon_name: "vpc-cni" },
        "addon-kube-proxy_addon": { addon_name: "kube-proxy" },
        "addon-coredns_addon": { addon_name: "coredns", depends_on: ["aws_eks_node_group.node-group-general_node-group"] },
      },
    },
  };
  const prepared = () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "eks-upgrade-"));
    fs.mkdirSync(path.join(out, "stacks", "prod-aws"), { recursive: true });
    fs.writeFileSync(path.join(out, "stacks", "prod-aws", "cdk.tf.json"), JSON.stringify(stackJson));
    return out;
  };

  test("runs the targeted applies in EKS's order, then every stack of the environment", async () => {
    const out = prepared();
    const r = await runTool("rollout.ts", ["--env", "prod", "--upgrade", "--auto-approve", "--output", out]);
    expect(r.code).toBe(0);
    const dir = path.join(out, "stacks", "prod-aws");
    expect(r.calls).toEqual([
      `cdktf synth --output ${out}`,
      `terraform -chdir=${dir} init -input=false`,
      `terraform -chdir=${dir} apply -input=false -auto-approve -target=aws_eks_cluster.cluster_cluster`,
      `terraform -chdir=${dir} apply -input=false -auto-approve -target=aws_eks_addon.addon-kube-proxy_addon -target=aws_eks_addon.addon-vpc-cni_addon`,
      ...["prod-aws", "prod-controllers", "prod-k8s"].map((s) => `cdktf deploy ${s} --skip-synth --ignore-missing-stack-dependencies --auto-approve --output ${out}`),
    ]);
  });

  test("a failed control-plane update stops everything after it", async () => {
    const out = prepared();
    const r = await runTool("rollout.ts", ["--env", "prod", "--upgrade", "--output", out], { failOn: "-target=aws_eks_cluster.cluster_cluster" });
    expect(r.code).toBe(1);
    expect(r.calls.at(-1)).toBe(`terraform -chdir=${path.join(out, "stacks", "prod-aws")} apply -input=false -target=aws_eks_cluster.cluster_cluster`);
    expect(r.stderr).toContain('FAILED at the upgrade step "control plane" of prod; nothing after it was run');
  });

  test("an upgrade is one environment's change: --upgrade without one --env is a usage error", async () => {
    const r = await runTool("rollout.ts", ["--upgrade", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
  });
});
