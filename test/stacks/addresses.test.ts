/**
 * Construct paths are Terraform addresses: moving a resource's construct (wrapping node groups in a new construct, say)
 * makes Terraform destroy it and create another. The prod fixture's AWS stack as of commit 889e1b4 (before node pools
 * moved to stacks/compute/ and Karpenter was added) must keep every address; later changes may only add.
 */
import { synthesize } from "../support/synth";

const PROD_AWS_ADDRESSES_BEFORE_ISSUE_11 = [
  "aws_autoscaling_group_tag.node-group-batch_asg-tag-Name",
  "aws_autoscaling_group_tag.node-group-batch_asg-tag-cost-center",
  "aws_autoscaling_group_tag.node-group-batch_asg-tag-environment",
  "aws_autoscaling_group_tag.node-group-general_asg-tag-Name",
  "aws_autoscaling_group_tag.node-group-general_asg-tag-cost-center",
  "aws_autoscaling_group_tag.node-group-general_asg-tag-environment",
  "aws_cloudwatch_log_group.cluster_log-group",
  "aws_ebs_volume.volume-loki-data_volume",
  "aws_eks_access_entry.cluster_access-deployer_entry",
  "aws_eks_access_entry.cluster_access-ops-readonly_entry",
  "aws_eks_access_entry.cluster_access-planner_entry",
  "aws_eks_access_entry.cluster_access-platform-admins_entry",
  "aws_eks_access_policy_association.cluster_access-deployer_AmazonEKSClusterAdminPolicy",
  "aws_eks_access_policy_association.cluster_access-ops-readonly_AmazonEKSViewPolicy",
  "aws_eks_access_policy_association.cluster_access-planner_AmazonEKSAdminViewPolicy",
  "aws_eks_access_policy_association.cluster_access-platform-admins_AmazonEKSClusterAdminPolicy",
  "aws_eks_addon.addon-aws-ebs-csi-driver_addon",
  "aws_eks_addon.addon-coredns_addon",
  "aws_eks_addon.addon-eks-pod-identity-agent_addon",
  "aws_eks_addon.addon-kube-proxy_addon",
  "aws_eks_addon.addon-vpc-cni_addon",
  "aws_eks_cluster.cluster_cluster",
  "aws_eks_node_group.node-group-batch_node-group",
  "aws_eks_node_group.node-group-general_node-group",
  "aws_eks_pod_identity_association.load-balancer-controller_association",
  "aws_iam_role.addon-aws-ebs-csi-driver_role_role",
  "aws_iam_role.addon-vpc-cni_role_role",
  "aws_iam_role.cluster_role",
  "aws_iam_role.load-balancer-controller_role",
  "aws_iam_role.node-role",
  "aws_iam_role_policy.addon-aws-ebs-csi-driver_role_inline-ebs-key",
  "aws_iam_role_policy.cluster_role-secrets-key",
  "aws_iam_role_policy.load-balancer-controller_inline-aws-load-balancer-controller",
  "aws_iam_role_policy_attachment.addon-aws-ebs-csi-driver_role_AmazonEBSCSIDriverPolicy",
  "aws_iam_role_policy_attachment.addon-vpc-cni_role_AmazonEKS_CNI_Policy",
  "aws_iam_role_policy_attachment.cluster_role-AmazonEKSClusterPolicy",
  "aws_iam_role_policy_attachment.node-role-AmazonEC2ContainerRegistryReadOnly",
  "aws_iam_role_policy_attachment.node-role-AmazonEKSWorkerNodePolicy",
  "aws_kms_alias.cluster_logs-key_alias",
  "aws_kms_alias.cluster_secrets-key_alias",
  "aws_kms_alias.ebs-key_alias",
  "aws_kms_key.cluster_logs-key_key",
  "aws_kms_key.cluster_secrets-key_key",
  "aws_kms_key.ebs-key_key",
  "aws_launch_template.node-group-batch_launch-template",
  "aws_launch_template.node-group-general_launch-template",
  "aws_lb_target_group.target-group-argocd_target-group",
  "aws_vpc_security_group_ingress_rule.api-from-10-255-0-0-16",
  "aws_vpc_security_group_ingress_rule.api-from-sg-0b1c2d3e4f5a6aaaa",
  "data.aws_eks_addon_version.addon-version-aws-ebs-csi-driver",
  "data.aws_eks_addon_version.addon-version-coredns",
  "data.aws_eks_addon_version.addon-version-eks-pod-identity-agent",
  "data.aws_eks_addon_version.addon-version-kube-proxy",
  "data.aws_eks_addon_version.addon-version-vpc-cni",
];

test("prod-aws keeps every address it had before the compute refactor (node groups, launch templates, add-ons, roles)", () => {
  const stack = synthesize()["prod-aws"];
  const now = new Set(
    (["resource", "data"] as const).flatMap((kind) =>
      Object.entries<Record<string, unknown>>(stack[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${kind === "data" ? "data." : ""}${type}.${n}`)),
    ),
  );
  expect(PROD_AWS_ADDRESSES_BEFORE_ISSUE_11.filter((a) => !now.has(a))).toEqual([]);
});

test("dev-k8s keeps its node pool's addresses now that the pool spec is shared (node-pool-<name>/node-class, /node-pool)", () => {
  const manifests = Object.keys(synthesize()["dev-k8s"].resource.kubernetes_manifest);
  expect(manifests).toEqual(expect.arrayContaining(["node-pool-batch_node-class", "node-pool-batch_node-pool"]));
});
