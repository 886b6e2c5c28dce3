/**
 * Rules that relate several fields of an environment. Each rule is small, named, declares the
 * top-level sections it reads, and runs whenever those sections are valid on their own, so one
 * broken section does not hide the problems of the others.
 */
import * as ipaddr from "ipaddr.js";
import type { Environment, NodePoolConfig } from "./environment-schema";
import {
  CORE_ADDONS,
  EBS_LIMITS,
  ALLOWED_LABEL_SUBDOMAINS,
  NODE_ACCESS_ENTRY_TYPES,
  NODE_GROUP_KEY_MAX,
  RESERVED_LABEL_DOMAINS,
} from "./limits";
import { KUBERNETES_VERSIONS } from "./kubernetes-versions";
import { show } from "./config-errors";
import { derivedNames } from "./derived-names";
import { partitionOf } from "../modules/private/aws";
import { COMPUTE_FLAVORS, type NodePoolFlavor } from "../modules/private/compute-flavor";
import { CRON_MACROS } from "./environment-schema";

/**
 * A config field a rule reads: a top-level section (`"access"`) or a field inside one
 * (`"cluster.compute"`). A rule runs when every field it needs is valid on its own, so a typo in
 * `cluster.vpcId` does not hide the rules about `cluster.compute`.
 */
export type FieldPath = string;
export type Report = (path: readonly PropertyKey[], message: string) => void;

export interface Rule {
  readonly name: string;
  readonly needs: readonly FieldPath[];
  /** Where the constraint comes from (AWS, Kubernetes, Terraform docs), for the rule table in docs/. */
  readonly source: string;
  /** Reads only the fields in `needs` (the others may be missing). */
  check(env: Environment, report: Report): void;
}

const rule = (name: string, needs: readonly FieldPath[], source: string, check: Rule["check"]): Rule => ({ name, needs, source, check });

// ---- helpers -------------------------------------------------------------------------------

/** Go duration (`336h`, `1h30m`) → seconds. */
export function durationSeconds(d: string): number {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) {
    total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  }
  return total;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => ipaddr.IPv4.parseCIDR(c));

/** Parses an IPv4 CIDR; returns a problem message instead of throwing. */
export function parseCidr(cidr: string): { addr: ipaddr.IPv4; prefix: number } | string {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return `${show(cidr)} is not an IPv4 CIDR (for example "203.0.113.0/24")`;
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== addr.toString()) return `${show(cidr)} has host bits set (use "${network}/${prefix}")`;
  return { addr, prefix };
}

function overlaps(a: { addr: ipaddr.IPv4; prefix: number }, b: { addr: ipaddr.IPv4; prefix: number }): boolean {
  return a.addr.match(b.addr, b.prefix) || b.addr.match(a.addr, a.prefix);
}

/** `ap-northeast-1a` is in `ap-northeast-1`. */
const zoneInRegion = (zone: string, region: string) => zone.slice(0, -1) === region;

function duplicates<T>(items: readonly T[]): Set<T> {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const i of items) (seen.has(i) ? dup : seen).add(i);
  return dup;
}

// ---- rules ---------------------------------------------------------------------------------

