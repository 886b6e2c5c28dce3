/**
 * The environment definition: one zod schema, the TypeScript types inferred from it.
 * Field-level checks live here; rules that relate several fields live in environment-rules.ts.
 * Every message says what is wrong with which value and how to fix it (see README "Config reference").
 */
import { z } from "zod";
import { SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "./kubernetes-versions";
import {
  ACCESS_ENTRY_TYPES,
  ACCESS_POLICIES,
  BUILT_IN_NODE_POOLS,
  EBS_VOLUME_TYPES,
  KARPENTER_CHART_VERSIONS,
  KARPENTER_DEFAULT_AMI_ALIAS,
  LOG_RETENTION_DAYS,
  MAX_NODE_GROUP_INSTANCE_TYPES,
  MAX_NODE_GROUP_TAINTS,
  MAX_PUBLIC_ACCESS_CIDRS,
  MAX_TAGS_PER_RESOURCE,
  NODE_GROUP_AMI_TYPES,
  STACK_TAG_KEYS,
} from "./limits";
import { show } from "./config-errors";
import { adoptSchema, renamesSchema } from "./day2";

type Issue = {
  code?: string;
  input?: unknown;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  issues?: readonly { message: string }[];
};

/** zod's type names, as a config author would say them, with their article ("an array"). */
const aType = (expected?: string) => {
  const word = expected === "int" ? "whole number" : expected === "record" ? "object" : (expected ?? "value");
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
};

/** `"a", "b" or "c"` (or `and`, for a list of several things that are all meant). */
const oneOf = (values: readonly unknown[], conjunction = "or") => {
  const shown = values.map((v) => show(v));
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} ${conjunction} ${shown[shown.length - 1]}` : shown.join("");
};

/** Messages for the generic zod issues, phrased for someone editing a config file. */
export function genericMessage(iss: Issue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined
        ? `is required (add ${aType(iss.expected)})`
        : `${show(iss.input)} is not ${aType(iss.expected)} (use ${aType(iss.expected)})`;
    case "unrecognized_keys": {
      const keys = iss.keys ?? [];
      return `unknown field${keys.length > 1 ? "s" : ""} ${oneOf(keys, "and")} (check the spelling against the configuration reference in docs/reference/configuration.md)`;
    }
    case "invalid_value":
      return `${show(iss.input)} is not allowed (use ${oneOf(iss.values ?? [])})`;
    // A record key that fails its own schema: zod wraps the key's (custom) messages in one issue.
    case "invalid_key":
      return iss.issues?.map((i) => i.message).join("; ");
    // Length limits without a custom message (optional lists, free-form strings).
    case "too_small":
      if (iss.origin === "array") return `is empty (list at least ${iss.minimum === 1 ? "one value" : `${iss.minimum} values`}, or leave the field out)`;
      if (iss.origin === "string") return iss.input === "" ? "is empty (give a value)" : `${show(iss.input)} is shorter than ${iss.minimum} characters (lengthen it)`;
      return `${show(iss.input)} is too small (use at least ${iss.minimum})`;
    case "too_big":
      if (iss.origin === "array") return `has more than ${iss.maximum} values (remove some)`;
      if (iss.origin === "string") return `${show(iss.input)} is longer than ${iss.maximum} characters (shorten it)`;
      return `${show(iss.input)} is too large (use at most ${iss.maximum})`;
    default:
      return undefined;
  }
}

/** A string matching `re`; the message names the value, what it should be and an example. */
const pattern = (re: RegExp, what: string, example: string) =>
  z.string().regex(re, { error: (iss) => `${show(iss.input)} is not ${what} (for example ${show(example)})` });

const oneOfEnum = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (iss) => `${show(iss.input)} is not ${what} (use ${oneOf(values)})` });

const intIn = (min: number, max: number, what: string) =>
  z
    .number()
    .int({ error: (iss) => `${show(iss.input)} is not a whole number (${what} takes an integer from ${min} to ${max})` })
    .min(min, { error: (iss) => `${show(iss.input)} is too small (${what} must be from ${min} to ${max})` })
    .max(max, { error: (iss) => `${show(iss.input)} is too large (${what} must be from ${min} to ${max})` });

/** Map keys become construct ids and thus Terraform addresses: keep them boring and stable. */
const KEY = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const keyedMap = <T extends z.ZodType>(value: T, what: string) =>
  z.record(
    z.string().regex(KEY, {
      error: (iss) =>
        `${show(iss.input)} is not a valid ${what} key (lowercase letters, digits and "-", 1-40 characters; it becomes a Terraform address, so pick a stable name)`,
    }),
    value,
  );

// ---- identifiers ---------------------------------------------------------------------------

/** DNS-1123 label, as Kubernetes requires for namespaces and most names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsLabel = (what: string) =>
  pattern(DNS_LABEL, `a valid ${what} (a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters)`, "monitoring");
/** DNS-1123 subdomain (object names such as PersistentVolumeClaims). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const ENV_NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** Commercial, GovCloud and China partitions. @see https://docs.aws.amazon.com/general/latest/gr/rande.html */
export const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$|^cn-(north|northwest)-\d$|^eusc-de-east-\d$/;
/** @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns */
export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov|-eusc)?:iam::(\d{12}):role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
export const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov|-eusc)?:iam::(\d{12}):(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (name: 1-100, [0-9A-Za-z][A-Za-z0-9-_]*) */
// The Terraform AWS provider's validClusterName wants at least 2 characters.
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{1,99}$/;
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** `<region><letter>`; the rule zones-in-region checks the region part. Local Zones cannot host EKS subnets. */
export const AVAILABILITY_ZONE = /^[a-z]{2,4}(-[a-z]{2,3})?-[a-z]+-\d[a-z]$/;
/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export const S3_BUCKET = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Instance types look like `m7i.large`, `c6gn.2xlarge`, `u-6tb1.metal`. */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** Duration as the NodePool CRD's pattern takes it: whole numbers of h, m, s (`336h`, `90m`, `1h30m`). */
export const DURATION = /^(\d+(h|m|s))+$/;
/** Exact SemVer (no ranges, no `latest`): a pinned chart gives the same plan every time. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** Kubernetes resource quantity. @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/ */
export const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const labels = z.record(
  pattern(LABEL_KEY, "a valid Kubernetes label key", "team"),
  pattern(LABEL_VALUE, "a valid Kubernetes label value (63 characters of [A-Za-z0-9-_.])", "data"),
);

/** IAM's tag character set (env tags reach IAM roles through default_tags). @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html */
const IAM_TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const awsTags = z.record(
  z
    .string()
    .min(1)
    .max(128, { error: (iss) => `tag key ${show(iss.input)} is longer than 128 characters (shorten it)` })
    // "You can't use the aws: prefix in any lowercase or uppercase combination."
    // https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
    .refine((k) => !k.toLowerCase().startsWith("aws:"), {
      error: (iss) => `tag key ${show(iss.input)} uses the reserved "aws:" prefix (AWS rejects it in any letter case; rename the key)`,
    })
    .refine((k) => IAM_TAG_CHARS.test(k), {
      error: (iss) => `tag key ${show(iss.input)} has characters IAM rejects (these tags reach IAM roles; use letters, digits, spaces and _ . : / = + - @)`,
    })
    .refine((k) => !(STACK_TAG_KEYS as readonly string[]).includes(k), {
      error: (iss) => `tag key ${show(iss.input)} is set by the stacks themselves (remove it; the stacks' value would override yours on some resources and not on others)`,
    }),
  z
    .string()
    .max(256, { error: (iss) => `tag value ${show(iss.input)} is longer than 256 characters (shorten it)` })
    .refine((v) => IAM_TAG_CHARS.test(v), {
      error: (iss) => `tag value ${show(iss.input)} has characters IAM rejects (these tags reach IAM roles; use letters, digits, spaces and _ . : / = + - @)`,
    }),
).refine((t) => Object.keys(t).length <= MAX_TAGS_PER_RESOURCE - STACK_TAG_KEYS.length, {
  error: (iss) =>
    `has ${Object.keys(iss.input as object).length} tags; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the stacks add ${STACK_TAG_KEYS.length} (${STACK_TAG_KEYS.join(", ")}), so use at most ${MAX_TAGS_PER_RESOURCE - STACK_TAG_KEYS.length}`,
});

