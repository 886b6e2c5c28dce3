/**
 * An environment in AWS GovCloud (US): region us-gov-west-1, partition aws-us-gov. The same file
 * shape works for China (cn-north-1 / cn-northwest-1, partition aws-cn).
 *
 *     EKS_ENVIRONMENTS=examples/govcloud.ts npm run synth
 *
 * What to mind:
 * - Every ARN you write is in the region's partition (`arn:aws-us-gov:...`); rule
 *   `arns-in-partition` refuses `arn:aws:` ARNs here, and the state bucket must be in the same
 *   partition (the deploy role's credentials are valid in one partition only). The stacks build
 *   their own ARNs (managed policies, cluster ARN) in the partition of account.region.
 * - GovCloud accounts are separate from commercial ones: the account id, roles and bucket below
 *   are all of the GovCloud account.
 * - Check instance type and Kubernetes version availability in the region before picking them.
 * Ids are fake but well-formed.
 */
import type { EnvironmentInput } from "../stacks/environment-schema";

const gov = {
  name: "gov-prod",
  account: {
    id: "444444444444",
    region: "us-gov-west-1",
    deployRoleArn: "arn:aws-us-gov:iam::444444444444:role/eks-deployer",
    planRoleArn: "arn:aws-us-gov:iam::444444444444:role/eks-planner",
  },
  state: { bucket: "acme-tfstate-444444444444", region: "us-gov-west-1" },
  tags: { "cost-center": "public-sector", environment: "gov-prod" },
  protected: true,
  ci: { kubernetesRunsOn: ["self-hosted", "acme-gov-vpc"] },
  cluster: {
    name: "acme-gov-prod",
    kubernetesVersion: "1.34",
    vpcId: "vpc-0a2b3c4d5e6f70718",
    subnetIds: ["subnet-0a2b3c4d5e6f70001", "subnet-0a2b3c4d5e6f70002", "subnet-0a2b3c4d5e6f70003"],
    availabilityZones: ["us-gov-west-1a", "us-gov-west-1b", "us-gov-west-1c"],
    // Private only; the in-VPC runners and the agency VPN reach the API server on 443.
    endpoint: { privateAccessSources: { securityGroupIds: ["sg-0a2b3c4d5e6f7aaaa"], cidrs: ["10.200.0.0/16"] } },
    logRetentionDays: 2557,
    compute: {
      mode: "managed",
      nodeGroups: {
        general: {
          instanceTypes: ["m6i.large", "m5.large"],
          minSize: 3,
          maxSize: 9,
          desiredSize: 3,
        },
      },
    },
  },
  access: {
    "platform-admins": {
      principalArn: "arn:aws-us-gov:iam::444444444444:role/platform-admin",
      policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
    },
  },
  volumes: {
    "audit-archive": {
      availabilityZone: "us-gov-west-1a",
      sizeGiB: 200,
      claim: { namespace: "audit", name: "audit-archive" },
    },
  },
} satisfies EnvironmentInput;

export const environments: readonly EnvironmentInput[] = [gov];
