import { compose } from "../compose";
import { opsReadonly, platform } from "./platform";

/**
 * Development: EKS Auto Mode in its own account. Ids are fake but well-formed
 * (RFC 5737 documentation CIDRs, 12-digit accounts, 17-hex-digit subnet ids).
 */
export const dev = compose({
  // The shared platform first; this environment's own fields add to it (a key both define is an error).
  platform: platform({ loadBalancerSecurityGroupId: "sg-0a1b2c3d4e5f60718", lokiVolume: { availabilityZone: "ap-northeast-1a", sizeGiB: 100 }, metricsServerReplicas: 1 }),
  dev: {
    name: "dev",
    account: {
      id: "111111111111",
      region: "ap-northeast-1",
      deployRoleArn: "arn:aws:iam::111111111111:role/eks-deployer",
      // Pull-request plans: read-only in AWS, view-only in the cluster (docs/guides/ci-and-api-access.md).
      planRoleArn: "arn:aws:iam::111111111111:role/eks-planner",
    },
    state: { bucket: "acme-tfstate-111111111111", region: "ap-northeast-1" },
    tags: { "cost-center": "platform", environment: "dev" },
    protected: false,
    rolloutWave: 1,
    // The Kubernetes stacks call the API server: CI runs them on a runner inside the VPC.
    ci: { kubernetesRunsOn: ["self-hosted", "acme-dev-vpc"] },
    cluster: {
      name: "acme-dev",
      kubernetesVersion: "1.34",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      // Developers reach the API from the office range; prod keeps the endpoint private.
      // CI's in-VPC runners (their security group) use the private endpoint.
      endpoint: {
        publicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
        privateAccessSources: { securityGroupIds: ["sg-0a1b2c3d4e5f6aaaa"] },
      },
      serviceIpv4Cidr: "172.20.0.0/16",
      logRetentionDays: 30,
      compute: {
        mode: "auto",
        // Custom node pools are the shared platform's (platform.ts): the same spec renders for node groups.
        builtInNodePools: ["general-purpose", "system"],
      },
    },
    access: {
      "platform-admins": {
        principalArn: "arn:aws:iam::111111111111:role/platform-admin",
        policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
      },
      "ops-readonly": opsReadonly,
    },
    policyWaivers: [
      {
        check: "CKV_AWS_39",
        resource: "cluster/cluster",
        reason: "dev API is reachable from the office range 203.0.113.0/24 only; prod stays private",
      },
    ],
  },
});
