import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { autoModeNodeClass } from "../../modules/auto-mode-node-class";
import { ClusterAddon } from "../../modules/cluster-addon";
import type { AutoModeProps } from "../../modules/eks-cluster";
import type { ComputeFlavor } from "../../modules/private/compute-flavor";
import { ebsKmsUsePolicy } from "../../modules/private/iam-policies";
import type { AutoCompute, Environment, NodePoolConfig } from "../environment-schema";
import type { AwsComputeContext, Compute, NodeClassContext, NodeClassObject } from "./index";

/**
 * EKS Auto Mode: EKS runs the nodes, the core add-ons and the load balancer controller itself; node pools are
 * `eks.amazonaws.com` NodeClasses with the cluster's Auto Mode node role.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export class AutoModeCompute implements Compute {
  readonly autoMode: AutoModeProps;

  constructor(
    private readonly env: Environment,
    compute: AutoCompute,
    readonly flavor: ComputeFlavor,
  ) {
    this.autoMode = {
      builtInNodePools: compute.builtInNodePools,
      customTags: Object.values(env.nodePools).some((p) => Object.keys(p.nodeClass.tags).length > 0),
    };
  }

  addAws(ctx: AwsComputeContext): void {
    // Auto Mode attaches volumes with the cluster role (node groups: with the EBS CSI driver's role).
    if (ctx.ebsKey) {
      new IamRolePolicy(ctx.scope, "cluster-role-ebs-key", { role: ctx.cluster.role.name, name: "ebs-key", policy: ebsKmsUsePolicy(ctx.ebsKey.key.arn) });
    }
    // Add-ons beyond the core ones (rules reject core add-ons in Auto Mode).
    for (const [name, addon] of Object.entries(this.env.cluster.addons)) {
      new ClusterAddon(ctx.scope, `addon-${name}`, { clusterName: ctx.cluster.name, addonName: name, version: addon.version ?? ctx.defaultAddonVersion(name), configuration: addon.configuration });
    }
  }

  nodeClass(name: string, pool: NodePoolConfig, ctx: NodeClassContext): NodeClassObject {
    return autoModeNodeClass({
      name,
      nodeRoleName: ctx.autoModeNodeRoleName!,
      subnetIds: ctx.env.cluster.subnetIds,
      securityGroupIds: [ctx.clusterSecurityGroupId],
      ephemeralStorageGiB: pool.nodeClass.ephemeralStorageGiB,
      networkPolicy: pool.nodeClass.networkPolicy,
      snatPolicy: pool.nodeClass.snatPolicy,
      tags: pool.nodeClass.tags,
    });
  }
}
