import type { Environment } from "./environment-schema";

// Kept free of cdktf: `npm run -s connect` prints this without synthesizing.

/**
 * The command that adds an environment's cluster to ~/.kube/config (or $KUBECONFIG): kubectl then
 * authenticates through the deploy role, the identity the cluster grants admin access
 * (stacks/aws-stack.ts access entry), and the context is named after the environment.
 * `--alias` names the context (default: the cluster ARN). The stack output `kubeconfig_command`
 * and `npm run -s connect` print the same line. No quoting: the schema admits only characters the
 * shell takes literally in cluster names (CLUSTER_NAME), regions, role ARNs (IAM_ROLE_ARN) and
 * environment names (ENV_NAME).
 * @see https://docs.aws.amazon.com/cli/latest/reference/eks/update-kubeconfig.html
 */
export function kubeconfigCommand(env: Pick<Environment, "name"> & { readonly cluster: Pick<Environment["cluster"], "name">; readonly account: Pick<Environment["account"], "region" | "deployRoleArn"> }): string {
  return [
    "aws", "eks", "update-kubeconfig",
    "--name", env.cluster.name,
    "--region", env.account.region,
    "--role-arn", env.account.deployRoleArn,
    "--alias", env.name,
  ].join(" ");
}
