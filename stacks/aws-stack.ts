import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ClusterAddon } from "../modules/cluster-addon";
import { EksCluster } from "../modules/eks-cluster";
import { KmsKeyWithAlias } from "../modules/kms-key-with-alias";
import { ManagedNodeGroup } from "../modules/managed-node-group";
import { PodIdentityRole } from "../modules/pod-identity-role";
import { TaggedEbsVolume } from "../modules/tagged-ebs-volume";
import { WorkloadTargetGroup } from "../modules/workload-target-group";
import { eksClusterArn, managedPolicyArn, partitionOf, serviceTrustPolicy, sortedTags, type PodIdentityTrustScope } from "../modules/private/aws";
import { ebsKmsUsePolicy, loadBalancerControllerPolicy } from "../modules/private/iam-policies";
import { awsNames } from "./derived-names";
import { EnvironmentStack } from "./environment-stack";
import { kubeconfigCommand } from "./kubeconfig";
import type { Environment, ManagedCompute } from "./environment-schema";
import { CORE_ADDONS } from "./limits";

/** The AWS Load Balancer Controller's service account, as its Helm chart names it. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" };

/**
 * The AWS side of an environment: the cluster and everything AWS the Kubernetes stack needs
 * (node role, volumes, target groups, controller roles). Holds no Kubernetes or Helm resource:
 * those need a reachable API server at plan time (terraform-provider-kubernetes #1775).
 */
export class EksAwsStack extends EnvironmentStack {
  readonly cluster: EksCluster;
  readonly volumes: Readonly<Record<string, TaggedEbsVolume>>;
  readonly targetGroups: Readonly<Record<string, WorkloadTargetGroup>>;

