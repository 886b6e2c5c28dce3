import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AccessGrant, type AccessGrantProps } from "./access-grant";
import { KmsKeyWithAlias } from "./kms-key-with-alias";
import { managedPolicyArn, policyDocument, serviceTrustPolicy } from "./private/aws";
import { autoModeTaggingPolicy } from "./private/iam-policies";

/** All five control-plane log types (CKV_AWS_37). @see https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export interface AutoModeProps {
  /** Built-in pools (`general-purpose`, `system`); may be empty when custom NodePools carry the load. */
  readonly builtInNodePools: readonly string[];
  /** Custom NodeClasses set `spec.tags`: the cluster role needs the tag-propagation permissions. */
  readonly customTags: boolean;
}

export interface EksClusterProps {
  readonly name: string;
  /** @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html */
  readonly kubernetesVersion: string;
  readonly subnetIds: readonly string[];
  /** @default true */
  readonly endpointPrivateAccess?: boolean;
  /** Public endpoint; off unless explicitly enabled with CIDRs. @default false */
  readonly endpointPublicAccess?: boolean;
  /** @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /** @default "172.20.0.0/16" */
  readonly serviceIpv4Cidr?: string;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** @default "STANDARD" */
  readonly upgradeSupportType?: string;
  /** EKS Auto Mode; managed node groups (no compute config) when absent. */
  readonly autoMode?: AutoModeProps;
  /** Refuse destroys: `prevent_destroy` on the cluster and its key, and EKS deletion protection. @default false */
  readonly protect?: boolean;
  /** Partition of the cluster's region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** The cluster's account and region: the log key's policy names its log group by ARN. */
  readonly accountId: string;
  readonly region: string;
}

/**
 * An EKS cluster with secure defaults: private endpoint, all control-plane logs, secrets
 * encrypted with a rotating KMS key, access entries only (no aws-auth, no implicit creator admin).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-cluster.html
 */
export class EksCluster extends Construct {
  readonly resource: EksClusterResource;
  readonly role: IamRole;
  readonly secretsKey: KmsKeyWithAlias;
  /** Encrypts the control-plane log group (CKV_AWS_158). */
  readonly logsKey: KmsKeyWithAlias;
  /** Auto Mode node role: NodeClasses name it (`spec.role`). */
  readonly nodeRole?: IamRole;
  readonly partition: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const protect = props.protect ?? false;
    const auto = props.autoMode;
    this.partition = props.partition;

    this.secretsKey = new KmsKeyWithAlias(this, "secrets-key", {
      alias: `alias/eks/${props.name}/secrets`,
      description: `EKS secrets encryption for ${props.name}`,
      protect,
    });