const taint = <const T extends readonly [string, ...string[]]>(effects: T) =>
  z.strictObject({
    key: pattern(LABEL_KEY, "a valid taint key", "dedicated"),
    value: pattern(LABEL_VALUE, "a valid taint value", "batch").optional(),
    effect: oneOfEnum(effects, "a taint effect"),
  });

// ---- account, state ------------------------------------------------------------------------

const account = z.strictObject({
  id: pattern(ACCOUNT_ID, "an AWS account id (12 digits)", "111111111111").describe("The AWS account the environment lives in; providers refuse every other account."),
  region: pattern(REGION, "an AWS region", "ap-northeast-1").describe("The AWS region of the cluster and of every resource the stacks create."),
  deployRoleArn: pattern(IAM_ROLE_ARN, "an IAM role ARN", "arn:aws:iam::111111111111:role/eks-deployer").describe("Role that `cdktf deploy` assumes in the account (must be in that account)."),
  planRoleArn: pattern(IAM_ROLE_ARN, "an IAM role ARN", "arn:aws:iam::111111111111:role/eks-planner").optional().describe("Read-only role for pull-request plans (untrusted branch code never gets the deploy role). It gets a view-only access entry; plans select it at run time (`npm run plan -- --role plan`). /"),
});

/** Bucket naming rules beyond the character set. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
const BUCKET_NAME_RULES: readonly [RegExp, string][] = [
  [/\.\./, "has two adjacent periods"],
  [/^\d{1,3}(\.\d{1,3}){3}$/, "is formatted as an IP address"],
  [/^(xn--|sthree-|amzn-s3-demo-)/, "starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)"],
  [/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/, "ends with a suffix S3 reserves (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
];

const state = z.strictObject({
  bucket: pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "a valid S3 bucket name (3-63 lowercase letters, digits, \".\" and \"-\")", "acme-tfstate-111111111111").superRefine(
    (name, ctx) => {
      for (const [re, what] of BUCKET_NAME_RULES) {
        if (re.test(name)) ctx.addIssue({ code: "custom", input: name, message: `${show(name)} ${what}, which S3 does not allow (pick another bucket name)` });
      }
    },
  ),
  region: pattern(REGION, "an AWS region", "ap-northeast-1").describe("Region of the state bucket (same partition as account.region)."),
  keyPrefix: pattern(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, "a valid S3 key prefix (no leading or trailing \"/\")", "eks").default("eks").describe("State object keys are `<keyPrefix>/<env>/<stack>.tfstate`."),
});

// ---- cluster --------------------------------------------------------------------------------

const endpoint = z
  .strictObject({
    privateAccess: z.boolean().default(true).describe("The private endpoint is always on unless explicitly turned off (nodes and in-VPC tooling use it)."),
    publicAccess: z.boolean().default(false).describe("The public endpoint is off by default (CKV_AWS_39); turning it on needs publicAccessCidrs."),
    publicAccessCidrs: z
      .array(z.string())
      .max(MAX_PUBLIC_ACCESS_CIDRS, { error: `has more than ${MAX_PUBLIC_ACCESS_CIDRS} CIDRs, EKS's fixed limit per cluster (merge ranges)` })
      .default([]),
    allowPublicInternet: z.boolean().default(false).describe("Explicit opt-in for 0.0.0.0/0 in publicAccessCidrs (CKV_AWS_38)."),
    privateAccessSources: z
      .strictObject({
        cidrs: z.array(z.string()).default([]),
        securityGroupIds: z.array(pattern(SECURITY_GROUP_ID, "a security group id", "sg-0123456789abcdef0")).default([]),
      })
      .default({ cidrs: [], securityGroupIds: [] }).describe("Who may reach the private endpoint from inside the VPC or a connected network (in-VPC CI runners, a VPN): each becomes an HTTPS (443) ingress rule on the cluster security group, which otherwise admits only the cluster itself. https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access /"),
  })
  .default({ privateAccess: true, publicAccess: false, publicAccessCidrs: [], allowPublicInternet: false, privateAccessSources: { cidrs: [], securityGroupIds: [] } });

/** Where CI runs each stack (GitHub Actions `runs-on` labels). */
const ci = z
  .strictObject({
    awsRunsOn: z.array(z.string().min(1)).min(1).default(["ubuntu-latest"]).describe("The AWS stack calls AWS APIs only: a GitHub-hosted runner works."),
    kubernetesRunsOn: z.array(z.string().min(1)).min(1).default(["ubuntu-latest"]).describe("The controllers and Kubernetes stacks call the cluster's API server, even at plan time: private clusters need a runner inside the VPC (self-hosted), allowed by privateAccessSources. /"),
  })
  .default({ awsRunsOn: ["ubuntu-latest"], kubernetesRunsOn: ["ubuntu-latest"] });

const nodePoolTaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/**
 * Cron syntax of a NodePool budget schedule: five fields (minute hour day-of-month month
 * day-of-week) of numbers, ranges, steps, lists, `*`, month and day names; or a macro. Karpenter
 * parses it with robfig/cron's standard parser (no seconds, no time zones).
 * @see https://karpenter.sh/docs/concepts/disruption/#schedule
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export const CRON_MACROS = ["@annually", "@yearly", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

/** A disruption budget: at most `nodes` of the pool disrupted at once, during `schedule` + `duration` or always. */
const budget = z.strictObject({
  // NodePool CRD (karpenter.sh/v1, v1.14.1): spec.disruption.budgets[].nodes pattern.
  nodes: pattern(/^((100|[0-9]{1,2})%|[0-9]+)$/, "a node count or a percentage from 0% to 100%", "10%").describe("At most this many nodes (or this share of the pool) disrupted at once; \"0\" stops voluntary disruption while the budget is active."),
  schedule: z.string().min(1).optional().describe("When the budget starts to apply: cron syntax in UTC (`0 9 * * mon-fri`) or a macro (`@daily`); needs duration."),
  // NodePool CRD: duration pattern ^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$ (hours and minutes only).
  duration: pattern(/^([0-9]+(h|m)|[0-9]+h[0-9]+m)$/, "a duration in whole hours and minutes", "8h").optional().describe("How long the budget applies after each schedule hit; needs schedule."),
  reasons: z.array(oneOfEnum(["Underutilized", "Empty", "Drifted", "NodeNotHealthy"], "a disruption reason")).min(1).optional().describe("Disruption methods the budget limits; all of them when absent (expiry is never blocked by budgets)."),
});

/**
 * A node pool, written once for every environment: Auto Mode renders it as an `eks.amazonaws.com`
 * NodeClass + NodePool, node-group environments as a Karpenter EC2NodeClass + NodePool (the
 * differences are rows of modules/private/compute-flavor.ts).
 */