  constructor(scope: Construct, env: Environment) {
    super(scope, env, "aws");
    const { cluster: c } = env;
    const partition = partitionOf(env.account.region);
    const protect = env.protected;

    new AwsProvider(this, "aws", {
      region: env.account.region,
      // Terraform refuses to touch any other account, whatever credentials are around.
      allowedAccountIds: [env.account.id],
      assumeRole: [{ roleArn: this.roleArn, sessionName: `cdktf-${env.name}` }],
      defaultTags: [{ tags: sortedTags(env.tags) }],
    });

    const auto = c.compute.mode === "auto" ? c.compute : undefined;
    this.cluster = new EksCluster(this, "cluster", {
      name: c.name,
      kubernetesVersion: c.kubernetesVersion,
      subnetIds: c.subnetIds,
      endpointPrivateAccess: c.endpoint.privateAccess,
      endpointPublicAccess: c.endpoint.publicAccess,
      publicAccessCidrs: c.endpoint.publicAccessCidrs,
      serviceIpv4Cidr: c.serviceIpv4Cidr,
      logRetentionDays: c.logRetentionDays,
      upgradeSupportType: c.upgradeSupportType,
      autoMode: auto && {
        builtInNodePools: auto.builtInNodePools,
        customTags: Object.values(auto.nodePools).some((p) => Object.keys(p.nodeClass.tags).length > 0),
      },
      protect,
      partition,
      accountId: env.account.id,
      region: env.account.region,
    });

    // The cluster security group admits only the cluster itself; clients of the private endpoint
    // (in-VPC runners, a VPN) need HTTPS from their CIDR or security group.
    // https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
    // https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access
    const sources = c.endpoint.privateAccessSources;
    for (const cidr of sources.cidrs) {
      new VpcSecurityGroupIngressRule(this, `api-from-${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId: this.cluster.clusterSecurityGroupId,
        description: `Kubernetes API from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }
    for (const sg of sources.securityGroupIds) {
      new VpcSecurityGroupIngressRule(this, `api-from-${sg}`, {
        securityGroupId: this.cluster.clusterSecurityGroupId,
        description: `Kubernetes API from ${sg}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: sg,
      });
    }

    // The Kubernetes and controllers stacks authenticate as the deploy role (aws eks get-token
    // --role-arn); with API authentication and no implicit creator admin it needs its own entry.
    // https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
    this.cluster.grantAccess("deployer", {
      principalArn: env.account.deployRoleArn,
      policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
    });
    // Pull-request plans run untrusted branch code: their role reads everything (Helm keeps release
    // state in Secrets, so the admin *view* policy) and changes nothing.
    // https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html#access-policy-permissions-amazoneksadminviewpolicy
    if (env.account.planRoleArn) {
      this.cluster.grantAccess("planner", {
        principalArn: env.account.planRoleArn,
        policies: [{ policy: "AmazonEKSAdminViewPolicy" }],
      });
    }
    for (const [name, entry] of Object.entries(env.access)) {
      this.cluster.grantAccess(name, {
        principalArn: entry.principalArn,
        type: entry.type,
        kubernetesGroups: entry.kubernetesGroups,
        userName: entry.userName,
        policies: entry.policies,
      });
    }

    // Static volumes: encrypted with a key of their own (CKV_AWS_189), tagged for the cluster.
    const volumeEntries = Object.entries(env.volumes);
    const ebsKey = volumeEntries.length
      ? new KmsKeyWithAlias(this, "ebs-key", { alias: `alias/eks/${c.name}/ebs`, description: `EBS volumes of ${c.name}`, protect })
      : undefined;
    this.volumes = Object.fromEntries(
      volumeEntries.map(([name, v]) => [
        name,
        new TaggedEbsVolume(this, `volume-${name}`, {
          clusterName: c.name,
          name,
          availabilityZone: v.availabilityZone,
          sizeGiB: v.sizeGiB,
          type: v.type,
          iops: v.iops,
          throughputMiBs: v.throughputMiBs,
          kmsKeyArn: ebsKey!.key.arn,
          protect,
        }),
      ]),
    );
    // Auto Mode attaches volumes with the cluster role; node groups with the EBS CSI driver's role.
    if (ebsKey && auto) {
      new IamRolePolicy(this, "cluster-role-ebs-key", { role: this.cluster.role.name, name: "ebs-key", policy: ebsKmsUsePolicy(ebsKey.key.arn) });
    }

    this.targetGroups = Object.fromEntries(
      Object.entries(env.targetGroups).map(([name, tg]) => [
        name,
        new WorkloadTargetGroup(this, `target-group-${name}`, {
          clusterName: c.name,
          name: `${c.name}-${name}`,
          vpcId: c.vpcId,
          port: tg.port,
          protocol: tg.protocol,
          healthCheck: tg.healthCheck,
        }),
      ]),
    );

    if (c.compute.mode === "managed") this.addManagedCompute(env, c.compute, partition, ebsKey);
    else {
      // Add-ons beyond the core ones (rules reject core add-ons in Auto Mode).
      for (const [name, addon] of Object.entries(c.addons)) {
        new ClusterAddon(this, `addon-${name}`, { clusterName: this.cluster.name, addonName: name, version: addon.version ?? this.defaultAddonVersion(name), configuration: addon.configuration });
      }
    }

    this.addOutputs();
  }

  private addManagedCompute(env: Environment, compute: ManagedCompute, partition: string, ebsKey?: KmsKeyWithAlias): void {
    const c = env.cluster;
    const clusterName = this.cluster.name;
    const addonConfig = (name: string) => c.addons[name] ?? {};
    // Pod Identity roles trust this account's associations of this cluster only.
    const trustScope: PodIdentityTrustScope = { accountId: env.account.id, clusterArn: eksClusterArn(partition, env.account.region, env.account.id, c.name) };
    const names = awsNames(c.name);
    const addon = (name: string, extra: Partial<ConstructorParameters<typeof ClusterAddon>[2]> = {}) =>
      new ClusterAddon(this, `addon-${name}`, {
        clusterName,
        addonName: name,
        version: addonConfig(name).version ?? this.defaultAddonVersion(name),
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
    const nodeRole = new IamRole(this, "node-role", { name: names.nodeRole, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
    const nodeRoleAttachments = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"].map(
      (p) => new IamRolePolicyAttachment(this, `node-role-${p}`, { role: nodeRole.name, policyArn: managedPolicyArn(partition, p) }),
    );

    const groups = Object.entries(compute.nodeGroups).map(
      ([name, g]) =>
        new ManagedNodeGroup(this, `node-group-${name}`, {
          clusterName,
          namePrefix: c.name,
          kubernetesVersion: this.cluster.resource.version,
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
    new PodIdentityRole(this, "load-balancer-controller", {
      clusterName,
      roleName: names.loadBalancerControllerRole,
      trustScope,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      inlinePolicies: { "aws-load-balancer-controller": loadBalancerControllerPolicy(partition, c.name) },
    });
  }

  /**
   * EKS's default version of an add-on for the cluster's Kubernetes version, read at plan time:
   * when kubernetesVersion changes, the add-ons move with it in the same apply (after the control
   * plane: they reference the cluster). The default is the version AWS tested for that Kubernetes
   * version; a pinned table here would go stale between our releases. A version in config wins.
   * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/eks_addon_version
   * @see https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html
   */
  private defaultAddonVersion(name: string): string {
    return new DataAwsEksAddonVersion(this, `addon-version-${name}`, {
      addonName: name,
      // The literal config value, not the cluster's attribute: the read happens at plan time, so the
      // review shows the target versions instead of "known after apply".
      kubernetesVersion: this.env.cluster.kubernetesVersion,
      mostRecent: false,
    }).version;
  }

  /** Everything the Kubernetes stack (and people) need, under stable names. */
  private addOutputs(): void {
    const out = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    out("cluster_name", this.cluster.name, "EKS cluster name");
    out("cluster_endpoint", this.cluster.endpoint, "API server endpoint");
    out("cluster_certificate_authority_data", this.cluster.certificateAuthorityData, "Base64 CA bundle of the API server");
    out("cluster_oidc_issuer_url", this.cluster.oidcIssuerUrl, "OIDC issuer (for IRSA, if ever needed)");
    out("cluster_security_group_id", this.cluster.clusterSecurityGroupId, "Security group EKS created for the cluster");
    if (this.cluster.nodeRole) out("node_role_name", this.cluster.nodeRole.name, "Auto Mode node role (NodeClass spec.role)");
    out("volume_ids", Object.fromEntries(Object.entries(this.volumes).map(([k, v]) => [k, v.volume.id])), "EBS volume ids by name");
    out("target_group_arns", Object.fromEntries(Object.entries(this.targetGroups).map(([k, t]) => [k, t.targetGroup.arn])), "Target group ARNs by name");
    out("kubeconfig_command", kubeconfigCommand(this.env), "Adds this cluster to your kubeconfig (npm run -s connect -- --env NAME prints the same)");
  }
}

