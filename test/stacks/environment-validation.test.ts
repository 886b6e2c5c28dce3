/**
 * The input rules (issue "Guardrails", part 1): every field rule with its own message, every
 * cross-field rule in RULES and the cross-environment rules of parseEnvironments.
 *
 * Each case starts from a valid fixture environment (dev: Auto Mode, prod: managed node groups; test/fixtures/environments),
 * makes one mistake and expects the exact lines the synth command prints: `<env>: <path>: <message>`.
 * Where one mistake has several consequences (a long cluster name breaks every name derived from
 * it), all of them are listed: the expected lines are the complete list of problems.
 */
import { ConfigError, formatProblem, show } from "../../stacks/config-errors";
import { RULES } from "../../stacks/environment-rules";
import { checkEnvironment, parseEnvironment, parseEnvironments } from "../../stacks/environment-validation";
import { environments } from "../fixtures/environments";
import { dev } from "../fixtures/environments/dev";
import { prod } from "../fixtures/environments/prod";
import { configErrorMessage, problemsOf, withChange, type Draft } from "../support/environments";

type Case = [title: string, env: unknown, expected: string | string[]];

const devWith = (mutate: (env: Draft) => void) => withChange(dev, mutate);
const prodWith = (mutate: (env: Draft) => void) => withChange(prod, mutate);

/** The problems of `env` are exactly `expected`, and parseEnvironment throws them as one ConfigError. */
function expectProblems(env: unknown, expected: string | string[]): void {
  const lines = [expected].flat();
  expect(problemsOf(env)).toEqual(lines);
  expect(() => parseEnvironment(env)).toThrow(new Error(configErrorMessage(lines)));
}

