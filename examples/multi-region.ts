/**
 * One account, two regions: an active cluster in Tokyo and a standby in Osaka, built from one
 * shared platform with compose().
 *
 *     EKS_ENVIRONMENTS=examples/multi-region.ts npm run synth
 *
 * What to mind:
 * - IAM role names are unique per account, whatever the region, and the stacks name roles after
 *   the cluster (`<cluster>-cluster`, `<cluster>-node`, ...): the two clusters need different
 *   names even though they live in different regions. Synth refuses a clash with one line per name
 *   (docs/reference/input-rules.md, "Names unique across environments").
 * - Each environment has its own state keys (`<keyPrefix>/<env>/<stack>.tfstate`), so one bucket
 *   can hold both; keep it in the environments' partition.
 * - Waves: the standby deploys after the active region has gone through.
 * Ids are fake but well-formed.
 */
import { compose, type EnvironmentPart } from "../stacks/compose";
import type { EnvironmentInput } from "../stacks/environment-schema";

const ACCOUNT = {
  id: "222222222222",
  deployRoleArn: "arn:aws:iam::222222222222:role/eks-deployer",
  planRoleArn: "arn:aws:iam::222222222222:role/eks-planner",
};

/** What both regions run: access, node groups, the metrics pipeline. Sizes and ids come in. */
function platform(options: { readonly generalNodes: number }) {
  return {
    account: ACCOUNT,
    state: { bucket: "acme-tfstate-222222222222", region: "ap-northeast-1" },
    tags: { "cost-center": "platform", service: "storefront" },
    protected: true,
    cluster: {
      kubernetesVersion: "1.34",
      logRetentionDays: 365,
      compute: {
        mode: "managed",
        nodeGroups: {
          general: {
            instanceTypes: ["m7i.large", "m6i.large"],
            minSize: options.generalNodes,
            maxSize: 12,
            desiredSize: options.generalNodes,
          },
        },
      },
    },
    access: {
      "platform-admins": {
        principalArn: "arn:aws:iam::222222222222:role/platform-admin",
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
        values: { replicas: 2, resources: { requests: { cpu: "100m", memory: "200Mi" } } },
      },
    },
  } satisfies EnvironmentPart;
}

export const tokyo = compose({
  platform: platform({ generalNodes: 3 }),
  tokyo: {
    name: "prod-tokyo",
    account: { region: "ap-northeast-1" },
    rolloutWave: 1,
    ci: { kubernetesRunsOn: ["self-hosted", "acme-tokyo-vpc"] },
    cluster: {
      name: "acme-prod-tokyo",
      vpcId: "vpc-0d1e2f3a4b5c60718",
      subnetIds: ["subnet-0d1e2f3a4b5c60001", "subnet-0d1e2f3a4b5c60002", "subnet-0d1e2f3a4b5c60003"],
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
      endpoint: { privateAccessSources: { securityGroupIds: ["sg-0d1e2f3a4b5c6aaaa"] } },
    },
  },
});

export const osaka = compose({
  platform: platform({ generalNodes: 2 }),
  osaka: {
    name: "prod-osaka",
    // Same account, another region: a different cluster name keeps the IAM role names apart.
    account: { region: "ap-northeast-3" },
    rolloutWave: 2,
    ci: { kubernetesRunsOn: ["self-hosted", "acme-osaka-vpc"] },
    cluster: {
      name: "acme-prod-osaka",
      vpcId: "vpc-0e1f2a3b4c5d60718",
      subnetIds: ["subnet-0e1f2a3b4c5d60001", "subnet-0e1f2a3b4c5d60002", "subnet-0e1f2a3b4c5d60003"],
      availabilityZones: ["ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"],
      // The VPN's range reaches the private endpoint too (besides the runners' security group).
      endpoint: { privateAccessSources: { securityGroupIds: ["sg-0e1f2a3b4c5d6aaaa"], cidrs: ["10.255.0.0/16"] } },
    },
  },
});

export const environments: readonly EnvironmentInput[] = [tokyo, osaka];