export const RULES: readonly Rule[] = [
  rule("deploy-role-in-account", ["account"], "https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html", (env, report) => {
    for (const field of ["deployRoleArn", "planRoleArn"] as const) {
      const arn = env.account[field];
      if (!arn) continue;
      const roleAccount = arn.split(":")[4];
      if (roleAccount !== env.account.id) {
        report(["account", field], `${show(arn)} is in account ${roleAccount}, not ${env.account.id} (the ${field === "deployRoleArn" ? "deploy" : "plan"} role must live in the environment's account)`);
      }
    }
    if (env.account.planRoleArn && env.account.planRoleArn === env.account.deployRoleArn) {
      report(["account", "planRoleArn"], `${show(env.account.planRoleArn)} is the deploy role (pull-request plans must not run with write access: use a read-only role, or leave planRoleArn out)`);
    }
  }),

  rule("arns-in-partition", ["account", "access", "state"], "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", (env, report) => {
    // The stacks build every ARN in the region's partition; a role of another partition cannot be assumed or granted.
    const partition = partitionOf(env.account.region);
    const check = (path: PropertyKey[], arn: string) => {
      const arnPartition = arn.split(":")[1];
      if (arnPartition !== partition) {
        report(path, `${show(arn)} is in partition ${arnPartition}, but region ${env.account.region} is in ${partition} (use an arn:${partition}: ARN)`);
      }
    };
    check(["account", "deployRoleArn"], env.account.deployRoleArn);
    if (env.account.planRoleArn) check(["account", "planRoleArn"], env.account.planRoleArn);
    for (const [name, entry] of Object.entries(env.access)) check(["access", name, "principalArn"], entry.principalArn);
    // The backend reads the bucket with the deploy role, whose credentials are valid in one partition only.
    const statePartition = partitionOf(env.state.region);
    if (statePartition !== partition) {
      report(["state", "region"], `${show(env.state.region)} is in partition ${statePartition}, but the environment's region ${env.account.region} is in ${partition} (keep the state bucket in the environment's partition)`);
    }
  }),

  rule(
    "derived-name-lengths",
    ["cluster.name", "cluster.compute", "volumes", "targetGroups", "nodePools", "renames"],
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    (env, report) => {
      // Every name the stacks derive from config, at its real limit (role names with their longest suffix included).
      for (const d of derivedNames(env)) {
        if (d.name.length <= d.max) continue;
        if (d.kind === "target group") {
          report(d.path, `target group name ${show(d.name)} is longer than 32 characters (shorten the key or the cluster name)`);
        } else {
          report(d.path, `${d.kind} name ${show(d.name)} is ${d.name.length} characters, over AWS's ${d.max} (shorten ${d.path.join(".") === "cluster.name" ? "" : "the key or "}the cluster name)`);
        }
      }
    },
  ),

  rule("cluster-name-fits-volume-names", ["cluster.name", "volumes"], "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names", (env, report) => {
    // PersistentVolumes are named <cluster>-<volume>; Kubernetes names are lowercase DNS subdomains.
    const name = env.cluster.name;
    if (Object.keys(env.volumes).length > 0 && /[A-Z_]/.test(name)) {
      report(
        ["cluster", "name"],
        `${show(name)} has uppercase letters or "_", but it names the PersistentVolumes of volumes (<name>-<volume>), which allow only lowercase letters, digits, "-" and "." (use a name such as ${show(name.toLowerCase().replace(/_/g, "-"))})`,
      );
    }
  }),

  rule("unique-subnets", ["cluster.subnetIds"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html", (env, report) => {
    for (const dup of duplicates(env.cluster.subnetIds)) {
      report(["cluster", "subnetIds", env.cluster.subnetIds.lastIndexOf(dup)], `${show(dup)} is listed twice (remove the duplicate)`);
    }
  }),

  rule("zones-in-region", ["account", "cluster.availabilityZones", "nodePools", "volumes"], "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html", (env, report) => {
    const region = env.account.region;
    const check = (path: PropertyKey[], zone: string) => {
      if (!zoneInRegion(zone, region)) {
        report(path, `${show(zone)} is not in the environment's region ${region} (use a zone such as "${region}a")`);
      }
    };
    (env.cluster.availabilityZones ?? []).forEach((z, i) => check(["cluster", "availabilityZones", i], z));
    for (const [name, v] of Object.entries(env.volumes)) check(["volumes", name, "availabilityZone"], v.availabilityZone);
    for (const [name, pool] of Object.entries(env.nodePools)) {
      (pool.zones ?? []).forEach((z, i) => check(["nodePools", name, "zones", i], z));
    }
  }),

  rule("two-zones", ["cluster.availabilityZones"], "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html", (env, report) => {
    const zones = env.cluster.availabilityZones;
    if (zones && new Set(zones).size < 2) {
      report(["cluster", "availabilityZones"], `lists ${new Set(zones).size} zone; EKS needs subnets in at least two availability zones (add a subnet in another zone)`);
    }
  }),

  rule("upgrade-support-type", ["cluster.kubernetesVersion", "cluster.upgradeSupportType"], "https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html", (env, report) => {
    // "You can only set the version support policy while the cluster runs a version in standard support."
    const v = env.cluster.kubernetesVersion;
    if (KUBERNETES_VERSIONS[v] === "extended" && env.cluster.upgradeSupportType === "STANDARD") {
      report(["cluster", "upgradeSupportType"], `"STANDARD" cannot be set while ${v} is in extended support (set "EXTENDED" and plan the upgrade, or upgrade kubernetesVersion first)`);
    }
  }),

  rule("node-labels-and-taints", ["cluster.compute", "nodePools"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateLabelsPayload.html", (env, report) => {
    const compute = env.cluster.compute;
    if (compute.mode === "managed") {
      for (const [name, g] of Object.entries(compute.nodeGroups)) {
        const at = (...p: PropertyKey[]) => ["cluster", "compute", "nodeGroups", name, ...p];
        for (const [key, value] of Object.entries(g.labels)) {
          if (key.length > NODE_GROUP_KEY_MAX) report(at("labels", key), `key is ${key.length} characters; EKS takes node group label keys of at most ${NODE_GROUP_KEY_MAX}, prefix included (shorten it)`);
          if (value === "") report(at("labels", key), "is empty; EKS node group labels need a value (give one)");
          const domain = reservedDomain(key);
          if (domain) report(at("labels", key), `uses the ${show(domain)} label domain, which kubelet reserves for itself (use a prefix of your own, or node.kubernetes.io/)`);
        }
        g.taints.forEach((t, i) => {
          if (t.key.length > NODE_GROUP_KEY_MAX) report(at("taints", i, "key"), `is ${t.key.length} characters; EKS takes taint keys of at most ${NODE_GROUP_KEY_MAX}, prefix included (shorten it)`);
        });
        for (const dup of duplicates(g.taints.map((t) => `${t.key}:${t.effect}`))) report(at("taints"), `${show(dup)} is listed twice (Kubernetes refuses duplicate taints; remove one)`);
      }
    }
    // The NodePool CRDs (Auto Mode's and Karpenter's v1.14.1) restrict these domains in template labels.
    for (const [name, pool] of Object.entries(env.nodePools)) {
      for (const key of Object.keys(pool.labels)) {
        const domain = reservedDomain(key);
        if (domain) report(["nodePools", name, "labels", key], `uses the ${show(domain)} label domain, which Auto Mode and Karpenter reserve (use a prefix of your own)`);
      }
    }
  }),

  rule("volume-zone-has-subnet", ["cluster.availabilityZones", "volumes"], "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-attaching-volume.html", (env, report) => {
    const zones = env.cluster.availabilityZones;
    if (!zones) return; // zones of the subnets are unknown: nothing to compare with
    for (const [name, v] of Object.entries(env.volumes)) {
      if (!zones.includes(v.availabilityZone)) {
        report(
          ["volumes", name, "availabilityZone"],
          `${show(v.availabilityZone)} is not one of the cluster's subnet zones (${zones.join(", ")}); no node could attach the volume (move it or add a subnet in that zone)`,
        );
      }
    }
  }),

  rule("endpoint-access", ["cluster.endpoint"], "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html", (env, report) => {
    const e = env.cluster.endpoint;
    const at = (...p: PropertyKey[]) => ["cluster", "endpoint", ...p];
    if (!e.privateAccess && !e.publicAccess) {
      report(at("privateAccess"), "false with publicAccess false leaves no way to reach the API server (keep privateAccess: true)");
    }
    if (e.publicAccess && e.publicAccessCidrs.length === 0) {
      report(at("publicAccessCidrs"), "is empty while publicAccess is true (list the CIDRs allowed to reach the public endpoint, for example [\"203.0.113.0/24\"])");
    }
    if (!e.publicAccess && e.publicAccessCidrs.length > 0) {
      report(at("publicAccessCidrs"), "is set while publicAccess is false (set publicAccess: true or remove the CIDRs)");
    }
    for (const dup of duplicates(e.publicAccessCidrs)) {
      report(at("publicAccessCidrs", e.publicAccessCidrs.lastIndexOf(dup)), `${show(dup)} is listed twice (remove the duplicate)`);
    }
    e.publicAccessCidrs.forEach((c, i) => {
      const parsed = parseCidr(c);
      if (typeof parsed === "string") report(at("publicAccessCidrs", i), parsed);
      else if (parsed.prefix === 0 && !e.allowPublicInternet) {
        report(at("publicAccessCidrs", i), `${show(c)} opens the API server to the whole internet (list your CIDRs, or set endpoint.allowPublicInternet: true to accept that)`);
      }
    });
    const sources = e.privateAccessSources;
    if (!e.privateAccess && (sources.cidrs.length > 0 || sources.securityGroupIds.length > 0)) {
      report(at("privateAccessSources"), "is set while privateAccess is false (set privateAccess: true or remove the sources)");
    }
    sources.cidrs.forEach((c, i) => {
      const parsed = parseCidr(c);
      if (typeof parsed === "string") report(at("privateAccessSources", "cidrs", i), parsed);
      else if (parsed.prefix === 0) report(at("privateAccessSources", "cidrs", i), `${show(c)} admits every address to the private endpoint (list the CIDRs of your runners or VPN)`);
    });
    for (const dup of duplicates(sources.cidrs)) report(at("privateAccessSources", "cidrs", sources.cidrs.lastIndexOf(dup)), `${show(dup)} is listed twice (remove the duplicate)`);
    for (const dup of duplicates(sources.securityGroupIds)) {
      report(at("privateAccessSources", "securityGroupIds", sources.securityGroupIds.lastIndexOf(dup)), `${show(dup)} is listed twice (remove the duplicate)`);
    }
  }),

  rule("api-reachable-from-ci", ["name", "cluster.endpoint", "ci"], "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access", (env, report) => {
    // The controllers and k8s stacks call the API server at plan time (kubernetes_manifest reads
    // the CRD schemas): whoever runs them must reach the endpoint.
    const e = env.cluster.endpoint;
    const hasPrivateSources = e.privateAccessSources.cidrs.length > 0 || e.privateAccessSources.securityGroupIds.length > 0;
    if (!e.publicAccess && !hasPrivateSources) {
      report(
        ["cluster", "endpoint", "privateAccessSources"],
        "is empty while the endpoint is private-only: nothing outside the cluster can reach the API server, so the Kubernetes stacks cannot plan (list your in-VPC runners' security group or your VPN's CIDR, or enable publicAccess with publicAccessCidrs; see docs/guides/api-access.md)",
      );
    }
    const hosted = env.ci.kubernetesRunsOn.find((l) => GITHUB_HOSTED_RUNNER.test(l));
    const openToInternet = e.publicAccess && e.publicAccessCidrs.includes("0.0.0.0/0");
    if (hosted && !openToInternet) {
      report(
        ["ci", "kubernetesRunsOn"],
        `${show(hosted)} is a GitHub-hosted runner, which cannot reach ${e.publicAccess ? "a public endpoint limited to publicAccessCidrs" : "a private endpoint"} (run the Kubernetes stacks on a self-hosted runner in the VPC, for example ["self-hosted", "${env.name}-vpc"], and allow it in cluster.endpoint.privateAccessSources)`,
      );
    }
  }),

  rule("service-cidr", ["cluster.serviceIpv4Cidr", "cluster.endpoint"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html", (env, report) => {
    const path = ["cluster", "serviceIpv4Cidr"];
    const svc = parseCidr(env.cluster.serviceIpv4Cidr);
    if (typeof svc === "string") return report(path, svc);
    if (!PRIVATE_RANGES.some(([a, p]) => svc.addr.match(a, p) && svc.prefix >= p)) {
      report(path, `${show(env.cluster.serviceIpv4Cidr)} is not inside a private range (use a block from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, for example "172.20.0.0/16")`);
    }
    if (svc.prefix < 12 || svc.prefix > 24) {
      report(path, `${show(env.cluster.serviceIpv4Cidr)} has prefix /${svc.prefix}; EKS takes /12 to /24 (for example "172.20.0.0/16")`);
    }
    const others = [...env.cluster.endpoint.publicAccessCidrs.map((c) => ["publicAccessCidrs", c]), ...env.cluster.endpoint.privateAccessSources.cidrs.map((c) => ["privateAccessSources.cidrs", c])];
    for (const [field, c] of others) {
      const other = parseCidr(c);
      if (typeof other !== "string" && other.prefix > 0 && overlaps(svc, other)) {
        report(path, `${show(env.cluster.serviceIpv4Cidr)} overlaps endpoint.${field} entry ${show(c)} (pick a service CIDR that does not overlap)`);
      }
    }
  }),

  rule("auto-mode-compute", ["cluster.compute", "nodePools"], "https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html", (env, report) => {
    const compute = env.cluster.compute;
    if (compute.mode !== "auto") return;
    const at = (...p: PropertyKey[]) => ["cluster", "compute", ...p];
    for (const dup of duplicates(compute.builtInNodePools)) {
      report(at("builtInNodePools", compute.builtInNodePools.lastIndexOf(dup)), `${show(dup)} is listed twice (remove the duplicate)`);
    }
    if (compute.builtInNodePools.length === 0 && Object.keys(env.nodePools).length === 0) {
      report(["nodePools"], "is empty and builtInNodePools is empty: the cluster could run no pods (add a built-in pool or a node pool)");
    }
  }),

  rule("node-pools", ["cluster.compute", "cluster.availabilityZones", "nodePools"], "https://karpenter.sh/docs/concepts/nodepools/", (env, report) => {
    // What each mode's NodePool and node class CRDs accept differs: the flavor table's nodePools row says how.
    const flavor = COMPUTE_FLAVORS[env.cluster.compute.mode].nodePools;
    for (const [name, pool] of Object.entries(env.nodePools)) checkNodePool(name, pool, flavor, env.cluster.availabilityZones, (p, m) => report(["nodePools", name, ...p], m));
  }),

  rule("karpenter-controller-host", ["cluster.compute", "nodePools"], "https://karpenter.sh/v1.14/getting-started/getting-started-with-karpenter/", (env, report) => {
    // Karpenter's chart (1.14.1 values.yaml) keeps the controller off Karpenter's nodes (node affinity
    // karpenter.sh/nodepool DoesNotExist), runs 2 replicas on different hosts (required pod anti-affinity) and
    // tolerates only CriticalAddonsOnly: node groups must host it, or no node pool ever gets a node.
    const compute = env.cluster.compute;
    if (compute.mode !== "managed") return;
    if (Object.keys(env.nodePools).length > 0 && !compute.karpenter.enabled) {
      report(
        ["cluster", "compute", "karpenter", "enabled"],
        "is false, but nodePools is not empty: node pools on node groups run on Karpenter (set cluster.compute.karpenter.enabled: true; to remove Karpenter, remove the pools and deploy first)",
      );
      return;
    }
    if (!compute.karpenter.enabled) return;
    const blocking = (t: { key: string; effect: string }) => t.effect !== "PREFER_NO_SCHEDULE" && t.key !== "CriticalAddonsOnly";
    const hosts = Object.entries(compute.nodeGroups).filter(([, g]) => !g.taints.some(blocking));
    if (hosts.length === 0) {
      report(
        ["cluster", "compute", "nodeGroups"],
        "no node group can run the Karpenter controller: each has a NO_SCHEDULE/NO_EXECUTE taint the chart does not tolerate (it tolerates CriticalAddonsOnly only) and Karpenter never runs on its own nodes (add an untainted system node group)",
      );
    } else if (hosts.reduce((n, [, g]) => n + g.minSize, 0) < 2) {
      report(
        ["cluster", "compute", "nodeGroups", hosts[0][0], "minSize"],
        `the node groups that can run the Karpenter controller (${hosts.map(([n]) => n).join(", ")}) have ${hosts.reduce((n, [, g]) => n + g.minSize, 0)} node(s) at minimum, but its 2 replicas need 2 nodes (required pod anti-affinity on the hostname; set minSize to 2 or more)`,
      );
    }
  }),

  rule("untainted-capacity", ["cluster.compute", "nodePools"], "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/", (env, report) => {
    // Charts, CoreDNS (node groups) and the platform's own pods tolerate no custom taint: some
    // capacity must take pods that tolerate nothing. Auto Mode's system pool is tainted CriticalAddonsOnly.
    // https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
    const compute = env.cluster.compute;
    const blocking = (t: { effect: string }) => !/^PREFER_?NO_?SCHEDULE$/i.test(t.effect);
    if (compute.mode === "auto") {
      if (compute.builtInNodePools.includes("general-purpose")) return;
      const pools = Object.entries(env.nodePools);
      if (pools.length > 0 && pools.every(([, p]) => p.taints.some(blocking))) {
        report(
          ["nodePools"],
          `every node pool has a NoSchedule/NoExecute taint and the "general-purpose" built-in pool is off: Helm releases and platform pods could schedule nowhere (add "general-purpose" to builtInNodePools or a pool without such taints)`,
        );
      }
    } else {
      const groups = Object.entries(compute.nodeGroups);
      if (groups.length > 0 && groups.every(([, g]) => g.taints.some(blocking))) {
        report(["cluster", "compute", "nodeGroups"], "every node group has a NO_SCHEDULE/NO_EXECUTE taint: CoreDNS, the controllers and Helm releases could schedule nowhere (add a node group without such taints)");
      }
    }
  }),

  rule("no-core-addons-in-auto-mode", ["cluster.compute", "cluster.addons"], "https://docs.aws.amazon.com/eks/latest/userguide/automode.html", (env, report) => {
    if (env.cluster.compute.mode !== "auto") return;
    for (const name of Object.keys(env.cluster.addons)) {
      if ((CORE_ADDONS as readonly string[]).includes(name)) {
        report(["cluster", "addons", name], `${show(name)} is built into EKS Auto Mode and must not be installed as an add-on (remove it)`);
      }
    }
  }),

  rule("node-group-sizes", ["cluster.compute", "cluster.subnetIds"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html", (env, report) => {
    const compute = env.cluster.compute;
    if (compute.mode !== "managed") return;
    for (const [name, g] of Object.entries(compute.nodeGroups)) {
      const at = (...p: PropertyKey[]) => ["cluster", "compute", "nodeGroups", name, ...p];
      if (g.minSize > g.maxSize) report(at("minSize"), `${g.minSize} is larger than maxSize ${g.maxSize} (need minSize <= desiredSize <= maxSize)`);
      else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
        report(at("desiredSize"), `${g.desiredSize} is outside minSize..maxSize (${g.minSize}..${g.maxSize}) (need minSize <= desiredSize <= maxSize)`);
      } else if (g.desiredSize === 0) {
        // Terraform owns the size (nothing in this platform scales node groups): 0 stays 0 forever.
        report(at("desiredSize"), "is 0 and nothing scales node groups (Terraform owns their size): the group would never get a node (set desiredSize to the nodes you want, or remove the group)");
      }
      (g.subnetIds ?? []).forEach((s, i) => {
        if (!env.cluster.subnetIds.includes(s)) report(at("subnetIds", i), `${show(s)} is not one of cluster.subnetIds (node groups use the cluster's subnets)`);
      });
      const arm = g.amiType.includes("ARM");
      g.instanceTypes.forEach((t, i) => {
        // Graviton families carry a "g" after the generation digit (m7g, c6gn, r8g); a1 is Graviton 1.
        const graviton = /^[a-z]+\d+g/.test(t) || t.startsWith("a1.");
        if (arm !== graviton) {
          report(at("instanceTypes", i), `${show(t)} is ${graviton ? "an arm64" : "an x86_64"} type but amiType is ${g.amiType} (use matching instance types or amiType)`);
        }
      });
    }
  }),

  rule("access-entries", ["access", "account"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html", (env, report) => {
    const byPrincipal = new Map<string, string>();
    for (const [name, entry] of Object.entries(env.access)) {
      const at = (...p: PropertyKey[]) => ["access", name, ...p];
      const first = byPrincipal.get(entry.principalArn);
      if (first) report(at("principalArn"), `${show(entry.principalArn)} already has access entry ${show(first)} (EKS allows one entry per principal; merge them)`);
      else byPrincipal.set(entry.principalArn, name);
      const isNode = (NODE_ACCESS_ENTRY_TYPES as readonly string[]).includes(entry.type);
      if (isNode && entry.kubernetesGroups.length > 0) {
        report(at("kubernetesGroups"), `must be empty for type ${entry.type} (EKS sets node groups itself; remove kubernetesGroups)`);
      }
      if (isNode && entry.userName !== undefined) {
        report(at("userName"), `must not be set for type ${entry.type} (EKS names nodes itself; remove userName)`);
      }
      // Node entries are for roles the cluster's own nodes use: a node role of another account cannot launch nodes here.
      const principalAccount = entry.principalArn.split(":")[4];
      if (isNode && principalAccount !== env.account.id) {
        report(at("principalArn"), `${show(entry.principalArn)} is in account ${principalAccount}, but ${entry.type} entries are for node roles of the cluster's account ${env.account.id} (use a STANDARD entry for cross-account access)`);
      }
      if (isNode && !/:role\//.test(entry.principalArn)) {
        report(at("principalArn"), `${show(entry.principalArn)} is an IAM user, but ${entry.type} entries take a node role (use a role ARN, or type STANDARD)`);
      }
      if (entry.type === "STANDARD" && entry.policies.length === 0 && entry.kubernetesGroups.length === 0) {
        report(at("policies"), "is empty and kubernetesGroups is empty: the entry grants nothing (add a policy such as { policy: \"AmazonEKSViewPolicy\" })");
      }
      for (const dup of duplicates(entry.policies.map((p) => p.policy))) {
        report(at("policies"), `${show(dup)} is associated twice (merge the namespaces into one entry)`);
      }
      entry.kubernetesGroups.forEach((g, i) => {
        if (g.startsWith("system:")) report(at("kubernetesGroups", i), `${show(g)} starts with "system:", which EKS reserves (bind your RBAC roles to a group of your own)`);
      });
      for (const dup of duplicates(entry.kubernetesGroups)) report(at("kubernetesGroups", entry.kubernetesGroups.lastIndexOf(dup)), `${show(dup)} is listed twice (remove the duplicate)`);
      // "The user name can't start with system:, eks:, aws:, amazon:, or iam:."
      // https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html (username)
      const reserved = entry.userName === undefined ? undefined : RESERVED_USERNAME_PREFIXES.find((p) => entry.userName!.toLowerCase().startsWith(p));
      if (reserved) report(at("userName"), `${show(entry.userName)} starts with ${show(reserved)}, which EKS reserves (use a name of your own, or leave userName out)`);
      // "the username must include a colon before {{SessionName}}" https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html
      const session = entry.userName?.search(/\{\{SessionName(Raw)?\}\}/) ?? -1;
      if (session >= 0 && !entry.userName!.slice(0, session).includes(":")) {
        report(at("userName"), `${show(entry.userName)} has {{SessionName}} without a ":" before it, which EKS requires (for example "ops:{{SessionName}}")`);
      }
      // "Access entries do not support service linked roles" https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
      if (entry.principalArn.includes(":role/aws-service-role/")) {
        report(at("principalArn"), `${show(entry.principalArn)} is a service-linked role, which access entries do not support (use a role of your own)`);
      }
      // Access policies attach to STANDARD entries; node entries get theirs from EKS, except the
      // Auto Mode node policy on EC2 entries. https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
      entry.policies.forEach((p, i) => {
        const allowed = entry.type === "STANDARD" ? p.policy !== "AmazonEKSAutoNodePolicy" : entry.type === "EC2" && p.policy === "AmazonEKSAutoNodePolicy";
        if (!allowed) {
          report(
            at("policies", i),
            p.policy === "AmazonEKSAutoNodePolicy" && entry.type === "STANDARD"
              ? `"AmazonEKSAutoNodePolicy" is for EC2 entries of Auto Mode node roles (use type "EC2", or another policy)`
              : `${show(p.policy)} cannot be associated with a ${entry.type} entry (access policies go on STANDARD entries; EC2 entries take only AmazonEKSAutoNodePolicy)`,
          );
        }
      });
    }
  }),

  rule("deploy-role-access", ["account", "access"], "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html", (env, report) => {
    // The deploy role always gets cluster admin (the Kubernetes stack deploys with it) and the plan
    // role a read-only entry; a second entry for the same principal would conflict (409).
    for (const [name, entry] of Object.entries(env.access)) {
      if (entry.principalArn === env.account.deployRoleArn) {
        report(["access", name, "principalArn"], `${show(entry.principalArn)} is the deploy role, which always gets cluster admin access (remove this entry)`);
      }
      if (entry.principalArn === env.account.planRoleArn) {
        report(["access", name, "principalArn"], `${show(entry.principalArn)} is the plan role, which always gets read-only access (remove this entry)`);
      }
    }
  }),

  rule("ebs-limits", ["volumes"], "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html", (env, report) => {
    for (const [name, v] of Object.entries(env.volumes)) {
      const at = (...p: PropertyKey[]) => ["volumes", name, ...p];
      const lim = EBS_LIMITS[v.type];
      const [lo, hi] = lim.sizeGiB;
      if (v.sizeGiB < lo || v.sizeGiB > hi) report(at("sizeGiB"), `${v.sizeGiB} is outside the ${v.type} size range ${lo}-${hi} GiB (use a size in that range, or another volume type)`);
      if (v.iops !== undefined) {
        if (!lim.iops) report(at("iops"), `${v.type} volumes take no iops setting (remove iops or use gp3/io1/io2)`);
        else {
          const [ilo, ihi] = lim.iops.range;
          // The per-GiB ratio caps provisioned IOPS, but never below the minimum (gp3's 3000 baseline fits any size).
          const max = Math.max(ilo, Math.min(ihi, v.sizeGiB * lim.iops.perGiB));
          if (v.iops < ilo || v.iops > max) {
            report(at("iops"), `${v.iops} is outside ${ilo}-${max} for a ${v.sizeGiB} GiB ${v.type} volume (${v.type} allows ${lim.iops.perGiB} IOPS per GiB, at most ${ihi})`);
          }
        }
      } else if (v.type === "io1" || v.type === "io2") {
        report(at("iops"), `is required for ${v.type} volumes (set provisioned IOPS, for example 3000)`);
      }
      if (v.throughputMiBs !== undefined) {
        if (!lim.throughputMiBs) report(at("throughputMiBs"), `${v.type} volumes take no throughput setting (remove it or use gp3)`);
        else {
          const [tlo, thi] = lim.throughputMiBs;
          // gp3: at most 0.25 MiB/s per provisioned IOPS.
          const max = Math.min(thi, Math.floor((v.iops ?? 3000) / 4));
          if (v.throughputMiBs < tlo || v.throughputMiBs > max) report(at("throughputMiBs"), `${v.throughputMiBs} is outside ${tlo}-${max} MiB/s for this gp3 volume (0.25 MiB/s per IOPS, at most ${thi})`);
        }
      }
    }
    const claims = Object.entries(env.volumes).map(([n, v]) => [n, `${v.claim.namespace}/${v.claim.name}`] as const);
    for (const dup of duplicates(claims.map(([, c]) => c))) {
      const names = claims.filter(([, c]) => c === dup).map(([n]) => n);
      report(["volumes", names[names.length - 1], "claim"], `${show(dup)} is also the claim of volume ${show(names[0])} (each volume needs its own claim)`);
    }
  }),

  rule("target-group-names", ["cluster.name", "targetGroups"], "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html", (env, report) => {
    // Target group names allow only letters, digits and "-"; the key cannot have "_", the cluster name can.
    if (Object.keys(env.targetGroups).length > 0 && env.cluster.name.includes("_")) {
      report(
        ["cluster", "name"],
        `${show(env.cluster.name)} has "_", but it names the target groups (<name>-<key>), which allow only letters, digits and "-" (use a name such as ${show(env.cluster.name.replace(/_/g, "-"))})`,
      );
    }
  }),

  rule("target-group-protocols", ["targetGroups"], "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html", (env, report) => {
    for (const [name, tg] of Object.entries(env.targetGroups)) {
      const http = tg.protocol === "HTTP" || tg.protocol === "HTTPS";
      if (!http && tg.healthCheck.path !== "/") {
        report(["targetGroups", name, "healthCheck", "path"], `is set but ${tg.protocol} target groups check health over TCP (remove the path or use HTTP/HTTPS)`);
      }
    }
  }),

  rule("helm-namespaces", ["helm"], "https://helm.sh/docs/chart_best_practices/conventions/", (env, report) => {
    for (const [name, release] of Object.entries(env.helm)) {
      if (name.length > 53) report(["helm", name], `release name ${show(name)} is longer than Helm's 53 characters (shorten the key)`);
      if (release.namespace === "kube-system" && release.createNamespace) {
        report(["helm", name, "createNamespace"], "is true for kube-system, which always exists (set createNamespace: false)");
      }
    }
  }),

  rule("unique-waivers", ["policyWaivers"], "https://www.checkov.io/2.Basics/Suppressing%20and%20Skipping%20Policies.html", (env, report) => {
    const keys = env.policyWaivers.map((w) => `${w.check} ${w.resource}`);
    for (const dup of duplicates(keys)) report(["policyWaivers", keys.lastIndexOf(dup)], `waives ${show(dup)} twice (remove the duplicate)`);
  }),
];

