/**
 * IAM policy documents for controllers that run in the cluster. Written from the controllers'
 * documented needs and scoped to this cluster's resources by tag where the API allows it.
 */
import { CLUSTER_NAME_TAG, iamVariable, policyDocument, type Statement } from "./aws";

/**
 * Use of a customer managed key for EBS volumes by the CSI driver (grants are for AWS resources only); Auto Mode's
 * cluster role needs the same two statements (its guide puts them in the key policy).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/csi-iam-role.html (kms-key-for-encryption-on-ebs.json)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html
 */
export function ebsKmsUsePolicy(keyArn: string): string {
  return policyDocument([
    {
      Sid: "GrantsForVolumes",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: keyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
    {
      Sid: "UseKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: keyArn,
    },
  ]);
}

/**
 * AWS Load Balancer Controller permissions: the controller's published policy for the version the chart pins,
 * statement by statement, with two deliberate narrowings (marked below). test/modules/iam-policies.test.ts
 * compares every (action, resource, condition) of the published policy with this one.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v2.14.0/docs/install/iam_policy.json
 */
export function loadBalancerControllerPolicy(partition: string, clusterName: string): string {
  const elb = (res: string) => `arn:${partition}:elasticloadbalancing:*:*:${res}`;
  const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
  const loadBalancersAndTargetGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
  // The controller tags what it creates with elbv2.k8s.aws/cluster; mutations need that tag on the resource,
  // and re-tagging must not touch the tag itself (RequestTag null).
  const OWN = "elbv2.k8s.aws/cluster";
  const owned = { Null: { [`aws:ResourceTag/${OWN}`]: "false" } };
  const ownedNotRetagged = { Null: { [`aws:RequestTag/${OWN}`]: "true", [`aws:ResourceTag/${OWN}`]: "false" } };
  const taggedOnCreate = { Null: { [`aws:RequestTag/${OWN}`]: "false" } };
  const statements: Statement[] = [
    {
      Sid: "ServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Sid: "CertificatesAndProtection",
      Effect: "Allow",
      Action: [
        "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
        "iam:GetServerCertificate", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: "*",
    },
    {
      // NARROWER than upstream (unconditional there): only this cluster's security groups. The controller opens the
      // targets' security group to the load balancer's; with several on an ENI it picks the one tagged
      // kubernetes.io/cluster/<name> (owned or shared; pkg/networking/networking_manager.go at v2.14.0). Our node groups
      // set no launch-template security groups, so EKS gives their ENIs the cluster security group
      // (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html#launch-template-security-groups), which
      // it tags kubernetes.io/cluster/<name>=owned (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html).
      // Custom security groups on nodes would need that tag, or this statement widened.
      Sid: "OpenNodeSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "*",
      Condition: { Null: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "false" } },
    },
    { Sid: "CreateSecurityGroups", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
    {
      Sid: "TagNewSecurityGroups",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: securityGroups,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedOnCreate },
    },
    { Sid: "RetagOwnSecurityGroups", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: securityGroups, Condition: ownedNotRetagged },
    {
      Sid: "ManageOwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: "*",
      Condition: owned,
    },
    {
      Sid: "CreateLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: taggedOnCreate,
    },
    {
      Sid: "CreateListeners",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
      Resource: "*",
    },
    {
      Sid: "RetagOwnLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: loadBalancersAndTargetGroups,
      Condition: ownedNotRetagged,
    },
    {
      Sid: "TagOwnListeners",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
    },
    {
      Sid: "ManageOwnLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: "*",
      Condition: owned,
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: loadBalancersAndTargetGroups,
      Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...taggedOnCreate },
    },
    // NARROWER than upstream (any target group there): registration only into target groups the controller created
    // (Ingress, Service) or this stack created for TargetGroupBindings (WorkloadTargetGroup tags them with the cluster
    // name). A TargetGroupBinding to any other target group is refused by IAM.
    { Sid: "RegisterIntoOwnTargetGroups", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: elb("targetgroup/*/*"), Condition: owned },
    {
      Sid: "RegisterIntoClusterTargetGroups",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: elb("targetgroup/*/*"),
      Condition: { StringEquals: { [`aws:ResourceTag/${CLUSTER_NAME_TAG}`]: clusterName } },
    },
    {
      Sid: "Listeners",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: "*",
    },
  ];
  return policyDocument(statements);
}

/**
 * Lets Auto Mode put user-defined tags (NodeClass `spec.tags`, load balancer tags) on what it creates: the
 * statement set of the EKS user guide's custom-tag example, limited to this cluster by the
 * `eks:eks-cluster-name` session tag EKS puts on the cluster role. test/modules/iam-policies.test.ts compares it
 * statement by statement with the guide.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html#tag-prop
 */