/** The problems parseEnvironments reports for several environments, as printed. */
function problemsOfAll(inputs: readonly unknown[]): string[] {
  try {
    parseEnvironments(inputs);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

const runCases = (cases: Case[]) => test.each(cases)("%s", (_title, env, expected) => expectProblems(env, expected));

// Message tails that several cases share (kept literal, so the tests pin the exact wording).
const JSON_DATA = "(use strings, numbers, booleans, null, lists and plain objects: e.g. a date as an ISO string)";
const ENV_NAME = `is not a valid environment name (lowercase letters, digits and "-", 2-24 characters, starting with a letter and ending with a letter or digit) (for example "dev")`;
const NAMESPACE = `is not a valid namespace (a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters) (for example "monitoring")`;
const EXACT_CHART_VERSION = `is not an exact chart version (no ranges, no "latest") (for example "3.13.0")`;
const UNKNOWN_FIELD_FIX = "(check the spelling against the configuration reference in docs/reference/configuration.md)";
const PRIVATE_ONLY =
  "is empty while the endpoint is private-only: nothing outside the cluster can reach the API server, so the Kubernetes stacks cannot plan (list your in-VPC runners' security group or your VPN's CIDR, or enable publicAccess with publicAccessCidrs; see docs/guides/api-access.md)";
const ALL_POOLS_TAINTED =
  'every node pool has a NoSchedule/NoExecute taint and the "general-purpose" built-in pool is off: Helm releases and platform pods could schedule nowhere (add "general-purpose" to builtInNodePools or a pool without such taints)';
const NO_KARPENTER_HOST =
  "no node group can run the Karpenter controller: each has a NO_SCHEDULE/NO_EXECUTE taint the chart does not tolerate (it tolerates CriticalAddonsOnly only) and Karpenter never runs on its own nodes (add an untainted system node group)";
const CRON_FIX = `(cron in UTC: minute hour day-of-month month day-of-week, for example "0 9 * * mon-fri", or @annually, @yearly, @monthly, @weekly, @daily, @midnight, @hourly)`;
const LONG_CLUSTER_NAME = `acme-dev-${"a".repeat(48)}`; // 57 characters: "<name>-cluster" would be 65

describe("the fixture environments", () => {
  test.each([
    ["dev (Auto Mode)", dev],
    ["prod (managed node groups)", prod],
  ])("%s has no problems", (_title, env) => {
    expect(checkEnvironment(env).problems).toEqual([]);
    expect(() => parseEnvironment(env)).not.toThrow();
  });

  test("parse together", () => {
    expect(parseEnvironments(environments).map((e) => e.name)).toEqual(["dev", "prod"]);
  });
});

test("every rule in RULES has cases in this file (add them here when you add a rule)", () => {
  expect(RULES.map((r) => r.name)).toEqual([
    "deploy-role-in-account", // names, account
    "arns-in-partition", // names, account; access entries
    "derived-name-lengths", // names, account
    "cluster-name-fits-volume-names", // names, account
    "unique-subnets", // cluster
    "zones-in-region", // cluster; Auto Mode; volumes
    "two-zones", // cluster
    "upgrade-support-type", // cluster
    "node-labels-and-taints", // managed node groups; Auto Mode
    "volume-zone-has-subnet", // volumes
    "endpoint-access", // cluster
    "api-reachable-from-ci", // API access from CI
    "service-cidr", // cluster
    "auto-mode-compute", // Auto Mode
    "node-pools", // node pools in both modes (issue 11)
    "karpenter-controller-host", // node pools in both modes (issue 11)
    "untainted-capacity", // Auto Mode; managed node groups
    "no-core-addons-in-auto-mode", // cluster
    "node-group-sizes", // managed node groups
    "access-entries", // access entries
    "deploy-role-access", // access entries
    "ebs-limits", // volumes
    "target-group-names", // target groups; names, account
    "target-group-protocols", // target groups
    "helm-namespaces", // Helm (the 53-character release name check cannot fail: keys have at most 40)
    "unique-waivers", // policy waivers
  ]);
});

describe("the acceptance example", () => {
  const env = devWith((e) => {
    e.cluster.compute.builtInNodePools = ["general-purpose", "sytem"];
    e.account.id = "123";
    e.cluster.subnetIds = ["subnet-0a1b2c3d4e5f60001"];
    e.access["ops-readonly"].policies[0].namespaces = [];
  });
  const expected = [
    `dev: account.id: "123" is not an AWS account id (12 digits) (for example "111111111111")`,
    "dev: cluster.subnetIds: has 1 subnet(s); EKS needs subnets in at least two availability zones (add another subnet id)",
    `dev: cluster.compute.builtInNodePools[1]: "sytem" is not a built-in node pool (use "general-purpose" or "system")`,
    "dev: access.ops-readonly.policies[0].namespaces: is empty: a namespace-scoped policy needs at least one namespace (list them, or remove namespaces for cluster scope)",
  ];

  test("reports all four problems at once, in one ConfigError, each with env name and path", () => {
    let error: unknown;
    try {
      parseEnvironment(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map(formatProblem)).toEqual(expected);
    expect((error as ConfigError).message).toBe(`4 configuration problems:\n${expected.map((l) => `  ${l}`).join("\n")}`);
  });

  test("parseEnvironments reports the same four problems, next to the valid prod", () => {
    expect(problemsOfAll([env, prod])).toEqual(expected);
  });
});

describe("names, account, state, tags", () => {
  runCases([
    ["environment name in uppercase", devWith((e) => (e.name = "Dev")), `Dev: name: "Dev" ${ENV_NAME}`],
    ["environment name over 24 characters", devWith((e) => (e.name = "development-tokyo-region-1")), `development-tokyo-region-1: name: "development-tokyo-region-1" ${ENV_NAME}`],
    ["environment name starting with a digit", devWith((e) => (e.name = "1dev")), `1dev: name: "1dev" ${ENV_NAME}`],
    ["environment name ending with a hyphen", devWith((e) => (e.name = "dev-")), `dev-: name: "dev-" ${ENV_NAME}`],
    ["environment name missing", devWith((e) => delete e.name), "(unnamed environment): name: is required (add a string)"],
    [
      "cluster name with a space and a !",
      devWith((e) => (e.cluster.name = "acme dev!")),
      `dev: cluster.name: "acme dev!" is not a valid EKS cluster name (1-100 letters, digits, "-" and "_", starting with a letter or digit) (for example "acme-dev")`,
    ],
    [
      "cluster name over 100 characters",
      devWith((e) => (e.cluster.name = "a".repeat(101))),
      `dev: cluster.name: "${"a".repeat(76)}... is not a valid EKS cluster name (1-100 letters, digits, "-" and "_", starting with a letter or digit) (for example "acme-dev")`,
    ],
    [
      "cluster name too long for the IAM role names derived from it (and the target group name)",
      devWith((e) => (e.cluster.name = LONG_CLUSTER_NAME)),
      [
        `dev: cluster.name: IAM role name "${LONG_CLUSTER_NAME}-cluster" is 65 characters, over AWS's 64 (shorten the cluster name)`,
        `dev: targetGroups.argocd: target group name "${LONG_CLUSTER_NAME}-argocd" is longer than 32 characters (shorten the key or the cluster name)`,
      ],
    ],
    [
      "cluster name in uppercase while volumes derive PersistentVolume names from it",
      devWith((e) => (e.cluster.name = "Acme-Dev")),
      `dev: cluster.name: "Acme-Dev" has uppercase letters or "_", but it names the PersistentVolumes of volumes (<name>-<volume>), which allow only lowercase letters, digits, "-" and "." (use a name such as "acme-dev")`,
    ],
    [
      "cluster name with _ while volumes and target groups derive names from it",
      devWith((e) => (e.cluster.name = "acme_dev")),
      [
        `dev: cluster.name: "acme_dev" has uppercase letters or "_", but it names the PersistentVolumes of volumes (<name>-<volume>), which allow only lowercase letters, digits, "-" and "." (use a name such as "acme-dev")`,
        `dev: cluster.name: "acme_dev" has "_", but it names the target groups (<name>-<key>), which allow only letters, digits and "-" (use a name such as "acme-dev")`,
      ],
    ],
    ["account id of 3 digits", devWith((e) => (e.account.id = "111")), `dev: account.id: "111" is not an AWS account id (12 digits) (for example "111111111111")`],
    ["account id as a number", devWith((e) => (e.account.id = 111111111111)), "dev: account.id: 111111111111 is not a string (use a string)"],
    ["region without its number", devWith((e) => (e.account.region = "ap-northeast")), `dev: account.region: "ap-northeast" is not an AWS region (for example "ap-northeast-1")`],
    ["region as a zone", devWith((e) => (e.account.region = "ap-northeast-1a")), `dev: account.region: "ap-northeast-1a" is not an AWS region (for example "ap-northeast-1")`],
    [
      "deploy role ARN that is not an IAM role",
      devWith((e) => (e.account.deployRoleArn = "arn:aws:s3:::acme-deploy")),
      `dev: account.deployRoleArn: "arn:aws:s3:::acme-deploy" is not an IAM role ARN (for example "arn:aws:iam::111111111111:role/eks-deployer")`,
    ],
    [
      "deploy role ARN of an IAM user",
      devWith((e) => (e.account.deployRoleArn = "arn:aws:iam::111111111111:user/deployer")),
      `dev: account.deployRoleArn: "arn:aws:iam::111111111111:user/deployer" is not an IAM role ARN (for example "arn:aws:iam::111111111111:role/eks-deployer")`,
    ],
    [
      "deploy role in another account than account.id",
      devWith((e) => (e.account.deployRoleArn = "arn:aws:iam::222222222222:role/eks-deployer")),
      `dev: account.deployRoleArn: "arn:aws:iam::222222222222:role/eks-deployer" is in account 222222222222, not 111111111111 (the deploy role must live in the environment's account)`,
    ],
    [
      "deploy role in another partition than the region",
      devWith((e) => (e.account.deployRoleArn = "arn:aws-cn:iam::111111111111:role/eks-deployer")),
      `dev: account.deployRoleArn: "arn:aws-cn:iam::111111111111:role/eks-deployer" is in partition aws-cn, but region ap-northeast-1 is in aws (use an arn:aws: ARN)`,
    ],
    [
      "state bucket with uppercase and _",
      devWith((e) => (e.state.bucket = "Acme_TFState")),
      `dev: state.bucket: "Acme_TFState" is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-") (for example "acme-tfstate-111111111111")`,
    ],
    ["state region", devWith((e) => (e.state.region = "tokyo")), `dev: state.region: "tokyo" is not an AWS region (for example "ap-northeast-1")`],
    [
      "state key prefix with slashes around it",
      devWith((e) => (e.state.keyPrefix = "/eks/")),
      `dev: state.keyPrefix: "/eks/" is not a valid S3 key prefix (no leading or trailing "/") (for example "eks")`,
    ],
    [
      'tag key with the reserved "aws:" prefix',
      devWith((e) => (e.tags["aws:owner"] = "platform")),
      `dev: tags.aws:owner: tag key "aws:owner" uses the reserved "aws:" prefix (AWS rejects it in any letter case; rename the key)`,
    ],
    [
      "tag key over 128 characters",
      devWith((e) => (e.tags["k".repeat(129)] = "x")),
      `dev: tags.${"k".repeat(129)}: tag key "${"k".repeat(76)}... is longer than 128 characters (shorten it)`,
    ],
    [
      "tag value over 256 characters",
      devWith((e) => (e.tags.owner = "v".repeat(257))),
      `dev: tags.owner: tag value "${"v".repeat(76)}... is longer than 256 characters (shorten it)`,
    ],
    ["protected as a string", devWith((e) => (e.protected = "yes")), `dev: protected: "yes" is not a boolean (use a boolean)`],
    ["rollout wave 0", devWith((e) => (e.rolloutWave = 0)), "dev: rolloutWave: 0 is too small (rolloutWave must be from 1 to 100)"],
    ["rollout wave 1.5", devWith((e) => (e.rolloutWave = 1.5)), "dev: rolloutWave: 1.5 is not a whole number (rolloutWave takes an integer from 1 to 100)"],
  ]);

  test("a cluster name of 56 characters fits the IAM role names", () => {
    expect(problemsOf(devWith((e) => ((e.cluster.name = "a".repeat(56)), (e.targetGroups = {}))))).toEqual([]);
  });

  test('uppercase and "_" are fine in a cluster name that names no volumes or target groups', () => {
    expect(problemsOf(devWith((e) => ((e.cluster.name = "Acme_Dev"), (e.volumes = {}), (e.targetGroups = {}))))).toEqual([]);
  });
});

describe("unknown fields and wrong types", () => {
  runCases([
    [
      "a typo'd field (subnetIDs) is an unknown field, and the real one is missing",
      devWith((e) => {
        e.cluster.subnetIDs = e.cluster.subnetIds;
        delete e.cluster.subnetIds;
      }),
      ["dev: cluster.subnetIds: is required (add an array)", `dev: cluster: unknown field "subnetIDs" ${UNKNOWN_FIELD_FIX}`],
    ],
    ["an unknown top-level field", devWith((e) => (e.tag = { team: "platform" })), `dev: unknown field "tag" ${UNKNOWN_FIELD_FIX}`],
    [
      "two unknown fields in one object",
      devWith((e) => Object.assign(e.nodePools.batch, { maxNodes: 10, minNodes: 0 })),
      `dev: nodePools.batch: unknown fields "maxNodes" and "minNodes" ${UNKNOWN_FIELD_FIX}`,
    ],
    ["a list given as one string", devWith((e) => (e.cluster.subnetIds = "subnet-0a1b2c3d4e5f60001")), `dev: cluster.subnetIds: "subnet-0a1b2c3d4e5f60001" is not an array (use an array)`],
    ["an object given as a string", devWith((e) => (e.cluster.endpoint = "public")), `dev: cluster.endpoint: "public" is not an object (use an object)`],
    ["a missing section", devWith((e) => delete e.cluster), "dev: cluster: is required (add an object)"],
    ["an environment that is not an object", null, "(unnamed environment): null is not an object (use an object)"],
  ]);
});

describe("cluster: subnets, endpoint, service CIDR, version, add-ons", () => {
  runCases([
    [
      "one subnet",
      devWith((e) => (e.cluster.subnetIds = ["subnet-0a1b2c3d4e5f60001"])),
      "dev: cluster.subnetIds: has 1 subnet(s); EKS needs subnets in at least two availability zones (add another subnet id)",
    ],
    [
      "a malformed subnet id",
      devWith((e) => (e.cluster.subnetIds[1] = "subnet-12345")),
      `dev: cluster.subnetIds[1]: "subnet-12345" is not a subnet id (for example "subnet-0123456789abcdef0")`,
    ],
    [
      "the same subnet twice",
      devWith((e) => (e.cluster.subnetIds[1] = "subnet-0a1b2c3d4e5f60001")),
      `dev: cluster.subnetIds[1]: "subnet-0a1b2c3d4e5f60001" is listed twice (remove the duplicate)`,
    ],
    ["a malformed VPC id", devWith((e) => (e.cluster.vpcId = "vpc-123")), `dev: cluster.vpcId: "vpc-123" is not a VPC id (for example "vpc-0123456789abcdef0")`],
    [
      "an availability zone in another region",
      devWith((e) => (e.cluster.availabilityZones[1] = "us-east-1c")),
      `dev: cluster.availabilityZones[1]: "us-east-1c" is not in the environment's region ap-northeast-1 (use a zone such as "ap-northeast-1a")`,
    ],
    ["an empty list of availability zones", devWith((e) => (e.cluster.availabilityZones = [])), "dev: cluster.availabilityZones: is empty (list at least one value, or leave the field out)"],
    ["serviceIpv4Cidr that is not a CIDR", devWith((e) => (e.cluster.serviceIpv4Cidr = "172.20.0.0")), `dev: cluster.serviceIpv4Cidr: "172.20.0.0" is not an IPv4 CIDR (for example "203.0.113.0/24")`],
    ["serviceIpv4Cidr with host bits set", devWith((e) => (e.cluster.serviceIpv4Cidr = "172.20.0.1/16")), `dev: cluster.serviceIpv4Cidr: "172.20.0.1/16" has host bits set (use "172.20.0.0/16")`],
    [
      "serviceIpv4Cidr in a public range",
      devWith((e) => (e.cluster.serviceIpv4Cidr = "100.64.0.0/16")),
      `dev: cluster.serviceIpv4Cidr: "100.64.0.0/16" is not inside a private range (use a block from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, for example "172.20.0.0/16")`,
    ],
    ["serviceIpv4Cidr /8", devWith((e) => (e.cluster.serviceIpv4Cidr = "10.0.0.0/8")), `dev: cluster.serviceIpv4Cidr: "10.0.0.0/8" has prefix /8; EKS takes /12 to /24 (for example "172.20.0.0/16")`],
    ["serviceIpv4Cidr /25", devWith((e) => (e.cluster.serviceIpv4Cidr = "10.100.0.0/25")), `dev: cluster.serviceIpv4Cidr: "10.100.0.0/25" has prefix /25; EKS takes /12 to /24 (for example "172.20.0.0/16")`],
    [
      "serviceIpv4Cidr overlapping a public access CIDR",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["172.20.8.0/24"])),
      `dev: cluster.serviceIpv4Cidr: "172.20.0.0/16" overlaps endpoint.publicAccessCidrs entry "172.20.8.0/24" (pick a service CIDR that does not overlap)`,
    ],
    [
      "0.0.0.0/0 without allowPublicInternet",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["0.0.0.0/0"])),
      `dev: cluster.endpoint.publicAccessCidrs[0]: "0.0.0.0/0" opens the API server to the whole internet (list your CIDRs, or set endpoint.allowPublicInternet: true to accept that)`,
    ],
    [
      "a public access CIDR that is not a CIDR",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["203.0.113.0/24", "office"])),
      `dev: cluster.endpoint.publicAccessCidrs[1]: "office" is not an IPv4 CIDR (for example "203.0.113.0/24")`,
    ],
    [
      "a public access CIDR with a /33 prefix",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["203.0.113.0/33"])),
      `dev: cluster.endpoint.publicAccessCidrs[0]: "203.0.113.0/33" is not an IPv4 CIDR (for example "203.0.113.0/24")`,
    ],
    [
      "a public access CIDR with host bits set",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["203.0.113.7/24"])),
      `dev: cluster.endpoint.publicAccessCidrs[0]: "203.0.113.7/24" has host bits set (use "203.0.113.0/24")`,
    ],
    [
      "the same public access CIDR twice",
      devWith((e) => e.cluster.endpoint.publicAccessCidrs.push("203.0.113.0/24")),
      `dev: cluster.endpoint.publicAccessCidrs[1]: "203.0.113.0/24" is listed twice (remove the duplicate)`,
    ],
    [
      "public access CIDRs while publicAccess is false",
      prodWith((e) => (e.cluster.endpoint.publicAccessCidrs = ["203.0.113.0/24"])),
      "prod: cluster.endpoint.publicAccessCidrs: is set while publicAccess is false (set publicAccess: true or remove the CIDRs)",
    ],
    [
      "publicAccess true with no CIDRs",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = [])),
      `dev: cluster.endpoint.publicAccessCidrs: is empty while publicAccess is true (list the CIDRs allowed to reach the public endpoint, for example ["203.0.113.0/24"])`,
    ],
    [
      "private and public endpoint both off",
      prodWith((e) => (e.cluster.endpoint = { privateAccess: false })),
      [
        "prod: cluster.endpoint.privateAccess: false with publicAccess false leaves no way to reach the API server (keep privateAccess: true)",
        `prod: cluster.endpoint.privateAccessSources: ${PRIVATE_ONLY}`,
      ],
    ],
    [
      "an unsupported Kubernetes version",
      devWith((e) => (e.cluster.kubernetesVersion = "1.29")),
      `dev: cluster.kubernetesVersion: "1.29" is not a Kubernetes version EKS supports (use "1.32", "1.33", "1.34", "1.35" or "1.36"; the list is in stacks/kubernetes-versions.ts)`,
    ],
    [
      "a Kubernetes version written as a number",
      devWith((e) => (e.cluster.kubernetesVersion = 1.34)),
      `dev: cluster.kubernetesVersion: 1.34 is not a Kubernetes version EKS supports (use "1.32", "1.33", "1.34", "1.35" or "1.36"; the list is in stacks/kubernetes-versions.ts)`,
    ],
    [
      "a log retention CloudWatch does not offer",
      devWith((e) => (e.cluster.logRetentionDays = 45)),
      "dev: cluster.logRetentionDays: 45 is not a CloudWatch Logs retention period (use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ],
    [
      "an upgrade support type in lowercase",
      devWith((e) => (e.cluster.upgradeSupportType = "extended")),
      `dev: cluster.upgradeSupportType: "extended" is not an upgrade support type (use "STANDARD" or "EXTENDED")`,
    ],
    [
      "an unknown compute mode",
      devWith((e) => (e.cluster.compute.mode = "fargate")),
      `dev: cluster.compute.mode: "fargate" is not a compute mode (use "auto" for EKS Auto Mode or "managed" for managed node groups)`,
    ],
    [
      "a compute section without a mode",
      devWith((e) => delete e.cluster.compute.mode),
      `dev: cluster.compute.mode: is required (use "auto" for EKS Auto Mode or "managed" for managed node groups)`,
    ],
    [
      "a core add-on (vpc-cni) configured in Auto Mode",
      devWith((e) => (e.cluster.addons = { "vpc-cni": {} })),
      `dev: cluster.addons.vpc-cni: "vpc-cni" is built into EKS Auto Mode and must not be installed as an add-on (remove it)`,
    ],
    [
      "an add-on version without its eksbuild suffix",
      prodWith((e) => (e.cluster.addons = { "vpc-cni": { version: "v1.20.4" } })),
      `prod: cluster.addons.vpc-cni.version: "v1.20.4" is not an EKS add-on version (for example "v1.20.4-eksbuild.1")`,
    ],
  ]);

  test("0.0.0.0/0 is accepted with allowPublicInternet: true", () => {
    const env = devWith((e) => Object.assign(e.cluster.endpoint, { publicAccessCidrs: ["0.0.0.0/0"], allowPublicInternet: true }));
    expect(problemsOf(env)).toEqual([]);
  });

  test("core add-ons may be configured for managed node groups", () => {
    expect(problemsOf(prodWith((e) => (e.cluster.addons = { "vpc-cni": { version: "v1.20.4-eksbuild.1" } })))).toEqual([]);
  });
});

