/**
 * Reference statements of AWS-published IAM policies that our policies are compared with, statement by
 * statement (test/modules/iam-policies.test.ts). Written out as data from the sources below; only what the
 * comparison needs: actions, resources and conditions (operator, key, value). ARNs are in the `aws` partition
 * as published.
 */

export interface ReferenceStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

const OWN = "elbv2.k8s.aws/cluster";
const LB_AND_TG = [
  "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
];

/**
 * AWS Load Balancer Controller v2.14.0 (Helm chart 1.14.0 pins appVersion v2.14.0), its 16 statements in order.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v2.14.0/docs/install/iam_policy.json
 */
export const LOAD_BALANCER_CONTROLLER_V2_14_0: readonly ReferenceStatement[] = [
  {
    actions: ["iam:CreateServiceLinkedRole"],
    resources: ["*"],
    conditions: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
  },
  {
    actions: [
      "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
      "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
      "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
      "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
      "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeCapacityReservation",
    ],
    resources: ["*"],
  },
  {
    actions: [
      "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
      "iam:GetServerCertificate", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
      "shield:DeleteProtection",
    ],
    resources: ["*"],
  },
  { actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: ["*"] },
  { actions: ["ec2:CreateSecurityGroup"], resources: ["*"] },
  {
    actions: ["ec2:CreateTags"],
    resources: ["arn:aws:ec2:*:*:security-group/*"],
    conditions: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { [`aws:RequestTag/${OWN}`]: "false" } },
  },
  {
    actions: ["ec2:CreateTags", "ec2:DeleteTags"],
    resources: ["arn:aws:ec2:*:*:security-group/*"],
    conditions: { Null: { [`aws:RequestTag/${OWN}`]: "true", [`aws:ResourceTag/${OWN}`]: "false" } },
  },
  {
    actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
    resources: ["*"],
    conditions: { Null: { [`aws:ResourceTag/${OWN}`]: "false" } },
  },
  {
    actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
    resources: ["*"],
    conditions: { Null: { [`aws:RequestTag/${OWN}`]: "false" } },
  },
  {
    actions: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
    resources: ["*"],
  },
  {
    actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    resources: LB_AND_TG,
    conditions: { Null: { [`aws:RequestTag/${OWN}`]: "true", [`aws:ResourceTag/${OWN}`]: "false" } },
  },
  {
    actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    resources: [
      "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
    ],
  },
  {
    actions: [
      "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
    ],
    resources: ["*"],
    conditions: { Null: { [`aws:ResourceTag/${OWN}`]: "false" } },
  },
  {
    actions: ["elasticloadbalancing:AddTags"],
    resources: LB_AND_TG,
    conditions: {
      StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
      Null: { [`aws:RequestTag/${OWN}`]: "false" },
    },
  },
  { actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], resources: ["arn:aws:elasticloadbalancing:*:*:targetgroup/*/*"] },
  {
    actions: [
      "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
    ],
    resources: ["*"],
  },
];

const SAME_CLUSTER = { "aws:RequestTag/eks:eks-cluster-name": "${aws:PrincipalTag/eks:eks-cluster-name}" };

/**
 * EKS Auto Mode custom-tag policy ("View custom tag policy example"), its six statements: Compute, Storage,
 * Networking, LoadBalancer, ShieldProtection, ShieldTagResource.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html#tag-prop
 */
export const AUTO_MODE_CUSTOM_TAGS: readonly ReferenceStatement[] = [
  {
    actions: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate"],
    resources: ["*"],
    conditions: {
      StringEquals: SAME_CLUSTER,
      StringLike: { "aws:RequestTag/eks:kubernetes-node-class-name": "*", "aws:RequestTag/eks:kubernetes-node-pool-name": "*" },
    },
  },
  {
    actions: ["ec2:CreateVolume", "ec2:CreateSnapshot"],
    resources: ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:snapshot/*"],
    conditions: { StringEquals: SAME_CLUSTER },
  },
  {
    actions: ["ec2:CreateNetworkInterface"],
    resources: ["*"],
    conditions: { StringEquals: SAME_CLUSTER, StringLike: { "aws:RequestTag/eks:kubernetes-cni-node-name": "*" } },
  },
  {
    actions: [
      "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup",
    ],
    resources: ["*"],
    conditions: { StringEquals: SAME_CLUSTER },
  },
  { actions: ["shield:CreateProtection"], resources: ["*"], conditions: { StringEquals: SAME_CLUSTER } },
  { actions: ["shield:TagResource"], resources: ["arn:aws:shield::*:protection/*"], conditions: { StringEquals: SAME_CLUSTER } },
];

/**
 * KMS permissions of the EBS CSI driver's role for a customer managed key (kms-key-for-encryption-on-ebs.json);
 * `custom-key-arn` stands for the key's ARN. The Auto Mode guide puts the same two statements in the key policy.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/csi-iam-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html
 */
export const EBS_CSI_CUSTOM_KEY: readonly ReferenceStatement[] = [
  {
    actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
    resources: ["custom-key-arn"],
    conditions: { Bool: { "kms:GrantIsForAWSResource": "true" } },
  },
  { actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], resources: ["custom-key-arn"] },
];
