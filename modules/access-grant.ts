import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { accessPolicyArn } from "./private/aws";

export interface AccessPolicyGrant {
  /** EKS access policy name, e.g. `AmazonEKSViewPolicy`. @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
  readonly policy: string;
  /** Namespace scope; cluster scope when absent. */
  readonly namespaces?: readonly string[];
}

export interface AccessGrantProps {
  readonly clusterName: string;
  /** IAM role or user, in any account (cross-account access needs no aws-auth). */
  readonly principalArn: string;
  /** @default "STANDARD" */
  readonly type?: string;
  /** Kubernetes groups for RBAC bindings; never set for node types (EKS manages those). @default [] */
  readonly kubernetesGroups?: readonly string[];
  /** @default - the principal's ARN-derived name */
  readonly userName?: string;
  /** @default [] */
  readonly policies?: readonly AccessPolicyGrant[];
  readonly partition: string;
}

/**
 * An access entry and its policy associations.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 */
export class AccessGrant extends Construct {
  readonly entry: EksAccessEntry;

  constructor(scope: Construct, id: string, props: AccessGrantProps) {
    super(scope, id);
    const type = props.type ?? "STANDARD";
    const groups = props.kubernetesGroups ?? [];
    this.entry = new EksAccessEntry(this, "entry", {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      type,
      // Node-type entries get their group from EKS; setting it diffs forever (terraform-aws-eks #2896).
      kubernetesGroups: type === "STANDARD" && groups.length > 0 ? [...groups] : undefined,
      userName: props.userName,
    });
    for (const grant of props.policies ?? []) {
      // Keyed by policy name: adding or removing a policy never moves another association.
      new EksAccessPolicyAssociation(this, grant.policy, {
        clusterName: props.clusterName,
        principalArn: this.entry.principalArn,
        policyArn: accessPolicyArn(props.partition, grant.policy),
        accessScope: grant.namespaces
          ? { type: "namespace", namespaces: [...grant.namespaces] }
          : { type: "cluster" },
      });
    }
  }
}
