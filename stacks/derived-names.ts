/**
 * Every AWS name the stacks derive from config, with the scope in which AWS requires it to be
 * unique and its length limit. The AWS stack's modules build the same names; a test compares this
 * list with the synthesized JSON, so the two cannot drift apart.
 *
 * Kept free of cdktf and of the schema's runtime: the rules and the CLI tools import it.
 */
import type { Environment } from "./environment-schema";

/** Where AWS enforces uniqueness. */
export type NameScope = "account" | "region";

export interface DerivedName {
  /** What the name names, in words ("IAM role"). */
  readonly kind: string;
  readonly name: string;
  readonly scope: NameScope;
  /** IAM compares role names without regard to case. */
  readonly caseInsensitive: boolean;
  readonly max: number;
  /** Config field the name comes from, for messages. */
  readonly path: readonly PropertyKey[];
  /** Where the length limit and the uniqueness scope are documented. */
  readonly source: string;
}

const IAM_ROLE = {
  kind: "IAM role",
  scope: "account",
  caseInsensitive: true,
  max: 64,
  // "Role names must be unique within an account. They are not distinguished by case."
  source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
} as const;
const KMS_ALIAS = { kind: "KMS alias", scope: "region", caseInsensitive: false, max: 256, source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html" } as const;
const LOG_GROUP = { kind: "CloudWatch log group", scope: "region", caseInsensitive: false, max: 512, source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" } as const;
const LAUNCH_TEMPLATE = { kind: "launch template", scope: "region", caseInsensitive: false, max: 128, source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html" } as const;
const TARGET_GROUP = {
  kind: "target group",
  scope: "region",
  // ELBv2 names are case-insensitive in practice (DescribeTargetGroups matches either case).
  caseInsensitive: true,
  max: 32,
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
} as const;
const INSTANCE_PROFILE = { kind: "IAM instance profile", scope: "account", caseInsensitive: true, max: 128, source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" } as const;
// "Queue names are limited to 80 characters", unique per account and region. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
const SQS_QUEUE = { kind: "SQS queue", scope: "region", caseInsensitive: false, max: 80, source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html" } as const;
// Rule names: 1-64 of [.\-_A-Za-z0-9], unique per event bus (the account's default bus of the region). https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
const EVENT_RULE = { kind: "EventBridge rule", scope: "region", caseInsensitive: false, max: 64, source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html" } as const;
const EKS_CLUSTER = { kind: "EKS cluster", scope: "region", caseInsensitive: false, max: 100, source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html" } as const;

/** IAM role name suffixes the stacks append to the cluster name, by compute mode. */
export const ROLE_SUFFIXES = {
  cluster: "-cluster",
  node: "-node",
  vpcCni: "-vpc-cni",
  ebsCsi: "-ebs-csi",
  loadBalancerController: "-aws-lbc",
  karpenterController: "-karpenter",
  // The longest role suffix: with Karpenter node pools the cluster name may have at most 64 - 15 = 49 characters.
  karpenterNode: "-karpenter-node",
} as const;

/**
 * The EventBridge rules feeding Karpenter's interruption queue, by name suffix: the reference template's five rules
 * (KarpenterInterruptionQueue targets). Short suffixes: rule names take 64 characters, cluster name included.
 */
export const KARPENTER_EVENT_RULES = ["spot", "rebalance", "state", "health", "odcr"] as const;
export type KarpenterEventRule = (typeof KARPENTER_EVENT_RULES)[number];

/** Names of one environment's AWS objects (what the modules use). */
export function awsNames(clusterName: string) {
  const c = clusterName;
  return {
    cluster: c,
    clusterRole: `${c}${ROLE_SUFFIXES.cluster}`,
    nodeRole: `${c}${ROLE_SUFFIXES.node}`,
    vpcCniRole: `${c}${ROLE_SUFFIXES.vpcCni}`,
    ebsCsiRole: `${c}${ROLE_SUFFIXES.ebsCsi}`,
    loadBalancerControllerRole: `${c}${ROLE_SUFFIXES.loadBalancerController}`,
    karpenterControllerRole: `${c}${ROLE_SUFFIXES.karpenterController}`,
    karpenterNodeRole: `${c}${ROLE_SUFFIXES.karpenterNode}`,
    karpenterInstanceProfile: `${c}${ROLE_SUFFIXES.karpenterNode}`,
    karpenterQueue: `${c}-karpenter`,
    karpenterEventRule: (rule: KarpenterEventRule) => `${c}-karpenter-${rule}`,
    secretsKeyAlias: `alias/eks/${c}/secrets`,
    logsKeyAlias: `alias/eks/${c}/logs`,
    ebsKeyAlias: `alias/eks/${c}/ebs`,
    // EKS writes control-plane logs to exactly this group. https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html
    logGroup: `/aws/eks/${c}/cluster`,
    launchTemplate: (nodeGroup: string) => `${c}-${nodeGroup}`,
    targetGroup: (key: string) => `${c}-${key}`,
  };
}

/** Every name the environment's stacks create in AWS, with its uniqueness scope. */
export function derivedNames(env: Pick<Environment, "cluster" | "volumes" | "targetGroups" | "nodePools"> & { readonly renames?: Partial<Environment["renames"]> }): DerivedName[] {
  // A renamed key keeps its old AWS names (stacks/day2.ts): `renames: { nodeGroups: { old: new } }`.
  const awsKey = (section: "nodeGroups" | "targetGroups", key: string) =>
    Object.entries(env.renames?.[section] ?? {}).find(([, renamedTo]) => renamedTo === key)?.[0] ?? key;
  const n = awsNames(env.cluster.name);
  const at = ["cluster", "name"] as const;
  const out: DerivedName[] = [
    { ...EKS_CLUSTER, name: n.cluster, path: at },
    { ...IAM_ROLE, name: n.clusterRole, path: at },
    { ...KMS_ALIAS, name: n.secretsKeyAlias, path: at },
    { ...KMS_ALIAS, name: n.logsKeyAlias, path: at },
    { ...LOG_GROUP, name: n.logGroup, path: at },
    { ...IAM_ROLE, name: n.nodeRole, path: at },
  ];
  if (Object.keys(env.volumes).length > 0) out.push({ ...KMS_ALIAS, name: n.ebsKeyAlias, path: at });
  const compute = env.cluster.compute;
  if (compute.mode === "managed") {
    out.push(
      { ...IAM_ROLE, name: n.vpcCniRole, path: at },
      { ...IAM_ROLE, name: n.ebsCsiRole, path: at },
      { ...IAM_ROLE, name: n.loadBalancerControllerRole, path: at },
    );
    for (const group of Object.keys(compute.nodeGroups)) {
      out.push({ ...LAUNCH_TEMPLATE, name: n.launchTemplate(awsKey("nodeGroups", group)), path: ["cluster", "compute", "nodeGroups", group] });
    }
    // Karpenter comes with the first node pool (stacks/compute/karpenter.ts).
    if (Object.keys(env.nodePools).length > 0) {
      out.push(
        { ...IAM_ROLE, name: n.karpenterControllerRole, path: at },
        { ...IAM_ROLE, name: n.karpenterNodeRole, path: at },
        { ...INSTANCE_PROFILE, name: n.karpenterInstanceProfile, path: at },
        { ...SQS_QUEUE, name: n.karpenterQueue, path: at },
        ...KARPENTER_EVENT_RULES.map((r) => ({ ...EVENT_RULE, name: n.karpenterEventRule(r), path: at })),
      );
    }
  }
  for (const key of Object.keys(env.targetGroups)) out.push({ ...TARGET_GROUP, name: n.targetGroup(awsKey("targetGroups", key)), path: ["targetGroups", key] });
  return out;
}

/** The key under which AWS compares two names of one kind. */
export function uniquenessKey(d: DerivedName, account: string, region: string): string {
  const where = d.scope === "account" ? account : `${account}/${region}`;
  return `${d.kind}|${where}|${d.caseInsensitive ? d.name.toLowerCase() : d.name}`;
}