const nodePool = z.strictObject({
  // "reserved" needs capacityReservationSelectorTerms in the NodeClass, which we do not set: left out.
  // https://docs.aws.amazon.com/eks/latest/userguide/auto-odcr.html
  capacityTypes: z.array(oneOfEnum(["on-demand", "spot"], "a capacity type")).min(1).default(["on-demand"]),
  instanceCategories: z.array(pattern(/^[a-z]+$/, "an instance category", "m")).min(1).default(["c", "m", "r"]).describe("Instance categories such as `c`, `m`, `r` (`eks.amazonaws.com/instance-category` in Auto Mode, `karpenter.k8s.aws/instance-category` with Karpenter)."),
  instanceGenerationAbove: intIn(1, 20, "instanceGenerationAbove").default(4).describe("Only instances of a newer generation than this (`instance-generation` Gt, in the mode's label domain)."),
  cpus: z.array(pattern(/^\d+$/, "a vCPU count", "8")).min(1).optional().describe("vCPU counts the pool may launch (instance-cpu requirement); any when absent."),
  architectures: z.array(oneOfEnum(["amd64", "arm64"], "a CPU architecture")).min(1).default(["amd64"]),
  zones: z.array(pattern(AVAILABILITY_ZONE, "an availability zone", "ap-northeast-1a")).min(1).optional().describe("Zones the pool may launch in (a subset of the cluster's); all of them when absent."),
  limits: z.strictObject({
    cpu: pattern(QUANTITY, "a CPU quantity", "1000"),
    memory: pattern(QUANTITY, "a memory quantity", "1000Gi"),
  }),
  expireAfter: pattern(DURATION, "a duration in whole h, m or s (Never is not allowed in Auto Mode)", "336h").default("336h").describe("Node lifetime; Auto Mode caps expireAfter + terminationGracePeriod at 21 days."),
  terminationGracePeriod: pattern(DURATION, "a duration in whole h, m or s", "24h").default("24h"),
  // The union of both modes' values; the node-pool-values rule refuses what a mode lacks ("Balanced": Karpenter only).
  consolidationPolicy: oneOfEnum(["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"], "a consolidation policy").default("WhenEmptyOrUnderutilized"),
  consolidateAfter: z.union([z.literal("Never"), pattern(DURATION, "a duration in whole h, m or s, or \"Never\"", "5m")]).default("5m").describe("`Never` turns consolidation off."),
  budgets: z
    .array(budget)
    .min(1)
    .max(50, { error: "has more than 50 budgets, the most a NodePool takes (merge some)" })
    .default([{ nodes: "10%" }]).describe("Disruption budgets (the most restrictive active one wins); e.g. `{ nodes: \"0\", schedule: \"0 9 * * mon-fri\", duration: \"8h\" }` keeps nodes during business hours (UTC)."),
  labels: labels.default({}).describe("Labels on the pool's nodes (not in kubernetes.io, k8s.io, karpenter.sh, karpenter.k8s.aws or eks.amazonaws.com)."),
  taints: z.array(taint(nodePoolTaintEffects)).default([]).describe("Taints on the pool's nodes; only pods that tolerate them run there."),
  nodeClass: z
    .strictObject({
      // NodeClass ephemeralStorage.size: 1-59000Gi (20 is our floor: images and logs need room).
      ephemeralStorageGiB: intIn(20, 59000, "ephemeralStorageGiB").default(80),
      /** Tags on the EC2 instances (reserved prefixes are rejected). */
      tags: z.record(z.string(), z.string()).default({}),
      networkPolicy: oneOfEnum(["DefaultAllow", "DefaultDeny"], "a network policy").default("DefaultAllow").describe("Auto Mode only (on node groups network policy is the VPC CNI add-on's setting)."),
      snatPolicy: oneOfEnum(["Random", "Disabled"], "an SNAT policy").default("Random").describe("Auto Mode only."),
    })
    .default({ ephemeralStorageGiB: 80, tags: {}, networkPolicy: "DefaultAllow", snatPolicy: "Random" }).describe("Node class settings of this pool: ephemeral storage (Auto Mode) or the encrypted gp3 root volume (Karpenter), and tags on instances, volumes and ENIs. Its role is the cluster's node role for the mode."),
});

const autoCompute = z.strictObject({
  mode: z.literal("auto"),
  builtInNodePools: z
    .array(
      z.enum(BUILT_IN_NODE_POOLS, {
        error: (iss) => `${show(iss.input)} is not a built-in node pool (use ${oneOf(BUILT_IN_NODE_POOLS)})`,
      }),
    )
    .default(["general-purpose", "system"]).describe("Pools EKS manages itself; only \"general-purpose\" and \"system\" exist (a typo is silently ignored by the API). Custom pools are the top-level nodePools."),
});

const nodeGroup = z.strictObject({
  instanceTypes: z
    .array(pattern(INSTANCE_TYPE, "an EC2 instance type", "m7i.large"))
    .min(1, { error: "needs at least one instance type (for example \"m7i.large\")" })
    .max(MAX_NODE_GROUP_INSTANCE_TYPES, { error: `has more than ${MAX_NODE_GROUP_INSTANCE_TYPES} instance types, the most EKS takes with a launch template (remove some)` }),
  capacityType: oneOfEnum(["ON_DEMAND", "SPOT"], "a capacity type").default("ON_DEMAND"),
  amiType: oneOfEnum(NODE_GROUP_AMI_TYPES, "a supported AMI type").default("AL2023_x86_64_STANDARD"),
  minSize: intIn(0, 1000, "minSize").describe("Lower bound of the node count."),
  maxSize: intIn(1, 1000, "maxSize").describe("Upper bound of the node count."),
  desiredSize: intIn(0, 1000, "desiredSize").describe("Node count: Terraform owns it (nothing autoscales node groups), so a change here resizes the group."),
  diskSizeGiB: intIn(20, 65536, "diskSizeGiB").default(50).describe("Root volume (encrypted gp3)."),
  subnetIds: z.array(pattern(SUBNET_ID, "a subnet id", "subnet-0123456789abcdef0")).min(1).optional().describe("Subset of the cluster's subnets; all of them when absent."),
  labels: labels.default({}).describe("Kubernetes labels on the group's nodes (EKS: keys at most 63 characters, values not empty)."),
  taints: z
    .array(taint(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const))
    .max(MAX_NODE_GROUP_TAINTS, { error: `has more than ${MAX_NODE_GROUP_TAINTS} taints, the most EKS allows per node group (remove some)` })
    .default([]),
  maxUnavailable: intIn(1, 100, "maxUnavailable").default(1).describe("At most this many nodes are replaced at once during an update."),
});

