/**
 * Small pure helpers shared by the AWS-side modules: partitions, ARNs, IAM documents.
 * Pure functions (no constructs) so they are cheap to test and never shift Terraform addresses.
 */

/** The ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  // The AWS European Sovereign Cloud is a partition of its own. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/** ARN of an AWS managed IAM policy. */
export const managedPolicyArn = (partition: string, name: string) => `arn:${partition}:iam::aws:policy/${name}`;

/** ARN of an EKS access policy. @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const accessPolicyArn = (partition: string, name: string) => `arn:${partition}:eks::aws:cluster-access-policy/${name}`;

/** Trust policy letting an AWS service assume a role, optionally only under `condition`. */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"], condition?: Statement["Condition"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions], ...(condition ? { Condition: condition } : {}) }],
  });
}

/**
 * ARN of an EKS cluster, built from configuration so a role can name its cluster without a
 * Terraform reference (the roles exist before or with the cluster: no cycle, no unknown at plan).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html#amazonelastickubernetesservice-resources-for-iam-policies
 */
export const eksClusterArn = (partition: string, region: string, accountId: string, clusterName: string) =>
  `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`;

/** The account and cluster a Pod Identity role is for, as literal values from configuration. */
export interface PodIdentityTrustScope {
  readonly accountId: string;
  /** `eksClusterArn(...)` of the cluster whose associations may use the role. */
  readonly clusterArn: string;
}

/**
 * Trust policy of an EKS Pod Identity role, limited to one service account and, with `scope`, to one
 * account and cluster.
 * - `sts:AssumeRole` + `sts:TagSession`, principal `pods.eks.amazonaws.com`:
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 * - `aws:RequestTag/kubernetes-namespace`, `.../kubernetes-service-account`, `.../eks-cluster-arn`: session tags
 *   EKS Pod Identity puts on its AssumeRole request; the user guide restricts roles with them ("Setting Conditions"
 *   in pod-id-role.html; tag list in https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html#pod-id-abac-tags).
 *   They require session tags on the association (the default; `disable_session_tags` must stay false).
 * - `aws:SourceAccount` (StringEquals): cross-service confused-deputy guard,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention;
 *   the EKS best practices guide recommends the organization form (aws:SourceOrgId) for Pod Identity roles.
 * - No `aws:SourceArn`: for Pod Identity it is the association's ARN (`podidentityassociation/<cluster>/<id>`), not the
 *   cluster's, the EKS user guide does not document it, and a trust condition on it broke Mountpoint S3 pod-level
 *   credentials (awslabs/mountpoint-s3-csi-driver#781). The cluster is pinned by the `eks-cluster-arn` tag instead.
 */
export function podIdentityTrustPolicy(serviceAccount: { readonly namespace: string; readonly name: string }, scope?: PodIdentityTrustScope): string {
  const requestTags: Record<string, string> = {
    ...(scope ? { "aws:RequestTag/eks-cluster-arn": scope.clusterArn } : {}),
    "aws:RequestTag/kubernetes-namespace": serviceAccount.namespace,
    "aws:RequestTag/kubernetes-service-account": serviceAccount.name,
  };
  return serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], {
    StringEquals: { ...(scope ? { "aws:SourceAccount": scope.accountId } : {}), ...requestTags },
  });
}

/** IAM policy condition variables look like Terraform interpolation: `$${...}` keeps them literal. */
export const iamVariable = (name: string) => `$\${${name}}`;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export const policyDocument = (statements: readonly Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** Tags as a sorted plain object, so synthesized JSON never depends on insertion order. */
export function sortedTags(...sources: (Readonly<Record<string, string>> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const s of sources) Object.assign(merged, s ?? {});
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Tag that lets EKS Auto Mode and its controllers use a resource the stack created. @see https://docs.aws.amazon.com/eks/latest/userguide/auto-elb-example.html */
export const CLUSTER_NAME_TAG = "eks:eks-cluster-name";
