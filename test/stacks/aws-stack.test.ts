import { onlyResource, resourcesOf, synthesize, type SynthesizedStacks } from "../support/synth";

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});

const policyArn = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const attachedPolicies = (stack: Record<string, any>, roleRef: string) =>
  Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
    .filter((a) => a.role === roleRef)
    .map((a) => a.policy_arn)
    .sort();

describe.each(["dev-aws", "prod-aws"])("%s: common to both compute modes", (name) => {
  const env = name.split("-")[0];
  const account = env === "dev" ? "111111111111" : "222222222222";

  test("AWS provider assumes the run's role (deploy role by default) and refuses other accounts", () => {
    const [provider] = stacks[name].provider.aws;
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.allowed_account_ids).toEqual([account]);
    expect(provider.assume_role).toEqual([{ role_arn: "${var.role_arn}", session_name: `cdktf-${env}` }]);
    // Chosen at run time: the deploy role unless a plan passes -var role_arn=<plan role>; nothing else.
    const v = stacks[name].variable.role_arn;
    expect(v.default).toBe(`arn:aws:iam::${account}:role/eks-deployer`);
    expect(v.validation[0].condition).toBe(
      `\${contains(["arn:aws:iam::${account}:role/eks-deployer","arn:aws:iam::${account}:role/eks-planner"], var.role_arn)}`,
    );
    expect(provider.default_tags).toEqual([{ tags: { "cost-center": "platform", environment: env } }]);
  });

  test("S3 backend in the environment's account, encrypted, with S3-native locking", () => {
    expect(stacks[name].terraform.backend).toEqual({
      s3: {
        bucket: `acme-tfstate-${account}`,
        key: `eks/${env}/aws.tfstate`,
        region: "ap-northeast-1",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: `arn:aws:iam::${account}:role/eks-deployer` },
      },
    });
  });

  test("cluster: all log types, secrets encrypted with its own key, API auth without creator admin", () => {
    const cluster = onlyResource(stacks[name], "aws_eks_cluster");
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(cluster.encryption_config).toEqual({ provider: { key_arn: "${aws_kms_key.cluster_secrets-key_key.arn}" }, resources: ["secrets"] });
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.kubernetes_network_config.service_ipv4_cidr).toBe("172.20.0.0/16");
    expect(cluster.upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(cluster.version).toBe("1.34");
    expect(cluster.vpc_config.subnet_ids).toHaveLength(env === "dev" ? 2 : 3);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
  });

  test("log group exists before the cluster, with the configured retention", () => {
    const cluster = onlyResource(stacks[name], "aws_eks_cluster");
    const logs = resourcesOf(stacks[name], "aws_cloudwatch_log_group")["cluster_log-group"];
    expect(logs.name).toBe(`/aws/eks/acme-${env}/cluster`);
    expect(logs.retention_in_days).toBe(env === "dev" ? 30 : 365);
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.cluster_log-group");
  });

  test("KMS keys rotate", () => {
    const keys = Object.values(resourcesOf(stacks[name], "aws_kms_key"));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect(key.enable_key_rotation).toBe(true);
  });

  test("cluster role trusts EKS with sts:TagSession", () => {
    const role = resourcesOf(stacks[name], "aws_iam_role").cluster_role;
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Service: "eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
  });

  test("access entries and policy associations from config, cluster and namespace scope, other accounts allowed", () => {
    const entries = resourcesOf(stacks[name], "aws_eks_access_entry");
    expect(entries["cluster_access-ops-readonly_entry"]).toMatchObject({ principal_arn: "arn:aws:iam::333333333333:role/ops-readonly", type: "STANDARD" });
    const assoc = resourcesOf(stacks[name], "aws_eks_access_policy_association");
    expect(assoc["cluster_access-ops-readonly_AmazonEKSViewPolicy"]).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
      access_scope: { type: "namespace", namespaces: ["monitoring"] },
    });
    expect(assoc["cluster_access-platform-admins_AmazonEKSClusterAdminPolicy"]).toMatchObject({
      principal_arn: "${aws_eks_access_entry.cluster_access-platform-admins_entry.principal_arn}",
      access_scope: { type: "cluster" },
    });
  });

  test("the deploy role gets cluster admin: the Kubernetes stacks authenticate as it (API mode, no creator admin)", () => {
    const entry = resourcesOf(stacks[name], "aws_eks_access_entry")["cluster_access-deployer_entry"];
    expect(entry).toMatchObject({ principal_arn: `arn:aws:iam::${account}:role/eks-deployer`, type: "STANDARD" });
    expect(resourcesOf(stacks[name], "aws_eks_access_policy_association")["cluster_access-deployer_AmazonEKSClusterAdminPolicy"]).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
  });

  test("EBS volume: encrypted with a customer managed key, tagged for the cluster", () => {
    const volume = resourcesOf(stacks[name], "aws_ebs_volume")["volume-loki-data_volume"];
    expect(volume).toMatchObject({
      availability_zone: "ap-northeast-1a",
      type: "gp3",
      encrypted: true,
      kms_key_id: "${aws_kms_key.ebs-key_key.arn}",
      tags: { "eks:eks-cluster-name": `acme-${env}`, Name: `acme-${env}-loki-data` },
    });
  });

  test("target group: ip targets, health check, tagged for the cluster", () => {
    const tg = resourcesOf(stacks[name], "aws_lb_target_group")["target-group-argocd_target-group"];
    expect(tg).toMatchObject({
      name: `acme-${env}-argocd`,
      target_type: "ip",
      port: 8080,
      protocol: "HTTP",
      health_check: { enabled: true, path: "/healthz", protocol: "HTTP" },
      tags: { "eks:eks-cluster-name": `acme-${env}` },
    });
  });

  test("outputs for the Kubernetes stack", () => {
    const outputs = Object.keys(stacks[name].output);
    for (const o of ["cluster_name", "cluster_endpoint", "cluster_certificate_authority_data", "cluster_oidc_issuer_url", "volume_ids", "target_group_arns"]) {
      expect(outputs).toContain(o);
    }
    expect(stacks[name].output.volume_ids.value).toEqual({ "loki-data": "${aws_ebs_volume.volume-loki-data_volume.id}" });
  });

  test("holds no Kubernetes or Helm resource", () => {
    const types = Object.keys(stacks[name].resource);
    expect(types.filter((t) => !t.startsWith("aws_"))).toEqual([]);
  });
});