describe("Auto Mode node pools", () => {
  const batch = (mutate: (pool: Draft) => void) => devWith((e) => mutate(e.nodePools.batch));
  const at = "dev: nodePools.batch";
  const reservedTag = (key: string, prefix: string): Case => [
    `NodeClass tag ${key}`,
    batch((p) => (p.nodeClass.tags = { [key]: "owned" })),
    `${at}.nodeClass.tags.${key}: uses the reserved prefix "${prefix}" (EKS rejects it; rename the tag)`,
  ];

  runCases([
    [
      'a typo\'d built-in pool "sytem"',
      devWith((e) => (e.cluster.compute.builtInNodePools = ["general-purpose", "sytem"])),
      `dev: cluster.compute.builtInNodePools[1]: "sytem" is not a built-in node pool (use "general-purpose" or "system")`,
    ],
    [
      "the same built-in pool twice",
      devWith((e) => (e.cluster.compute.builtInNodePools = ["general-purpose", "general-purpose"])),
      `dev: cluster.compute.builtInNodePools[1]: "general-purpose" is listed twice (remove the duplicate)`,
    ],
    [
      'a node pool named "default"',
      devWith((e) => {
        const { batch: pool } = e.nodePools;
        e.nodePools = { default: pool };
      }),
      `dev: nodePools.default: "default" is the name of the built-in NodeClass (rename the pool)`,
    ],
    [
      "a node pool key with uppercase and _",
      devWith((e) => {
        const { batch: pool } = e.nodePools;
        e.nodePools = { Batch_Pool: pool };
      }),
      `dev: nodePools.Batch_Pool: "Batch_Pool" is not a valid node pool key (lowercase letters, digits and "-", 1-40 characters; it becomes a Terraform address, so pick a stable name)`,
    ],
    ['expireAfter "Never"', batch((p) => (p.expireAfter = "Never")), `${at}.expireAfter: "Never" is not a duration in whole h, m or s (Never is not allowed in Auto Mode) (for example "336h")`],
    [
      "expireAfter + terminationGracePeriod over 21 days (500h + 24h)",
      batch((p) => Object.assign(p, { expireAfter: "500h", terminationGracePeriod: "24h" })),
      `${at}.expireAfter: "500h" + terminationGracePeriod "24h" exceeds Auto Mode's 21-day node lifetime (keep the sum at most 504h, for example expireAfter "336h" and terminationGracePeriod "24h")`,
    ],
    ["terminationGracePeriod in days", batch((p) => (p.terminationGracePeriod = "1d")), `${at}.terminationGracePeriod: "1d" is not a duration in whole h, m or s (for example "24h")`],
    reservedTag("kubernetes.io/cluster/x", "kubernetes.io/cluster"),
    [
      "NodeClass tag karpenter.sh/nodepool (set by Auto Mode)",
      batch((p) => (p.nodeClass.tags = { "karpenter.sh/nodepool": "x" })),
      `${at}.nodeClass.tags.karpenter.sh/nodepool: is a tag Auto Mode sets itself (EKS rejects it; rename the tag)`,
    ],
    [
      "NodeClass tag eks.amazonaws.com/nodeclass (set by Auto Mode)",
      batch((p) => (p.nodeClass.tags = { "eks.amazonaws.com/nodeclass": "x" })),
      `${at}.nodeClass.tags.eks.amazonaws.com/nodeclass: is a tag Auto Mode sets itself (EKS rejects it; rename the tag)`,
    ],
    reservedTag("AWS:Team", "aws:"),
    reservedTag("aws:cloudformation:stack-name", "aws:"),
    [
      "no built-in pools and no node pools",
      devWith((e) => ((e.cluster.compute.builtInNodePools = []), (e.nodePools = {}))),
      "dev: nodePools: is empty and builtInNodePools is empty: the cluster could run no pods (add a built-in pool or a node pool)",
    ],
    ["the same capacity type twice", batch((p) => (p.capacityTypes = ["spot", "spot"])), `${at}.capacityTypes: "spot" is listed twice (remove the duplicate)`],
    [
      "a capacity type in node-group spelling",
      batch((p) => (p.capacityTypes = ["SPOT"])),
      `${at}.capacityTypes[0]: "SPOT" is not a capacity type (use "on-demand" or "spot")`,
    ],
    ["no capacity types", batch((p) => (p.capacityTypes = [])), `${at}.capacityTypes: is empty (list at least one value, or leave the field out)`],
    [
      "a taint effect in node-group spelling (NO_SCHEDULE)",
      batch((p) => (p.taints[0].effect = "NO_SCHEDULE")),
      `${at}.taints[0].effect: "NO_SCHEDULE" is not a taint effect (use "NoSchedule", "PreferNoSchedule" or "NoExecute")`,
    ],
    [
      "an architecture named like an AMI (x86_64)",
      batch((p) => (p.architectures = ["x86_64"])),
      `${at}.architectures[0]: "x86_64" is not a CPU architecture (use "amd64" or "arm64")`,
    ],
    [
      "a node pool zone in another region",
      batch((p) => (p.zones = ["us-east-1a"])),
      `${at}.zones[0]: "us-east-1a" is not in the environment's region ap-northeast-1 (use a zone such as "ap-northeast-1a")`,
    ],
    ["a CPU limit that is not a quantity", batch((p) => (p.limits.cpu = "lots")), `${at}.limits.cpu: "lots" is not a CPU quantity (for example "1000")`],
    [
      "ephemeral storage below 20 GiB",
      batch((p) => (p.nodeClass.ephemeralStorageGiB = 10)),
      `${at}.nodeClass.ephemeralStorageGiB: 10 is too small (ephemeralStorageGiB must be from 20 to 59000)`,
    ],
    [
      "a label key with two slashes",
      batch((p) => (p.labels = { "acme.io/team/name": "data" })),
      `${at}.labels.acme.io/team/name: "acme.io/team/name" is not a valid Kubernetes label key (for example "team")`,
    ],
  ]);

  test("expireAfter + terminationGracePeriod of exactly 21 days (480h + 24h) is accepted", () => {
    expect(problemsOf(devWith((e) => Object.assign(e.nodePools.batch, { expireAfter: "480h", terminationGracePeriod: "24h" })))).toEqual([]);
  });

  test("node pools alone (no built-in pools) are enough when one takes untainted pods", () => {
    expect(problemsOf(devWith((e) => ((e.cluster.compute.builtInNodePools = []), (e.nodePools.batch.taints = []))))).toEqual([]);
  });

  runCases([
    [
      "only tainted pools and no general-purpose pool: platform pods could schedule nowhere",
      devWith((e) => (e.cluster.compute.builtInNodePools = ["system"])),
      `dev: nodePools: ${ALL_POOLS_TAINTED}`,
    ],
    [
      "no built-in pools and the only custom pool tainted NoExecute",
      devWith((e) => ((e.cluster.compute.builtInNodePools = []), (e.nodePools.batch.taints = [{ key: "gpu", effect: "NoExecute" }]))),
      `dev: nodePools: ${ALL_POOLS_TAINTED}`,
    ],
  ]);

  test("a PreferNoSchedule taint still takes untainted pods", () => {
    const env = devWith((e) => ((e.cluster.compute.builtInNodePools = []), (e.nodePools.batch.taints = [{ key: "batch", effect: "PreferNoSchedule" }])));
    expect(problemsOf(env)).toEqual([]);
  });
});

