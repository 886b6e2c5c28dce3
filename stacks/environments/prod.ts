import { compose } from "../compose";
import { opsReadonly, platform } from "./platform";

/** Production: managed node groups (no Auto Mode fee), its own account, protected from destroys. */
export const prod = compose({
  // The shared platform first; this environment's own fields add to it (a key both define is an error).
  platform: platform({ loadBalancerSecurityGroupId: "sg-0b1c2d3e4f5a60718", lokiVolume: { availabilityZone: "ap-northeast-1a", sizeGiB: 500, iops: 6000, throughputMiBs: 250 }, metricsServerReplicas: 2 }),
  prod: {
    name: "prod",
    account: {
      id: "222222222222",
      region: "ap-northeast-1",
      deployRoleArn: "arn:aws:iam::222222222222:role/eks-deployer",
      planRoleArn: "arn:aws:iam::222222222222:role/eks-planner",
    },
    state: { bucket: "acme-tfstate-222222222222", region: "ap-northeast-1" },
    tags: { "cost-center": "platform", environment: "prod" },
    protected: true,
    rolloutWave: 2,
    // Private-only API: the Kubernetes stacks run on self-hosted runners in prod's VPC.
    ci: { kubernetesRunsOn: ["self-hosted", "acme-prod-vpc"] },
    cluster: {
      name: "acme-prod",
      kubernetesVersion: "1.34",
      vpcId: "vpc-0b1c2d3e4f5a60718",
      subnetIds: ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002", "subnet-0b1c2d3e4f5a60003"],
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
      // Private endpoint only; the CI runners' security group and the VPN's range reach it on 443.
      endpoint: { privateAccessSources: { securityGroupIds: ["sg-0b1c2d3e4f5a6aaaa"], cidrs: ["10.255.0.0/16"] } },
      serviceIpv4Cidr: "172.20.0.0/16",
      logRetentionDays: 365,
      compute: {
        mode: "managed",
        nodeGroups: {
          general: {
            instanceTypes: ["m7i.large"],
            capacityType: "ON_DEMAND",
            minSize: 3,
            maxSize: 10,
            desiredSize: 3,
            diskSizeGiB: 50,
            labels: { "node-role": "general" },
          },
          batch: {
            instanceTypes: ["c7g.xlarge", "c6g.xlarge"],
            amiType: "AL2023_ARM_64_STANDARD",
            capacityType: "SPOT",
            // Terraform owns the size (nothing autoscales node groups): desiredSize is the node count.
            minSize: 1,
            maxSize: 20,
            desiredSize: 2,
            labels: { "billing-team": "data" },
            taints: [{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }],
          },
        },
        loadBalancerController: { chartVersion: "1.14.0" },
        // Runs on the general group and launches the shared platform's node pools (platform.ts) as EC2 instances of
        // its own: no Auto Mode fee. Bump amiAlias deliberately (an EKS AMI release); the review shows it.
        karpenter: { enabled: true, chartVersion: "1.14.1", amiAlias: "al2023@v20260714" },
      },
    },
    access: {
      "platform-admins": {
        principalArn: "arn:aws:iam::222222222222:role/platform-admin",
        policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
      },
      "ops-readonly": opsReadonly,
    },
  },
});
