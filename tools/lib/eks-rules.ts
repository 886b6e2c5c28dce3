/**
 * The review's EKS, EBS and Kubernetes change rules: what AWS or the API server refuses, and what
 * loses capacity or access, found by comparing the synthesized stacks of the base and the head.
 * Each rule names its source; docs/reading-a-review.md lists them all.
 *
 * Rules read the Terraform JSON (not the config), so they hold for any environment file.
 */
import { isObject, type JsonObject, type Value, valuesAt, deepEqual, UNKNOWN } from "./json";
import { K8S_IMMUTABLE } from "./force-new";
import type { Finding, GuidedChange, StackReport } from "./report";
import { type Resource, stackResources } from "./stack-json";

/** Sources, one per rule (see the comment of each rule for the quoted text). */
export const RULE_SOURCES = {
  /** "you can update only one minor version at a time"; "Once you upgrade a cluster, you can't downgrade". */
  "kubernetes-version-skip": "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html",
  "kubernetes-version-downgrade": "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html#downgrade-cluster",
  /** "all of your node groups' Kubernetes versions must match the cluster's Kubernetes version in order to update the cluster" */
  "node-group-version-behind": "https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterVersion.html",
  /** "kubelet must not be newer than kube-apiserver"; "may be up to three minor versions older" (kubelet ≥ 1.25). */
  "kubelet-skew": "https://kubernetes.io/releases/version-skew-policy/#kubelet",
  /** Pinned add-on versions: `aws eks describe-addon-versions --kubernetes-version`. */
  "addon-version-pinned": "https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html",
  /** ModifyVolume: "The target volume size must be greater than or equal to the existing size." */
  "ebs-shrink": "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVolume.html",
  /** "wait for that modification to reach the completed state"; "up to four times within a rolling 24-hour period". */
  "ebs-modification": "https://docs.aws.amazon.com/ebs/latest/userguide/modify-volume-requirements.html",
  /** auto-enable-existing.html, auto-migrate-mng.html, auto-disable.html */
  "compute-mode-switch": "https://docs.aws.amazon.com/eks/latest/userguide/auto-enable-existing.html",
  "capacity-removed": "https://docs.aws.amazon.com/eks/latest/userguide/delete-managed-node-group.html",
  "node-group-replaced": "https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html",
  "deployer-access-removed": "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
  "stack-removed": "https://developer.hashicorp.com/terraform/cdktf/cli-reference/commands#destroy",
  "kubernetes-immutable": "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
  /** "There is no support at this time for upgrading or deleting CRDs using Helm." */
  "chart-crds-not-upgraded": "https://helm.sh/docs/chart_best_practices/custom_resource_definitions/",
  /** "PV removal is postponed until the PV is no longer bound to a PVC." */
  "volume-claim-bound": "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection",
  /** "PVC removal is postponed until the PVC is no longer actively used by any Pods." */
  "claim-in-use": "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection",
  /** DeleteTargetGroup: "You can delete a target group if it is not referenced by any actions"; the TargetGroupBinding's targetGroupARN is immutable. */
  "target-group-replaced": "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html",
  /** "All subnets that you add must be in the same set of AZs as originally provided when you created the cluster"; "at least one subnet in each of the" original zones. */
  "control-plane-subnets": "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
  /** An Optional+Computed argument left out of the configuration keeps the prior state's value: no change is planned. */
  "removal-not-applied": "https://developer.hashicorp.com/terraform/plugin/sdkv2/schemas/schema-behaviors#computed",
  /** The termination finalizer on EC2NodeClasses/NodeClaims is removed by the controller; without it they never delete. */
  "karpenter-removed-with-pools": "https://karpenter.sh/docs/troubleshooting/#unable-to-delete-nodes-after-uninstalling-karpenter",
} as const;
export type RuleId = keyof typeof RULE_SOURCES;

/** Rules that need the synthesized stacks (the deploy role's variable, the app's list of stacks): plans never give them. */
export const REVIEW_ONLY_RULES: ReadonlySet<string> = new Set<RuleId>(["deployer-access-removed", "stack-removed", "addon-version-pinned", "removal-not-applied"]);

const AUTO_DISABLE = "https://docs.aws.amazon.com/eks/latest/userguide/auto-disable.html";
const AUTO_MIGRATE = "https://docs.aws.amazon.com/eks/latest/userguide/auto-migrate-mng.html";
const INSIGHTS = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html";
const AUTO_UPGRADE = "https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html";

/** `prod-aws` → `prod`; the stack kinds of stacks/stack-names.ts. */
export function environmentOf(stack: string): { env: string; kind: string } {
  const m = /^(.*)-(aws|controllers|k8s)$/.exec(stack);
  return m ? { env: m[1]!, kind: m[2]! } : { env: stack, kind: "" };
}

