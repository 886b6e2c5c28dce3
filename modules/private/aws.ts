/**
 * Small pure helpers shared by the AWS-side modules: partitions, ARNs, IAM documents.
 * Pure functions (no constructs) so they are cheap to test and never shift Terraform addresses.
 */

/** The ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** ARN of an AWS managed IAM policy. */
export const managedPolicyArn = (partition: string, name: string) => `arn:${partition}:iam::aws:policy/${name}`;

/** ARN of an EKS access policy. @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const accessPolicyArn = (partition: string, name: string) => `arn:${partition}:eks::aws:cluster-access-policy/${name}`;

/** Trust policy letting an AWS service assume a role. */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions] }],
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