describe("dev-aws: EKS Auto Mode", () => {
  test("the three Auto Mode switches are on together, with built-in pools and the node role", () => {
    const cluster = onlyResource(stacks["dev-aws"], "aws_eks_cluster");
    expect(cluster.compute_config).toEqual({ enabled: true, node_pools: ["general-purpose", "system"], node_role_arn: "${aws_iam_role.cluster_node-role.arn}" });
    expect(cluster.kubernetes_network_config.elastic_load_balancing).toEqual({ enabled: true });
    expect(cluster.storage_config).toEqual({ block_storage: { enabled: true } });
  });

  test("cluster role has the five Auto Mode policies; node role the two node policies", () => {
    const dev = stacks["dev-aws"];
    expect(attachedPolicies(dev, "${aws_iam_role.cluster_role.name}")).toEqual(
      ["AmazonEKSBlockStoragePolicy", "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"].map(policyArn),
    );
    expect(attachedPolicies(dev, "${aws_iam_role.cluster_node-role.name}")).toEqual(
      ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodeMinimalPolicy"].map(policyArn),
    );
  });

  test("no self-installed add-ons, node groups or launch templates", () => {
    const dev = stacks["dev-aws"];
    expect(resourcesOf(dev, "aws_eks_addon")).toEqual({});
    expect(resourcesOf(dev, "aws_eks_node_group")).toEqual({});
    expect(resourcesOf(dev, "aws_launch_template")).toEqual({});
  });

  test("NodeClass tags: cluster role may tag what Auto Mode launches, with IAM variables escaped from Terraform", () => {
    const policy = resourcesOf(stacks["dev-aws"], "aws_iam_role_policy")["cluster_role-custom-tags"];
    const doc = JSON.parse(policy.policy);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["Compute", "Storage", "Networking", "LoadBalancer", "ShieldProtection", "ShieldTagResource"]);
    expect(doc.Statement[0].Condition.StringEquals["aws:RequestTag/eks:eks-cluster-name"]).toBe("$${aws:PrincipalTag/eks:eks-cluster-name}");
  });

  test("built-in pools present: EKS registers the node role itself, so no EC2 access entry is added", () => {
    const types = Object.values(resourcesOf(stacks["dev-aws"], "aws_eks_access_entry")).map((e) => e.type);
    expect(types).not.toContain("EC2");
  });
});

