import type { Environment } from "./environment-schema";

// Kept free of cdktf: `npm run connect` prints this without synthesizing.

/**
 * The command that adds an environment's cluster to the caller's kubeconfig, authenticating as
 * the deploy role (the role with an access entry). `--alias` names the context after the
 * environment, so `kubectl --context prod` reads as what it is.
 * @see https://awscli.amazonaws.com/v2/documentation/api/latest/reference/eks/update-kubeconfig.html
 */
export function updateKubeconfigCommand(env: Pick<Environment, "name" | "account" | "cluster">, roleArn: string = env.account.deployRoleArn): string {
  return [
    "aws eks update-kubeconfig",
    `--name ${env.cluster.name}`,
    `--region ${env.account.region}`,
    `--role-arn ${roleArn}`,
    `--alias ${env.name}`,
  ].join(" ");
}
