import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { PodIdentityRole, type PodIdentityRoleProps } from "./pod-identity-role";

export interface ClusterAddonProps {
  readonly clusterName: string;
  /** @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html */
  readonly addonName: string;
  /** Exact version; EKS's default for the cluster version when absent. */
  readonly version?: string;
  /** JSON configuration values. */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * AWS permissions for the add-on's service account, granted through EKS Pod Identity. `namespace` must be the one
   * the add-on installs into (kube-system by default): the role's trust policy only accepts that namespace's session tag.
   */
  readonly podIdentity?: Omit<PodIdentityRoleProps, "clusterName" | "associate">;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS add-on, optionally with its own IAM role bound by Pod Identity (no node-wide
 * permissions, no IRSA OIDC provider).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/add-ons-iam.html
 */
export class ClusterAddon extends Construct {
  readonly addon: EksAddon;
  readonly role?: PodIdentityRole;

  constructor(scope: Construct, id: string, props: ClusterAddonProps) {
    super(scope, id);
    if (props.podIdentity) {
      // The add-on creates the association itself (pod_identity_association block).
      this.role = new PodIdentityRole(this, "role", { ...props.podIdentity, clusterName: props.clusterName, associate: false });
    }
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.version,
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      podIdentityAssociation: this.role
        ? [{ roleArn: this.role.role.arn, serviceAccount: props.podIdentity!.serviceAccount }]
        : undefined,
      dependsOn: props.dependsOn,
    });
  }
}