describe("prod-aws: managed node groups", () => {
  test("no Auto Mode blocks", () => {
    const cluster = onlyResource(stacks["prod-aws"], "aws_eks_cluster");
    expect(cluster.compute_config).toBeUndefined();
    expect(cluster.storage_config).toBeUndefined();
    expect(cluster.kubernetes_network_config.elastic_load_balancing).toBeUndefined();
  });

  test("launch templates: IMDSv2 required, hop limit 1, encrypted gp3 root, instance and volume tags", () => {
    const lt = resourcesOf(stacks["prod-aws"], "aws_launch_template")["node-group-general_launch-template"];
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
    expect(lt.tag_specifications.map((t: { resource_type: string }) => t.resource_type)).toEqual(["instance", "volume"]);
    expect(lt.tag_specifications[0].tags).toEqual({ Name: "acme-prod-general", "cost-center": "platform", environment: "prod" });
  });

  test("node groups: one per config entry, size owned by Terraform (nothing autoscales them), labels and taints", () => {
    const groups = resourcesOf(stacks["prod-aws"], "aws_eks_node_group");
    expect(Object.keys(groups).sort()).toEqual(["node-group-batch_node-group", "node-group-general_node-group"]);
    const batch = groups["node-group-batch_node-group"];
    expect(batch).toMatchObject({
      node_group_name: "batch",
      capacity_type: "SPOT",
      ami_type: "AL2023_ARM_64_STANDARD",
      scaling_config: { min_size: 1, max_size: 20, desired_size: 2 },
      taint: [{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }],
      launch_template: { id: "${aws_launch_template.node-group-batch_launch-template.id}" },
    });
    // No ignore_changes: a desiredSize change in config must reach the group (terraform-aws-eks #3683).
    expect(batch.lifecycle).toBeUndefined();
  });

  test("every node group tag reaches the Auto Scaling group, propagated at launch", () => {
    const tags = Object.values(resourcesOf(stacks["prod-aws"], "aws_autoscaling_group_tag"));
    const general = tags.filter((t) => t.autoscaling_group_name.includes("node-group-general_node-group"));
    expect(general.map((t) => t.tag.key).sort()).toEqual(["Name", "cost-center", "environment"]);
    for (const t of general) {
      expect(t.tag.propagate_at_launch).toBe(true);
      expect(t.autoscaling_group_name).toBe("${aws_eks_node_group.node-group-general_node-group.resources[0].autoscaling_groups[0].name}");
    }
  });

  test("core add-ons, with Pod Identity roles where they call AWS, VPC CNI before the nodes", () => {
    const prod = stacks["prod-aws"];
    const addons = resourcesOf(prod, "aws_eks_addon");
    expect(Object.values(addons).map((a) => a.addon_name).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    expect(addons["addon-vpc-cni_addon"].pod_identity_association).toEqual([
      { role_arn: "${aws_iam_role.addon-vpc-cni_role_role.arn}", service_account: "aws-node" },
    ]);
    expect(addons["addon-aws-ebs-csi-driver_addon"].pod_identity_association[0].service_account).toBe("ebs-csi-controller-sa");
    expect(resourcesOf(prod, "aws_eks_node_group")["node-group-general_node-group"].depends_on).toContain("aws_eks_addon.addon-vpc-cni_addon");
    expect(addons["addon-coredns_addon"].depends_on).toContain("aws_eks_node_group.node-group-general_node-group");
  });

  test("node role: worker and registry policies; the CNI policy sits on the add-on's role", () => {
    const prod = stacks["prod-aws"];
    expect(attachedPolicies(prod, "${aws_iam_role.node-role.name}")).toEqual(["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy"].map(policyArn));
    expect(attachedPolicies(prod, "${aws_iam_role.addon-vpc-cni_role_role.name}")).toEqual([policyArn("AmazonEKS_CNI_Policy")]);
  });

  test("AWS Load Balancer Controller policy: may tag the listeners and rules it creates, and register into our target groups", () => {
    const doc = JSON.parse(resourcesOf(stacks["prod-aws"], "aws_iam_role_policy")["load-balancer-controller_inline-aws-load-balancer-controller"].policy);
    const bySid = Object.fromEntries(doc.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(bySid.TagOwnListeners.Resource).toContain("arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*");
    expect(bySid.Listeners.Action).toContain("elasticloadbalancing:SetRulePriorities");
    expect(bySid.RegisterIntoClusterTargetGroups.Condition).toEqual({ StringEquals: { "aws:ResourceTag/eks:eks-cluster-name": "acme-prod" } });
  });

  test("AWS Load Balancer Controller: IAM role bound by Pod Identity to its service account", () => {
    const prod = stacks["prod-aws"];
    expect(resourcesOf(prod, "aws_eks_pod_identity_association")["load-balancer-controller_association"]).toMatchObject({
      namespace: "kube-system",
      service_account: "aws-load-balancer-controller",
      role_arn: "${aws_iam_role.load-balancer-controller_role.arn}",
    });
    const trust = JSON.parse(resourcesOf(prod, "aws_iam_role")["load-balancer-controller_role"].assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
  });

  test("protected: prevent_destroy on the cluster, its keys and volumes; EKS deletion protection", () => {
    const prod = stacks["prod-aws"];
    const cluster = onlyResource(prod, "aws_eks_cluster");
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
    expect(cluster.deletion_protection).toBe(true);
    for (const key of Object.values(resourcesOf(prod, "aws_kms_key"))) expect(key.lifecycle).toEqual({ prevent_destroy: true });
    for (const v of Object.values(resourcesOf(prod, "aws_ebs_volume"))) {
      expect(v.lifecycle).toEqual({ prevent_destroy: true });
      expect(v.final_snapshot).toBe(true);
    }
  });

  test("unprotected dev has no prevent_destroy anywhere", () => {
    expect(JSON.stringify(stacks["dev-aws"].resource)).not.toContain("prevent_destroy");
  });
});
