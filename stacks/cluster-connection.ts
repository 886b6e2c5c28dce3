import { Fn } from "cdktf";
import type { Environment } from "./environment-schema";

export interface ClusterConnection {
  readonly host: string;
  readonly clusterCaCertificate: string;
  readonly exec: { readonly apiVersion: string; readonly command: string; readonly args: string[] };
}

/**
 * How the kubernetes and helm providers reach a cluster: endpoint and CA from the AWS stack, and a
 * fresh token from `aws eks get-token` on every call through the deploy role (a static token
 * expires mid-apply).
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins
 */
export function clusterConnection(env: Environment, endpoint: string, certificateAuthorityData: string, roleArn: string): ClusterConnection {
  return {
    host: endpoint,
    clusterCaCertificate: Fn.base64decode(certificateAuthorityData),
    exec: {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: [
        "eks", "get-token",
        "--cluster-name", env.cluster.name,
        "--region", env.account.region,
        // The run's role (stack variable role_arn): the deploy role, or the plan role for read-only plans.
        "--role-arn", roleArn,
        "--output", "json",
      ],
    },
  };
}
