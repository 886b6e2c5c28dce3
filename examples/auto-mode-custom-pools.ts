/**
 * EKS Auto Mode with custom node pools only: no built-in pools, so every node comes from a
 * NodeClass + NodePool defined here (instance families, capacity types, limits and tags are yours).
 *
 *     EKS_ENVIRONMENTS=examples/auto-mode-custom-pools.ts npm run synth
 *
 * What to mind:
 * - Without built-in pools EKS does not register the Auto Mode node role; the stack gives it an EC2
 *   access entry with AmazonEKSAutoNodePolicy itself (terraform-aws-eks #3238), so nodes of the
 *   custom pools join. Do not add that entry under `access`.
 * - Some pool must take pods that tolerate no taint (rule `untainted-capacity`): the charts,
 *   the platform's own pods and the kube-dns shim tolerate none. Here that is `general`.
 * - Schedule onto a pool with `nodeSelector: { "karpenter.sh/nodepool": "<pool>" }`, plus a
 *   toleration when the pool is tainted.
 * Ids are fake but well-formed (RFC 5737 CIDRs, 17-hex-digit ids).
 */
import type { EnvironmentInput } from "../stacks/environment-schema";

const staging = {
  name: "staging",
  account: {
    id: "111111111111",
    region: "eu-west-1",
    deployRoleArn: "arn:aws:iam::111111111111:role/eks-deployer",
    planRoleArn: "arn:aws:iam::111111111111:role/eks-planner",
  },
  state: { bucket: "acme-tfstate-111111111111", region: "eu-west-1" },
  tags: { "cost-center": "platform", environment: "staging" },
  // The API server is private: the Kubernetes stacks run on a self-hosted runner inside the VPC,
  // whose security group may reach the endpoint on 443 (docs/guides/ci-and-api-access.md).
  ci: { kubernetesRunsOn: ["self-hosted", "acme-staging-vpc"] },
  cluster: {
    name: "acme-staging",
    kubernetesVersion: "1.34",
    vpcId: "vpc-0c1d2e3f4a5b60718",
    subnetIds: ["subnet-0c1d2e3f4a5b60001", "subnet-0c1d2e3f4a5b60002", "subnet-0c1d2e3f4a5b60003"],
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    endpoint: { privateAccessSources: { securityGroupIds: ["sg-0c1d2e3f4a5b6aaaa"] } },
    logRetentionDays: 90,
    compute: {
      mode: "auto",
      // No "general-purpose", no "system": the pools below carry everything.
      builtInNodePools: [],
    },
  },
  nodePools: {
    // Untainted on-demand capacity for everything that tolerates nothing (charts, platform pods).
    general: {
      capacityTypes: ["on-demand"],
      instanceCategories: ["m", "c"],
      instanceGenerationAbove: 5,
      architectures: ["arm64", "amd64"],
      limits: { cpu: "200", memory: "800Gi" },
      nodeClass: { tags: { "billing-team": "platform" } },
    },
    // Interruptible batch work: spot only, tainted so only pods that tolerate it land here.
    batch: {
      capacityTypes: ["spot"],
      instanceCategories: ["c", "m", "r"],
      cpus: ["8", "16", "32"],
      limits: { cpu: "1000", memory: "4000Gi" },
      // Replace nodes weekly; Auto Mode caps expireAfter + terminationGracePeriod at 21 days.
      expireAfter: "168h",
      terminationGracePeriod: "1h",
      consolidateAfter: "2m",
      labels: { "billing-team": "data" },
      taints: [{ key: "workload", value: "batch", effect: "NoSchedule" }],
      nodeClass: { ephemeralStorageGiB: 200, tags: { "billing-team": "data" } },
    },
  },
  access: {
    "platform-admins": {
      principalArn: "arn:aws:iam::111111111111:role/platform-admin",
      policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
    },
  },
  helm: {
    "metrics-server": {
      repository: "https://kubernetes-sigs.github.io/metrics-server/",
      chart: "metrics-server",
      version: "3.13.0",
      namespace: "kube-system",
      createNamespace: false,
      values: { resources: { requests: { cpu: "100m", memory: "200Mi" } } },
    },
  },
} satisfies EnvironmentInput;

export const environments: readonly EnvironmentInput[] = [staging];
