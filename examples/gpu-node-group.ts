/**
 * Managed node groups with GPUs: an untainted system group for everything else, and a tainted
 * NVIDIA group (g5/g6) that only GPU workloads tolerate, plus the NVIDIA device plugin that
 * advertises `nvidia.com/gpu` to the scheduler.
 *
 *     EKS_ENVIRONMENTS=examples/gpu-node-group.ts npm run synth
 *
 * What to mind:
 * - amiType AL2023_x86_64_NVIDIA (the EKS-optimized accelerated AMI: NVIDIA driver and container
 *   toolkit) with x86_64 GPU types; Graviton GPU types (g5g) need AL2023_ARM_64_NVIDIA (rule
 *   `node-group-sizes` checks the architecture).
 * - The AL2023 NVIDIA AMI has no Kubernetes device plugin: without one, pods requesting
 *   `nvidia.com/gpu` stay Pending. https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html
 * - The GPU group is tainted, so some other group must be untainted (rule `untainted-capacity`):
 *   CoreDNS, the AWS Load Balancer Controller and charts tolerate no taint.
 * - Terraform owns node group sizes (nothing here autoscales them): desiredSize is the node count.
 * Ids are fake but well-formed.
 */
import type { EnvironmentInput } from "../stacks/environment-schema";

const ml = {
  name: "ml",
  account: {
    id: "333333333333",
    region: "us-east-1",
    deployRoleArn: "arn:aws:iam::333333333333:role/eks-deployer",
    planRoleArn: "arn:aws:iam::333333333333:role/eks-planner",
  },
  state: { bucket: "acme-tfstate-333333333333", region: "us-east-1" },
  tags: { "cost-center": "ml-platform", environment: "ml" },
  ci: { kubernetesRunsOn: ["self-hosted", "acme-ml-vpc"] },
  cluster: {
    name: "acme-ml",
    kubernetesVersion: "1.34",
    vpcId: "vpc-0f1a2b3c4d5e60718",
    subnetIds: ["subnet-0f1a2b3c4d5e60001", "subnet-0f1a2b3c4d5e60002"],
    availabilityZones: ["us-east-1a", "us-east-1b"],
    endpoint: { privateAccessSources: { securityGroupIds: ["sg-0f1a2b3c4d5e6aaaa"] } },
    compute: {
      mode: "managed",
      nodeGroups: {
        // Untainted: CoreDNS, the load balancer controller, metrics-server and other charts.
        system: {
          instanceTypes: ["m7i.large"],
          minSize: 2,
          maxSize: 4,
          desiredSize: 2,
          labels: { "node-role": "system" },
        },
        gpu: {
          // Several types of one architecture widen the capacity pool; all need the NVIDIA AMI.
          instanceTypes: ["g6.xlarge", "g5.xlarge", "g6.2xlarge"],
          amiType: "AL2023_x86_64_NVIDIA",
          minSize: 1,
          maxSize: 8,
          desiredSize: 1,
          // Model images are large: room for them and the container layers.
          diskSizeGiB: 200,
          labels: { "node-role": "gpu" },
          // Only pods that tolerate this land on the (expensive) GPU nodes.
          taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
        },
      },
    },
  },
  access: {
    "ml-admins": {
      principalArn: "arn:aws:iam::333333333333:role/ml-platform-admin",
      policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
    },
    "ml-engineers": {
      principalArn: "arn:aws:iam::333333333333:role/ml-engineer",
      // Namespace prefix: every namespace starting with "training-".
      policies: [{ policy: "AmazonEKSEditPolicy", namespaces: ["training-*"] }],
    },
  },
  helm: {
    // https://github.com/NVIDIA/k8s-device-plugin (chart nvidia-device-plugin). Its default node
    // affinity expects labels from GPU Feature Discovery; here the node group's own label selects
    // the GPU nodes instead, and the toleration matches the group's taint.
    "nvidia-device-plugin": {
      repository: "https://nvidia.github.io/k8s-device-plugin",
      chart: "nvidia-device-plugin",
      version: "0.17.1",
      namespace: "kube-system",
      createNamespace: false,
      values: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "node-role", operator: "In", values: ["gpu"] }] }],
            },
          },
        },
        tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      },
    },
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

export const environments: readonly EnvironmentInput[] = [ml];