/** The reserved label domain `key` is in, if any (`kubernetes.io`, `k8s.io`, ...; node.kubernetes.io and kubelet.kubernetes.io are allowed). */
function reservedDomain(key: string): string | undefined {
  const slash = key.indexOf("/");
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash);
  if (ALLOWED_LABEL_SUBDOMAINS.some((d) => prefix === d || prefix.endsWith(`.${d}`))) return undefined;
  return RESERVED_LABEL_DOMAINS.find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** GitHub-hosted runner labels. https://docs.github.com/en/actions/using-github-hosted-runners/about-github-hosted-runners */
const GITHUB_HOSTED_RUNNER = /^(ubuntu|windows|macos)-/;
/** https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html (username) */
const RESERVED_USERNAME_PREFIXES = ["system:", "eks:", "aws:", "amazon:", "iam:"];

/**
 * NodePool and node class rules of the pool's mode (the flavor row): names, lifetime, tags, values only one mode
 * accepts, budgets (the CRDs' CEL rules and cron syntax), and pools that could never launch a node.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/pkg/apis/crds/karpenter.sh_nodepools.yaml
 */
function checkNodePool(name: string, pool: NodePoolConfig, flavor: NodePoolFlavor, subnetZones: readonly string[] | undefined, report: Report): void {
  const mode = flavor.provisioner;
  // The pool's node class takes the pool's name; Auto Mode's built-in NodeClass is "default".
  if (flavor.reservedNodeClassNames.includes(name)) report([], `${show(name)} is the name of the built-in NodeClass (rename the pool)`);
  const lifetime = durationSeconds(pool.expireAfter) + durationSeconds(pool.terminationGracePeriod);
  if (flavor.maxNodeLifetimeSeconds !== undefined && lifetime > flavor.maxNodeLifetimeSeconds) {
    report(
      ["expireAfter"],
      `${show(pool.expireAfter)} + terminationGracePeriod ${show(pool.terminationGracePeriod)} exceeds Auto Mode's 21-day node lifetime (keep the sum at most 504h, for example expireAfter "336h" and terminationGracePeriod "24h")`,
    );
  }
  for (const [key, value] of Object.entries(pool.nodeClass.tags)) {
    const reserved = flavor.reservedTagPrefixes.find((p) => key.toLowerCase().startsWith(p));
    if (reserved) report(["nodeClass", "tags", key], `uses the reserved prefix ${show(reserved)} (${flavor.enforcer} rejects it; rename the tag)`);
    else if (flavor.reservedTagKeys.includes(key)) report(["nodeClass", "tags", key], `is a tag ${mode} sets itself (${flavor.enforcer} rejects it; rename the tag)`);
    if (key === "") report(["nodeClass", "tags"], "has an empty tag key (EC2 tags need a key)");
    // EC2NodeClass CEL: "empty tag keys or values aren't supported" (v1.14.1).
    else if (value === "" && flavor.enforcer === "Karpenter") report(["nodeClass", "tags", key], "is empty; Karpenter refuses empty tag values (give a value)");
    if (key.length > 128) report(["nodeClass", "tags", key], `key is ${key.length} characters; EC2 takes at most 128 (shorten it)`);
    if (value.length > 256) report(["nodeClass", "tags", key], `value is ${value.length} characters; EC2 takes at most 256 (shorten it)`);
  }
  if (Object.keys(pool.nodeClass.tags).length > 40) {
    report(["nodeClass", "tags"], `has ${Object.keys(pool.nodeClass.tags).length} tags; EC2 allows 50 per instance and ${mode} adds its own (use at most 40)`);
  }
  for (const dup of duplicates(pool.capacityTypes)) report(["capacityTypes"], `${show(dup)} is listed twice (remove the duplicate)`);

  // Values one mode's CRD accepts and the other's does not.
  if (!flavor.consolidationPolicies.includes(pool.consolidationPolicy)) {
    report(["consolidationPolicy"], `${show(pool.consolidationPolicy)} is not a consolidation policy ${mode} knows (use ${flavor.consolidationPolicies.map((p) => show(p)).join(" or ")})`);
  }
  if (!flavor.nodeClassNetworkSettings) {
    // On node groups the VPC CNI add-on enforces network policy and does SNAT. https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
    if (pool.nodeClass.networkPolicy !== "DefaultAllow") {
      report(["nodeClass", "networkPolicy"], `${show(pool.nodeClass.networkPolicy)} is an Auto Mode NodeClass setting; ${mode} nodes follow the VPC CNI add-on (set enableNetworkPolicy in cluster.addons.vpc-cni.configuration and leave networkPolicy out)`);
    }
    if (pool.nodeClass.snatPolicy !== "Random") {
      report(["nodeClass", "snatPolicy"], `${show(pool.nodeClass.snatPolicy)} is an Auto Mode NodeClass setting; ${mode} nodes follow the VPC CNI add-on (set AWS_VPC_K8S_CNI_EXTERNALSNAT in cluster.addons.vpc-cni.configuration and leave snatPolicy out)`);
    }
  }

  pool.budgets.forEach((b, i) => {
    // NodePool CRD CEL: "'schedule' must be set with 'duration'".
    if (b.schedule !== undefined && b.duration === undefined) report(["budgets", i, "duration"], "is required with schedule (how long the budget applies after each schedule hit, for example \"8h\")");
    if (b.duration !== undefined && b.schedule === undefined) report(["budgets", i, "schedule"], "is required with duration (when the budget starts, for example \"0 9 * * mon-fri\")");
    if (b.schedule !== undefined) {
      const problem = cronProblem(b.schedule);
      if (problem) report(["budgets", i, "schedule"], `${show(b.schedule)} ${problem} (cron in UTC: minute hour day-of-month month day-of-week, for example "0 9 * * mon-fri", or ${CRON_MACROS.join(", ")})`);
    }
    (b.reasons ?? []).forEach((r, j) => {
      if (!flavor.budgetReasons.includes(r)) report(["budgets", i, "reasons", j], `${show(r)} is not a disruption reason ${mode} knows (use ${flavor.budgetReasons.map((x) => show(x)).join(", ")})`);
    });
    for (const dup of duplicates(b.reasons ?? [])) report(["budgets", i, "reasons"], `${show(dup)} is listed twice (remove the duplicate)`);
  });

  // Pools that could never launch a node.
  for (const [field, quantity] of [["cpu", pool.limits.cpu], ["memory", pool.limits.memory]] as const) {
    if (Number.parseFloat(quantity) === 0) report(["limits", field], `${show(quantity)} lets the pool launch no node at all (raise the limit, or remove the pool)`);
  }
  if (subnetZones && subnetZones.length > 0) {
    (pool.zones ?? []).forEach((z, i) => {
      // A zone of another region is zones-in-region's problem.
      if (zoneInRegion(z, subnetZones[0].slice(0, -1)) && !subnetZones.includes(z)) report(["zones", i], `${show(z)} is not one of the cluster's subnet zones (${subnetZones.join(", ")}); the pool could never launch a node there (use one of them, or add a subnet in that zone)`);
    });
  }
}

