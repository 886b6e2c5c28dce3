import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EksCluster } from "../modules/eks-cluster";
import { KmsKeyWithAlias } from "../modules/kms-key-with-alias";
import { TaggedEbsVolume } from "../modules/tagged-ebs-volume";
import { WorkloadTargetGroup } from "../modules/workload-target-group";
import { partitionOf, sortedTags } from "../modules/private/aws";
import { computeOf } from "./compute";
import { EnvironmentStack } from "./environment-stack";
import { kubeconfigCommand } from "./kubeconfig";
import type { Environment } from "./environment-schema";

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

    const compute = computeOf(env);
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
      autoMode: compute.autoMode,
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

    // Node groups, add-ons, node roles, controllers' roles: the compute mode's (stacks/compute/), in this stack's scope.
    compute.addAws({ scope: this, env, cluster: this.cluster, partition, ebsKey, defaultAddonVersion: (name) => this.defaultAddonVersion(name) });

    this.addOutputs();
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

