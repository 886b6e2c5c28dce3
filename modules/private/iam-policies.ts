/**
 * IAM policy documents for controllers that run in the cluster. Written from the controllers'
 * documented needs and scoped to this cluster's resources by tag where the API allows it.
 */
import { CLUSTER_NAME_TAG, policyDocument, type Statement } from "./aws";

/**
 * Use of a customer managed key for EBS volumes by the CSI driver (grants are for AWS resources only).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html (KMS key policy)
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
 * AWS Load Balancer Controller permissions: read-only discovery everywhere, mutations only on
 * load balancers, target groups and security groups the controller tagged as its own, plus
 * target registration on the target groups this stack created for the cluster.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/#configure-iam
 */
export function loadBalancerControllerPolicy(partition: string, clusterName: string): string {
  const elb = (res: string) => `arn:${partition}:elasticloadbalancing:*:*:${res}`;
  const ownedBy = (tag: string): Statement["Condition"] => ({ Null: { [`aws:ResourceTag/${tag}`]: "false" } });
  const statements: Statement[] = [
    {
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:Describe*",
        "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
        "cognito-idp:DescribeUserPoolClient", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource",
        "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "shield:GetSubscriptionState", "shield:DescribeProtection",
      ],
      Resource: "*",
    },
    {
      Sid: "ServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Protection",
      Effect: "Allow",
      Action: ["waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "shield:CreateProtection", "shield:DeleteProtection"],
      Resource: "*",
    },
    { Sid: "CreateSecurityGroups", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
    {
      Sid: "TagNewSecurityGroups",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: `arn:${partition}:ec2:*:*:security-group/*`,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } },
    },
    {
      Sid: "ManageOwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: `arn:${partition}:ec2:*:*:security-group/*`,
      Condition: ownedBy("elbv2.k8s.aws/cluster"),
    },
    {
      // TargetGroupBinding opens the pods' (cluster) security group to the load balancer's.
      Sid: "OpenNodeSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: `arn:${partition}:ec2:*:*:security-group/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/aws:eks:cluster-name`]: clusterName } },
    },
    {
      // The same security group by its Kubernetes ownership tag, in case the aws: tag is not matched.
      Sid: "OpenNodeSecurityGroupsByOwnerTag",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: `arn:${partition}:ec2:*:*:security-group/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" } },
    },
    {
      Sid: "CreateLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } },
    },
    {
      Sid: "Listeners",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:ModifyListenerAttributes",
      ],
      Resource: "*",
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: [
        elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*"),
        elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*"),
      ],
      Condition: {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer", "CreateListener", "CreateRule"] },
        Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
      },
    },
    {
      Sid: "ManageOwnLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: "*",
      Condition: ownedBy("elbv2.k8s.aws/cluster"),
    },
    {
      // Listeners and rules carry the tags of their load balancer; the controller tags them after creation too.
      Sid: "TagOwnListeners",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
    },
    {
      // Target groups created by this stack for TargetGroupBindings.
      Sid: "RegisterIntoClusterTargetGroups",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: elb("targetgroup/*/*"),
      Condition: { StringEquals: { [`aws:ResourceTag/${CLUSTER_NAME_TAG}`]: clusterName } },
    },
  ];
  return policyDocument(statements);
}
