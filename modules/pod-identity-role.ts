import { Construct } from "constructs";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { podIdentityTrustPolicy, type PodIdentityTrustScope } from "./private/aws";

export interface PodIdentityRoleProps {
  readonly clusterName: string;
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policy documents by name. @default {} */
  readonly inlinePolicies?: Readonly<Record<string, string>>;
  /** Create the Pod Identity association (false when an add-on creates it). @default true */
  readonly associate?: boolean;
  /**
   * Pins the trust policy to this account and cluster (`aws:SourceAccount`, `aws:RequestTag/eks-cluster-arn`), from
   * literal configuration values. Without it the role is limited to its namespace and service account only, in
   * any cluster of the account.
   */
  readonly trustScope?: PodIdentityTrustScope;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity, which also works in
 * Auto Mode where the IMDS hop limit keeps pods from node credentials.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: podIdentityTrustPolicy({ namespace: props.namespace, name: props.serviceAccount }, props.trustScope),
    });
    for (const arn of props.managedPolicyArns ?? []) {
      new IamRolePolicyAttachment(this, arn.split("/").pop()!, { role: this.role.name, policyArn: arn });
    }
    for (const [name, policy] of Object.entries(props.inlinePolicies ?? {})) {
      new IamRolePolicy(this, `inline-${name}`, { role: this.role.name, name, policy });
    }
    if (props.associate ?? true) {
      new EksPodIdentityAssociation(this, "association", {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
    }
  }
}
