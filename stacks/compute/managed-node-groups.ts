import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ClusterAddon } from "../../modules/cluster-addon";
import { HelmChart } from "../../modules/helm-chart";
import { ManagedNodeGroup } from "../../modules/managed-node-group";
import { PodIdentityRole } from "../../modules/pod-identity-role";
import { eksClusterArn, managedPolicyArn, serviceTrustPolicy, type PodIdentityTrustScope } from "../../modules/private/aws";
import type { ComputeFlavor } from "../../modules/private/compute-flavor";
import { ebsKmsUsePolicy, loadBalancerControllerPolicy } from "../../modules/private/iam-policies";
import { awsNames } from "../derived-names";
import type { Environment, ManagedCompute, NodePoolConfig } from "../environment-schema";
import { CORE_ADDONS } from "../limits";
import type { AwsComputeContext, Compute, ControllersContext, NodeClassContext, NodeClassObject } from "./index";
import { KarpenterLayer } from "./karpenter";

/** The AWS Load Balancer Controller's service account, as its Helm chart names it. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" };

/**
 * The AWS Load Balancer Controller chart. Its values keys are checked against
 * modules/private/chart-values/ (values.yaml of the pinned version).
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v2.14.0/helm/aws-load-balancer-controller/values.yaml
 */
export const LOAD_BALANCER_CONTROLLER_CHART = { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller" };

/**
 * EKS managed node groups: fixed-size groups Terraform owns (a system group, and static groups for special
 * hardware), the core add-ons with their own Pod Identity roles, the AWS Load Balancer Controller; with node pools,
 * open-source Karpenter on top (karpenter.ts), which launches the pools' nodes without the Auto Mode fee.
 */
export class ManagedNodeGroupsCompute implements Compute {
  readonly autoMode = undefined;
  /** Present when the environment has node pools. */
  readonly karpenter?: KarpenterLayer;

  constructor(
    private readonly env: Environment,
    private readonly compute: ManagedCompute,
    readonly flavor: ComputeFlavor,
  ) {
    // Explicit (karpenter.enabled), so pools and Karpenter leave in two changes: NodePools first, while the
    // controller can still drain their nodes and clear their finalizers.
    if (compute.karpenter.enabled) this.karpenter = new KarpenterLayer(env, compute.karpenter, flavor);
  }

  addAws(ctx: AwsComputeContext): void {
    const { env, compute } = this;
    const c = env.cluster;
    const { scope, partition, ebsKey } = ctx;
    const clusterName = ctx.cluster.name;
    const addonConfig = (name: string) => c.addons[name] ?? {};
    // Pod Identity roles trust this account's associations of this cluster only.
    const trustScope: PodIdentityTrustScope = { accountId: env.account.id, clusterArn: eksClusterArn(partition, env.account.region, env.account.id, c.name) };
    const names = awsNames(c.name);
    const addon = (name: string, extra: Partial<ConstructorParameters<typeof ClusterAddon>[2]> = {}) =>
      new ClusterAddon(scope, `addon-${name}`, {
        clusterName,
        addonName: name,
        version: addonConfig(name).version ?? ctx.defaultAddonVersion(name),
        configuration: addonConfig(name).configuration,
        ...extra,
      });

    // Networking first: nodes stay NotReady until the VPC CNI runs on them.
    const podIdentityAgent = addon("eks-pod-identity-agent");
    const vpcCni = addon("vpc-cni", {
      // The CNI policy on the add-on's own role, not on every node. https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
      podIdentity: { roleName: names.vpcCniRole, namespace: "kube-system", serviceAccount: "aws-node", managedPolicyArns: [managedPolicyArn(partition, "AmazonEKS_CNI_Policy")], trustScope },
      dependsOn: [podIdentityAgent.addon],
    });
    const kubeProxy = addon("kube-proxy");

    // https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
    const nodeRole = new IamRole(scope, "node-role", { name: names.nodeRole, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
    const nodeRoleAttachments = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"].map(
      (p) => new IamRolePolicyAttachment(scope, `node-role-${p}`, { role: nodeRole.name, policyArn: managedPolicyArn(partition, p) }),
    );

    // Node groups are Terraform's to size (nothing scales them: Karpenter adds its own nodes, it never resizes groups).
    const groups = Object.entries(compute.nodeGroups).map(
      ([name, g]) =>
        new ManagedNodeGroup(scope, `node-group-${name}`, {
          clusterName,
          namePrefix: c.name,
          kubernetesVersion: ctx.cluster.resource.version,
          nodeGroupName: name,
          nodeRoleArn: nodeRole.arn,
          subnetIds: g.subnetIds ?? c.subnetIds,
          instanceTypes: g.instanceTypes,
          capacityType: g.capacityType,
          amiType: g.amiType,
          minSize: g.minSize,
          maxSize: g.maxSize,
          desiredSize: g.desiredSize,
          diskSizeGiB: g.diskSizeGiB,
          maxUnavailable: g.maxUnavailable,
          labels: g.labels,
          taints: g.taints,
          tags: env.tags,
          dependsOn: [vpcCni.addon, podIdentityAgent.addon, kubeProxy.addon, ...nodeRoleAttachments],
        }),
    );
    const afterNodes = groups.map((g) => g.nodeGroup);

    // Deployments need nodes to become ACTIVE.
    addon("coredns", { dependsOn: afterNodes });
    addon("aws-ebs-csi-driver", {
      podIdentity: {
        roleName: names.ebsCsiRole,
        trustScope,
        namespace: "kube-system",
        serviceAccount: "ebs-csi-controller-sa",
        managedPolicyArns: [managedPolicyArn(partition, "service-role/AmazonEBSCSIDriverPolicy")],
        inlinePolicies: ebsKey ? { "ebs-key": ebsKmsUsePolicy(ebsKey.key.arn) } : undefined,
      },
      dependsOn: afterNodes,
    });
    for (const name of Object.keys(c.addons)) {
      if ((CORE_ADDONS as readonly string[]).includes(name)) continue;
      addon(name, { dependsOn: afterNodes });
    }

    // The AWS Load Balancer Controller serves TargetGroupBindings and IngressClasses on node groups.
    new PodIdentityRole(scope, "load-balancer-controller", {
      clusterName,
      roleName: names.loadBalancerControllerRole,
      trustScope,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      inlinePolicies: { "aws-load-balancer-controller": loadBalancerControllerPolicy(partition, c.name) },
    });

    this.karpenter?.addAws(ctx, trustScope);
  }

  addControllers(ctx: ControllersContext): void {
    // Its IAM role and Pod Identity association are in the AWS stack: no service account annotation.
    new HelmChart(ctx.scope, "aws-load-balancer-controller", {
      releaseName: "aws-load-balancer-controller",
      ...LOAD_BALANCER_CONTROLLER_CHART,
      version: this.compute.loadBalancerController.chartVersion,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      createNamespace: false,
      values: {
        clusterName: ctx.clusterName,
        region: ctx.env.account.region,
        vpcId: ctx.env.cluster.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        // The Kubernetes stack owns IngressClass and IngressClassParams in both compute modes
        // (modules/alb-ingress-class.ts). The chart creates both by default, named `alb`, and
        // kubernetes_ingress_class_v1 / kubernetes_manifest then fail on the existing objects.
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        // Makes this controller take every new Service of type LoadBalancer, with failurePolicy
        // Fail: Service creation fails cluster-wide while the controller is down. This platform
        // binds target groups (TargetGroupBinding) and creates no LoadBalancer Services.
        enableServiceMutatorWebhook: false,
      },
    });
    this.karpenter?.addControllers(ctx);
  }

  nodeClass(name: string, pool: NodePoolConfig, ctx: NodeClassContext): NodeClassObject {
    // The rules refuse node pools without Karpenter's settings, so this holds for every validated environment.
    if (!this.karpenter) throw new Error(`${this.env.name}: node pool ${name} without Karpenter`);
    return this.karpenter.nodeClass(name, pool, ctx);
  }
}