describe("managed node groups", () => {
  const group = (name: "general" | "batch", mutate: (g: Draft) => void) => prodWith((e) => mutate(e.cluster.compute.nodeGroups[name]));
  const at = "prod: cluster.compute.nodeGroups";

  runCases([
    ["minSize > maxSize", group("general", (g) => (g.minSize = 11)), `${at}.general.minSize: 11 is larger than maxSize 10 (need minSize <= desiredSize <= maxSize)`],
    [
      "desiredSize above maxSize",
      group("general", (g) => (g.desiredSize = 12)),
      `${at}.general.desiredSize: 12 is outside minSize..maxSize (3..10) (need minSize <= desiredSize <= maxSize)`,
    ],
    [
      "desiredSize below minSize",
      group("general", (g) => (g.desiredSize = 1)),
      `${at}.general.desiredSize: 1 is outside minSize..maxSize (3..10) (need minSize <= desiredSize <= maxSize)`,
    ],
    ["maxSize 0", group("batch", (g) => (g.maxSize = 0)), `${at}.batch.maxSize: 0 is too small (maxSize must be from 1 to 1000)`],
    ["maxSize as a string", group("batch", (g) => (g.maxSize = "20")), `${at}.batch.maxSize: "20" is not a number (use a number)`],
    [
      "a malformed instance type",
      group("general", (g) => (g.instanceTypes = ["m7i-large"])),
      `${at}.general.instanceTypes[0]: "m7i-large" is not an EC2 instance type (for example "m7i.large")`,
    ],
    ["no instance types", group("general", (g) => (g.instanceTypes = [])), `${at}.general.instanceTypes: needs at least one instance type (for example "m7i.large")`],
    [
      'capacity type "SPOT_INSTANCE"',
      group("batch", (g) => (g.capacityType = "SPOT_INSTANCE")),
      `${at}.batch.capacityType: "SPOT_INSTANCE" is not a capacity type (use "ON_DEMAND" or "SPOT")`,
    ],
    [
      'taint effect "NoSchedule" (the Kubernetes spelling, not the EKS API one)',
      group("batch", (g) => (g.taints[0].effect = "NoSchedule")),
      `${at}.batch.taints[0].effect: "NoSchedule" is not a taint effect (use "NO_SCHEDULE", "NO_EXECUTE" or "PREFER_NO_SCHEDULE")`,
    ],
    ["disk size 5 GiB", group("general", (g) => (g.diskSizeGiB = 5)), `${at}.general.diskSizeGiB: 5 is too small (diskSizeGiB must be from 20 to 65536)`],
    [
      "an AMI type EKS does not offer",
      group("general", (g) => (g.amiType = "AL2_x86_64")),
      `${at}.general.amiType: "AL2_x86_64" is not a supported AMI type (use "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA_FIPS" or "BOTTLEROCKET_ARM_64_NVIDIA_FIPS")`,
    ],
    [
      "an ARM (Graviton) instance type with the x86 AMI",
      group("general", (g) => (g.instanceTypes = ["m7g.large"])),
      `${at}.general.instanceTypes[0]: "m7g.large" is an arm64 type but amiType is AL2023_x86_64_STANDARD (use matching instance types or amiType)`,
    ],
    [
      "an x86 instance type with the ARM AMI",
      group("batch", (g) => (g.instanceTypes = ["c7g.xlarge", "c7i.xlarge"])),
      `${at}.batch.instanceTypes[1]: "c7i.xlarge" is an x86_64 type but amiType is AL2023_ARM_64_STANDARD (use matching instance types or amiType)`,
    ],
    [
      "a node-group subnet that is not a cluster subnet",
      group("general", (g) => (g.subnetIds = ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60009"])),
      `${at}.general.subnetIds[1]: "subnet-0b1c2d3e4f5a60009" is not one of cluster.subnetIds (node groups use the cluster's subnets)`,
    ],
    [
      "zero node groups",
      prodWith((e) => (e.cluster.compute.nodeGroups = {})),
      "prod: cluster.compute.nodeGroups: needs at least one node group (add one, for example nodeGroups: { general: {...} })",
    ],
    [
      "a chart version range for the load balancer controller",
      prodWith((e) => (e.cluster.compute.loadBalancerController.chartVersion = "~1.14")),
      `prod: cluster.compute.loadBalancerController.chartVersion: "~1.14" is not an exact chart version (for example "1.14.0")`,
    ],
  ]);
});

describe("access entries", () => {
  const NODE_ROLE = "arn:aws:iam::111111111111:role/acme-dev-extra-nodes";
  runCases([
    [
      "an unknown access policy",
      devWith((e) => (e.access["platform-admins"].policies[0].policy = "AmazonEKSReadOnlyPolicy")),
      `dev: access.platform-admins.policies[0].policy: "AmazonEKSReadOnlyPolicy" is not an EKS access policy (use "AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy", "AmazonEKSSecretReaderPolicy" or "AmazonEKSAutoNodePolicy")`,
    ],
    [
      "namespaces: []",
      devWith((e) => (e.access["ops-readonly"].policies[0].namespaces = [])),
      "dev: access.ops-readonly.policies[0].namespaces: is empty: a namespace-scoped policy needs at least one namespace (list them, or remove namespaces for cluster scope)",
    ],
    [
      "a namespace in uppercase",
      devWith((e) => (e.access["ops-readonly"].policies[0].namespaces = ["Monitoring"])),
      `dev: access.ops-readonly.policies[0].namespaces[0]: "Monitoring" is not a namespace or a namespace prefix ending in "*" (for example "monitoring")`,
    ],
    [
      "a wildcard in the middle of a namespace",
      devWith((e) => (e.access["ops-readonly"].policies[0].namespaces = ["dev-*-x"])),
      `dev: access.ops-readonly.policies[0].namespaces[0]: "dev-*-x" is not a namespace or a namespace prefix ending in "*" (for example "monitoring")`,
    ],
    [
      "a principal ARN of an S3 bucket",
      devWith((e) => (e.access["platform-admins"].principalArn = "arn:aws:s3:::acme-admins")),
      `dev: access.platform-admins.principalArn: "arn:aws:s3:::acme-admins" is not an IAM role or user ARN (for example "arn:aws:iam::111111111111:role/platform-admin")`,
    ],
    [
      "a principal ARN in another partition",
      devWith((e) => (e.access["ops-readonly"].principalArn = "arn:aws-us-gov:iam::333333333333:role/ops-readonly")),
      `dev: access.ops-readonly.principalArn: "arn:aws-us-gov:iam::333333333333:role/ops-readonly" is in partition aws-us-gov, but region ap-northeast-1 is in aws (use an arn:aws: ARN)`,
    ],
    [
      "the same principal in two access entries",
      devWith((e) => (e.access["ops-readonly"].principalArn = "arn:aws:iam::111111111111:role/platform-admin")),
      `dev: access.ops-readonly.principalArn: "arn:aws:iam::111111111111:role/platform-admin" already has access entry "platform-admins" (EKS allows one entry per principal; merge them)`,
    ],
    [
      "an EC2 entry with kubernetesGroups",
      devWith((e) => (e.access.nodes = { principalArn: NODE_ROLE, type: "EC2", kubernetesGroups: ["batch-nodes"] })),
      "dev: access.nodes.kubernetesGroups: must be empty for type EC2 (EKS sets node groups itself; remove kubernetesGroups)",
    ],
    [
      "an EC2_LINUX entry with kubernetesGroups",
      devWith((e) => (e.access.nodes = { principalArn: NODE_ROLE, type: "EC2_LINUX", kubernetesGroups: ["batch-nodes", "gpu-nodes"] })),
      "dev: access.nodes.kubernetesGroups: must be empty for type EC2_LINUX (EKS sets node groups itself; remove kubernetesGroups)",
    ],
    [
      "a STANDARD entry that grants nothing",
      devWith((e) => (e.access["ops-readonly"].policies = [])),
      `dev: access.ops-readonly.policies: is empty and kubernetesGroups is empty: the entry grants nothing (add a policy such as { policy: "AmazonEKSViewPolicy" })`,
    ],
    [
      "the same policy twice in one entry",
      devWith((e) => e.access["ops-readonly"].policies.push({ policy: "AmazonEKSViewPolicy", namespaces: ["argocd"] })),
      `dev: access.ops-readonly.policies: "AmazonEKSViewPolicy" is associated twice (merge the namespaces into one entry)`,
    ],
    [
      "an unknown entry type",
      devWith((e) => (e.access["ops-readonly"].type = "READ_ONLY")),
      `dev: access.ops-readonly.type: "READ_ONLY" is not an access entry type (use "STANDARD", "EC2", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX" or "HYBRID_LINUX")`,
    ],
    [
      "a Kubernetes group in the reserved system: prefix",
      devWith((e) => (e.access["ops-readonly"].kubernetesGroups = ["system:masters"])),
      `dev: access.ops-readonly.kubernetesGroups[0]: "system:masters" starts with "system:", which EKS reserves (bind your RBAC roles to a group of your own)`,
    ],
    [
      "an access policy on an EC2_LINUX entry",
      devWith((e) => (e.access.nodes = { principalArn: NODE_ROLE, type: "EC2_LINUX", policies: [{ policy: "AmazonEKSViewPolicy" }] })),
      `dev: access.nodes.policies[0]: "AmazonEKSViewPolicy" cannot be associated with a EC2_LINUX entry (access policies go on STANDARD entries; EC2 entries take only AmazonEKSAutoNodePolicy)`,
    ],
    [
      "an entry for the deploy role, which always gets cluster admin",
      devWith((e) => (e.access["platform-admins"].principalArn = "arn:aws:iam::111111111111:role/eks-deployer")),
      `dev: access.platform-admins.principalArn: "arn:aws:iam::111111111111:role/eks-deployer" is the deploy role, which always gets cluster admin access (remove this entry)`,
    ],
    ["an empty Kubernetes group name", devWith((e) => (e.access["ops-readonly"].kubernetesGroups = [""])), "dev: access.ops-readonly.kubernetesGroups[0]: is empty (give a value)"],
  ]);

  test("a STANDARD entry may grant through kubernetesGroups alone", () => {
    expect(problemsOf(devWith((e) => Object.assign(e.access["ops-readonly"], { policies: [], kubernetesGroups: ["ops-viewers"] })))).toEqual([]);
  });
});

describe("volumes", () => {
  const loki = (base: unknown, mutate: (v: Draft) => void) => withChange(base, (e) => mutate(e.volumes["loki-data"]));
  runCases([
    [
      "a zone in another region (so also not a zone of the cluster's subnets)",
      loki(dev, (v) => (v.availabilityZone = "us-east-1a")),
      [
        `dev: volumes.loki-data.availabilityZone: "us-east-1a" is not in the environment's region ap-northeast-1 (use a zone such as "ap-northeast-1a")`,
        `dev: volumes.loki-data.availabilityZone: "us-east-1a" is not one of the cluster's subnet zones (ap-northeast-1a, ap-northeast-1c); no node could attach the volume (move it or add a subnet in that zone)`,
      ],
    ],
    [
      "a zone not in cluster.availabilityZones",
      loki(dev, (v) => (v.availabilityZone = "ap-northeast-1d")),
      `dev: volumes.loki-data.availabilityZone: "ap-northeast-1d" is not one of the cluster's subnet zones (ap-northeast-1a, ap-northeast-1c); no node could attach the volume (move it or add a subnet in that zone)`,
    ],
    ["a region instead of a zone", loki(dev, (v) => (v.availabilityZone = "ap-northeast-1")), `dev: volumes.loki-data.availabilityZone: "ap-northeast-1" is not an availability zone (for example "ap-northeast-1a")`],
    [
      "gp3 of 70000 GiB (gp3 goes up to 64 TiB)",
      loki(dev, (v) => (v.sizeGiB = 70000)),
      "dev: volumes.loki-data.sizeGiB: 70000 is outside the gp3 size range 1-65536 GiB (use a size in that range, or another volume type)",
    ],
    ["a size of 1.5 GiB", loki(dev, (v) => (v.sizeGiB = 1.5)), "dev: volumes.loki-data.sizeGiB: 1.5 is not a whole number of GiB"],
    [
      "gp3 with 90000 IOPS (gp3 goes up to 80,000)",
      loki(prod, (v) => Object.assign(v, { sizeGiB: 1000, iops: 90000 })),
      "prod: volumes.loki-data.iops: 90000 is outside 3000-80000 for a 1000 GiB gp3 volume (gp3 allows 500 IOPS per GiB, at most 80000)",
    ],
    [
      "gp3 with more IOPS than 500 per GiB",
      loki(prod, (v) => (v.sizeGiB = 10)),
      "prod: volumes.loki-data.iops: 6000 is outside 3000-5000 for a 10 GiB gp3 volume (gp3 allows 500 IOPS per GiB, at most 80000)",
    ],
    ["io2 without iops", loki(dev, (v) => (v.type = "io2")), "dev: volumes.loki-data.iops: is required for io2 volumes (set provisioned IOPS, for example 3000)"],
    [
      "iops on gp2",
      loki(prod, (v) => ((v.type = "gp2"), delete v.throughputMiBs)),
      "prod: volumes.loki-data.iops: gp2 volumes take no iops setting (remove iops or use gp3/io1/io2)",
    ],
    [
      "throughput on io2",
      loki(prod, (v) => (v.type = "io2")),
      "prod: volumes.loki-data.throughputMiBs: io2 volumes take no throughput setting (remove it or use gp3)",
    ],
    [
      "gp3 throughput over 0.25 MiB/s per IOPS (1000 MiB/s at the default 3000 IOPS)",
      loki(dev, (v) => (v.throughputMiBs = 1000)),
      "dev: volumes.loki-data.throughputMiBs: 1000 is outside 125-750 MiB/s for this gp3 volume (0.25 MiB/s per IOPS, at most 2000)",
    ],
    [
      "gp3 throughput over 0.25 MiB/s per provisioned IOPS (900 MiB/s at 3200 IOPS)",
      loki(prod, (v) => Object.assign(v, { iops: 3200, throughputMiBs: 900 })),
      "prod: volumes.loki-data.throughputMiBs: 900 is outside 125-800 MiB/s for this gp3 volume (0.25 MiB/s per IOPS, at most 2000)",
    ],
    [
      "gp3 throughput over 2000 MiB/s",
      loki(prod, (v) => Object.assign(v, { sizeGiB: 1000, iops: 16000, throughputMiBs: 2100 })),
      "prod: volumes.loki-data.throughputMiBs: 2100 is outside 125-2000 MiB/s for this gp3 volume (0.25 MiB/s per IOPS, at most 2000)",
    ],
    [
      "an unknown volume type",
      loki(dev, (v) => (v.type = "gp4")),
      `dev: volumes.loki-data.type: "gp4" is not an EBS volume type (use "gp3", "gp2", "io1", "io2", "st1" or "sc1")`,
    ],
    [
      "two volumes with the same claim",
      devWith((e) => (e.volumes["loki-data-2"] = { ...e.volumes["loki-data"], sizeGiB: 50 })),
      `dev: volumes.loki-data-2.claim: "monitoring/loki-data" is also the claim of volume "loki-data" (each volume needs its own claim)`,
    ],
    ["a claim namespace in uppercase", loki(dev, (v) => (v.claim.namespace = "Monitoring")), `dev: volumes.loki-data.claim.namespace: "Monitoring" ${NAMESPACE}`],
  ]);

  test("a small gp3 volume may still set the 3000 IOPS baseline", () => {
    expect(problemsOf(loki(dev, (v) => Object.assign(v, { sizeGiB: 4, iops: 3000 })))).toEqual([]);
  });
});

describe("target groups", () => {
  const argocd = (mutate: (tg: Draft) => void) => devWith((e) => mutate(e.targetGroups.argocd));
  const at = "dev: targetGroups.argocd";
  runCases([
    ["port 0", argocd((tg) => (tg.port = 0)), `${at}.port: 0 is too small (port must be from 1 to 65535)`],
    ["port 70000", argocd((tg) => (tg.port = 70000)), `${at}.port: 70000 is too large (port must be from 1 to 65535)`],
    [
      'protocol "HTTP2"',
      argocd((tg) => (tg.protocol = "HTTP2")),
      `${at}.protocol: "HTTP2" is not a target group protocol (use "HTTP", "HTTPS", "TCP", "TLS", "UDP" or "TCP_UDP")`,
    ],
    ['health check path "healthz"', argocd((tg) => (tg.healthCheck.path = "healthz")), `${at}.healthCheck.path: "healthz" does not start with "/" (use a path such as "/healthz")`],
    [
      "a health check path on a TCP target group",
      argocd((tg) => (tg.protocol = "TCP")),
      `${at}.healthCheck.path: is set but TCP target groups check health over TCP (remove the path or use HTTP/HTTPS)`,
    ],
    [
      "a health check port that is neither a port nor traffic-port",
      argocd((tg) => (tg.healthCheck.port = "traffic")),
      `${at}.healthCheck.port: "traffic" is not a health check port (use a port from 1 to 65535, or "traffic-port" for the target port)`,
    ],
    [
      "a health check port out of range",
      argocd((tg) => (tg.healthCheck.port = 70000)),
      `${at}.healthCheck.port: 70000 is too large (healthCheck.port must be from 1 to 65535)`,
    ],
    ["a health check matcher with a dangling range", argocd((tg) => (tg.healthCheck.matcher = "200-")), `${at}.healthCheck.matcher: "200-" is not an HTTP status matcher with codes from 200 to 499 (for example "200-399")`],
    [
      "a derived target group name over 32 characters",
      devWith((e) => {
        e.targetGroups = { "argocd-server-internal-lb": e.targetGroups.argocd };
      }),
      `dev: targetGroups.argocd-server-internal-lb: target group name "acme-dev-argocd-server-internal-lb" is longer than 32 characters (shorten the key or the cluster name)`,
    ],
    ["a service name in uppercase", argocd((tg) => (tg.service.name = "ArgoCD")), `${at}.service.name: "ArgoCD" is not a valid Service name (a DNS-1035 label: starts with a letter, then lowercase letters, digits and "-", at most 63 characters) (for example "argocd-server")`],
    [
      "a malformed security group id",
      argocd((tg) => (tg.loadBalancerSecurityGroupId = "sg-xyz")),
      `${at}.loadBalancerSecurityGroupId: "sg-xyz" is not a security group id (for example "sg-0123456789abcdef0")`,
    ],
  ]);
});

describe("Helm releases, platform, policy waivers", () => {
  const metrics = (mutate: (r: Draft) => void) => devWith((e) => mutate(e.helm["metrics-server"]));
  const at = "dev: helm.metrics-server";
  runCases([
    ['version "^1.2.0"', metrics((r) => (r.version = "^1.2.0")), `${at}.version: "^1.2.0" ${EXACT_CHART_VERSION}`],
    ['version "latest"', metrics((r) => (r.version = "latest")), `${at}.version: "latest" ${EXACT_CHART_VERSION}`],
    ['version "1.2"', metrics((r) => (r.version = "1.2")), `${at}.version: "1.2" ${EXACT_CHART_VERSION}`],
    ['namespace "Monitoring"', metrics((r) => (r.namespace = "Monitoring")), `${at}.namespace: "Monitoring" ${NAMESPACE}`],
    [
      "createNamespace: true for kube-system",
      metrics((r) => (r.createNamespace = true)),
      `${at}.createNamespace: is true for kube-system, which always exists (set createNamespace: false)`,
    ],
    [
      "a plain-http repository",
      metrics((r) => (r.repository = "http://charts.example.com")),
      `${at}.repository: "http://charts.example.com" is not an https:// or oci:// chart repository (for example "https://kubernetes-sigs.github.io/metrics-server/")`,
    ],
    ["a timeout under a minute", metrics((r) => (r.timeoutSeconds = 30)), `${at}.timeoutSeconds: 30 is too small (timeoutSeconds must be from 60 to 3600)`],
    // Chart values and add-on configuration are rendered as JSON: a Date or URL would become {},
    // a function or NaN nothing or null (issue 15 review). Each bad value at its own path.
    [
      "chart values that are not JSON data (a Date, a function, NaN, a hole in a list)",
      metrics((r) => (r.values = { ...r.values, built: new Date(0), hook: () => "x", nested: { ratio: Number.NaN, list: ["a", undefined], unset: undefined } })),
      [
        `${at}.values.built: a Date object ("1970-01-01T00:00:00.000Z") is not JSON data ${JSON_DATA}`,
        `${at}.values.hook: a function is not JSON data ${JSON_DATA}`,
        `${at}.values.nested.ratio: NaN is not a JSON number ${JSON_DATA}`,
        `${at}.values.nested.list[1]: undefined in a list is not JSON data ${JSON_DATA}`,
      ],
    ],
    [
      "add-on configuration with a URL object",
      prodWith((e) => (e.cluster.addons = { "vpc-cni": { configuration: { endpoint: new URL("https://example.com") } } })),
      `prod: cluster.addons.vpc-cni.configuration.endpoint: a URL object ("https://example.com/") is not JSON data ${JSON_DATA}`,
    ],
    [
      "an ingress scheme AWS does not have",
      devWith((e) => (e.platform.ingress.scheme = "public")),
      `dev: platform.ingress.scheme: "public" is not a load balancer scheme (use "internal" or "internet-facing")`,
    ],
    [
      "a reclaim policy Kubernetes dropped",
      devWith((e) => (e.platform.storageClass = { reclaimPolicy: "Recycle" })),
      `dev: platform.storageClass.reclaimPolicy: "Recycle" is not a reclaim policy (use "Delete" or "Retain")`,
    ],
    ["a policy waiver without a reason", devWith((e) => delete e.policyWaivers[0].reason), "dev: policyWaivers[0].reason: is required (add a string)"],
    [
      "a policy waiver with a short reason",
      devWith((e) => (e.policyWaivers[0].reason = "dev only")),
      `dev: policyWaivers[0].reason: "dev only" is too short for a waiver reason (say in at least 10 characters why the check does not apply)`,
    ],
    [
      "a policy waiver whose reason is blank padding",
      devWith((e) => (e.policyWaivers[0].reason = "            ")),
      `dev: policyWaivers[0].reason: "" is too short for a waiver reason (say in at least 10 characters why the check does not apply)`,
    ],
    [
      "a policy waiver with a lowercase check id",
      devWith((e) => (e.policyWaivers[0].check = "ckv_aws_39")),
      `dev: policyWaivers[0].check: "ckv_aws_39" is not a policy check id (for example "CKV_AWS_39")`,
    ],
    [
      "the same waiver twice",
      devWith((e) => e.policyWaivers.push({ ...e.policyWaivers[0] })),
      `dev: policyWaivers[1]: waives "CKV_AWS_39 cluster/cluster" twice (remove the duplicate)`,
    ],
    ["a waiver for no resource", devWith((e) => (e.policyWaivers[0].resource = "")), "dev: policyWaivers[0].resource: is empty (give a value)"],
  ]);
});

describe("several environments together (parseEnvironments)", () => {
  const devInAccount = (id: string) =>
    withChange(dev, (e) => {
      e.name = "dev-b";
      e.account.id = id;
      e.account.deployRoleArn = `arn:aws:iam::${id}:role/eks-deployer`;
      e.account.planRoleArn = `arn:aws:iam::${id}:role/eks-planner`;
    });

  test("two environments with the same name", () => {
    const twin = withChange(prod, (e) => (e.name = "dev"));
    expect(problemsOfAll([dev, twin])).toEqual([`dev: name: "dev" is used by environments[0] and environments[1] (environment names must be unique)`]);
  });

  test("two clusters of the same name in one account and region", () => {
    expect(problemsOfAll([dev, prod, devInAccount("111111111111")])).toEqual([
      `dev-b: cluster.name: EKS cluster "acme-dev" is also created by environment "dev" in account 111111111111 ap-northeast-1 (EKS cluster names are unique per account and region; give the cluster a different name)`,
      `dev-b: targetGroups.argocd: target group "acme-dev-argocd" is also created by environment "dev" in account 111111111111 ap-northeast-1 (target group names are unique per account and region, whatever the letter case; give the key or the cluster a different name)`,
    ]);
  });

  test("the same cluster name in different accounts is fine", () => {
    expect(problemsOfAll([dev, prod, devInAccount("444444444444")])).toEqual([]);
  });

  test("the same cluster name in two regions of one account collides on the account-wide IAM role names", () => {
    // IAM is global: <cluster>-cluster and <cluster>-node exist once per account, whatever the region.
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
    const devUs = withChange(dev, (e) => {
      e.name = "dev-us";
      e.account.region = "us-east-1";
      e.state.region = "us-east-1";
      e.cluster.availabilityZones = ["us-east-1a", "us-east-1b"];
      e.volumes["loki-data"].availabilityZone = "us-east-1a";
    });
    expect(problemsOfAll([dev, devUs])).toEqual([
      `dev-us: cluster.name: IAM role "acme-dev-cluster" is also created by environment "dev" in account 111111111111 (IAM role names are unique per account, whatever the letter case; give the cluster a different name)`,
    ]);
    // A different cluster name in the other region is fine.
    expect(problemsOfAll([dev, withChange(devUs, (e) => (e.cluster.name = "acme-dev-us"))])).toEqual([]);
  });

  test("IAM role names collide whatever the letter case", () => {
    const upper = withChange(devInAccount("111111111111"), (e) => {
      e.account.region = "us-east-1";
      e.state.region = "us-east-1";
      e.cluster.name = "ACME-DEV";
      e.cluster.availabilityZones = ["us-east-1a", "us-east-1b"];
      e.volumes = {};
      e.targetGroups = {};
    });
    expect(problemsOfAll([dev, upper])).toEqual([
      `dev-b: cluster.name: IAM role "ACME-DEV-cluster" is also created by environment "dev" in account 111111111111 (IAM role names are unique per account, whatever the letter case; give the cluster a different name)`,
    ]);
  });

  test("a launch template name shared by two node-group environments in one account and region", () => {
    const prod2 = withChange(prod, (e) => {
      e.name = "prod-b";
      e.cluster.name = "acme-prod-general";
      e.cluster.compute.nodeGroups = { x: e.cluster.compute.nodeGroups.general };
      e.volumes = {};
      e.targetGroups = {};
    });
    const prod1 = withChange(prod, (e) => (e.cluster.compute.nodeGroups = { "general-x": e.cluster.compute.nodeGroups.general }));
    // acme-prod + general-x and acme-prod-general + x both make "acme-prod-general-x".
    expect(problemsOfAll([prod1, prod2])).toEqual([
      `prod-b: cluster.compute.nodeGroups.x: launch template "acme-prod-general-x" is also created by environment "prod" in account 222222222222 ap-northeast-1 (launch template names are unique per account and region; give the key or the cluster a different name)`,
    ]);
  });

  test("every environment's problems come in one ConfigError, unnamed ones by index", () => {
    const badDev = withChange(dev, (e) => (e.cluster.serviceIpv4Cidr = "10.0.0.0/8"));
    const badProd = withChange(prod, (e) => (e.cluster.compute.nodeGroups.general.minSize = 11));
    const unnamed = withChange(prod, (e) => delete e.name);
    const expected = [
      `dev: cluster.serviceIpv4Cidr: "10.0.0.0/8" has prefix /8; EKS takes /12 to /24 (for example "172.20.0.0/16")`,
      "prod: cluster.compute.nodeGroups.general.minSize: 11 is larger than maxSize 10 (need minSize <= desiredSize <= maxSize)",
      "environments[2]: name: is required (add a string)",
    ];
    expect(problemsOfAll([badDev, badProd, unnamed])).toEqual(expected);
    expect(() => parseEnvironments([badDev, badProd, unnamed])).toThrow(new Error(configErrorMessage(expected)));
  });
});

test("an EC2 entry may carry the Auto Mode node policy", () => {
  expect(
    problemsOf(devWith((e) => (e.access.nodes = { principalArn: "arn:aws:iam::111111111111:role/acme-dev-extra-nodes", type: "EC2", policies: [{ policy: "AmazonEKSAutoNodePolicy" }] }))),
  ).toEqual([]);
});

describe("day-1 audit: API access, CI runners, plan role, sizes, access entries (issue 9)", () => {
  const SOURCES = "cluster.endpoint.privateAccessSources";
  runCases([
    [
      "a private-only endpoint with nothing allowed to reach it",
      prodWith((e) => (e.cluster.endpoint = {})),
      `prod: ${SOURCES}: ${PRIVATE_ONLY}`,
    ],
    [
      "a GitHub-hosted runner for the Kubernetes stacks of a private cluster",
      prodWith((e) => (e.ci.kubernetesRunsOn = ["ubuntu-latest"])),
      `prod: ci.kubernetesRunsOn: "ubuntu-latest" is a GitHub-hosted runner, which cannot reach a private endpoint (run the Kubernetes stacks on a self-hosted runner in the VPC, for example ["self-hosted", "prod-vpc"], and allow it in cluster.endpoint.privateAccessSources)`,
    ],
    [
      "the default runner (GitHub-hosted) with a public endpoint limited to an office range",
      devWith((e) => delete e.ci),
      `dev: ci.kubernetesRunsOn: "ubuntu-latest" is a GitHub-hosted runner, which cannot reach a public endpoint limited to publicAccessCidrs (run the Kubernetes stacks on a self-hosted runner in the VPC, for example ["self-hosted", "dev-vpc"], and allow it in cluster.endpoint.privateAccessSources)`,
    ],
    [
      "a private access CIDR that is not a CIDR, one open to everything, and a duplicate security group",
      prodWith((e) => (e.cluster.endpoint.privateAccessSources = { cidrs: ["vpn", "0.0.0.0/0"], securityGroupIds: ["sg-0b1c2d3e4f5a6aaaa", "sg-0b1c2d3e4f5a6aaaa"] })),
      [
        `prod: ${SOURCES}.cidrs[0]: "vpn" is not an IPv4 CIDR (for example "203.0.113.0/24")`,
        `prod: ${SOURCES}.cidrs[1]: "0.0.0.0/0" admits every address to the private endpoint (list the CIDRs of your runners or VPN)`,
        `prod: ${SOURCES}.securityGroupIds[1]: "sg-0b1c2d3e4f5a6aaaa" is listed twice (remove the duplicate)`,
      ],
    ],
    [
      "a malformed security group id in privateAccessSources",
      prodWith((e) => (e.cluster.endpoint.privateAccessSources.securityGroupIds = ["sg-1"])),
      `prod: ${SOURCES}.securityGroupIds[0]: "sg-1" is not a security group id (for example "sg-0123456789abcdef0")`,
    ],
    [
      "the service CIDR overlapping a private access CIDR",
      prodWith((e) => (e.cluster.endpoint.privateAccessSources.cidrs = ["172.20.4.0/24"])),
      `prod: cluster.serviceIpv4Cidr: "172.20.0.0/16" overlaps endpoint.privateAccessSources.cidrs entry "172.20.4.0/24" (pick a service CIDR that does not overlap)`,
    ],
    [
      "the plan role in another account",
      prodWith((e) => (e.account.planRoleArn = "arn:aws:iam::111111111111:role/eks-planner")),
      `prod: account.planRoleArn: "arn:aws:iam::111111111111:role/eks-planner" is in account 111111111111, not 222222222222 (the plan role must live in the environment's account)`,
    ],
    [
      "the plan role is the deploy role",
      prodWith((e) => (e.account.planRoleArn = e.account.deployRoleArn)),
      `prod: account.planRoleArn: "arn:aws:iam::222222222222:role/eks-deployer" is the deploy role (pull-request plans must not run with write access: use a read-only role, or leave planRoleArn out)`,
    ],
    [
      "an access entry for the plan role",
      prodWith((e) => (e.access["platform-admins"].principalArn = e.account.planRoleArn)),
      `prod: access.platform-admins.principalArn: "arn:aws:iam::222222222222:role/eks-planner" is the plan role, which always gets read-only access (remove this entry)`,
    ],
    [
      "the state bucket in another partition",
      prodWith((e) => (e.state.region = "cn-north-1")),
      `prod: state.region: "cn-north-1" is in partition aws-cn, but the environment's region ap-northeast-1 is in aws (keep the state bucket in the environment's partition)`,
    ],
    [
      'a tag key "AWS:Owner" (reserved in any letter case)',
      prodWith((e) => (e.tags["AWS:Owner"] = "x")),
      `prod: tags.AWS:Owner: tag key "AWS:Owner" uses the reserved "aws:" prefix (AWS rejects it in any letter case; rename the key)`,
    ],
    [
      "a node group at desiredSize 0 (nothing scales node groups)",
      prodWith((e) => Object.assign(e.cluster.compute.nodeGroups.batch, { minSize: 0, desiredSize: 0 })),
      "prod: cluster.compute.nodeGroups.batch.desiredSize: is 0 and nothing scales node groups (Terraform owns their size): the group would never get a node (set desiredSize to the nodes you want, or remove the group)",
    ],
    [
      "every node group tainted",
      prodWith((e) => (e.cluster.compute.nodeGroups.general.taints = [{ key: "dedicated", value: "web", effect: "NO_EXECUTE" }])),
      [
        // prod has node pools: nothing could run their Karpenter controller either.
        `prod: cluster.compute.nodeGroups: ${NO_KARPENTER_HOST}`,
        "prod: cluster.compute.nodeGroups: every node group has a NO_SCHEDULE/NO_EXECUTE taint: CoreDNS, the controllers and Helm releases could schedule nowhere (add a node group without such taints)",
      ],
    ],
    [
      "a launch template name over 128 characters",
      prodWith((e) => {
        e.cluster.name = `p${"x".repeat(99)}`;
        e.volumes = {};
        e.targetGroups = {};
        e.nodePools = {}; // no Karpenter names (their own case is under "node pools in both modes")
        e.cluster.compute.nodeGroups = { [`g${"y".repeat(38)}z`]: e.cluster.compute.nodeGroups.general, batch: e.cluster.compute.nodeGroups.batch };
      }),
      [
        ...["-cluster", "-node", "-vpc-cni", "-ebs-csi", "-aws-lbc"].map(
          (suffix) => `prod: cluster.name: IAM role name ${show(`p${"x".repeat(99)}${suffix}`)} is ${100 + suffix.length} characters, over AWS's 64 (shorten the cluster name)`,
        ),
        `prod: cluster.compute.nodeGroups.g${"y".repeat(38)}z: launch template name ${show(`p${"x".repeat(99)}-g${"y".repeat(38)}z`)} is 141 characters, over AWS's 128 (shorten the key or the cluster name)`,
      ],
    ],
    [
      "a user name with a reserved prefix, kubernetes groups listed twice",
      prodWith((e) => Object.assign(e.access["platform-admins"], { userName: "EKS:admin", kubernetesGroups: ["ops", "ops"] })),
      [
        `prod: access.platform-admins.kubernetesGroups[1]: "ops" is listed twice (remove the duplicate)`,
        `prod: access.platform-admins.userName: "EKS:admin" starts with "eks:", which EKS reserves (use a name of your own, or leave userName out)`,
      ],
    ],
    [
      "a node access entry for another account's role",
      prodWith((e) => (e.access["ops-readonly"] = { principalArn: "arn:aws:iam::333333333333:role/nodes", type: "EC2_LINUX" })),
      `prod: access.ops-readonly.principalArn: "arn:aws:iam::333333333333:role/nodes" is in account 333333333333, but EC2_LINUX entries are for node roles of the cluster's account 222222222222 (use a STANDARD entry for cross-account access)`,
    ],
    [
      "a node access entry for an IAM user, with a user name",
      prodWith((e) => (e.access["ops-readonly"] = { principalArn: "arn:aws:iam::222222222222:user/bob", type: "EC2_LINUX", userName: "bob" })),
      [
        `prod: access.ops-readonly.userName: must not be set for type EC2_LINUX (EKS names nodes itself; remove userName)`,
        `prod: access.ops-readonly.principalArn: "arn:aws:iam::222222222222:user/bob" is an IAM user, but EC2_LINUX entries take a node role (use a role ARN, or type STANDARD)`,
      ],
    ],
    [
      "the Auto Mode node policy on a STANDARD entry",
      prodWith((e) => (e.access["platform-admins"].policies = [{ policy: "AmazonEKSAutoNodePolicy" }])),
      `prod: access.platform-admins.policies[0]: "AmazonEKSAutoNodePolicy" is for EC2 entries of Auto Mode node roles (use type "EC2", or another policy)`,
    ],
  ]);

  test("a bad field in cluster does not hide the rules about the cluster's other fields (all problems at once)", () => {
    const env = prodWith((e) => {
      e.cluster.vpcId = "vpc-1"; // a field error in cluster ...
      e.cluster.compute.nodeGroups.general.minSize = 11; // ... and a cross-field problem in cluster.compute
      e.cluster.endpoint = {}; // ... and one in cluster.endpoint
    });
    expect(problemsOf(env)).toEqual([
      `prod: cluster.vpcId: "vpc-1" is not a VPC id (for example "vpc-0123456789abcdef0")`,
      `prod: ${SOURCES}: ${PRIVATE_ONLY}`,
      "prod: cluster.compute.nodeGroups.general.minSize: 11 is larger than maxSize 10 (need minSize <= desiredSize <= maxSize)",
    ]);
  });

  test("a self-hosted runner with privateAccessSources reaches a private cluster; 0.0.0.0/0 takes GitHub-hosted runners", () => {
    expect(problemsOf(prod)).toEqual([]);
    const open = devWith((e) => {
      delete e.ci;
      Object.assign(e.cluster.endpoint, { publicAccessCidrs: ["0.0.0.0/0"], allowPublicInternet: true });
    });
    expect(problemsOf(open)).toEqual([]);
  });
});

describe("rules researched from AWS, EKS, Kubernetes and Karpenter sources (issue 9)", () => {
  const group = (mutate: (g: Draft) => void) => prodWith((e) => mutate(e.cluster.compute.nodeGroups.general));
  const ng = "prod: cluster.compute.nodeGroups.general";
  runCases([
    [
      "a tag key with a character IAM rejects",
      prodWith((e) => (e.tags["cost#center"] = "x")),
      `prod: tags.cost#center: tag key "cost#center" has characters IAM rejects (these tags reach IAM roles; use letters, digits, spaces and _ . : / = + - @)`,
    ],
    [
      "a tag value with a character IAM rejects",
      prodWith((e) => (e.tags.owner = "a&b")),
      `prod: tags.owner: tag value "a&b" has characters IAM rejects (these tags reach IAM roles; use letters, digits, spaces and _ . : / = + - @)`,
    ],
    [
      'a "Name" tag, which the stacks set',
      prodWith((e) => (e.tags.Name = "x")),
      `prod: tags.Name: tag key "Name" is set by the stacks themselves (remove it; the stacks' value would override yours on some resources and not on others)`,
    ],
    [
      "49 tags (50 per resource, 2 added by the stacks)",
      prodWith((e) => (e.tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, "x"])))),
      "prod: tags: has 49 tags; AWS allows 50 per resource and the stacks add 2 (Name, eks:eks-cluster-name), so use at most 48",
    ],
    [
      "41 public access CIDRs",
      devWith((e) => (e.cluster.endpoint.publicAccessCidrs = Array.from({ length: 41 }, (_, i) => `203.0.${i}.0/24`))),
      "dev: cluster.endpoint.publicAccessCidrs: has more than 40 CIDRs, EKS's fixed limit per cluster (merge ranges)",
    ],
    [
      "a state bucket with two adjacent periods and one formatted as an IP address",
      prodWith((e) => (e.state.bucket = "acme..state")),
      `prod: state.bucket: "acme..state" has two adjacent periods, which S3 does not allow (pick another bucket name)`,
    ],
    ["a state bucket formatted as an IP address", prodWith((e) => (e.state.bucket = "192.168.5.4")), `prod: state.bucket: "192.168.5.4" is formatted as an IP address, which S3 does not allow (pick another bucket name)`],
    [
      "a state bucket with a reserved suffix",
      prodWith((e) => (e.state.bucket = "acme-state--x-s3")),
      `prod: state.bucket: "acme-state--x-s3" ends with a suffix S3 reserves (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3), which S3 does not allow (pick another bucket name)`,
    ],
    [
      "a one-character cluster name (the Terraform AWS provider wants 2)",
      prodWith((e) => (e.cluster.name = "a")),
      `prod: cluster.name: "a" is not a valid EKS cluster name (1-100 letters, digits, "-" and "_", starting with a letter or digit) (for example "acme-dev")`,
    ],
    [
      "availability zones listing one zone",
      prodWith((e) => (e.cluster.availabilityZones = ["ap-northeast-1a", "ap-northeast-1a"])),
      "prod: cluster.availabilityZones: lists 1 zone; EKS needs subnets in at least two availability zones (add a subnet in another zone)",
    ],
    [
      'upgradeSupportType "STANDARD" on a version in extended support',
      prodWith((e) => (e.cluster.kubernetesVersion = "1.33")),
      'prod: cluster.upgradeSupportType: "STANDARD" cannot be set while 1.33 is in extended support (set "EXTENDED" and plan the upgrade, or upgrade kubernetesVersion first)',
    ],
    ['a NodePool duration with decimals ("1.5h")', devWith((e) => (e.nodePools.batch.expireAfter = "1.5h")), `dev: nodePools.batch.expireAfter: "1.5h" is not a duration in whole h, m or s (Never is not allowed in Auto Mode) (for example "336h")`],
    [
      "a NodePool label in the karpenter.sh domain",
      devWith((e) => (e.nodePools.batch.labels = { "karpenter.sh/team": "data" })),
      `dev: nodePools.batch.labels.karpenter.sh/team: uses the "karpenter.sh" label domain, which Auto Mode and Karpenter reserve (use a prefix of your own)`,
    ],
    [
      "a node group label in the kubernetes.io domain; node.kubernetes.io is allowed",
      group((g) => (g.labels = { "kubernetes.io/role": "web", "node.kubernetes.io/tier": "web" })),
      `${ng}.labels.kubernetes.io/role: uses the "kubernetes.io" label domain, which kubelet reserves for itself (use a prefix of your own, or node.kubernetes.io/)`,
    ],
    [
      "a node group label with an empty value and a 64-character key",
      group((g) => (g.labels = { [`example.com/${"k".repeat(52)}`]: "" })),
      [
        `${ng}.labels.example.com/${"k".repeat(52)}: key is 64 characters; EKS takes node group label keys of at most 63, prefix included (shorten it)`,
        `${ng}.labels.example.com/${"k".repeat(52)}: is empty; EKS node group labels need a value (give one)`,
      ],
    ],
    [
      "the same taint twice",
      group((g) => (g.taints = [{ key: "a", effect: "PREFER_NO_SCHEDULE" }, { key: "a", effect: "PREFER_NO_SCHEDULE" }])),
      `${ng}.taints: "a:PREFER_NO_SCHEDULE" is listed twice (Kubernetes refuses duplicate taints; remove one)`,
    ],
    [
      "51 taints",
      group((g) => (g.taints = Array.from({ length: 51 }, (_, i) => ({ key: `t${i}`, effect: "PREFER_NO_SCHEDULE" })))),
      `${ng}.taints: has more than 50 taints, the most EKS allows per node group (remove some)`,
    ],
    [
      "21 instance types",
      group((g) => (g.instanceTypes = Array.from({ length: 21 }, (_, i) => `m${i + 5}i.large`))),
      `${ng}.instanceTypes: has more than 20 instance types, the most EKS takes with a launch template (remove some)`,
    ],
    [
      "a userName with {{SessionName}} and no colon before it",
      prodWith((e) => (e.access["platform-admins"].userName = "admin-{{SessionName}}")),
      `prod: access.platform-admins.userName: "admin-{{SessionName}}" has {{SessionName}} without a ":" before it, which EKS requires (for example "ops:{{SessionName}}")`,
    ],
    [
      "a service-linked role as a principal",
      prodWith((e) => (e.access["platform-admins"].principalArn = "arn:aws:iam::222222222222:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS")),
      `prod: access.platform-admins.principalArn: ${show("arn:aws:iam::222222222222:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS")} is a service-linked role, which access entries do not support (use a role of your own)`,
    ],
    [
      "a Service name starting with a digit (DNS-1035)",
      devWith((e) => (e.targetGroups.argocd.service.name = "1api")),
      `dev: targetGroups.argocd.service.name: "1api" is not a valid Service name (a DNS-1035 label: starts with a letter, then lowercase letters, digits and "-", at most 63 characters) (for example "argocd-server")`,
    ],
    [
      "a health check matcher with a 5xx code",
      devWith((e) => (e.targetGroups.argocd.healthCheck.matcher = "200-599")),
      `dev: targetGroups.argocd.healthCheck.matcher: "200-599" is not an HTTP status matcher with codes from 200 to 499 (for example "200-399")`,
    ],
    [
      "a NodeClass tag key over 128 characters",
      devWith((e) => (e.nodePools.batch.nodeClass.tags = { ["k".repeat(129)]: "x" })),
      `dev: nodePools.batch.nodeClass.tags.${"k".repeat(129)}: key is 129 characters; EC2 takes at most 128 (shorten it)`,
    ],
  ]);

  test.each([
    ["a wildcard namespace prefix is accepted by EKS", devWith((e) => (e.access["ops-readonly"].policies[0].namespaces = ["team-*"]))],
    ["EXTENDED on a version in extended support is fine", prodWith((e) => Object.assign(e.cluster, { kubernetesVersion: "1.33", upgradeSupportType: "EXTENDED" }))],
    ["a Bottlerocket FIPS AMI type is offered", group((g) => (g.amiType = "BOTTLEROCKET_x86_64_FIPS"))],
    ["a userName with a colon before {{SessionName}}", prodWith((e) => (e.access["platform-admins"].userName = "admin:{{SessionName}}"))],
  ] as [string, unknown][])("%s", (_title, env) => expect(problemsOf(env)).toEqual([]));

  test("an environment in the European Sovereign Cloud uses arn:aws-eusc ARNs", () => {
    const eusc = withChange(prod, (e) => {
      e.account.region = "eusc-de-east-1";
      e.state.region = "eusc-de-east-1";
      e.account.deployRoleArn = "arn:aws-eusc:iam::222222222222:role/eks-deployer";
      e.account.planRoleArn = "arn:aws-eusc:iam::222222222222:role/eks-planner";
      e.cluster.availabilityZones = ["eusc-de-east-1a", "eusc-de-east-1b", "eusc-de-east-1c"];
      e.volumes["loki-data"].availabilityZone = "eusc-de-east-1a";
      e.access = {};
    });
    expect(problemsOf(eusc)).toEqual([]);
    expect(problemsOf(withChange(eusc, (e) => (e.account.planRoleArn = "arn:aws:iam::222222222222:role/eks-planner")))).toEqual([
      `prod: account.planRoleArn: "arn:aws:iam::222222222222:role/eks-planner" is in partition aws, but region eusc-de-east-1 is in aws-eusc (use an arn:aws-eusc: ARN)`,
    ]);
  });
});

