/**
 * A throwaway git repository with a stand-in cdktf app, for the review tests: `main.mjs`
 * writes cdktf's output layout (manifest.json + stacks/<stack>/cdk.tf.json) from
 * `stacks.json`, so a commit is "the app synthesizes this" and a synth takes milliseconds.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type JsonObject = Record<string, unknown>;

export const FAKE_APP = `// Stand-in for main.ts: writes what cdktf's App.synth() writes, from stacks.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const out = process.env.CDKTF_OUTDIR ?? "cdktf.out";
const stacks = JSON.parse(readFileSync("stacks.json", "utf8"));
const manifest = { version: "0.21.0", stacks: {} };
for (const [name, json] of Object.entries(stacks)) {
  mkdirSync(join(out, "stacks", name), { recursive: true });
  writeFileSync(join(out, "stacks", name, "cdk.tf.json"), JSON.stringify(json, null, 2));
  manifest.stacks[name] = { name, synthesizedStackPath: "stacks/" + name + "/cdk.tf.json" };
}
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
`;

export const FAKE_SYNTH = "node main.mjs";

/** A Terraform reference expression, `${aws_eks_cluster.main.name}`. */
const ref = (address: string, attr: string) => "${" + address + "." + attr + "}";

const meta = (stack: string, id: string) => ({ metadata: { path: `${stack}/${id}`, uniqueId: id } });

export interface AwsStackOptions {
  readonly env: string;
  readonly protected: boolean;
  readonly clusterId?: string;
  readonly clusterName?: string;
  readonly nodeGroupMaxSize?: number;
}

/** An AWS stack the way cdktf writes it: `"//"` metadata, lifecycle on protected resources. */
export function awsStack(o: AwsStackOptions): JsonObject {
  const stack = `${o.env}-aws`;
  const lifecycle = o.protected ? { lifecycle: { prevent_destroy: true } } : {};
  return {
    "//": {
      environment: { name: o.env, protected: o.protected },
      metadata: { backend: "local", stackName: stack, version: "0.21.0" },
    },
    provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] },
    resource: {
      aws_eks_cluster: {
        [o.clusterId ?? "main"]: {
          "//": meta(stack, o.clusterId ?? "main"),
          name: o.clusterName ?? o.env,
          role_arn: "${aws_iam_role.cluster.arn}",
          bootstrap_self_managed_addons: false,
          vpc_config: { subnet_ids: ["subnet-a", "subnet-b"] },
          ...lifecycle,
        },
      },
      aws_eks_node_group: {
        default: {
          "//": meta(stack, "default"),
          cluster_name: ref(`aws_eks_cluster.${o.clusterId ?? "main"}`, "name"),
          node_group_name: "default",
          node_role_arn: "${aws_iam_role.node.arn}",
          subnet_ids: ["subnet-a", "subnet-b"],
          scaling_config: { desired_size: 2, max_size: o.nodeGroupMaxSize ?? 3, min_size: 1 },
          lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
        },
      },
      aws_iam_role: {
        cluster: { "//": meta(stack, "cluster"), name: `${o.env}-cluster`, assume_role_policy: "{}" },
        node: { "//": meta(stack, "node"), name: `${o.env}-node`, assume_role_policy: "{}" },
      },
    },
    terraform: {
      backend: { local: { path: `/somewhere/terraform.${stack}.tfstate` } },
      required_providers: { aws: { source: "aws", version: "6.25.0" } },
    },
  };
}

export interface FixtureRepo {
  readonly dir: string;
  /** Writes stacks.json (the app's "configuration"). */
  write(stacks: Record<string, JsonObject>): void;
  /** Commits everything and returns the commit id. */
  commit(message: string): string;
  git(...args: string[]): string;
  remove(): void;
}

export function createFixtureRepo(): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), "eks-review-fixture-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch=main");
  writeFileSync(join(dir, "main.mjs"), FAKE_APP);
  writeFileSync(join(dir, ".gitignore"), "node_modules\ncdktf.out/\n");
  return {
    dir,
    write: (stacks) => writeFileSync(join(dir, "stacks.json"), `${JSON.stringify(stacks, null, 2)}\n`),
    commit: (message) => {
      git("add", "-A");
      git("commit", "--quiet", "-m", message);
      return git("rev-parse", "HEAD");
    },
    git,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Kubernetes stack as cdktf writes it: one Helm release, a static PV + claim, the StorageClass, a TargetGroupBinding. */
export function k8sStack(o: { env: string }): JsonObject {
  const stack = `${o.env}-k8s`;
  return {
    "//": { metadata: { backend: "local", stackName: stack, version: "0.21.0" } },
    resource: {
      helm_release: { argocd: { "//": meta(stack, "argocd"), name: "argocd", namespace: "argocd", chart: "argo-cd", version: "7.8.0" } },
      kubernetes_storage_class_v1: {
        default: {
          "//": meta(stack, "default"),
          metadata: { name: "ebs-gp3" },
          storage_provisioner: "ebs.csi.aws.com",
          reclaim_policy: "Delete",
          volume_binding_mode: "WaitForFirstConsumer",
          parameters: { type: "gp3", encrypted: "true" },
        },
      },
      kubernetes_persistent_volume_v1: {
        data: {
          "//": meta(stack, "data"),
          metadata: { name: `${o.env}-data` },
          spec: [{ capacity: { storage: "500Gi" }, access_modes: ["ReadWriteOnce"], persistent_volume_source: { csi: { driver: "ebs.csi.aws.com", volume_handle: "vol-1" } } }],
        },
      },
      kubernetes_persistent_volume_claim_v1: {
        data: { "//": meta(stack, "claim"), metadata: { name: "data", namespace: "monitoring" }, spec: { access_modes: ["ReadWriteOnce"], volume_name: `${o.env}-data` } },
      },
      kubernetes_manifest: {
        binding: {
          "//": meta(stack, "binding"),
          manifest: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "web", namespace: "web" }, spec: { targetType: "ip" } },
        },
      },
    },
  };
}