const managedCompute = z.strictObject({
  mode: z.literal("managed"),
  nodeGroups: keyedMap(nodeGroup, "node group").refine((m) => Object.keys(m).length > 0, {
    error: "needs at least one node group (add one, for example nodeGroups: { general: {...} })",
  }),
  loadBalancerController: z
    .strictObject({
      chartVersion: pattern(EXACT_VERSION, "an exact chart version", "1.14.0").default("1.14.0"),
    })
    .default({ chartVersion: "1.14.0" }).describe("The AWS Load Balancer Controller (Helm) serves TargetGroupBindings and IngressClasses on node groups."),
  karpenter: z
    .strictObject({
      // Explicit, not "whenever nodePools is set": removing the last pool and Karpenter in one change would
      // delete the controller before its NodePools, whose finalizers then never clear (review #2, F1).
      enabled: z
        .boolean()
        .default(false)
        .describe("Install open-source Karpenter on this node-group cluster (needed by nodePools). To remove it: first remove the pools and deploy, then set false."),
      // The chart and its CRD chart are published together, one version each. https://gallery.ecr.aws/karpenter/karpenter
      chartVersion: oneOfEnum(KARPENTER_CHART_VERSIONS, "a Karpenter chart version this project has checked").default("1.14.1").describe("Karpenter and karpenter-crd chart version (oci://public.ecr.aws/karpenter); the controller IAM policy and value keys are checked for it."),
      // EC2NodeClass CRD (v1.14.1) amiSelectorTerms[].alias: "family@version"; a pinned version, not "latest",
      // so an AMI change is a reviewed config change. https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
      amiAlias: pattern(/^(al2023|bottlerocket)@v\d+(\.\d+)*$/, "a pinned AMI alias (al2023@vYYYYMMDD or bottlerocket@vX.Y.Z; not \"latest\")", KARPENTER_DEFAULT_AMI_ALIAS).default(KARPENTER_DEFAULT_AMI_ALIAS).describe("AMI of every Karpenter node, by EKS AMI release: bump it deliberately (the review shows the change; Karpenter then replaces nodes as drifted)."),
    })
    .default({ enabled: false, chartVersion: "1.14.1", amiAlias: KARPENTER_DEFAULT_AMI_ALIAS }).describe("Open-source Karpenter (enabled: true): it runs on the node groups and launches the pools' nodes (no Auto Mode fee)."),
});

/**
 * Free-form values that are rendered as JSON (chart values, add-on configuration): only what JSON
 * can carry, so the Terraform says what the config says. Both end as JSON text: EKS takes add-on
 * configuration as a JSON string (CreateAddon configurationValues,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html), and the helm provider
 * takes release values as YAML/JSON documents (helm_release `values`,
 * https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release#values);
 * modules/helm-chart.ts and modules/cluster-addon.ts render them with JSON.stringify. A Date, a URL or a class instance would
 * reach the stacks as `{}` (escapeTemplates copies plain properties), a function or NaN as nothing
 * or null, and worker threads (stacks/synth-threads.ts) could not receive them.
 */
