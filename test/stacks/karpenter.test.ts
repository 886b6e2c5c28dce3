/**
 * Karpenter on the node-group environment (prod fixture), asserted on the synthesized JSON: what it is named, who may
 * assume its roles, the interruption queue and the exact EventBridge patterns, the controller policy against Karpenter's
 * reference template, the charts and their values, the EC2NodeClass and NodePool, and what must come first.
 *
 * Reference facts pinned here (Karpenter v1.14.1, tag bde00654cd316fddb3dccfba3f5ac07039865429):
 * https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * (identical to website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml on main).
 */
import { KARPENTER_EVENT_RULES } from "../../stacks/derived-names";
import { KARPENTER_INTERRUPTION_EVENTS } from "../../modules/karpenter";
import { validateKubernetesObject } from "../support/k8s-schema";
import { deepClone, resourcesOf, synthesize, type SynthesizedStacks, type TerraformJson } from "../support/synth";

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});
/** Resource bodies of prod-aws without cdktf's `//` metadata. */
const aws = (): Record<string, Record<string, TerraformJson>> =>
  Object.fromEntries(Object.entries<Record<string, TerraformJson>>(stacks["prod-aws"].resource).map(([t, byName]) => [t, Object.fromEntries(Object.entries(byName).map(([n, b]) => [n, withoutMeta(b)]))]));
const withoutMeta = (body: TerraformJson): TerraformJson => Object.fromEntries(Object.entries(body).filter(([k]) => k !== "//"));
const REMOTE = "${data.terraform_remote_state.cross-stack-reference-input-prod-aws.outputs";

