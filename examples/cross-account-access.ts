/**
 * Access for roles of other accounts: a security account that audits every cluster, a tooling
 * account whose CD system deploys into some namespaces, and a data team mapped to a Kubernetes
 * group bound by your own RBAC. All are STANDARD access entries; no aws-auth ConfigMap.
 *
 *     EKS_ENVIRONMENTS=examples/cross-account-access.ts npm run synth
 *
 * What to mind:
 * - A principal of another account authenticates with its own credentials (`aws eks get-token`
 *   with that role); the access entry is what lets it in. It also needs IAM permission
 *   `eks:DescribeCluster` on this cluster to build a kubeconfig, granted in its own account.
 * - Node-type entries (EC2, EC2_LINUX, ...) are for this account's node roles only (rule
 *   `access-entries`): cross-account access is always STANDARD.
 * - One entry per principal; the deploy and plan roles get theirs from the stack (rule
 *   `deploy-role-access`).
 * - A `kubernetesGroups` entry grants only what your RoleBindings/ClusterRoleBindings give that
 *   group; group names starting with `system:` are EKS's.
 * Ids are fake but well-formed.
 */
import type { EnvironmentInput } from "../stacks/environment-schema";

const shared = {
  name: "shared",
  account: {
    id: "555555555555",
    region: "eu-central-1",
    deployRoleArn: "arn:aws:iam::555555555555:role/eks-deployer",
    planRoleArn: "arn:aws:iam::555555555555:role/eks-planner",
  },
  state: { bucket: "acme-tfstate-555555555555", region: "eu-central-1" },
  tags: { "cost-center": "platform", environment: "shared" },
  ci: { kubernetesRunsOn: ["self-hosted", "acme-shared-vpc"] },
  cluster: {
    name: "acme-shared",
    kubernetesVersion: "1.34",
    vpcId: "vpc-0b2c3d4e5f6a70718",
    subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002"],
    availabilityZones: ["eu-central-1a", "eu-central-1b"],
    endpoint: { privateAccessSources: { securityGroupIds: ["sg-0b2c3d4e5f6a7aaaa"] } },
    compute: { mode: "auto" },
  },
  access: {
    // Same account: the platform team.
    "platform-admins": {
      principalArn: "arn:aws:iam::555555555555:role/platform-admin",
      policies: [{ policy: "AmazonEKSClusterAdminPolicy" }],
    },
    // Security account: read everything, change nothing (AdminView also reads Secrets; use
    // AmazonEKSViewPolicy to keep Secrets out of reach).
    "security-audit": {
      principalArn: "arn:aws:iam::666666666666:role/security-audit",
      policies: [{ policy: "AmazonEKSAdminViewPolicy" }],
    },
    // Tooling account: the CD system edits the application namespaces only ("apps-" prefix).
    "tooling-cd": {
      principalArn: "arn:aws:iam::777777777777:role/cd-deployer",
      // Audit logs name the assumed-role session ("cd:<session>") instead of the role alone.
      userName: "cd:{{SessionName}}",
      policies: [{ policy: "AmazonEKSEditPolicy", namespaces: ["apps-*"] }],
    },
    // Data account: a Kubernetes group; what it may do is up to your RBAC bindings for "data-readers".
    "data-team": {
      principalArn: "arn:aws:iam::888888888888:role/data-analyst",
      kubernetesGroups: ["data-readers"],
    },
  },
} satisfies EnvironmentInput;

export const environments: readonly EnvironmentInput[] = [shared];