    // Created before the cluster so EKS does not create it with infinite retention.
    // https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html
    const logGroupName = `/aws/eks/${props.name}/cluster`;
    this.logsKey = new KmsKeyWithAlias(this, "logs-key", {
      alias: `alias/eks/${props.name}/logs`,
      description: `EKS control-plane logs of ${props.name}`,
      protect,
      policy: logsKeyPolicy(props.partition, props.accountId, props.region, logGroupName),
    });
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: this.logsKey.key.arn,
    });

    // Auto Mode needs sts:TagSession in the trust policy and four more managed policies.
    // https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html
    this.role = new IamRole(this, "role", {
      name: `${props.name}-cluster`,
      assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
    });
    const clusterPolicies = auto
      ? ["AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"]
      : ["AmazonEKSClusterPolicy"];
    const attachments: ITerraformDependable[] = clusterPolicies.map(
      (p) => new IamRolePolicyAttachment(this, `role-${p}`, { role: this.role.name, policyArn: managedPolicyArn(props.partition, p) }),
    );
    // EKS encrypts secrets with the cluster role's identity: it needs these on its key.
    // https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
    attachments.push(
      new IamRolePolicy(this, "role-secrets-key", {
        role: this.role.name,
        name: "secrets-encryption",
        policy: policyDocument([
          { Sid: "SecretsEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: this.secretsKey.key.arn },
        ]),
      }),
    );
    if (auto?.customTags) {
      attachments.push(
        new IamRolePolicy(this, "role-custom-tags", { role: this.role.name, name: "auto-mode-custom-tags", policy: autoModeTaggingPolicy(props.partition) }),
      );
    }

    if (auto) {
      // https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
      this.nodeRole = new IamRole(this, "node-role", {
        name: `${props.name}-node`,
        assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
      });
      for (const p of ["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"]) {
        new IamRolePolicyAttachment(this, `node-role-${p}`, { role: this.nodeRole.name, policyArn: managedPolicyArn(props.partition, p) });
      }
    }
    const builtIn = auto ? [...auto.builtInNodePools] : [];

    this.resource = new EksClusterResource(this, "cluster", {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: props.endpointPrivateAccess ?? true,
        endpointPublicAccess: props.endpointPublicAccess ?? false,
        publicAccessCidrs: props.endpointPublicAccess ? [...(props.publicAccessCidrs ?? [])] : undefined,
      },
      kubernetesNetworkConfig: {
        ipFamily: "ipv4",
        serviceIpv4Cidr: props.serviceIpv4Cidr ?? "172.20.0.0/16",
        elasticLoadBalancing: auto ? { enabled: true } : undefined,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.key.arn } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // Core add-ons come from aws_eks_addon (managed) or Auto Mode itself; changing this later
      // replaces the cluster (aws provider #39137), so it is fixed.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: props.upgradeSupportType ?? "STANDARD" },
      // The three Auto Mode switches go together. node_role_arn only with built-in pools: EKS rejects
      // a node role without pools (terraform-aws-eks #3238).
      computeConfig: auto
        ? { enabled: true, nodePools: builtIn, nodeRoleArn: builtIn.length > 0 ? this.nodeRole!.arn : undefined }
        : undefined,
      storageConfig: auto ? { blockStorage: { enabled: true } } : undefined,
      deletionProtection: protect,
      tags: { Name: props.name },
      dependsOn: [logGroup, ...attachments],
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });

    // Without built-in pools EKS does not register the node role; custom NodePools then never
    // join (terraform-aws-eks #3238, #3483, #3711). With built-in pools EKS creates this entry
    // itself and a second one would conflict (terraform-aws-eks #3241).
    if (auto && builtIn.length === 0) {
      this.grantAccess("auto-node-role", {
        principalArn: this.nodeRole!.arn,
        type: "EC2",
        policies: [{ policy: "AmazonEKSAutoNodePolicy" }],
      });
    }
  }

  get name(): string {
    return this.resource.name;
  }
  get endpoint(): string {
    return this.resource.endpoint;
  }
  get certificateAuthorityData(): string {
    return this.resource.certificateAuthority.get(0).data;
  }
  get oidcIssuerUrl(): string {
    return this.resource.identity.get(0).oidc.get(0).issuer;
  }
  get clusterSecurityGroupId(): string {
    return this.resource.vpcConfig.clusterSecurityGroupId;
  }

  /**
   * Grants a principal (any account) access through an access entry and policy associations.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
   */
  grantAccess(id: string, grant: Omit<AccessGrantProps, "clusterName" | "partition">): AccessGrant {
    return new AccessGrant(this, `access-${id}`, { ...grant, clusterName: this.resource.name, partition: this.partition });
  }
}

/**
 * Key policy of the log key: IAM in the account administers it (the default key policy), and
 * CloudWatch Logs may use it for this one log group only. Logs cannot use a key whose policy does
 * not name the service.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsKeyPolicy(partition: string, accountId: string, region: string, logGroupName: string): string {
  const dnsSuffix = partition === "aws-cn" ? "amazonaws.com.cn" : partition === "aws-eusc" ? "amazonaws.eu" : "amazonaws.com";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "CloudWatchLogsForThisLogGroup",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.${dnsSuffix}` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}` } },
      },
    ],
  });
}