/** Cron fields: name, range, and the names the field accepts (robfig/cron, which Karpenter uses). */
const CRON_FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { name: "day-of-week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/**
 * Why `schedule` is not a standard 5-field cron expression or macro, or undefined when it is. Karpenter parses
 * budget schedules with robfig/cron's standard parser: `*`, `?`, lists, ranges and steps, month and weekday names.
 * @see https://pkg.go.dev/github.com/robfig/cron/v3#hdr-CRON_Expression_Format
 */
export function cronProblem(schedule: string): string | undefined {
  if (schedule.startsWith("@")) return (CRON_MACROS as readonly string[]).includes(schedule) ? undefined : "is not a cron macro";
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} field(s), not 5`;
  for (const [k, field] of fields.entries()) {
    const spec = CRON_FIELDS[k];
    const value = (v: string) => {
      const named = spec.names?.indexOf(v.toLowerCase()) ?? -1;
      if (named >= 0) return named + spec.min;
      return /^\d+$/.test(v) ? Number(v) : NaN;
    };
    for (const item of field.split(",")) {
      const m = /^(\*|\?|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/.exec(item);
      if (!m || (m[1] === "?" && k !== 2 && k !== 4)) return `has ${spec.name} ${show(item)}, which is not cron syntax`;
      if (m[4] !== undefined && Number(m[4]) === 0) return `has ${spec.name} step 0`;
      if (m[2] === undefined) continue;
      const from = value(m[2]);
      const to = m[3] === undefined ? from : value(m[3]);
      if (Number.isNaN(from) || Number.isNaN(to) || from < spec.min || to > spec.max || from > to) {
        return `has ${spec.name} ${show(item)} outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})` : ""}`;
      }
    }
  }
  return undefined;
}