describe("cost section (issue 14: npm run cost)", () => {
  runCases([
    [
      "a spot discount above 95 %",
      prodWith((e) => (e.cost = { spotDiscount: 1.2 })),
      "prod: cost.spotDiscount: 1.2 is not a discount from 0 to 0.95 (a fraction of the on-demand price, for example 0.6)",
    ],
    [
      "a spot discount written as a percentage string",
      prodWith((e) => (e.cost = { spotDiscount: "60%" })),
      `prod: cost.spotDiscount: "60%" is not a number (give the assumed spot discount as a fraction, for example 0.6 for 60 % off on-demand)`,
    ],
    [
      "a zero on-demand price",
      prodWith((e) => (e.cost = { ec2PerHour: { "m7i.large": 0 } })),
      "prod: cost.ec2PerHour.m7i.large: 0 is not a positive price (give the on-demand price per hour in USD, greater than 0)",
    ],
    [
      "an Auto Mode fee as a string",
      prodWith((e) => (e.cost = { autoModeFeePerHour: { "m7i.large": "$0.012" } })),
      `prod: cost.autoModeFeePerHour.m7i.large: "$0.012" is not a price (give the Auto Mode fee per hour in USD as a number, for example 0.1008)`,
    ],
    [
      "a price keyed by something that is not an instance type",
      prodWith((e) => (e.cost = { ec2PerHour: { m7i: 0.1 } })),
      `prod: cost.ec2PerHour.m7i: "m7i" is not an EC2 instance type (for example "m7i.large")`,
    ],
    [
      "gp3 prices without the throughput price",
      prodWith((e) => (e.cost = { gp3: { perGiBMonth: 0.096, perIopsMonthAbove3000: 0.006 } })),
      "prod: cost.gp3.perMiBsMonthAbove125: is required (give the gp3 price per provisioned MiB/s-month above 125 in USD)",
    ],
    [
      "an unknown cost field",
      prodWith((e) => (e.cost = { hoursPerMonth: 720 })),
      `prod: cost: unknown field "hoursPerMonth" ${UNKNOWN_FIELD_FIX}`,
    ],
    [
      "io2 prices without the IOPS price (io2 bills provisioned IOPS)",
      prodWith((e) => (e.cost = { ebs: { io2: { perGiBMonth: 0.125 } } })),
      "prod: cost.ebs.io2.perIopsMonth: is required (give the io2 price per provisioned IOPS-month up to 32,000 IOPS in USD)",
    ],
    [
      "an IOPS price for st1, which bills storage only",
      prodWith((e) => (e.cost = { ebs: { st1: { perGiBMonth: 0.045, perIopsMonth: 0.01 } } })),
      `prod: cost.ebs.st1: unknown field "perIopsMonth" ${UNKNOWN_FIELD_FIX}`,
    ],
    [
      "a zero control-plane fee",
      prodWith((e) => (e.cost = { controlPlane: { standardPerHour: 0, extendedPerHour: 0.6 } })),
      "prod: cost.controlPlane.standardPerHour: 0 is not a positive price (give the control-plane fee per cluster hour in standard support in USD, greater than 0)",
    ],
  ]);

  test("stated prices and a discount are accepted", () => {
    expect(problemsOf(prodWith((e) => (e.cost = { spotDiscount: 0.6, ec2PerHour: { "m7i.large": 0.1302 }, gp3: { perGiBMonth: 0.096, perIopsMonthAbove3000: 0.006, perMiBsMonthAbove125: 0.048 } })))).toEqual([]);
    expect(
      problemsOf(
        prodWith((e) => (e.cost = { ebs: { gp2: { perGiBMonth: 0.1 }, io1: { perGiBMonth: 0.125, perIopsMonth: 0.065 }, io2: { perGiBMonth: 0.125, perIopsMonth: 0.065, perIopsMonthAbove32000: 0.0455, perIopsMonthAbove64000: 0.03185 }, st1: { perGiBMonth: 0.045 }, sc1: { perGiBMonth: 0.015 } }, controlPlane: { standardPerHour: 0.1, extendedPerHour: 0.6 } })),
      ),
    ).toEqual([]);
  });
});