/** The reference template's EventBridge rules: `EventPattern` source and detail-type, rule by rule. */
const REFERENCE_EVENT_PATTERNS = {
  ScheduledChangeRule: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  SpotInterruptionRule: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  RebalanceRule: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  InstanceStateChangeRule: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  CapacityReservationInterruptionRule: { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
};

/** The reference template's controller policies (ManagedPolicyName without the -${ClusterName} suffix) and their Sids. */
const REFERENCE_POLICY_SIDS = {
  KarpenterControllerNodeLifecyclePolicy: [
    "AllowScopedEC2InstanceAccessActions",
    "AllowScopedEC2LaunchTemplateAccessActions",
    "AllowScopedEC2InstanceActionsWithTags",
    "AllowScopedResourceCreationTagging",
    "AllowScopedResourceTagging",
    "AllowScopedDeletion",
  ],
  KarpenterControllerIAMIntegrationPolicy: ["AllowPassingInstanceRole", "AllowScopedInstanceProfileCreationActions", "AllowScopedInstanceProfileTagActions", "AllowScopedInstanceProfileActions"],
  KarpenterControllerEKSIntegrationPolicy: ["AllowAPIServerEndpointDiscovery"],
  KarpenterControllerInterruptionPolicy: ["AllowInterruptionQueueActions"],
  KarpenterControllerResourceDiscoveryPolicy: ["AllowRegionalReadActions", "AllowSSMReadActions", "AllowPricingReadActions", "AllowUnscopedInstanceProfileListAction", "AllowInstanceProfileReadActions"],
  KarpenterControllerZonalShiftPolicy: ["AllowZonalShiftStatusReadOnly"],
};

describe("AWS side (prod-aws)", () => {
  test("node role: EC2 trust, worker and ECR pull policies; our instance profile; an EC2_LINUX access entry without groups", () => {
    const role = aws().aws_iam_role["karpenter_node-role"];
    expect(role.name).toBe("acme-prod-karpenter-node");
    expect(JSON.parse(role.assume_role_policy)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }] });
    const attached = Object.values(resourcesOf(stacks["prod-aws"], "aws_iam_role_policy_attachment")).filter((a) => a.role === "${aws_iam_role.karpenter_node-role.name}").map((a) => a.policy_arn).sort();
    expect(attached).toEqual(["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]);
    expect(aws().aws_iam_instance_profile["karpenter_instance-profile"]).toEqual({ name: "acme-prod-karpenter-node", role: "${aws_iam_role.karpenter_node-role.name}" });
    const entry = aws().aws_eks_access_entry["karpenter_node-access-entry"];
    expect(entry).toEqual({ cluster_name: "${aws_eks_cluster.cluster_cluster.name}", principal_arn: "${aws_iam_role.karpenter_node-role.arn}", type: "EC2_LINUX" });
  });

  test("controller: a Pod Identity role for kube-system/karpenter of this cluster, with the reference template's six policies inline", () => {
    const role = aws().aws_iam_role["karpenter_controller_role"];
    expect(role.name).toBe("acme-prod-karpenter");
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(trust.Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(trust.Condition.StringEquals).toEqual({
      "aws:SourceAccount": "222222222222",
      "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod",
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "karpenter",
    });
    expect(aws().aws_eks_pod_identity_association["karpenter_controller_association"]).toMatchObject({ namespace: "kube-system", service_account: "karpenter", role_arn: "${aws_iam_role.karpenter_controller_role.arn}" });

    const inline = Object.values(resourcesOf(stacks["prod-aws"], "aws_iam_role_policy")).filter((p) => p.role === "${aws_iam_role.karpenter_controller_role.name}");
    const sids = Object.fromEntries(inline.map((p) => [p.name, JSON.parse(p.policy).Statement.map((s: { Sid: string }) => s.Sid)]));
    const byReferenceName = (name: string) => `KarpenterController${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()).replace("Iam", "IAM").replace("Eks", "EKS")}Policy`;
    expect(Object.fromEntries(Object.entries(sids).map(([n, s]) => [byReferenceName(n), s]))).toEqual(REFERENCE_POLICY_SIDS);
    // IAM: "aggregate inline policy size" of a role at most 10,240 characters. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    expect(inline.reduce((n, p) => n + p.policy.length, 0)).toBeLessThan(10_240);
  });

  test("controller policy statements are the template's, scoped to this cluster, region and account", () => {
    const statements = Object.fromEntries(
      Object.values(resourcesOf(stacks["prod-aws"], "aws_iam_role_policy"))
        .filter((p) => p.role === "${aws_iam_role.karpenter_controller_role.name}")
        .flatMap((p) => JSON.parse(p.policy).Statement.map((s: { Sid: string }) => [s.Sid, s])),
    );
    // A launch needs the cluster's ownership tags and a nodepool tag on everything it creates.
    expect(statements.AllowScopedEC2InstanceActionsWithTags).toEqual({
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map((r) => `arn:aws:ec2:ap-northeast-1:*:${r}`),
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: {
        StringEquals: { "aws:RequestTag/kubernetes.io/cluster/acme-prod": "owned", "aws:RequestTag/eks:eks-cluster-name": "acme-prod" },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    });
    expect(statements.AllowScopedResourceTagging.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/acme-prod": "owned" },
      StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": "acme-prod" },
      "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
    });
    expect(statements.AllowScopedDeletion).toMatchObject({ Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Condition: { StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/acme-prod": "owned" } } });
    expect(statements.AllowPassingInstanceRole).toEqual({
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: "arn:aws:iam::222222222222:role/acme-prod-karpenter-node",
      Action: "iam:PassRole",
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    });
    expect(statements.AllowAPIServerEndpointDiscovery).toMatchObject({ Resource: "arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod", Action: "eks:DescribeCluster" });
    expect(statements.AllowInterruptionQueueActions).toMatchObject({ Resource: "arn:aws:sqs:ap-northeast-1:222222222222:acme-prod-karpenter", Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"] });
    expect(statements.AllowRegionalReadActions.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "ap-northeast-1" } });
    expect(statements.AllowSSMReadActions.Resource).toBe("arn:aws:ssm:ap-northeast-1::parameter/aws/service/*");
    expect(statements.AllowZonalShiftStatusReadOnly.Condition).toEqual({ StringEquals: { "arc-zonal-shift:ResourceIdentifier": "arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod" } });
  });

  test("interruption queue: 5-minute retention, SSE-SQS, the template's queue policy (EventBridge may send, TLS only)", () => {
    const queue = aws().aws_sqs_queue["karpenter_interruption-queue"];
    expect(queue).toEqual({ name: "acme-prod-karpenter", message_retention_seconds: 300, sqs_managed_sse_enabled: true });
    const policy = aws().aws_sqs_queue_policy["karpenter_interruption-queue-policy"];
    expect(policy.queue_url).toBe("${aws_sqs_queue.karpenter_interruption-queue.url}");
    const arn = "arn:aws:sqs:ap-northeast-1:222222222222:acme-prod-karpenter";
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Id: "EC2InterruptionPolicy",
      Statement: [
        { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: arn },
        { Sid: "DenyHTTP", Effect: "Deny", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": false } }, Principal: "*" },
      ],
    });
  });

  test("EventBridge rules: exactly the template's five event patterns, each targeting the queue", () => {
    const rules = aws().aws_cloudwatch_event_rule;
    const patterns = Object.values<TerraformJson>(rules).map((r) => JSON.parse(r.event_pattern));
    expect(patterns.sort((a, b) => a["detail-type"][0].localeCompare(b["detail-type"][0]))).toEqual(
      Object.values(REFERENCE_EVENT_PATTERNS).sort((a, b) => a["detail-type"][0].localeCompare(b["detail-type"][0])),
    );
    expect(Object.values<TerraformJson>(rules).map((r) => r.name).sort()).toEqual(KARPENTER_EVENT_RULES.map((r) => `acme-prod-karpenter-${r}`).sort());
    expect(Object.keys(KARPENTER_INTERRUPTION_EVENTS).sort()).toEqual([...KARPENTER_EVENT_RULES].sort());
    for (const name of Object.keys(rules)) {
      expect(aws().aws_cloudwatch_event_target[`${name}-target`]).toEqual({
        rule: `\${aws_cloudwatch_event_rule.${name}.name}`,
        target_id: "KarpenterInterruptionQueueTarget",
        arn: "${aws_sqs_queue.karpenter_interruption-queue.arn}",
      });
    }
  });
});

describe("charts (prod-controllers)", () => {
  test("the controller is told its region (AWS_REGION): its pod cannot reach instance metadata (hop limit 1) to find it", () => {
    const values = JSON.parse(stacks["prod-controllers"].resource.helm_release["karpenter_controller_release"].values[0]);
    expect(values.controller.env).toContainEqual({ name: "AWS_REGION", value: "ap-northeast-1" });
    const launchTemplates = Object.values<TerraformJson>(stacks["prod-aws"].resource.aws_launch_template);
    expect(launchTemplates.map((t) => t.metadata_options.http_put_response_hop_limit)).toEqual(launchTemplates.map(() => 1));
  });

  test("karpenter-crd, then karpenter without its crds/, both 1.14.1 from public ECR, in kube-system", () => {
    const releases = stacks["prod-controllers"].resource.helm_release;
    const crds = releases["karpenter_crds_release"];
    const controller = releases["karpenter_controller_release"];
    expect(crds).toMatchObject({ name: "karpenter-crd", repository: "oci://public.ecr.aws/karpenter", chart: "karpenter-crd", version: "1.14.1", namespace: "kube-system", create_namespace: false });
    expect(crds.skip_crds).toBeUndefined();
    expect(controller).toMatchObject({ name: "karpenter", repository: "oci://public.ecr.aws/karpenter", chart: "karpenter", version: "1.14.1", namespace: "kube-system", skip_crds: true });
    expect(controller.depends_on).toEqual(["helm_release.karpenter_crds_release"]);
    expect(JSON.parse(controller.values[0])).toEqual({
      controller: { env: [{ name: "AWS_REGION", value: "ap-northeast-1" }], resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } } },
      serviceAccount: { create: true, name: "karpenter" },
      settings: { clusterName: `${REMOTE}.cross-stack-output-aws_eks_cluster_cluster_cluster_name}`, interruptionQueue: "acme-prod-karpenter" },
    });
  });

  test("Auto Mode has no Karpenter of ours: no controllers stack, no Karpenter resources in dev-aws", () => {
    expect(stacks["dev-controllers"]).toBeUndefined();
    expect(resourcesOf(stacks["dev-aws"], "aws_sqs_queue")).toEqual({});
    expect(Object.keys(resourcesOf(stacks["dev-aws"], "aws_iam_role")).filter((k) => k.startsWith("karpenter"))).toEqual([]);
  });
});

describe("node pools (prod-k8s): the shared spec as a Karpenter EC2NodeClass + NodePool", () => {
  const manifest = (name: string) => stacks["prod-k8s"].resource.kubernetes_manifest[name].manifest;

  test("EC2NodeClass: our instance profile, the pinned AMI alias, subnets and the cluster security group by id, IMDSv2 hop limit 1, encrypted gp3 root", () => {
    expect(manifest("node-pool-batch_node-class")).toEqual({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "batch" },
      spec: {
        instanceProfile: "acme-prod-karpenter-node",
        amiSelectorTerms: [{ alias: "al2023@v20260714" }],
        subnetSelectorTerms: [{ id: "subnet-0b1c2d3e4f5a60001" }, { id: "subnet-0b1c2d3e4f5a60002" }, { id: "subnet-0b1c2d3e4f5a60003" }],
        securityGroupSelectorTerms: [{ id: `${REMOTE}.cross-stack-output-aws_eks_cluster_cluster_cluster_vpc_config_0__cluster_security_group_id}` }],
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "80Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
        tags: { "billing-team": "data" },
      },
    });
  });

  test("NodePool: Karpenter's requirement keys, the EC2NodeClass ref, the shared budgets (no disruption in Tokyo business hours)", () => {
    const pool = manifest("node-pool-batch_node-pool");
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "batch" });
    expect(pool.spec.template.spec.requirements.map((r: { key: string }) => r.key)).toEqual([
      "karpenter.sh/capacity-type",
      "karpenter.k8s.aws/instance-category",
      "karpenter.k8s.aws/instance-generation",
      "kubernetes.io/arch",
      "karpenter.k8s.aws/instance-cpu",
    ]);
    expect(pool.spec.disruption.budgets).toEqual([{ nodes: "10%" }, { nodes: "0", schedule: "0 0 * * mon-fri", duration: "9h" }]);
    expect(stacks["prod-k8s"].resource.kubernetes_manifest["node-pool-batch_node-pool"].depends_on).toEqual(["kubernetes_manifest.node-pool-batch_node-class"]);
  });

  test("both objects validate against the published Karpenter schemas, and the validation is live", () => {
    expect(validateKubernetesObject(manifest("node-pool-batch_node-class"))).toEqual([]);
    expect(validateKubernetesObject(manifest("node-pool-batch_node-pool"))).toEqual([]);
    const broken = deepClone(manifest("node-pool-batch_node-class")) as TerraformJson;
    broken.spec.metadataOptions.httpTokens = "always";
    expect(validateKubernetesObject(broken).length).toBeGreaterThan(0);
  });

  test("Helm releases wait for the node pool (pods that select it must not time out Helm's wait)", () => {
    for (const release of Object.values(resourcesOf(stacks["prod-k8s"], "helm_release"))) {
      expect(release.depends_on).toContain("kubernetes_manifest.node-pool-batch_node-pool");
    }
  });
});