/** `"1.34"` → 34 (EKS versions are all 1.x). */
function minor(v: Value): number | undefined {
  const m = typeof v === "string" ? /^1\.(\d+)$/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

const ofType = (resources: ReadonlyMap<string, Resource>, type: string) => [...resources.values()].filter((r) => r.type === type);
const isRef = (v: Value) => typeof v === "string" && v.includes("${");

function autoModeEnabled(cluster: Resource | undefined): boolean {
  return valuesAt(cluster?.body, "compute_config.enabled") === true;
}

function manifests(resources: ReadonlyMap<string, Resource>, kind: string): Resource[] {
  return ofType(resources, "kubernetes_manifest").filter((r) => valuesAt(r.body, "manifest.kind") === kind);
}

interface EnvStacks {
  readonly env: string;
  readonly aws: { base: ReadonlyMap<string, Resource>; head: ReadonlyMap<string, Resource>; name: string; baseStack?: JsonObject; headStack?: JsonObject };
  readonly k8s: { base: ReadonlyMap<string, Resource>; head: ReadonlyMap<string, Resource>; name: string };
  readonly controllers: { base?: JsonObject; head?: JsonObject; name: string };
  /**
   * Whether the k8s stack's objects are known. A synth has every stack, so a missing one has none;
   * a plan summary has the plans it was given, and the k8s stack's may be elsewhere (the PR's AWS
   * plan job): its workloads are then assumed, as a guardrail that cannot tell must.
   */
  readonly k8sKnown: boolean;
  /** False for a targeted (`complete: false`) or errored plan of the AWS stack: objects it does not list still exist. */
  readonly awsComplete: boolean;
}

function byEnvironment(base: ReadonlyMap<string, JsonObject>, head: ReadonlyMap<string, JsonObject>, fromPlans: boolean, incomplete: ReadonlySet<string>): EnvStacks[] {
  const envs = new Set([...base.keys(), ...head.keys()].map((s) => environmentOf(s).env));
  return [...envs].sort().map((env) => ({
    env,
    aws: { base: stackResources(base.get(`${env}-aws`)), head: stackResources(head.get(`${env}-aws`)), name: `${env}-aws`, baseStack: base.get(`${env}-aws`), headStack: head.get(`${env}-aws`) },
    k8s: { base: stackResources(base.get(`${env}-k8s`)), head: stackResources(head.get(`${env}-k8s`)), name: `${env}-k8s` },
    controllers: { base: base.get(`${env}-controllers`), head: head.get(`${env}-controllers`), name: `${env}-controllers` },
    k8sKnown: !fromPlans || (head.has(`${env}-k8s`) && !incomplete.has(`${env}-k8s`)),
    awsComplete: !incomplete.has(`${env}-aws`),
  }));
}

/** What the report says happens at `address` of `stack` (undefined: nothing changes). */
const changeAt = (reports: ReadonlyMap<string, StackReport>, stack: string, address: string) => reports.get(stack)?.changes.find((c) => c.address === address);

/** A replacement that will happen, not one the review only calls possible (every cause an Optional+Computed argument that may equal the live value). */
const replaced = (c: { action: string; causes: ReadonlyArray<{ possible?: boolean }> }) => c.action === "replace" && !(c.causes.length > 0 && c.causes.every((x) => x.possible === true));

/**
 * Whether the object at `address` is (or may be) changed in place. The rules about changing an
 * existing object (versions, sizes, immutable fields) do not hold for one that is replaced or
 * created: a new cluster starts at any supported version, a new volume at any size. A replacement
 * the review only calls possible (every cause an Optional+Computed argument that may equal the live
 * value) may well be an update: those rules still apply to it.
 */
function updated(reports: ReadonlyMap<string, StackReport>, stack: string, address: string): boolean {
  const c = changeAt(reports, stack, address);
  return c?.action === "update" || (c?.action === "replace" && !replaced(c));
}


/** The base object of a head address: under that address, or under the one a `moved` block names. */
function baseOf(base: ReadonlyMap<string, Resource>, reports: ReadonlyMap<string, StackReport>, stack: string, address: string): Resource | undefined {
  const from = changeAt(reports, stack, address)?.movedFrom;
  return base.get(address) ?? (from !== undefined ? base.get(from) : undefined);
}

const block = (rule: RuleId, stack: string, message: string, acknowledgeable: boolean, address?: string): Finding => ({
  rule,
  severity: "block",
  stack,
  ...(address ? { address } : {}),
  message,
  source: RULE_SOURCES[rule],
  acknowledgeable,
});
const warn = (rule: RuleId, stack: string, message: string, address?: string): Finding => ({
  rule,
  severity: "warn",
  stack,
  ...(address ? { address } : {}),
  message,
  source: RULE_SOURCES[rule],
  acknowledgeable: false,
});

/** Kubernetes version rules and the guided upgrade of one environment. */
function versionRules(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[], guided: GuidedChange[], fromPlans: boolean): void {
  const [before] = ofType(e.aws.base, "aws_eks_cluster");
  const [after] = ofType(e.aws.head, "aws_eks_cluster");
  if (!before || !after || !updated(reports, e.aws.name, after.address)) return;
  const from = minor(before.body.version);
  const to = minor(after.body.version);
  if (from === undefined || to === undefined || from === to) return;
  const stack = e.aws.name;
  if (to < from) {
    out.push(block("kubernetes-version-downgrade", stack, `cluster version 1.${from} → 1.${to}: EKS cannot downgrade a cluster (keep 1.${from}; to run 1.${to}, create a new cluster and migrate the workloads)`, false, after.address));
    return;
  }
  if (to - from > 1) {
    const order = Array.from({ length: to - from }, (_, i) => `1.${from + i + 1}`).join(" → ");
    out.push(block("kubernetes-version-skip", stack, `cluster version 1.${from} → 1.${to}: EKS upgrades one minor version per update (set 1.${from + 1}, apply, and go on one version per change: ${order})`, false, after.address));
    return;
  }
  // Managed node groups: they must match the control plane before it moves, and stay within the kubelet skew after.
  for (const ng of ofType(e.aws.head, "aws_eks_node_group")) {
    const v = ng.body.version;
    if (isRef(v) || v === undefined) continue; // follows the control plane in the same apply
    const n = minor(v);
    if (n === undefined) continue;
    const old = baseOf(e.aws.base, reports, e.aws.name, ng.address)?.body.version;
    const oldMinor: number | undefined = isRef(old) ? from : minor(old);
    if (oldMinor !== undefined && oldMinor !== from) {
      out.push(block("node-group-version-behind", stack, `${ng.address} runs 1.${oldMinor} while the control plane is 1.${from}: EKS refuses to update the control plane until every managed node group matches it (upgrade the node group to 1.${from} first)`, false, ng.address));
    }
    if (n > to) out.push(block("kubelet-skew", stack, `${ng.address} at 1.${n} would be newer than the control plane 1.${to} (kubelet must not be newer than the API server)`, false, ng.address));
    else if (to - n > 3) out.push(block("kubelet-skew", stack, `${ng.address} at 1.${n} would be ${to - n} minor versions behind the control plane 1.${to} (at most 3; upgrade the node group first)`, false, ng.address));
  }
  const addons = ofType(e.aws.head, "aws_eks_addon");
  // A plan knows the version EKS's default resolves to, so it cannot tell a pin from the default:
  // the advice below (pins, Karpenter's AMI alias, the guided upgrade) is the review's, from the
  // synthesized stacks. The blocking rules above hold for the real state too.
  if (fromPlans) return;
  for (const a of addons) {
    const v = a.body.addon_version;
    if (typeof v === "string" && !isRef(v)) {
      out.push(warn("addon-version-pinned", stack, `${String(a.body.addon_name)} is pinned to ${v}: check that it supports 1.${to} (\`aws eks describe-addon-versions --addon-name ${String(a.body.addon_name)} --kubernetes-version 1.${to}\`), or remove the pin to get EKS's default for 1.${to}`, a.address));
    }
  }
  for (const nc of manifests(e.k8s.head, "EC2NodeClass")) {
    out.push(warn("kubelet-skew", e.k8s.name, `Karpenter EC2NodeClass ${String(valuesAt(nc.body, "manifest.metadata.name"))}: its amiSelectorTerms decide the nodes' kubelet; a pinned AMI alias must stay within 3 minor versions of 1.${to} (Karpenter replaces drifted nodes after the upgrade)`, nc.address));
  }
  guided.push(upgradePlan(e, from, to, addons));
}

/**
 * The steps of a control-plane upgrade, in the order EKS documents (update-cluster.html: check
 * insights, update the control plane, then nodes, then add-ons; Auto Mode updates its nodes itself
 * after the control plane). Each step is a command that exists today: targeted applies, then the rollout.
 */
function upgradePlan(e: EnvStacks, from: number, to: number, addons: readonly Resource[]): GuidedChange {
  const [cluster] = ofType(e.aws.head, "aws_eks_cluster");
  const name = String(cluster?.body.name ?? e.env);
  const groups = ofType(e.aws.head, "aws_eks_node_group").map((g) => String(g.body.node_group_name ?? g.address));
  const auto = autoModeEnabled(cluster);
  const dir = `cdktf.out/stacks/${e.aws.name}`;
  const needsNodes = (a: Resource) => ((a.body.depends_on as Value[] | undefined) ?? []).some((d) => String(d).startsWith("aws_eks_node_group."));
  const early = addons.filter((a) => !needsNodes(a));
  const late = addons.filter(needsNodes);
  const addonLine = (a: Resource) => `${String(a.body.addon_name)} ${isRef(a.body.addon_version) ? `(EKS default for 1.${to}, read at plan time)` : String(a.body.addon_version ?? "")}`;
  const steps = [
    {
      title: `Before: check upgrade insights and deprecated APIs for 1.${to}`,
      commands: [`aws eks list-insights --cluster-name ${name} --filter kubernetesVersions=1.${to}`],
      check: `every insight PASSING (or understood); no client still calls an API removed in 1.${to} (insights list them: ${INSIGHTS})`,
    },
    { title: `Control plane 1.${from} → 1.${to}`, commands: ["npm run synth", `terraform -chdir=${dir} init`, `terraform -chdir=${dir} apply -target=${cluster?.address ?? "aws_eks_cluster.cluster_cluster"}`], check: `\`aws eks describe-cluster --name ${name} --query cluster.version\` says 1.${to}` },
    ...(addons.length > 0
      ? [{ title: `Add-ons for 1.${to}: ${early.map(addonLine).join(", ") || "(none before the nodes)"}`, commands: [`terraform -chdir=${dir} apply ${early.map((a) => `-target=${a.address}`).join(" ")}`], check: "`aws eks describe-addon` status ACTIVE for each" }]
      : []),
    auto
      ? { title: "Nodes: EKS Auto Mode replaces its nodes with 1." + to + " after the control plane, respecting PodDisruptionBudgets", commands: ["(nothing to run)"], check: `\`kubectl get nodes\` all at v1.${to} (${AUTO_UPGRADE})` }
      : { title: `Node groups ${groups.join(", ") || "(none)"} and the add-ons that need nodes (then ${late.map(addonLine).join(", ") || "no other add-on"})`, commands: [`npm run rollout -- --env ${e.env} --stacks aws`], check: "`kubectl get nodes` all at the new version; pods Running" },
    { title: "Kubernetes stacks", commands: [`npm run rollout -- --env ${e.env} --stacks kubernetes`] },
  ];
  // One command runs the steps after the insights check, in this order, stopping at the first failure.
  steps.push({ title: `Or all of the above after the insights check, in order, stopping at the first failure`, commands: [`npm run rollout -- --env ${e.env} --upgrade`] });
  return { title: `${e.env}: Kubernetes 1.${from} → 1.${to}`, stack: e.aws.name, steps, source: RULE_SOURCES["kubernetes-version-skip"] };
}

/** EBS ModifyVolume rules for volumes updated in place. */
function ebsRules(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  for (const v of ofType(e.aws.head, "aws_ebs_volume")) {
    const old = baseOf(e.aws.base, reports, e.aws.name, v.address);
    if (!old || !updated(reports, e.aws.name, v.address)) continue;
    const [bs, as] = [old.body.size, v.body.size];
    if (typeof bs === "number" && typeof as === "number" && as < bs) {
      out.push(block("ebs-shrink", e.aws.name, `${v.address}: size ${bs} → ${as} GiB; EBS volumes cannot shrink (keep ${bs} GiB, or copy the data to a new, smaller volume)`, false, v.address));
      continue;
    }
    // iops and throughput left out keep their live values (removal-not-applied): no ModifyVolume for them.
    const changed = ["size", "type", "iops", "throughput"].filter((k) => !deepEqual(old.body[k], v.body[k]) && !(v.body[k] === undefined && KEPT_WHEN_LEFT_OUT.aws_ebs_volume!.includes(k)));
    if (changed.length > 0) {
      out.push(warn("ebs-modification", e.aws.name, `${v.address}: ${changed.join(", ")} modified in place (one ModifyVolume): the next modification of this volume must wait until this one completes (optimizing can take hours), and a volume takes at most 4 modifications per rolling 24 h`, v.address));
    }
  }
}

/**
 * A chart that ships its CRDs in `crds/` (the AWS Load Balancer Controller) gets them installed once
 * and never upgraded by Helm, while the k8s stack's kubernetes_manifest objects are planned against
 * the live CRDs. Karpenter's CRDs come from their own chart (karpenter-crd), which Helm upgrades.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/ ("apply the CRDs" on upgrade)
 */
/** The helm_release bodies of a synthesized stack. */
const helmReleases = (stack?: JsonObject): JsonObject[] => Object.values(((stack?.resource as JsonObject | undefined)?.helm_release ?? {}) as Record<string, JsonObject>);

const CHARTS_WITH_CRDS_DIR = new Set(["aws-load-balancer-controller"]);
function chartCrds(e: EnvStacks, out: Finding[]): void {
  for (const head of helmReleases(e.controllers.head)) {
    if (!CHARTS_WITH_CRDS_DIR.has(String(head.chart))) continue;
    const base = helmReleases(e.controllers.base).find((r) => r.name === head.name && r.chart === head.chart);
    if (!base || base.version === head.version) continue;
    out.push(
      warn(
        "chart-crds-not-upgraded",
        e.controllers.name,
        `${String(head.chart)} ${String(base.version)} → ${String(head.version)}: Helm does not upgrade the chart's CRDs; apply the new version's CRDs before deploying (kubectl apply -k "github.com/aws/eks-charts/stable/aws-load-balancer-controller/crds?ref=master", or the chart's crds/ of that version), then deploy ${e.controllers.name} and ${e.k8s.name}`,
      ),
    );
  }
}

/**
 * Karpenter and its last NodePools removed in one change: the rollout deletes the AWS side and the
 * controller (aws, controllers stacks) before the k8s stack deletes the NodePools and EC2NodeClasses,
 * whose finalizers only the controller clears; the deletes hang and the nodes keep running.
 */
function karpenterTeardown(e: EnvStacks, out: Finding[]): void {
  const hasKarpenter = (stack?: JsonObject) => helmReleases(stack).some((r) => r.chart === "karpenter");
  if (!hasKarpenter(e.controllers.base) || hasKarpenter(e.controllers.head)) return;
  const nodeClasses = (m: ReadonlyMap<string, Resource>) => manifests(m, "EC2NodeClass").map((r) => r.address);
  const removed = nodeClasses(e.k8s.base).filter((a) => !nodeClasses(e.k8s.head).includes(a));
  if (removed.length === 0) return;
  out.push(
    block(
      "karpenter-removed-with-pools",
      e.controllers.name,
      `Karpenter is removed in the same change as its node pools (${removed.join(", ")}): the controller would be gone before the NodePools and EC2NodeClasses are deleted, and their finalizers would never clear (first remove the pools and deploy, then set cluster.compute.karpenter.enabled: false)`,
      false,
    ),
  );
}

/** Kubernetes fields the API server refuses to change (the provider would try an update). */
function kubernetesImmutable(stackName: string, base: ReadonlyMap<string, Resource>, head: ReadonlyMap<string, Resource>, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  for (const r of head.values()) {
    const rule = K8S_IMMUTABLE[r.type];
    const old = rule ? baseOf(base, reports, stackName, r.address) : undefined;
    if (!rule || !old || !updated(reports, stackName, r.address)) continue;
    for (const path of rule.paths) {
      const now = valuesAt(r.body, path);
      // A plan's unknown is the provider's to decide (a computed field keeps its value), not a change.
      if (now === UNKNOWN || deepEqual(valuesAt(old.body, path), now)) continue;
      out.push({
        ...block("kubernetes-immutable", stackName, `${r.address}: \`${path}\` cannot change on an existing object (${rule.consequence}); replace it deliberately with \`terraform apply -replace=${r.address}\` in a maintenance window`, false, r.address),
        source: rule.source,
      });
    }
  }
}

/**
 * A PersistentVolume replaced or destroyed while a claim bound to it stays: Kubernetes keeps a PV
 * bound to a claim until the claim is gone (pv-protection), the kubernetes provider's delete waits
 * its default 20 minutes and fails, and the apply stops with the PV left Terminating. The claim's
 * volume_name (the PV's name) does not change, so Terraform never replaces the claim by itself.
 * https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection
 * The 20 minutes: the PV resource declares no delete timeout, and ResourceData.Timeout's "System
 * default of 20 minutes" applies (hashicorp/terraform-plugin-sdk helper/schema/resource_data.go).
 */
function claimsHoldReplacedVolumes(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  const k8s = reports.get(e.k8s.name);
  for (const c of k8s?.changes ?? []) {
    if (c.type !== "kubernetes_persistent_volume_v1" || (c.action !== "replace" && c.action !== "delete") || (c.action === "replace" && !replaced(c))) continue;
    const name = valuesAt(e.k8s.base.get(c.address)?.body, "metadata.name");
    const bound = ofType(e.k8s.head, "kubernetes_persistent_volume_claim_v1").filter((claim) => {
      const volume = valuesAt(claim.body, "spec.volume_name");
      const goes = ["replace", "delete"].includes(changeAt(reports, e.k8s.name, claim.address)?.action ?? "");
      return !goes && typeof volume === "string" && ((typeof name === "string" && volume === name) || volume.includes(`\${${c.address}.`));
    });
    for (const claim of bound) {
      out.push(block("volume-claim-bound", e.k8s.name, `${c.address} is ${c.action === "replace" ? "replaced" : "destroyed"} while ${claim.address} stays bound to it: Kubernetes keeps a bound PersistentVolume until its claim is gone, so the delete waits 20 minutes and the apply fails with the PV left Terminating. Stop the workload that mounts it and apply ${e.k8s.name} with \`-replace=${claim.address}\` (the data stays: the EBS volume is the AWS stack's), then acknowledge`, true, c.address));
    }
  }
}

/**
 * A claim replaced or destroyed while a pod mounts it: Kubernetes keeps it (pvc-protection), the
 * kubernetes provider's delete waits its default 20 minutes and fails, and the Helm release that
 * mounts the claim is only updated afterwards (it depends on the claim).
 * https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection;
 * hashicorp/kubernetes resource_kubernetes_persistent_volume_claim_v1.go (Delete polls until gone);
 * the 20 minutes as for the PV above.
 */
function claimsInUse(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  for (const c of reports.get(e.k8s.name)?.changes ?? []) {
    if (c.type !== "kubernetes_persistent_volume_claim_v1" || (c.action !== "replace" && c.action !== "delete") || (c.action === "replace" && !replaced(c))) continue;
    out.push(block("claim-in-use", e.k8s.name, `${c.address} is ${c.action === "replace" ? "replaced" : "destroyed"}: Kubernetes keeps a claim while a pod mounts it, so the delete waits 20 minutes and the apply fails. ${c.action === "replace" ? "Stop the workload that mounts it (scale it to zero) before the apply and start it again after" : "Remove or stop the workload that mounts it first"}, then acknowledge`, true, c.address));
  }
}

/**
 * A target group replaced: under its fixed name Terraform deletes it first, which AWS refuses while a
 * listener forwards to it (the provider retries "ResourceInUse" for 2 minutes, then fails); and its
 * new ARN reaches the TargetGroupBinding, whose spec.targetGroupARN the AWS Load Balancer
 * Controller's webhook refuses to change (webhooks/elbv2/targetgroupbinding_validator.go).
 */
function targetGroupsReplaced(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  for (const c of reports.get(e.aws.name)?.changes ?? []) {
    if (c.type !== "aws_lb_target_group" && c.type !== "aws_alb_target_group") continue;
    if (c.action === "delete") {
      out.push(block("target-group-replaced", e.aws.name, `${c.address} is destroyed: AWS refuses to delete a target group a listener forwards to (the provider retries for 2 minutes, then the apply fails). Point the listener elsewhere first, then acknowledge`, true, c.address));
      continue;
    }
    if (c.action !== "replace" || !replaced(c)) continue;
    out.push(block("target-group-replaced", e.aws.name, `${c.address} is replaced (${c.causes.map((x) => x.path).join(", ") || "a force-new argument"}): AWS refuses to delete a target group a listener forwards to, and the TargetGroupBinding in ${e.k8s.name} cannot change its target group ARN. Roll it blue/green: add a target group under a new key (its binding comes with it), point the listener at it, then remove the old key in a second change; acknowledge only when no listener uses the group and you replace its binding in the same apply (\`-replace\`)`, true, c.address));
  }
}

/**
 * Control-plane subnets changed in place: EKS takes new subnets only in the availability zones the
 * cluster was created with, and the synthesized stack does not say which those are.
 */
function controlPlaneSubnets(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  const [before] = ofType(e.aws.base, "aws_eks_cluster");
  const [after] = ofType(e.aws.head, "aws_eks_cluster");
  if (!before || !after || !updated(reports, e.aws.name, after.address)) return;
  const [was, now] = [valuesAt(before.body, "vpc_config.subnet_ids"), valuesAt(after.body, "vpc_config.subnet_ids")];
  const missing = (from: Value, to: Value) => (Array.isArray(from) ? from.filter((id) => !(Array.isArray(to) && to.some((x) => deepEqual(x, id)))) : []);
  const [added, removed] = [missing(now, was), missing(was, now)];
  if (added.length === 0 && removed.length === 0) return;
  const what = [added.length > 0 ? `subnets ${added.map(String).join(", ")} added` : "", removed.length > 0 ? `subnets ${removed.map(String).join(", ")} removed` : ""].filter(Boolean).join(" and ");
  out.push(warn("control-plane-subnets", e.aws.name, `${after.address}: ${what}: EKS takes control-plane subnets only in the availability zones the cluster was created with, and needs at least one left in each of them; it refuses the update otherwise (check the zones; a cluster in other zones is a new cluster)`, after.address));
}

/**
 * Arguments that are Optional and Computed in the provider keep their live value when the
 * configuration leaves them out: Terraform plans no change there, so removing one does nothing.
 * The ones this product leaves out when the config has none (modules/access-grant.ts,
 * modules/cluster-addon.ts, the volume's iops/throughput); from the provider schemas (aws 6.25.0:
 * access_entry.go, addon.go, ebs_volume.go; the generated @cdktf/provider-aws says
 * "computed: true, optional: true" for each).
 */
const KEPT_WHEN_LEFT_OUT: Readonly<Record<string, readonly string[]>> = {
  aws_eks_access_entry: ["kubernetes_groups"],
  aws_eks_addon: ["configuration_values"],
  aws_ebs_volume: ["iops", "throughput"],
};

function removalsNotApplied(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  for (const [type, keys] of Object.entries(KEPT_WHEN_LEFT_OUT)) {
    for (const r of ofType(e.aws.head, type)) {
      const old = baseOf(e.aws.base, reports, e.aws.name, r.address);
      if (!old || !updated(reports, e.aws.name, r.address)) continue;
      // A volume whose type changes gets the new type's IOPS and throughput (ModifyVolume sends them only for the types that take them).
      if (type === "aws_ebs_volume" && !deepEqual(old.body.type, r.body.type)) continue;
      const dropped = keys.filter((k) => r.body[k] === undefined && old.body[k] !== undefined && old.body[k] !== null);
      if (dropped.length === 0) continue;
      const what = `${r.address}: ${dropped.join(", ")} left out of the configuration keeps the live value (the provider computes it when unset), so Terraform changes nothing there`;
      if (type === "aws_eks_access_entry") {
        // Least privilege: the team believes the groups revoked while the entry still carries them.
        out.push(block("removal-not-applied", e.aws.name, `${what}: the access entry keeps its Kubernetes groups and what RBAC grants them. To revoke them, replace the entry (\`-replace=${r.address}\`; access is gone until it is re-created), then acknowledge`, true, r.address));
      } else {
        out.push(warn("removal-not-applied", e.aws.name, `${what}: set the value you want explicitly instead`, r.address));
      }
    }
  }
}

/** Switching compute mode (Auto Mode ↔ managed node groups) in one step. */
function computeSwitch(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[], fromPlans: boolean): void {
  const [before] = ofType(e.aws.base, "aws_eks_cluster");
  const [after] = ofType(e.aws.head, "aws_eks_cluster");
  // A replaced cluster is created new in its mode: nothing is switched.
  if (!before || !after || !updated(reports, e.aws.name, after.address)) return;
  const was = autoModeEnabled(before);
  const now = autoModeEnabled(after);
  if (was === now) return;
  const aws = reports.get(e.aws.name);
  const destroyed = (type: string) => (aws?.changes ?? []).filter((c) => c.type === type && c.action === "delete").map((c) => c.address);
  if (!was && now) {
    const groups = destroyed("aws_eks_node_group");
    const addons = destroyed("aws_eks_addon");
    out.push(
      block(
        "compute-mode-switch",
        e.aws.name,
        `managed node groups → Auto Mode in one apply: ${groups.length} node group(s) and ${addons.length} add-on(s) are destroyed while Auto Mode is being enabled, so pods lose their nodes before Auto Mode has any${e.controllers.base && !e.controllers.head ? `, and ${e.controllers.name} (the AWS Load Balancer Controller) is left running next to Auto Mode's` : ""}. Documented order: 1) enable Auto Mode with the node groups still there (cluster role gets the Auto Mode policies; add-ons at the minimum versions), 2) drain the node groups (\`eksctl update auto-mode-config --drain-all-nodegroups\`, ${AUTO_MIGRATE}), 3) \`cdktf destroy ${e.controllers.name}\`, 4) then this change. Acknowledge once steps 1-3 are done`,
        true,
        after.address,
      ),
    );
  } else {
    // EKS turns Auto Mode off only with all three switches off in one update (auto-disable.html).
    // The stacks of node-group mode leave the three blocks out: the aws provider then keeps the
    // Optional+Computed load-balancing switch from state and refuses the plan ("must all be set to
    // either true or false"), or keeps Auto Mode on; and a cluster whose Auto Mode was turned off
    // elsewhere reports the disabled blocks, which a configuration without them tries to remove, and
    // EKS refuses that update ("The type for cluster update was not provided"). No acknowledgement
    // makes that apply work, so a plan (whose `before` proves the cluster exists) blocks for good;
    // the synth review cannot tell a deployed environment from one merged but never applied, whose
    // mode is still free to change, so there it can be acknowledged for that case.
    // https://github.com/hashicorp/terraform-provider-aws/issues/40582
    // https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3362
    out.push(
      block(
        "compute-mode-switch",
        e.aws.name,
        `Auto Mode → managed node groups on a deployed cluster: these stacks cannot turn Auto Mode off. EKS needs compute, block storage and load balancing switched off together (${AUTO_DISABLE}); the stacks of node-group mode leave those blocks out, so the aws provider keeps them from state and refuses the plan or leaves Auto Mode on (hashicorp/terraform-provider-aws#40582), and a cluster turned off by hand reports disabled blocks this configuration keeps trying to remove (terraform-aws-modules/terraform-aws-eks#3362). Keep Auto Mode here; for node groups, add a new environment in node-group mode, move the workloads to it, then remove this one${fromPlans ? "" : ". Acknowledge only if this environment was never applied"}`,
        !fromPlans,
        after.address,
      ),
    );
  }
}

/** Capacity: node groups or node pools removed while the environment still runs workloads. */
function capacityRules(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  const [after] = ofType(e.aws.head, "aws_eks_cluster");
  if (!after) return;
  const aws = reports.get(e.aws.name);
  const k8s = reports.get(e.k8s.name);
  const count = ofType(e.k8s.head, "helm_release").length + ofType(e.k8s.head, "kubernetes_persistent_volume_claim_v1").length;
  const workloads = e.k8sKnown ? count : 1;
  const runs = e.k8sKnown ? `${e.k8s.name} still runs ${count} workload(s) (Helm releases, volume claims)` : `the cluster may run workloads (${e.k8s.name} was not planned with it: pass its plan too to count them)`;
  const whose = e.k8sKnown ? `${e.k8s.name}'s ${count} workload(s)` : `the workloads (${e.k8s.name} was not planned with it)`;
  const removedGroups = (aws?.changes ?? []).filter((c) => c.type === "aws_eks_node_group" && c.action === "delete");
  const replacedGroups = (aws?.changes ?? []).filter((c) => c.type === "aws_eks_node_group" && c.action === "replace");
  const remainingGroups = ofType(e.aws.head, "aws_eks_node_group").length;
  const auto = autoModeEnabled(after);
  const builtIn = valuesAt(after.body, "compute_config.node_pools");
  const removedPools = (k8s?.changes ?? []).filter((c) => c.type === "kubernetes_manifest" && c.action === "delete" && valuesAt(e.k8s.base.get(c.address)?.body, "manifest.kind") === "NodePool");
  const remainingPools = manifests(e.k8s.head, "NodePool").length + (Array.isArray(builtIn) ? builtIn.length : 0);
  const switching = autoModeEnabled(ofType(e.aws.base, "aws_eks_cluster")[0]) !== auto;
  if (!switching && removedGroups.length > 0) {
    const names = removedGroups.map((c) => c.address).join(", ");
    if (!e.awsComplete) {
      out.push(warn("capacity-removed", e.aws.name, `${names} destroyed: EKS drains its nodes; the pods must fit on the node groups that stay (${e.aws.name}'s plan is targeted or errored, so the groups it does not list are not counted here)`, removedGroups[0]!.address));
    } else if (remainingGroups === 0 && !auto && workloads > 0) {
      out.push(block("capacity-removed", e.aws.name, `every node group is destroyed (${names}) while ${runs}: nothing could run them. Add a node group first, or acknowledge when the environment is being emptied`, true, removedGroups[0]!.address));
    } else {
      out.push(warn("capacity-removed", e.aws.name, `${names} destroyed: EKS drains its nodes; the pods must fit on the ${remainingGroups} remaining node group(s) (check their maxSize) or stay Pending`, removedGroups[0]!.address));
    }
  }
  // A replaced group is destroyed first (its name is fixed, so Terraform cannot create the new one
  // beside it), and a group created in the same apply is built in parallel, not before: only a
  // group that exists in the base, is neither replaced nor created, and takes any pod (no
  // NoSchedule or NoExecute taint) keeps room for the workloads and the system pods (CoreDNS, the
  // controllers) through the ~10-20 minutes EKS takes to delete and create the group.
  // https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy
  // https://docs.aws.amazon.com/eks/latest/userguide/delete-managed-node-group.html
  // https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
  const destroyFirst = replacedGroups.filter((c) => c.replaceOrder !== "create-before-destroy");
  // An imported group (import block) already exists and keeps its nodes.
  const churned = new Set((aws?.changes ?? []).filter((c) => c.type === "aws_eks_node_group" && ((c.action === "create" && c.importId === undefined) || (c.action === "replace" && c.replaceOrder !== "create-before-destroy"))).map((c) => c.address));
  const repelling = (body: Value) => {
    const taints = valuesAt(body, "taint");
    return (Array.isArray(taints) ? taints : taints === undefined ? [] : [taints]).some((t) => ["NO_SCHEDULE", "NO_EXECUTE"].includes(String(valuesAt(t as Value, "effect"))));
  };
  // A group whose key was renamed (a `moved` block, renames.nodeGroups) keeps its AWS name and nodes.
  const movedHere = new Set((aws?.changes ?? []).filter((c) => c.movedFrom !== undefined && e.aws.base.has(c.movedFrom)).map((c) => c.address));
  const existed = (address: string) => e.aws.base.has(address) || movedHere.has(address);
  const upThroughout = ofType(e.aws.head, "aws_eks_node_group").filter((g) => !churned.has(g.address) && existed(g.address) && !repelling(g.body)).length;
  // A targeted or errored plan does not list the groups that stay: only a complete one can tell none does.
  if (!switching && !auto && e.awsComplete && destroyFirst.length > 0 && upThroughout === 0 && workloads > 0) {
    const names = destroyFirst.map((c) => c.address).join(", ");
    out.push(block("node-group-replaced", e.aws.name, `${names} replaced (destroy then create) and no other node group that takes any pod (no NoSchedule taint) keeps nodes through the apply: for the ~10-20 minutes EKS takes, ${whose} and the cluster's system pods (CoreDNS, controllers) have no node. Roll it blue/green instead: add the new group under another key, apply, then remove the old key in a second change; or acknowledge a maintenance window`, true, destroyFirst[0]!.address));
  } else {
    for (const c of replacedGroups) {
      out.push(warn("node-group-replaced", e.aws.name, `${c.address} is replaced: its nodes are drained and terminated${c.replaceOrder === "create-before-destroy" ? " after the new group is up" : " before the new group exists (destroy then create)"}; keep enough capacity elsewhere`, c.address));
    }
  }
  if (!switching && removedPools.length > 0) {
    const names = removedPools.map((c) => c.address).join(", ");
    // Pools removed are the k8s stack's changes: a targeted or errored k8s plan does not list the pools that stay.
    if (auto && remainingPools === 0 && workloads > 0 && e.k8sKnown) {
      out.push(block("capacity-removed", e.k8s.name, `every node pool is removed (${names}, and no built-in pool) while ${count} workload(s) remain: Auto Mode has nowhere to run them. Keep a pool, or acknowledge when the environment is being emptied`, true, removedPools[0]!.address));
    } else {
      out.push(warn("capacity-removed", e.k8s.name, `${names} removed: Auto Mode drains and terminates the pool's nodes; pods that select it (\`karpenter.sh/nodepool\`) stay Pending`, removedPools[0]!.address));
    }
  }
}

/** The deploy role's own access entry: without it the Kubernetes stacks cannot authenticate. */
function deployerAccess(e: EnvStacks, reports: ReadonlyMap<string, StackReport>, out: Finding[]): void {
  const variable = isObject(e.aws.headStack?.variable) ? e.aws.headStack.variable : isObject(e.aws.baseStack?.variable) ? e.aws.baseStack.variable : undefined;
  const role = isObject(variable?.role_arn) ? variable.role_arn.default : undefined;
  if (typeof role !== "string") return;
  const aws = reports.get(e.aws.name);
  for (const c of aws?.changes ?? []) {
    if (c.type !== "aws_eks_access_entry" && c.type !== "aws_eks_access_policy_association") continue;
    const body = e.aws.base.get(c.address)?.body;
    if (body?.principal_arn !== role) continue;
    if (c.action === "delete") {
      out.push(block("deployer-access-removed", e.aws.name, `${c.address} (the deploy role ${role}) is removed: the Kubernetes stacks and the next deploy authenticate as that role and would be refused by the cluster`, true, c.address));
    } else if (c.action === "replace") {
      out.push(warn("deployer-access-removed", e.aws.name, `${c.address} (the deploy role) is replaced (destroy then create): during the apply the deploy role has no access to the cluster; do not run the Kubernetes stacks in parallel`, c.address));
    }
  }
}

/** A stack that leaves the app: its objects keep running unmanaged. */
function removedStacks(reports: readonly StackReport[], base: ReadonlyMap<string, JsonObject>, head: ReadonlyMap<string, JsonObject>, out: Finding[]): void {
  for (const s of reports) {
    if (!base.has(s.name) || head.has(s.name)) continue;
    const count = stackResources(base.get(s.name)).size;
    if (count === 0) continue;
    out.push(block("stack-removed", s.name, `stack ${s.name} leaves the app: \`cdktf deploy\` no longer manages its ${count} resource(s), which keep running (for the controllers stack: a second load balancer controller). Run \`cdktf destroy ${s.name}\` from the base first (or keep the stack), then acknowledge`, true));
  }
}

/**
 * All rules, over every environment of two synth outputs; or, `fromPlans`, of the plans' real
 * state (`before`) and planned objects (`after`) as tools/lib/plan.ts gives them, where a missing
 * stack was not planned rather than absent, an unknown value is UNKNOWN, and the stacks in
 * `incomplete` had targeted or errored plans (objects they do not list still exist).
 */
export function reviewRules(
  base: ReadonlyMap<string, JsonObject>,
  head: ReadonlyMap<string, JsonObject>,
  reports: readonly StackReport[],
  { fromPlans = false, incomplete = new Set() }: { fromPlans?: boolean; incomplete?: ReadonlySet<string> } = {},
): { findings: Finding[]; guided: GuidedChange[] } {
  const findings: Finding[] = [];
  const guided: GuidedChange[] = [];
  const byName = new Map(reports.map((r) => [r.name, r]));
  for (const e of byEnvironment(base, head, fromPlans, incomplete)) {
    versionRules(e, byName, findings, guided, fromPlans);
    ebsRules(e, byName, findings);
    computeSwitch(e, byName, findings, fromPlans);
    claimsHoldReplacedVolumes(e, byName, findings);
    claimsInUse(e, byName, findings);
    targetGroupsReplaced(e, byName, findings);
    controlPlaneSubnets(e, byName, findings);
    removalsNotApplied(e, byName, findings);
    capacityRules(e, byName, findings);
    deployerAccess(e, byName, findings);
    kubernetesImmutable(e.k8s.name, e.k8s.base, e.k8s.head, byName, findings);
    chartCrds(e, findings);
    karpenterTeardown(e, findings);
  }
  removedStacks(reports, base, head, findings);
  return { findings, guided };
}