describe("day-2 config: renames and adopt (stacks/day2.ts)", () => {
  test("a rename must name the new key, and the old key must be gone", () => {
    expectProblems(
      prodWith((e) => {
        e.renames = { nodeGroups: { default: "general", batch: "general" }, volumes: { logs: "loki-data" }, targetGroups: { argocd: "web" } };
      }),
      [
        'prod: renames.nodeGroups.batch: "batch" is still a key of nodeGroups (a rename moves the old key\'s objects to the new one; remove "batch" from nodeGroups)',
        'prod: renames.targetGroups.argocd: renames to "web", which is not a key of targetGroups (rename the key in targetGroups too, or fix the entry)',
      ],
    );
  });

  test("adopt names only what the config describes", () => {
    expectProblems(
      prodWith((e) => {
        e.adopt = { cluster: true, nodeGroups: ["general", "gpu"], accessEntries: ["deployer", "nobody"], volumes: { "loki-data": "vol-0123456789abcdef0" } };
      }),
      [
        'prod: adopt.nodeGroups[1]: "gpu" is not a node group of cluster.compute.nodeGroups (adopt only what the config describes)',
        'prod: adopt.accessEntries[1]: "nobody" is not a key of access (nor "deployer"/"planner")',
      ],
    );
  });

  test("adopted ids must have the shape AWS gives them", () => {
    expectProblems(prodWith((e) => {
      e.adopt = { volumes: { "loki-data": "disk-1" } };
    }), ['prod: adopt.volumes.loki-data: "disk-1" is not an EBS volume id (use the volume\'s id, for example "vol-0123456789abcdef0")']);
  });
});

