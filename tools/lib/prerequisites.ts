/**
 * What plan and rollout need before they synthesize anything, checked cheaply (no network):
 * Terraform ≥ 1.10 on PATH, the AWS CLI on PATH, and AWS credentials the CLI and the providers
 * can find. Every missing piece is reported at once, each with its fix.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { CliError } from "./cli";

/**
 * The S3 backend's `use_lockfile` (S3-native state locking, stacks/environment-stack.ts) needs
 * Terraform 1.10.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#state-locking
 * @see https://github.com/hashicorp/terraform/releases/tag/v1.10.0
 */
export const MIN_TERRAFORM: readonly [number, number] = [1, 10];

/** The executable `command` resolves to (a path, or a name looked up on PATH), or undefined. */
export function which(command: string, path = process.env.PATH ?? ""): string | undefined {
  const candidates = command.includes("/") || isAbsolute(command) ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `1.11.4` → [1, 11, 4]; undefined when it is no version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** A problem with Terraform: missing, unreadable version, or too old; undefined when fine. */
export function checkTerraform(bin: string): string | undefined {
  const install = `install Terraform ≥ ${MIN_TERRAFORM.join(".")} (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BIN`;
  const file = which(bin);
  if (file === undefined) return `terraform: \`${bin}\` is not on PATH (${install})`;
  // `terraform version -json` needs no plugins, no state and no network.
  // https://developer.hashicorp.com/terraform/cli/commands/version
  const r = spawnSync(file, ["version", "-json"], { encoding: "utf8", timeout: 30_000, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  let version: string | undefined;
  try {
    version = (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    version = undefined;
  }
  const parsed = version === undefined ? undefined : parseVersion(version);
  if (parsed === undefined) return `terraform: \`${file} version -json\` printed no version (${install})`;
  const [major, minor] = parsed;
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    return `terraform: ${file} is ${version}; the S3 state locking (use_lockfile) needs ≥ ${MIN_TERRAFORM.join(".")} (${install})`;
  }
  return undefined;
}

/** Environment variables through which the AWS CLI and SDKs find credentials without a config file. */
function credentialsFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return "AWS_ACCESS_KEY_ID";
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return "AWS_WEB_IDENTITY_TOKEN_FILE";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "AWS_CONTAINER_CREDENTIALS_*";
  return undefined;
}

/**
 * A problem with the AWS CLI or credentials; undefined when fine. The CLI is needed by the
 * Kubernetes and Helm providers (`aws eks get-token`, stacks/cluster-connection.ts). Credentials:
 * environment variables, else what `aws configure list` resolves (profile, SSO, config files;
 * local, no AWS call). Whether they are valid, and the state bucket reachable, only AWS can tell.
 * @see https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html
 * @see https://docs.aws.amazon.com/cli/latest/reference/configure/list.html
 */
export function checkAws(bin = "aws", env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = which(bin, env.PATH);
  if (file === undefined) {
    return `aws: the AWS CLI is not on PATH; the Kubernetes stacks authenticate with \`aws eks get-token\` (install it: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)`;
  }
  if (credentialsFromEnv(env)) return undefined;
  const r = spawnSync(file, ["configure", "list"], { encoding: "utf8", timeout: 30_000, env });
  const accessKey = /^\s*access_key\s+(\S+)/m.exec(r.stdout ?? "")?.[1];
  if (r.status === 0 && accessKey !== undefined && accessKey !== "<not" && accessKey !== "<not set>") return undefined;
  const detail = r.status === 0 ? "" : `: \`aws configure list\` failed: ${(r.stderr || r.stdout || String(r.error ?? "")).trim().split("\n").at(-1)}`;
  return `aws: no AWS credentials found${detail} (run \`aws sso login --profile NAME\` and set AWS_PROFILE=NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; \`aws configure list\` shows what the CLI finds)`;
}

/** Every prerequisite problem of a command that runs Terraform against AWS, in a fixed order. */
export function deployPrerequisites(terraformBin: string): string[] {
  return [checkTerraform(terraformBin), checkAws()].filter((p): p is string => p !== undefined);
}

/**
 * Before synth, for plan and rollout: the cdktf CLI, Terraform ≥ 1.10, the AWS CLI and credentials.
 * A missing tool must not cost a synth first, nor fail halfway through the stacks.
 * @throws CliError (exit 1) listing everything missing, each with its fix.
 */
export function requireDeployTools(tool: "plan" | "rollout", cdktf: string, terraform: string): void {
  const missing = [
    ...(which(cdktf) ? [] : [`cdktf: \`${cdktf}\` is not on PATH (run \`npm install\`, and start the ${tool} with \`npm run ${tool}\`, or set CDKTF_BIN)`]),
    ...deployPrerequisites(terraform),
  ];
  if (missing.length > 0) throw new CliError(`missing prerequisites, nothing was run:\n${missing.map((m) => `  ${m}`).join("\n")}`, 1);
}
