import { EksCluster, type EksClusterProps } from "../../modules/eks-cluster";
import { ManagedNodeGroup } from "../../modules/managed-node-group";
import { synthModule } from "../support/module";

const base: EksClusterProps = {
  name: "unit",
  kubernetesVersion: "1.34",
  subnetIds: ["subnet-00000000000000001", "subnet-00000000000000002"],
  partition: "aws",
  accountId: "111111111111",
  region: "ap-northeast-1",
};

function synth(props: Partial<EksClusterProps>): Record<string, any> {
  return synthModule((scope) => new EksCluster(scope, "cluster", { ...base, ...props }));
}

test("secure defaults: private endpoint only, all logs, encrypted secrets, API auth", () => {
  const r = synth({});
  const cluster = Object.values<any>(r.aws_eks_cluster)[0];
  expect(cluster.vpc_config).toEqual({ subnet_ids: base.subnetIds, endpoint_private_access: true, endpoint_public_access: false });
  expect(cluster.enabled_cluster_log_types).toHaveLength(5);
  expect(cluster.encryption_config.resources).toEqual(["secrets"]);
  expect(cluster.access_config.authentication_mode).toBe("API");
  expect(cluster.deletion_protection).toBe(false);
  expect(cluster.lifecycle).toBeUndefined();
});

test("public endpoint only with the listed CIDRs", () => {
  const cluster = Object.values<any>(synth({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }).aws_eks_cluster)[0];
  expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
});

test("Auto Mode with custom pools only: no node role in compute_config, EC2 access entry with AmazonEKSAutoNodePolicy", () => {
  const r = synth({ autoMode: { builtInNodePools: [], customTags: false } });
  const cluster = Object.values<any>(r.aws_eks_cluster)[0];
  expect(cluster.compute_config).toEqual({ enabled: true, node_pools: [] });
  const entry = r.aws_eks_access_entry["cluster_access-auto-node-role_entry"];
  expect(entry).toEqual(expect.objectContaining({ type: "EC2", principal_arn: "${aws_iam_role.cluster_node-role.arn}" }));
  expect(entry.kubernetes_groups).toBeUndefined();
  expect(r.aws_eks_access_policy_association["cluster_access-auto-node-role_AmazonEKSAutoNodePolicy"]).toMatchObject({
    policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy",
    access_scope: { type: "cluster" },
  });
});

test("Auto Mode with built-in pools: EKS registers the node role, so no entry is created (a second one conflicts)", () => {
  const r = synth({ autoMode: { builtInNodePools: ["system"], customTags: false } });
  expect(Object.values<any>(r.aws_eks_cluster)[0].compute_config.node_role_arn).toBe("${aws_iam_role.cluster_node-role.arn}");
  expect(r.aws_eks_access_entry).toBeUndefined();
  expect(Object.keys(r.aws_iam_role_policy)).toEqual(["cluster_role-secrets-key"]); // no tag permissions without NodeClass tags
});

test("protect: prevent_destroy on cluster and key, deletion protection", () => {
  const r = synth({ protect: true });
  const cluster = Object.values<any>(r.aws_eks_cluster)[0];
  expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
  expect(cluster.deletion_protection).toBe(true);
  expect(Object.values<any>(r.aws_kms_key)[0].lifecycle).toEqual({ prevent_destroy: true });
});

test("GovCloud partition reaches managed policy ARNs", () => {
  const r = synth({ partition: "aws-us-gov" });
  expect(Object.values<any>(r.aws_iam_role_policy_attachment)[0].policy_arn).toBe("arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy");
});

test("grantAccess: node-type entries never carry Kubernetes groups (perpetual diff)", () => {
  const entries = synthModule((scope) => {
    const c = new EksCluster(scope, "cluster", base);
    c.grantAccess("nodes", { principalArn: "arn:aws:iam::111111111111:role/nodes", type: "EC2_LINUX", kubernetesGroups: ["system:nodes"] });
    c.grantAccess("devs", { principalArn: "arn:aws:iam::111111111111:role/devs", kubernetesGroups: ["developers"] });
  }).aws_eks_access_entry;
  expect(entries["cluster_access-nodes_entry"].kubernetes_groups).toBeUndefined();
  expect(entries["cluster_access-devs_entry"].kubernetes_groups).toEqual(["developers"]);
});

test("the cluster role may use its secrets key, and the cluster waits for that permission", () => {
  const r = synth({});
  const policy = r.aws_iam_role_policy["cluster_role-secrets-key"];
  expect(policy.role).toBe("${aws_iam_role.cluster_role.name}");
  expect(JSON.parse(policy.policy).Statement).toEqual([
    { Sid: "SecretsEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: "${aws_kms_key.cluster_secrets-key_key.arn}" },
  ]);
  expect(Object.values<any>(r.aws_eks_cluster)[0].depends_on).toContain("aws_iam_role_policy.cluster_role-secrets-key");
});

describe("ManagedNodeGroup root volume", () => {
  const device = (amiType: string) =>
    Object.values<any>(
      synthModule((scope) => new ManagedNodeGroup(scope, "ng", { clusterName: "c", kubernetesVersion: "1.34", nodeGroupName: "g", nodeRoleArn: "arn:aws:iam::111111111111:role/n", subnetIds: ["subnet-1"], instanceTypes: ["m7i.large"], amiType, minSize: 1, maxSize: 2, desiredSize: 1 })).aws_launch_template,
    )[0].block_device_mappings[0].device_name;

  test.each([
    ["AL2023_x86_64_STANDARD", "/dev/xvda"],
    ["BOTTLEROCKET_ARM_64", "/dev/xvdb"], // Bottlerocket's data volume; xvda is its read-only OS volume
  ])("%s sizes and encrypts %s", (ami, dev) => {
    expect(device(ami)).toBe(dev);
  });
});