describe("node pools in both modes (issue 11): one spec, each mode's rules", () => {
  const devPool = (mutate: (pool: Draft) => void) => devWith((e) => mutate(e.nodePools.batch));
  const prodPool = (mutate: (pool: Draft) => void) => prodWith((e) => mutate(e.nodePools.batch));

  test.each([
    ["a 30-day lifetime (Karpenter has no 21-day cap)", prodPool((p) => (p.expireAfter = "720h"))],
    ['a pool named "default" (only Auto Mode has a built-in NodeClass of that name)', prodWith((e) => (e.nodePools = { default: e.nodePools.batch }))],
    ['"Balanced" consolidation (Karpenter 1.14)', prodPool((p) => (p.consolidationPolicy = "Balanced"))],
    ['"NodeNotHealthy" budgets (Auto Mode)', devPool((p) => (p.budgets = [{ nodes: "1", reasons: ["NodeNotHealthy"] }]))],
    [
      "cron schedules with names, ranges, steps, lists and macros",
      devPool((p) => (p.budgets = [{ nodes: "0", schedule: "*/15 0-6 1,15 jan-jun ?", duration: "1h30m" }, { nodes: "0", schedule: "@daily", duration: "2h", reasons: ["Drifted", "Empty"] }])),
    ],
    ["a CriticalAddonsOnly system group hosts the controller", prodWith((e) => (e.cluster.compute.nodeGroups.batch.taints = [{ key: "CriticalAddonsOnly", effect: "NO_SCHEDULE" }]))],
  ])("accepted: %s", (_title, env) => {
    expect(problemsOf(env)).toEqual([]);
  });

  runCases([
    [
      "a consolidation policy Auto Mode's NodePool CRD does not have",
      devPool((p) => (p.consolidationPolicy = "Balanced")),
      'dev: nodePools.batch.consolidationPolicy: "Balanced" is not a consolidation policy Auto Mode knows (use "WhenEmpty" or "WhenEmptyOrUnderutilized")',
    ],
    [
      "a budget reason Karpenter 1.14 does not have",
      prodPool((p) => (p.budgets = [{ nodes: "1", reasons: ["NodeNotHealthy", "Empty", "Empty"] }])),
      [
        'prod: nodePools.batch.budgets[0].reasons[0]: "NodeNotHealthy" is not a disruption reason Karpenter knows (use "Underutilized", "Empty", "Drifted")',
        'prod: nodePools.batch.budgets[0].reasons: "Empty" is listed twice (remove the duplicate)',
      ],
    ],
    [
      "Auto Mode network settings on a node-group environment",
      prodPool((p) => (p.nodeClass = { networkPolicy: "DefaultDeny", snatPolicy: "Disabled" })),
      [
        'prod: nodePools.batch.nodeClass.networkPolicy: "DefaultDeny" is an Auto Mode NodeClass setting; Karpenter nodes follow the VPC CNI add-on (set enableNetworkPolicy in cluster.addons.vpc-cni.configuration and leave networkPolicy out)',
        'prod: nodePools.batch.nodeClass.snatPolicy: "Disabled" is an Auto Mode NodeClass setting; Karpenter nodes follow the VPC CNI add-on (set AWS_VPC_K8S_CNI_EXTERNALSNAT in cluster.addons.vpc-cni.configuration and leave snatPolicy out)',
      ],
    ],
    [
      "EC2NodeClass tags Karpenter's CRD refuses (allowed in Auto Mode's NodeClass: checked per mode)",
      prodPool((p) => (p.nodeClass.tags = { "karpenter.k8s.aws/ec2nodeclass": "x", "kubernetes.io/cluster/acme": "owned", team: "" })),
      [
        'prod: nodePools.batch.nodeClass.tags.karpenter.k8s.aws/ec2nodeclass: is a tag Karpenter sets itself (Karpenter rejects it; rename the tag)',
        'prod: nodePools.batch.nodeClass.tags.kubernetes.io/cluster/acme: uses the reserved prefix "kubernetes.io/cluster" (Karpenter rejects it; rename the tag)',
        "prod: nodePools.batch.nodeClass.tags.team: is empty; Karpenter refuses empty tag values (give a value)",
      ],
    ],
    [
      "a budget schedule without a duration, a duration without a schedule",
      devPool((p) => (p.budgets = [{ nodes: "0", schedule: "0 9 * * mon-fri" }, { nodes: "0", duration: "8h" }])),
      [
        'dev: nodePools.batch.budgets[0].duration: is required with schedule (how long the budget applies after each schedule hit, for example "8h")',
        'dev: nodePools.batch.budgets[1].schedule: is required with duration (when the budget starts, for example "0 9 * * mon-fri")',
      ],
    ],
    [
      "budget schedules that are not cron",
      prodPool((p) => (p.budgets = [
        { nodes: "0", schedule: "0 25 * * *", duration: "1h" },
        { nodes: "0", schedule: "0 9 * *", duration: "1h" },
        { nodes: "0", schedule: "@every 1h", duration: "1h" },
        { nodes: "0", schedule: "0 9 * * mon-fri-sat", duration: "1h" },
        { nodes: "0", schedule: "0 9 * * fri-mon", duration: "1h" },
      ])),
      [
        `prod: nodePools.batch.budgets[0].schedule: "0 25 * * *" has hour "25" outside 0-23 ${CRON_FIX}`,
        `prod: nodePools.batch.budgets[1].schedule: "0 9 * *" has 4 field(s), not 5 ${CRON_FIX}`,
        `prod: nodePools.batch.budgets[2].schedule: "@every 1h" is not a cron macro ${CRON_FIX}`,
        `prod: nodePools.batch.budgets[3].schedule: "0 9 * * mon-fri-sat" has day-of-week "mon-fri-sat", which is not cron syntax ${CRON_FIX}`,
        `prod: nodePools.batch.budgets[4].schedule: "0 9 * * fri-mon" has day-of-week "fri-mon" outside 0-6 (or sun-sat) ${CRON_FIX}`,
      ],
    ],
    [
      "budget node counts and durations the NodePool CRD's patterns refuse",
      devPool((p) => (p.budgets = [{ nodes: "150%", schedule: "@daily", duration: "30s" }])),
      [
        'dev: nodePools.batch.budgets[0].nodes: "150%" is not a node count or a percentage from 0% to 100% (for example "10%")',
        'dev: nodePools.batch.budgets[0].duration: "30s" is not a duration in whole hours and minutes (for example "8h")',
      ],
    ],
    [
      "pools that could never launch a node: no CPU, a zone without subnets",
      devPool((p) => ((p.limits = { cpu: "0", memory: "0Gi" }), (p.zones = ["ap-northeast-1d"]))),
      [
        'dev: nodePools.batch.limits.cpu: "0" lets the pool launch no node at all (raise the limit, or remove the pool)',
        'dev: nodePools.batch.limits.memory: "0Gi" lets the pool launch no node at all (raise the limit, or remove the pool)',
        'dev: nodePools.batch.zones[0]: "ap-northeast-1d" is not one of the cluster\'s subnet zones (ap-northeast-1a, ap-northeast-1c); the pool could never launch a node there (use one of them, or add a subnet in that zone)',
      ],
    ],
    [
      "too few nodes for the Karpenter controller's two replicas",
      prodWith((e) => Object.assign(e.cluster.compute.nodeGroups.general, { minSize: 1, desiredSize: 1 })),
      "prod: cluster.compute.nodeGroups.general.minSize: the node groups that can run the Karpenter controller (general) have 1 node(s) at minimum, but its 2 replicas need 2 nodes (required pod anti-affinity on the hostname; set minSize to 2 or more)",
    ],
    [
      "Karpenter's names count against the cluster name: -karpenter-node roles, 64-character EventBridge rules",
      prodWith((e) => ((e.cluster.name = `p${"x".repeat(49)}`), (e.targetGroups = {}))),
      [
        `prod: cluster.name: IAM role name ${show(`p${"x".repeat(49)}-karpenter-node`)} is 65 characters, over AWS's 64 (shorten the cluster name)`,
        ...(["spot", "rebalance", "state", "health", "odcr"] as const).map(
          (r) => `prod: cluster.name: EventBridge rule name ${show(`p${"x".repeat(49)}-karpenter-${r}`)} is ${61 + r.length} characters, over AWS's 64 (shorten the cluster name)`,
        ),
      ],
    ],
    [
      "an AMI alias that is not pinned",
      prodWith((e) => (e.cluster.compute.karpenter = { enabled: true, amiAlias: "al2023@latest" })),
      'prod: cluster.compute.karpenter.amiAlias: "al2023@latest" is not a pinned AMI alias (al2023@vYYYYMMDD or bottlerocket@vX.Y.Z; not "latest") (for example "al2023@v20260714")',
    ],
  ]);
});