export function autoModeTaggingPolicy(partition: string): string {
  const sameCluster = { [`aws:RequestTag/${CLUSTER_NAME_TAG}`]: iamVariable(`aws:PrincipalTag/${CLUSTER_NAME_TAG}`) };
  return policyDocument([
    {
      Sid: "Compute",
      Effect: "Allow",
      Action: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate"],
      Resource: "*",
      Condition: {
        StringEquals: sameCluster,
        StringLike: { "aws:RequestTag/eks:kubernetes-node-class-name": "*", "aws:RequestTag/eks:kubernetes-node-pool-name": "*" },
      },
    },
    {
      Sid: "Storage",
      Effect: "Allow",
      Action: ["ec2:CreateVolume", "ec2:CreateSnapshot"],
      Resource: [`arn:${partition}:ec2:*:*:volume/*`, `arn:${partition}:ec2:*:*:snapshot/*`],
      Condition: { StringEquals: sameCluster },
    },
    {
      Sid: "Networking",
      Effect: "Allow",
      Action: "ec2:CreateNetworkInterface",
      Resource: "*",
      Condition: { StringEquals: sameCluster, StringLike: { "aws:RequestTag/eks:kubernetes-cni-node-name": "*" } },
    },
    {
      Sid: "LoadBalancer",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup",
      ],
      Resource: "*",
      Condition: { StringEquals: sameCluster },
    },
    { Sid: "ShieldProtection", Effect: "Allow", Action: "shield:CreateProtection", Resource: "*", Condition: { StringEquals: sameCluster } },
    {
      Sid: "ShieldTagResource",
      Effect: "Allow",
      Action: "shield:TagResource",
      Resource: `arn:${partition}:shield::*:protection/*`,
      Condition: { StringEquals: sameCluster },
    },
  ]);
}

/** What the Karpenter controller's policies are scoped to: literal values from configuration. */
export interface KarpenterPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** The node role Karpenter passes to the instances it launches. */
  readonly nodeRoleArn: string;
  /** The interruption queue. */
  readonly queueArn: string;
}

/**
 * Karpenter controller permissions: the six managed policies of Karpenter's reference CloudFormation template for v1.14
 * (`KarpenterControllerNodeLifecyclePolicy`, `...IAMIntegrationPolicy`, `...EKSIntegrationPolicy`,
 * `...InterruptionPolicy`, `...ResourceDiscoveryPolicy`, `...ZonalShiftPolicy`), statement by statement with the same
 * Sids, as inline policies of the controller's Pod Identity role, scoped to this cluster by the template's tag
 * conditions. test/modules/karpenter.test.ts pins every statement against the template.
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * @see https://karpenter.sh/v1.14/reference/cloudformation/
 */
export function karpenterControllerPolicies(s: KarpenterPolicyScope): Record<string, string> {
  const ec2 = (resource: string) => `arn:${s.partition}:ec2:${s.region}:*:${resource}`;
  const instanceProfiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
  const clusterArn = `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
  const OWNED = `kubernetes.io/cluster/${s.clusterName}`;
  const launchedResources = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
  const taggedOnLaunch = {
    StringEquals: { [`aws:RequestTag/${OWNED}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
    StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
  };
  const ownedByANodePool = { StringEquals: { [`aws:ResourceTag/${OWNED}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } };
  const nodeLifecycle: Statement[] = [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        `arn:${s.partition}:ec2:${s.region}::image/*`,
        `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
        ec2("placement-group/*"),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: ec2("launch-template/*"),
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: ownedByANodePool,
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: launchedResources,
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: taggedOnLaunch,
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: launchedResources,
      Action: "ec2:CreateTags",
      Condition: { StringEquals: { ...taggedOnLaunch.StringEquals, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] }, StringLike: taggedOnLaunch.StringLike },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: ec2("instance/*"),
      Action: "ec2:CreateTags",
      Condition: {
        ...ownedByANodePool,
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: ownedByANodePool,
    },
  ];
  const profileRequestTags = {
    [`aws:RequestTag/${OWNED}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
    "aws:RequestTag/topology.kubernetes.io/region": s.region,
  };
  const profileResourceTags = { [`aws:ResourceTag/${OWNED}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": s.region };
  const iamIntegration: Statement[] = [
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: s.nodeRoleArn,
      Action: "iam:PassRole",
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    },
    // The three instance-profile statements are unused while our EC2NodeClasses name the instance profile Terraform
    // owns (spec.instanceProfile), and kept as the template has them: they only ever match profiles Karpenter tagged
    // as its own, and a NodeClass with spec.role needs them.
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:CreateInstanceProfile"],
      Condition: { StringEquals: profileRequestTags, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:TagInstanceProfile"],
      Condition: {
        StringEquals: { ...profileResourceTags, ...profileRequestTags },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Condition: { StringEquals: profileResourceTags, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
  ];
  const eksIntegration: Statement[] = [{ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" }];
  const interruption: Statement[] = [
    { Sid: "AllowInterruptionQueueActions", Effect: "Allow", Resource: s.queueArn, Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"] },
  ];
  const zonalShift: Statement[] = [
    {
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Resource: "*",
      Action: ["arc-zonal-shift:GetManagedResource"],
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
    },
  ];
  const resourceDiscovery: Statement[] = [
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
      ],
      Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
    },
    { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`, Action: "ssm:GetParameter" },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
    { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
    { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
  ];
  return {
    "node-lifecycle": policyDocument(nodeLifecycle),
    "iam-integration": policyDocument(iamIntegration),
    "eks-integration": policyDocument(eksIntegration),
    interruption: policyDocument(interruption),
    "resource-discovery": policyDocument(resourceDiscovery),
    "zonal-shift": policyDocument(zonalShift),
  };
}
