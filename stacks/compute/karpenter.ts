import { ec2NodeClass } from "../../modules/ec2-node-class";
import { KarpenterAws, KarpenterCharts, KARPENTER_INTERRUPTION_EVENTS } from "../../modules/karpenter";
import type { PodIdentityTrustScope } from "../../modules/private/aws";
import type { ComputeFlavor } from "../../modules/private/compute-flavor";
import { awsNames } from "../derived-names";
import type { Environment, ManagedCompute, NodePoolConfig } from "../environment-schema";
import type { AwsComputeContext, ControllersContext, NodeClassContext, NodeClassObject } from "./index";

/**
 * Open-source Karpenter layered on managed node groups (as terraform-aws-eks's `karpenter` submodule and
 * cdk-eks-blueprints' Karpenter add-on layer on theirs): its AWS side in the AWS stack, its charts in the controllers
 * stack (CRDs before any NodePool: the Kubernetes stack deploys after it), EC2NodeClasses for the node pools. The
 * controller runs on the node groups (a rule checks some group can host it); its nodes pay no Auto Mode fee.
 */
export class KarpenterLayer {
  private readonly names: ReturnType<typeof awsNames>;

  constructor(
    private readonly env: Environment,
    private readonly settings: ManagedCompute["karpenter"],
    readonly flavor: ComputeFlavor,
  ) {
    this.names = awsNames(env.cluster.name);
  }

  addAws(ctx: AwsComputeContext, trustScope: PodIdentityTrustScope): void {
    const n = this.names;
    new KarpenterAws(ctx.scope, "karpenter", {
      clusterName: ctx.cluster.name,
      clusterNameLiteral: this.env.cluster.name,
      partition: ctx.partition,
      region: this.env.account.region,
      accountId: this.env.account.id,
      nodeRoleName: n.karpenterNodeRole,
      instanceProfileName: n.karpenterInstanceProfile,
      controllerRoleName: n.karpenterControllerRole,
      queueName: n.karpenterQueue,
      eventRuleNames: Object.fromEntries(Object.keys(KARPENTER_INTERRUPTION_EVENTS).map((r) => [r, n.karpenterEventRule(r as keyof typeof KARPENTER_INTERRUPTION_EVENTS)])) as Record<
        keyof typeof KARPENTER_INTERRUPTION_EVENTS,
        string
      >,
      trustScope,
    });
  }

  addControllers(ctx: ControllersContext): void {
    new KarpenterCharts(ctx.scope, "karpenter", { clusterName: ctx.clusterName, chartVersion: this.settings.chartVersion, queueName: this.names.karpenterQueue, region: this.env.account.region });
  }

  nodeClass(name: string, pool: NodePoolConfig, ctx: NodeClassContext): NodeClassObject {
    return ec2NodeClass({
      name,
      instanceProfileName: this.names.karpenterInstanceProfile,
      amiAlias: this.settings.amiAlias,
      subnetIds: ctx.env.cluster.subnetIds,
      securityGroupIds: [ctx.clusterSecurityGroupId],
      rootVolumeGiB: pool.nodeClass.ephemeralStorageGiB,
      tags: pool.nodeClass.tags,
    });
  }
}