describe("Karpenter is explicit on node-group clusters (review #2, F1)", () => {
  runCases([
    [
      "node pools on node groups without karpenter.enabled",
      prodWith((e) => (e.cluster.compute.karpenter.enabled = false)),
      "prod: cluster.compute.karpenter.enabled: is false, but nodePools is not empty: node pools on node groups run on Karpenter (set cluster.compute.karpenter.enabled: true; to remove Karpenter, remove the pools and deploy first)",
    ],
  ]);

  test("Karpenter enabled without pools is valid (the first step of removing it is removing the pools)", () => {
    expect(problemsOf(prodWith((e) => (e.nodePools = {})))).toEqual([]);
  });
});

describe("adopt.iamRoles names the roles that exist (review #2, F2)", () => {
  runCases([
    [
      "a role the stacks do not create",
      prodWith((e) => (e.adopt = { iamRoles: ["acme-prod-cluster", "eksctl-acme-prod-NodeInstanceRole"] })),
      `prod: adopt.iamRoles[1]: "eksctl-acme-prod-NodeInstanceRole" is not a role these stacks create (they create acme-prod-cluster, acme-prod-node, acme-prod-vpc-cni, acme-prod-ebs-csi, acme-prod-aws-lbc, acme-prod-karpenter, acme-prod-karpenter-node; adopt only those)`,
    ],
  ]);
});

test("an adopted target group that is not an ARN names the value and the fix", () => {
  expectProblems(prodWith((e) => (e.adopt = { targetGroups: { argocd: "acme-prod-argocd" } })), [
    'prod: adopt.targetGroups.argocd: "acme-prod-argocd" is not a target group ARN (use the ARN, arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
  ]);
});
