/**
 * Turns environments into an ordered list of deploy steps and runs them, stopping at the first
 * failure. Pure planning (testable without Terraform) is kept apart from running commands.
 */
import { spawnSync } from "node:child_process";
import type { Environment } from "../../stacks/environment-schema";
import { stackName, type StackKind } from "../../stacks/stack-names";
import { COMPUTE_FLAVORS } from "../../modules/private/compute-flavor";
import { UsageError } from "./cli";

/** Waves the deploy workflow has jobs for (.github/workflows/deploy.yml). */
export const WORKFLOW_WAVES = [1, 2, 3];

export interface Step {
  readonly env: string;
  readonly wave: number;
  readonly stack: string;
  /** argv for the cdktf CLI. */
  readonly args: readonly string[];
}

export interface Selection {
  readonly wave?: number;
  readonly envs?: readonly string[];
}

/**
 * Which stacks of an environment: `aws` calls AWS APIs only (any runner); `kubernetes` (controllers
 * and k8s stacks) calls the cluster's API server, so CI runs it where the endpoint is reachable
 * (config ci.kubernetesRunsOn).
 */
export type StackGroup = "aws" | "kubernetes" | "all";
export const STACK_GROUPS: readonly StackGroup[] = ["all", "aws", "kubernetes"];

/** The stacks of an environment, in the order they must deploy. */
export function stacksOf(env: Environment, group: StackGroup = "all"): string[] {
  const kinds: StackKind[] = COMPUTE_FLAVORS[env.cluster.compute.mode].installsLoadBalancerController ? ["aws", "controllers", "k8s"] : ["aws", "k8s"];
  return kinds.filter((k) => group === "all" || (group === "aws") === (k === "aws")).map((k) => stackName(env, k));
}

/** `--stacks` as given on a command line. */
export function stackGroupOption(value: string | undefined): StackGroup {
  const v = value ?? "all";
  if (!(STACK_GROUPS as readonly string[]).includes(v)) throw new UsageError(`--stacks must be one of ${STACK_GROUPS.join(", ")} (got ${JSON.stringify(v)})`);
  return v as StackGroup;
}

/** Environments of the selection: waves ascending, names ascending inside a wave. */
export function selectEnvironments(envs: readonly Environment[], selection: Selection): Environment[] {
  const unknown = (selection.envs ?? []).filter((n) => !envs.some((e) => e.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown environment ${unknown.map((n) => `"${n}"`).join(", ")} (known: ${envs.map((e) => e.name).join(", ")})`);
  const picked = envs.filter((e) => (selection.wave === undefined || e.rolloutWave === selection.wave) && (!selection.envs?.length || selection.envs.includes(e.name)));
  if (picked.length === 0) throw new UsageError(`no environment matches${selection.wave !== undefined ? ` wave ${selection.wave}` : ""}${selection.envs?.length ? ` and ${selection.envs.join(", ")}` : ""}`);
  return [...picked].sort((a, b) => a.rolloutWave - b.rolloutWave || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface DeployOptions {
  /** Pass `--auto-approve` (CI; protected environments are gated by the workflow's approval). */
  readonly autoApprove: boolean;
  /** @default "all" */
  readonly stacks?: StackGroup;
}

/**
 * One `cdktf deploy` per stack, after a single synth: a failure then names exactly the stack that
 * failed, and nothing after it runs.
 */
export function rolloutSteps(envs: readonly Environment[], options: DeployOptions): Step[] {
  return envs.flatMap((env) =>
    stacksOf(env, options.stacks).map((stack) => ({
      env: env.name,
      wave: env.rolloutWave,
      stack,
      args: [
        "deploy", stack,
        "--skip-synth",
        // Earlier stacks of this environment were deployed by the steps before.
        "--ignore-missing-stack-dependencies",
        ...(options.autoApprove ? ["--auto-approve"] : []),
      ],
    })),
  );
}

export interface CommandResult {
  readonly status: number;
}
export type Runner = (command: string, args: readonly string[]) => CommandResult;

/** Runs a command with inherited stdio (users see Terraform's own output). */
export const spawnRunner: Runner = (command, args) => {
  const r = spawnSync(command, [...args], { stdio: "inherit", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.error) throw r.error;
  return { status: r.status ?? 1 };
};

export interface RolloutOutcome {
  readonly ran: { step: Step; status: number; seconds: number }[];
  readonly failed?: Step;
  readonly notRun: Step[];
}

/** Runs the steps in order and stops at the first failure. */
export function runSteps(cdktf: string, steps: readonly Step[], run: Runner, log: (line: string) => void): RolloutOutcome {
  const ran: RolloutOutcome["ran"] = [];
  for (const [i, step] of steps.entries()) {
    log(`==> [wave ${step.wave}] ${step.env}: ${cdktf} ${step.args.join(" ")}`);
    const started = Date.now();
    const { status } = run(cdktf, step.args);
    const seconds = (Date.now() - started) / 1000;
    ran.push({ step, status, seconds });
    if (status !== 0) return { ran, failed: step, notRun: steps.slice(i + 1) };
  }
  return { ran, notRun: [] };
}

export interface CommandStep {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The steps of a Kubernetes version upgrade that come before the normal rollout of the environment,
 * in the order EKS documents (update-cluster.html): the control plane alone, then the add-ons that do
 * not need nodes; the rollout of the AWS stack then updates the node groups and the add-ons that wait
 * for them, and the Kubernetes stacks follow. Each is a targeted `terraform apply` of the synthesized
 * AWS stack; the review prints the same plan (tools/lib/eks-rules.ts upgradePlan).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html
 */
export function upgradeSteps(awsStack: { resource?: Record<string, Record<string, { depends_on?: string[] }>> }, stackDir: string, terraform: string, autoApprove: boolean): CommandStep[] {
  const resources = awsStack.resource ?? {};
  const cluster = Object.keys(resources.aws_eks_cluster ?? {}).map((n) => `aws_eks_cluster.${n}`);
  if (cluster.length !== 1) throw new UsageError(`--upgrade: ${stackDir} has ${cluster.length} aws_eks_cluster resources, expected one`);
  const needsNodes = (body: { depends_on?: string[] }) => (body.depends_on ?? []).some((d) => d.startsWith("aws_eks_node_group."));
  const early = Object.entries(resources.aws_eks_addon ?? {})
    .filter(([, body]) => !needsNodes(body))
    .map(([n]) => `aws_eks_addon.${n}`)
    .sort();
  const apply = (targets: string[]) => ["-chdir=" + stackDir, "apply", "-input=false", ...(autoApprove ? ["-auto-approve"] : []), ...targets.map((t) => `-target=${t}`)];
  return [
    { label: "init the AWS stack", command: terraform, args: ["-chdir=" + stackDir, "init", "-input=false"] },
    { label: "control plane", command: terraform, args: apply(cluster) },
    ...(early.length > 0 ? [{ label: "add-ons that do not need nodes", command: terraform, args: apply(early) }] : []),
  ];
}