function jsonProblem(value: unknown): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${String(value)} is not a JSON number`;
  if (typeof value === "function") return "a function is not JSON data";
  if (typeof value !== "object") return `${typeof value === "undefined" ? "undefined in a list" : `a ${typeof value}`} is not JSON data`;
  if (Array.isArray(value)) return undefined;
  // A plain object's prototype is Object.prototype (of whichever realm made it: tests clone
  // across realms) or null; a Date's, a URL's or a class instance's is not.
  const proto = Object.getPrototypeOf(value);
  if (proto === null || Object.getPrototypeOf(proto) === null) return undefined;
  return `a ${(value as object).constructor?.name || "non-plain"} object (${show(value)}) is not JSON data`;
}

const JSON_FIX = "(use strings, numbers, booleans, null, lists and plain objects: e.g. a date as an ISO string)";

/** A JSON value at any depth; each problem at the exact path of the bad value. */
const jsonData = z.unknown().superRefine((root, ctx) => {
  const visit = (value: unknown, path: (string | number)[]) => {
    const problem = jsonProblem(value);
    if (problem) {
      ctx.addIssue({ code: "custom", message: `${problem} ${JSON_FIX}`, path });
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value !== null && typeof value === "object") {
      // An undefined property is left out of JSON, as a key never written.
      for (const [k, v] of Object.entries(value)) if (v !== undefined) visit(v, [...path, k]);
    }
  };
  // A record entry that is undefined is left out of JSON too.
  if (root !== undefined) visit(root, []);
});

const addon = z.strictObject({
  version: pattern(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "an EKS add-on version", "v1.20.4-eksbuild.1").optional().describe("Exact add-on version (`aws eks describe-addon-versions`); the EKS default for the cluster version when absent."),
  configuration: z.record(z.string(), jsonData).optional().describe("JSON configuration values (`aws eks describe-addon-configuration`): strings, numbers, booleans, null, lists and plain objects only."),
});

const cluster = z.strictObject({
  name: pattern(CLUSTER_NAME, "a valid EKS cluster name (1-100 letters, digits, \"-\" and \"_\", starting with a letter or digit)", "acme-dev").describe("EKS cluster name; every AWS name the stacks derive starts with it, so it must fit their limits (docs/reference/input-rules.md)."),
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS as [KubernetesVersion, ...KubernetesVersion[]], {
    error: (iss) =>
      `${show(iss.input)} is not a Kubernetes version EKS supports (use ${oneOf(SUPPORTED_KUBERNETES_VERSIONS)}; the list is in stacks/kubernetes-versions.ts)`,
  }),
  vpcId: pattern(VPC_ID, "a VPC id", "vpc-0123456789abcdef0"),
  subnetIds: z
    .array(pattern(SUBNET_ID, "a subnet id", "subnet-0123456789abcdef0"))
    .min(2, { error: (iss) => `has ${show((iss.input as unknown[] | undefined)?.length ?? 0)} subnet(s); EKS needs subnets in at least two availability zones (add another subnet id)` }),
  availabilityZones: z.array(pattern(AVAILABILITY_ZONE, "an availability zone", "ap-northeast-1a")).min(1).optional().describe("Zones of subnetIds, when known: lets synth check that volumes sit where nodes can run."),
  endpoint,
  serviceIpv4Cidr: z.string().default("172.20.0.0/16").describe("Kubernetes Service CIDR: private, /12 to /24, not overlapping the VPC or anything it routes to."),
  logRetentionDays: z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: (iss) => `${show(iss.input)} is not a CloudWatch Logs retention period (use one of ${LOG_RETENTION_DAYS.join(", ")})`,
    })
    .default(90),
  upgradeSupportType: oneOfEnum(["STANDARD", "EXTENDED"], "an upgrade support type").default("STANDARD").describe("STANDARD ends support with the version's standard support; EXTENDED costs extra."),
  compute: z.discriminatedUnion("mode", [autoCompute, managedCompute], {
    error: (iss) =>
      iss.code !== "invalid_union"
        ? undefined
        : (iss.input as { mode?: unknown } | undefined)?.mode === undefined
          ? `is required (use "auto" for EKS Auto Mode or "managed" for managed node groups)`
          : `${show((iss.input as { mode?: unknown }).mode)} is not a compute mode (use "auto" for EKS Auto Mode or "managed" for managed node groups)`,
  }),
  addons: keyedMap(addon, "add-on").default({}).describe("EKS add-ons by name. Managed node groups always get the core add-ons; Auto Mode runs them itself."),
});

// ---- access, volumes, target groups, platform ------------------------------------------------

const accessPolicy = z.strictObject({
  policy: z.enum(ACCESS_POLICIES, {
    error: (iss) => `${show(iss.input)} is not an EKS access policy (use ${oneOf(ACCESS_POLICIES)})`,
  }),
  /** Namespace scope; cluster scope when absent. */
  // EKS allows a trailing wildcard ("dev-*"). https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
  namespaces: z
    .array(pattern(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$|^[a-z0-9][-a-z0-9]{0,61}\*$/, "a namespace or a namespace prefix ending in \"*\"", "monitoring"))
    .min(1, { error: "is empty: a namespace-scoped policy needs at least one namespace (list them, or remove namespaces for cluster scope)" })
    .optional(),
});

const accessEntry = z.strictObject({
  principalArn: pattern(IAM_PRINCIPAL_ARN, "an IAM role or user ARN", "arn:aws:iam::111111111111:role/platform-admin"),
  type: oneOfEnum(ACCESS_ENTRY_TYPES, "an access entry type").default("STANDARD"),
  kubernetesGroups: z.array(z.string().min(1)).default([]).describe("Kubernetes groups for your RBAC bindings (STANDARD entries only; not system:*)."),
  userName: z.string().min(1).optional().describe("Kubernetes user name; EKS derives one from the ARN when absent (not system:, eks:, aws:, amazon:, iam:)."),
  policies: z.array(accessPolicy).default([]).describe("EKS access policies to associate, each cluster-wide or for some namespaces."),
});

const volume = z.strictObject({
  availabilityZone: pattern(AVAILABILITY_ZONE, "an availability zone", "ap-northeast-1a").describe("Zone of the volume; pods that mount it run in this zone only."),
  sizeGiB: z.number().int({ error: (iss) => `${show(iss.input)} is not a whole number of GiB` }).describe("Size in GiB (EBS cannot shrink a volume)."),
  type: oneOfEnum(EBS_VOLUME_TYPES, "an EBS volume type").default("gp3"),
  iops: z.number().int().optional().describe("Provisioned IOPS (gp3, io1, io2)."),
  throughputMiBs: z.number().int().optional().describe("Provisioned throughput in MiB/s (gp3)."),
  fsType: oneOfEnum(["ext4", "xfs"], "a file system type").default("ext4"),
  claim: z.strictObject({
    namespace: dnsLabel("namespace"),
    name: pattern(DNS_SUBDOMAIN, "a valid claim name (DNS-1123 subdomain)", "loki-data"),
  }).describe("The PersistentVolumeClaim that binds to this volume."),
});

const targetGroup = z.strictObject({
  port: intIn(1, 65535, "port").describe("Port the pods listen on (the target port)."),
  protocol: oneOfEnum(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"], "a target group protocol").default("HTTP"),
  healthCheck: z
    .strictObject({
      path: z
        .string()
        .regex(/^\//, { error: (iss) => `${show(iss.input)} does not start with "/" (use a path such as "/healthz")` })
        .max(1024)
        .default("/"),
      port: z
        .union([intIn(1, 65535, "healthCheck.port"), z.literal("traffic-port")], {
          error: (iss) => `${show(iss.input)} is not a health check port (use a port from 1 to 65535, or "traffic-port" for the target port)`,
        })
        .default("traffic-port"),
      // HTTP/HTTPS target groups take codes 200-499. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
      matcher: pattern(/^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/, "an HTTP status matcher with codes from 200 to 499", "200-399").default("200-399"),
      intervalSeconds: intIn(5, 300, "intervalSeconds").default(15),
      healthyThreshold: intIn(2, 10, "healthyThreshold").default(3),
      unhealthyThreshold: intIn(2, 10, "unhealthyThreshold").default(3),
    })
    .default({ path: "/", port: "traffic-port", matcher: "200-399", intervalSeconds: 15, healthyThreshold: 3, unhealthyThreshold: 3 }),
  service: z.strictObject({
    namespace: dnsLabel("namespace"),
    // Service names are DNS-1035 labels: they start with a letter. https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#rfc-1035-label-names
    name: pattern(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "a valid Service name (a DNS-1035 label: starts with a letter, then lowercase letters, digits and \"-\", at most 63 characters)", "argocd-server"),
    port: intIn(1, 65535, "service.port"),
  }).describe("The Service whose pods become targets (TargetGroupBinding serviceRef)."),
  loadBalancerSecurityGroupId: pattern(SECURITY_GROUP_ID, "a security group id", "sg-0123456789abcdef0").describe("The load balancer's security group: pods accept traffic from it."),
});

const helmRelease = z.strictObject({
  repository: pattern(/^(https:\/\/|oci:\/\/)\S+$/, "an https:// or oci:// chart repository", "https://kubernetes-sigs.github.io/metrics-server/").describe("Chart repository: an https URL or an oci:// registry."),
  chart: pattern(/^[a-z0-9][a-z0-9._-]*$/, "a chart name", "metrics-server").describe("Chart name in the repository."),
  version: pattern(EXACT_VERSION, "an exact chart version (no ranges, no \"latest\")", "3.13.0").describe("Exact chart version: ranges and `latest` make plans drift."),
  namespace: dnsLabel("namespace").describe("Namespace of the release."),
  createNamespace: z.boolean().default(true).describe("Let Helm create the namespace (ignored for namespaces this stack creates itself)."),
  values: z.record(z.string(), jsonData).default({}).describe("Chart values as typed data (JSON only: strings, numbers, booleans, null, lists, plain objects; no Date or class instances); rendered to YAML-compatible JSON."),
  timeoutSeconds: intIn(60, 3600, "timeoutSeconds").default(600).describe("Helm's wait timeout for the release."),
});

const platform = z
  .strictObject({
    storageClass: z
      .strictObject({
        name: dnsLabel("StorageClass name").default("ebs-gp3"),
        reclaimPolicy: oneOfEnum(["Delete", "Retain"], "a reclaim policy").default("Delete"),
      })
      .default({ name: "ebs-gp3", reclaimPolicy: "Delete" }).describe("The default StorageClass (gp3, encrypted, WaitForFirstConsumer); the provisioner follows the compute mode."),
    ingress: z
      .strictObject({
        className: dnsLabel("IngressClass name").default("alb"),
        scheme: oneOfEnum(["internal", "internet-facing"], "a load balancer scheme").default("internal"),
        /** Ingresses of one group share one ALB. */
        groupName: dnsLabel("ingress group name").optional(),
        isDefault: z.boolean().default(false),
      })
      .optional().describe("An IngressClass for ALBs; the controller follows the compute mode. Absent: no IngressClass."),
    kubeDnsService: z
      .boolean()
      .default(false)
      .describe(
        "Auto Mode only: create a kube-dns Service at the cluster DNS address for charts that resolve kube-dns by name. Off by default: it has no endpoints (Auto Mode answers DNS on the node), and whether kube-proxy then rejects DNS to that address is not confirmed on a live cluster; turn it on only for such a chart, and check DNS from a pod.",
      ),
  })
  .default({ storageClass: { name: "ebs-gp3", reclaimPolicy: "Delete" }, kubeDnsService: false });

const policyWaiver = z.strictObject({
  stack: oneOfEnum(["aws", "controllers", "k8s"], "a stack kind").default("aws").describe("The stack holding the resource."),
  check: pattern(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, "a policy check id", "CKV_AWS_39").describe("The checkov check id to waive."),
  resource: z.string().min(1).describe("Terraform address or construct path of the resource, as the policy output prints it."),
  reason: z
    .string()
    .trim()
    .min(10, { error: (iss) => `${show(iss.input)} is too short for a waiver reason (say in at least 10 characters why the check does not apply)` }),
});

// ---- cost estimate (npm run cost; read by nothing that deploys) -------------------------------

/** A price in USD: a positive number. */
const usd = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `is required (give ${what} in USD)` : `${show(iss.input)} is not a price (give ${what} in USD as a number, for example 0.1008)`) }).positive({ error: (iss) => `${show(iss.input)} is not a positive price (give ${what} in USD, greater than 0)` });

/**
 * The dimensions AWS bills per EBS volume type (https://aws.amazon.com/ebs/pricing/): gp3 storage,
 * IOPS above 3,000 and MiB/s above 125; storage only for gp2/st1/sc1; io1 storage and provisioned
 * IOPS; io2 storage and provisioned IOPS in three tiers per volume (up to 32,000, 32,001-64,000,
 * above 64,000: the Price List's EBS:VolumeP-IOPS.io2, .io2.tier2 and .io2.tier3). One shape for
 * the prices in config (cost.gp3, cost.ebs) and in data/prices.json (tools/lib/cost/prices.ts);
 * `price` words each one's messages.
 */
export function ebsPriceShapes(price: (type: string, dimension: string) => z.ZodNumber) {
  const storage = (type: string) => z.strictObject({ perGiBMonth: price(type, "per GB-month") });
  return {
    gp3: z.strictObject({
      perGiBMonth: price("gp3", "per GB-month"),
      perIopsMonthAbove3000: price("gp3", "per provisioned IOPS-month above 3,000"),
      perMiBsMonthAbove125: price("gp3", "per provisioned MiB/s-month above 125"),
    }),
    gp2: storage("gp2"),
    io1: z.strictObject({ perGiBMonth: price("io1", "per GB-month"), perIopsMonth: price("io1", "per provisioned IOPS-month") }),
    io2: z.strictObject({
      perGiBMonth: price("io2", "per GB-month"),
      perIopsMonth: price("io2", "per provisioned IOPS-month up to 32,000 IOPS"),
      perIopsMonthAbove32000: price("io2", "per provisioned IOPS-month from 32,001 to 64,000 IOPS").optional(),
      perIopsMonthAbove64000: price("io2", "per provisioned IOPS-month above 64,000 IOPS").optional(),
    }),
    st1: storage("st1"),
    sc1: storage("sc1"),
  };
}

const volumePrices = ebsPriceShapes((type, dimension) => usd(`the ${type} price ${dimension}`));

const cost = z
  .strictObject({
    spotDiscount: z
      .number({ error: (iss) => `${show(iss.input)} is not a number (give the assumed spot discount as a fraction, for example 0.6 for 60 % off on-demand)` })
      .min(0, { error: (iss) => `${show(iss.input)} is not a discount from 0 to 0.95 (a fraction of the on-demand price, for example 0.6)` })
      .max(0.95, { error: (iss) => `${show(iss.input)} is not a discount from 0 to 0.95 (a fraction of the on-demand price, for example 0.6)` })
      .optional()
      .describe("Assumed spot discount off on-demand (0.6 = 60 % off) for SPOT node groups and spot pool capacity; without it spot capacity is priced at on-demand (an upper bound). The Auto Mode fee gets no discount."),
    ec2PerHour: z.record(pattern(INSTANCE_TYPE, "an EC2 instance type", "m7i.large"), usd("the on-demand price per hour")).optional().describe("On-demand prices per hour in this environment's region, added to or overriding data/prices.json."),
    autoModeFeePerHour: z.record(pattern(INSTANCE_TYPE, "an EC2 instance type", "m7i.large"), usd("the Auto Mode fee per hour")).optional().describe("Published Auto Mode fees per instance hour in this region (https://aws.amazon.com/eks/pricing/), added to or overriding data/prices.json."),
    gp3: volumePrices.gp3
      .optional()
      .describe("gp3 prices of this region (https://aws.amazon.com/ebs/pricing/), overriding data/prices.json."),
    ebs: z
      .strictObject({
        gp2: volumePrices.gp2.optional(),
        io1: volumePrices.io1.optional(),
        io2: volumePrices.io2.optional(),
        st1: volumePrices.st1.optional(),
        sc1: volumePrices.sc1.optional(),
      })
      .optional()
      .describe(
        "Prices of this region for the other EBS volume types, as AWS bills them (https://aws.amazon.com/ebs/pricing/): gp2, st1 and sc1 per GB-month; io1 per GB-month and provisioned IOPS-month; io2 per GB-month and provisioned IOPS-month up to 32,000, from 32,001 to 64,000 and above 64,000 IOPS (the higher tiers only when a volume needs them). Overrides data/prices.json.",
      ),
    controlPlane: z
      .strictObject({
        standardPerHour: usd("the control-plane fee per cluster hour in standard support"),
        extendedPerHour: usd("the control-plane fee per cluster hour in extended support"),
      })
      .optional()
      .describe("Control-plane fees per cluster hour of this environment's partition (https://aws.amazon.com/eks/pricing/), overriding data/prices.json, which prices the commercial partition only (GovCloud needs them here or in the table). Not used in AWS China or the European Sovereign Cloud, which bill in other currencies."),
  })
  .optional()
  .describe("Assumptions and prices for the cost estimate (`npm run cost`, docs/cost.md); nothing deployed reads it. Prices are USD: in AWS China and the European Sovereign Cloud, which bill in CNY and EUR, none is used (a note says so).");

// ---- the environment -----------------------------------------------------------------------

/** Top-level sections; rules declare which ones they need (environment-rules.ts). */
export const sections = {
  name: pattern(ENV_NAME, "a valid environment name (lowercase letters, digits and \"-\", 2-24 characters, starting with a letter and ending with a letter or digit)", "dev").describe("Environment name: names the stacks (<name>-aws, ...) and state keys; lowercase, 2-24 characters."),
  account,
  state,
  tags: awsTags.default({}).describe("AWS tags on every resource (provider default_tags; they also reach IAM roles, so IAM's character set applies)."),
  protected: z.boolean().default(false).describe("Protected environments (prod) refuse plans that destroy the cluster, its keys or volumes."),
  rolloutWave: intIn(1, 100, "rolloutWave").default(1).describe("Environments deploy in waves (1 first); environments of one wave deploy in name order."),
  ci,
  cluster,
  access: keyedMap(accessEntry, "access entry").default({}).describe("Who may use the cluster: access entries and policy associations (no aws-auth). The deploy and plan roles get theirs automatically."),
  volumes: keyedMap(volume, "volume").default({}).describe("Pre-created EBS volumes, each exposed as a PersistentVolume reserved for one claim."),
  targetGroups: keyedMap(targetGroup, "target group").default({}).describe("Target groups created in AWS and bound to a Service with a TargetGroupBinding."),
  nodePools: keyedMap(nodePool, "node pool").default({}).describe("Node pools by name, the same in every compute mode: Auto Mode NodeClass + NodePool, or Karpenter EC2NodeClass + NodePool on node-group clusters. Pods select one with `nodeSelector: { karpenter.sh/nodepool: <name> }`."),
  platform,
  helm: keyedMap(helmRelease, "Helm release").default({}).describe("Helm releases of the platform, installed in the k8s stack after its namespaces, StorageClass and claims."),
  policyWaivers: z.array(policyWaiver).default([]).describe("Checkov findings waived for this environment, each with a reason."),
  renames: renamesSchema,
  adopt: adoptSchema,
  cost,
};

export const environmentSchema = z.strictObject(sections);

/** An environment as written by a user (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default filled in. */
export type Environment = z.output<typeof environmentSchema>;
export type ClusterConfig = Environment["cluster"];
export type AutoCompute = z.output<typeof autoCompute>;
export type ManagedCompute = z.output<typeof managedCompute>;
export type NodePoolConfig = z.output<typeof nodePool>;
export type NodePoolBudget = z.output<typeof budget>;
export type NodeGroupConfig = z.output<typeof nodeGroup>;
export type AccessEntryConfig = z.output<typeof accessEntry>;
export type AccessPolicyConfig = z.output<typeof accessPolicy>;
export type VolumeConfig = z.output<typeof volume>;
export type TargetGroupConfig = z.output<typeof targetGroup>;
export type HelmReleaseConfig = z.output<typeof helmRelease>;
export type PlatformConfig = z.output<typeof platform>;
export type PolicyWaiver = z.output<typeof policyWaiver>;
export type CostConfig = z.output<typeof cost>;
export type ComputeMode = Environment["cluster"]["compute"]["mode"];

