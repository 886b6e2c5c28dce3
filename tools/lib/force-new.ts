/**
 * Arguments whose change makes Terraform destroy and re-create the resource ("forces
 * replacement"), per resource type, for hashicorp/aws 6.x (the version wrapped by
 * @cdktf/provider-aws 21.22.x is 6.25.0).
 *
 * Source of truth is the provider schema: `ForceNew: true` and the `CustomizeDiff`
 * functions calling `ForceNew`/`ForceNewIfChange`, read from
 * hashicorp/terraform-provider-aws `internal/service/<service>/<resource>.go`. The registry
 * page is linked for readers. Only types this product creates are listed; a type missing
 * here is still diffed, its replacements are just not predicted (a real plan shows them:
 * see tools/plan-summary.ts).
 */
import { deepEqual, isObject, type Value, valuesAt } from "./json";

export interface ForceNewRule {
  /** Schema path, nested blocks joined with dots (`kubernetes_network_config.ip_family`). */
  readonly path: string;
  /** Value Terraform assumes when the argument is absent (schema `Default`). */
  readonly default?: Value;
  /**
   * Optional + Computed: absent means "keep what the API reports", so removing the argument
   * never replaces, and setting it replaces only if it differs from the live value (which a
   * synth diff cannot see): reported as a *possible* replacement.
   */
  readonly computed?: boolean;
  /** Replacement only under a condition (provider `CustomizeDiff`); old/new are whole bodies. */
  readonly when?: (before: Value, after: Value) => boolean;
  /** Why, when it is not obvious from the path. */
  readonly note?: string;
  /**
   * The argument is the object's name, derived from a config key: two resources that differ only
   * here are the same object renamed (a `moved` block alone still replaces it; see renames).
   */
  readonly identity?: boolean;
}

export interface ForceNewEntry {
  /** Registry page of the resource. */
  readonly doc: string;
  /** Provider source file the rules were read from. */
  readonly source: string;
  readonly rules: readonly ForceNewRule[];
}

const REGISTRY = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources";
const SOURCE = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";

const entry = (resource: string, source: string, rules: ForceNewRule[]): ForceNewEntry => ({
  doc: `${REGISTRY}/${resource}`,
  source: `${SOURCE}/${source}`,
  rules,
});

// hashicorp/kubernetes 2.38.0 (@cdktf/provider-kubernetes 12.1.1): `ForceNew: true` in the SDKv2
// schema literals of kubernetes/resource_kubernetes_<type>.go at tag v2.38.0 (be88f44). Optional +
// Computed ones (metadata.name, spec.cluster_ip...) are `computed` here, as for AWS.
const K8S_REGISTRY = "https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources";
const K8S_SOURCE = "https://github.com/hashicorp/terraform-provider-kubernetes/blob/v2.38.0";
const k8sEntry = (resource: string, source: string, rules: ForceNewRule[]): ForceNewEntry => ({
  doc: `${K8S_REGISTRY}/${resource}`,
  source: `${K8S_SOURCE}/${source}`,
  rules,
});
const k8sName: ForceNewRule[] = [
  { path: "metadata.name", computed: true, identity: true },
  { path: "metadata.generate_name" },
];

const present = (v: Value): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
const str = (v: Value): string => (typeof v === "string" ? v : "");

/**
 * cluster.go `validateAutoModeComputeConfigCustomizeDiff`: replacing an existing Auto Mode node
 * role forces a new cluster; clearing it while disabling Auto Mode or emptying `node_pools` does not.
 */
function autoModeNodeRoleReplaced(before: Value, after: Value): boolean {
  const oldRole = str(valuesAt(before, "compute_config.node_role_arn"));
  const newRole = str(valuesAt(after, "compute_config.node_role_arn"));
  if (valuesAt(before, "compute_config") === undefined || valuesAt(after, "compute_config") === undefined) return false;
  if (newRole === "" && valuesAt(after, "compute_config.enabled") !== true) return false;
  if (newRole === "" && !present(valuesAt(after, "compute_config.node_pools"))) return false;
  return oldRole !== "" && oldRole !== newRole;
}

const TARGET_GROUP = entry("lb_target_group", "elbv2/target_group.go", [
  { path: "name", computed: true, identity: true },
  { path: "name_prefix", computed: true },
  { path: "port" },
  { path: "protocol" },
  { path: "protocol_version", computed: true },
  { path: "target_type", default: "instance" },
  { path: "vpc_id" },
  { path: "ip_address_type", computed: true },
]);

/**
 * Arguments the providers declare as sets (schema.TypeSet): their order means nothing to Terraform,
 * so a reordered list is no change (the review compares them sorted). From the provider sources:
 * aws 6.25.0 eks/cluster.go (vpc_config subnet_ids, security_group_ids, public_access_cidrs;
 * enabled_cluster_log_types; compute_config node_pools; encryption_config resources),
 * eks/node_group.go (subnet_ids), eks/access_entry.go (kubernetes_groups).
 */
export const SET_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_eks_cluster: ["vpc_config.subnet_ids", "vpc_config.security_group_ids", "vpc_config.public_access_cidrs", "enabled_cluster_log_types", "compute_config.node_pools", "encryption_config.resources"],
  aws_eks_node_group: ["subnet_ids"],
  aws_eks_access_entry: ["kubernetes_groups"],
};

export const FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
  // vpc_config.subnet_ids and security_group_ids were ForceNew in provider 4.x; since 5.x they are
  // updated in place (UpdateClusterConfig), so they are deliberately absent here.
  aws_eks_cluster: entry("eks_cluster", "eks/cluster.go", [
    { path: "name" },
    { path: "role_arn" },
    {
      path: "bootstrap_self_managed_addons",
      default: true,
      note: "cannot change after creation (aws provider #39137)",
    },
    // The API never returns this value; the provider keeps the configured one, true when unset.
    { path: "access_config.bootstrap_cluster_creator_admin_permissions", default: true },
    { path: "kubernetes_network_config.ip_family", computed: true },
    { path: "kubernetes_network_config.service_ipv4_cidr", computed: true },
    {
      path: "encryption_config",
      when: (b, a) => present(valuesAt(b, "encryption_config")) && !present(valuesAt(a, "encryption_config")),
      note: "envelope encryption cannot be disabled once enabled (removing the block replaces)",
    },
    {
      path: "compute_config.node_role_arn",
      when: autoModeNodeRoleReplaced,
      note: "the Auto Mode node role cannot change once compute is enabled",
    },
    { path: "outpost_config.control_plane_instance_type" },
    { path: "outpost_config.control_plane_placement.group_name" },
  ]),
  aws_eks_node_group: entry("eks_node_group", "eks/node_group.go", [
    { path: "cluster_name" },
    { path: "node_group_name", computed: true, identity: true },
    { path: "node_group_name_prefix", computed: true },
    { path: "node_role_arn" },
    { path: "subnet_ids" },
    { path: "ami_type", computed: true },
    { path: "capacity_type", computed: true },
    { path: "disk_size", computed: true },
    { path: "instance_types", computed: true },
    { path: "launch_template.id", computed: true, note: "switching templates replaces; a new version does not" },
    { path: "launch_template.name", computed: true, note: "switching templates replaces; a new version does not" },
    { path: "remote_access" },
  ]),
  // Every other argument creates a new template version in place.
  aws_launch_template: entry("launch_template", "ec2/ec2_launch_template.go", [
    { path: "name", computed: true, identity: true },
    { path: "name_prefix", computed: true },
  ]),
  // type, size, iops and throughput are modified in place (ModifyVolume).
  aws_ebs_volume: entry("ebs_volume", "ec2/ebs_volume.go", [
    { path: "availability_zone" },
    { path: "encrypted", computed: true },
    { path: "kms_key_id", computed: true },
    { path: "snapshot_id", computed: true },
    { path: "multi_attach_enabled" },
    { path: "outpost_arn" },
  ]),
  aws_lb_target_group: TARGET_GROUP,
  // The same resource under its legacy name.
  aws_alb_target_group: TARGET_GROUP,
  aws_iam_role: entry("iam_role", "iam/role.go", [
    { path: "name", computed: true, identity: true },
    { path: "name_prefix", computed: true },
    { path: "path", default: "/" },
  ]),
  aws_kms_key: entry("kms_key", "kms/key.go", [
    { path: "customer_master_key_spec", default: "SYMMETRIC_DEFAULT" },
    { path: "key_usage", default: "ENCRYPT_DECRYPT" },
    { path: "multi_region", computed: true },
    { path: "custom_key_store_id" },
    { path: "xks_key_id" },
  ]),
  aws_eks_access_entry: entry("eks_access_entry", "eks/access_entry.go", [
    { path: "cluster_name" },
    { path: "principal_arn" },
    { path: "type", default: "STANDARD" },
  ]),
  // The resource has no update function: every argument forces a new association.
  aws_eks_access_policy_association: entry("eks_access_policy_association", "eks/access_policy_association.go", [
    { path: "cluster_name" },
    { path: "principal_arn" },
    { path: "policy_arn" },
    { path: "access_scope" },
  ]),
  aws_eks_addon: entry("eks_addon", "eks/addon.go", [{ path: "cluster_name" }, { path: "addon_name" }]),
  aws_cloudwatch_log_group: entry("cloudwatch_log_group", "logs/group.go", [
    { path: "name", computed: true },
    { path: "name_prefix", computed: true },
    { path: "log_group_class", computed: true },
  ]),
  aws_kms_alias: entry("kms_alias", "kms/alias.go", [
    { path: "name", computed: true },
    { path: "name_prefix", computed: true },
  ]),
  aws_iam_role_policy: entry("iam_role_policy", "iam/role_policy.go", [
    { path: "name", computed: true },
    { path: "name_prefix", computed: true },
    { path: "role" },
  ]),
  // No update function: both arguments force a new attachment.
  aws_iam_role_policy_attachment: entry("iam_role_policy_attachment", "iam/role_policy_attachment.go", [{ path: "role" }, { path: "policy_arn" }]),
  aws_eks_pod_identity_association: entry("eks_pod_identity_association", "eks/pod_identity_association.go", [
    { path: "cluster_name" },
    { path: "namespace" },
    { path: "service_account" },
  ]),
  // No update function: a changed tag or group is a new tag resource.
  aws_autoscaling_group_tag: entry("autoscaling_group_tag", "autoscaling/group_tag.go", [{ path: "autoscaling_group_name" }, { path: "tag" }]),

  kubernetes_storage_class_v1: k8sEntry("storage_class_v1", "kubernetes/resource_kubernetes_storage_class_v1.go", [
    ...k8sName,
    { path: "storage_provisioner" },
    { path: "parameters" },
    { path: "volume_binding_mode", default: "Immediate" },
    { path: "mount_options" },
    { path: "allowed_topologies" },
  ]),
  // spec.persistent_volume_source is not ForceNew in the schema, but the resource's CustomizeDiff
  // forces a new PV for any change under it on an existing object ("Any change to Persistent Volume
  // Source requires a new resource"), since Kubernetes refuses to update it.
  kubernetes_persistent_volume_v1: k8sEntry("persistent_volume_v1", "kubernetes/resource_kubernetes_persistent_volume_v1.go", [
    ...k8sName.slice(0, 1),
    {
      path: "spec.persistent_volume_source",
      // https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection
      note: "the provider replaces the PV (CustomizeDiff); Kubernetes keeps a PV bound to a claim until the claim is gone (pv-protection), so stop the workload and replace its claim in the same apply, or the delete fails after its 20-minute timeout (finding volume-claim-bound)",
    },
    { path: "spec.volume_mode", default: "Filesystem" },
    { path: "spec.node_affinity.required.node_selector_term.match_expressions" },
    { path: "spec.node_affinity.required.node_selector_term.match_fields" },
  ]),
  kubernetes_persistent_volume_claim_v1: k8sEntry("persistent_volume_claim_v1", "kubernetes/resource_kubernetes_persistent_volume_claim_v1.go", [
    ...k8sName,
    { path: "metadata.namespace" },
    { path: "spec.access_modes" },
    { path: "spec.resources.limits" },
    { path: "spec.selector" },
    { path: "spec.storage_class_name", computed: true },
    { path: "spec.volume_mode", computed: true },
    { path: "spec.volume_name", computed: true },
  ]),
  kubernetes_service_v1: k8sEntry("service_v1", "kubernetes/resource_kubernetes_service_v1.go", [
    ...k8sName,
    { path: "metadata.namespace" },
    { path: "spec.cluster_ip", computed: true, note: "a Service's clusterIP cannot change" },
    { path: "spec.cluster_ips", computed: true },
    { path: "spec.health_check_node_port", computed: true },
    { path: "spec.load_balancer_class" },
  ]),
  kubernetes_namespace_v1: k8sEntry("namespace_v1", "kubernetes/resource_kubernetes_namespace_v1.go", k8sName),
  kubernetes_ingress_class_v1: k8sEntry("ingress_class_v1", "kubernetes/resource_kubernetes_ingress_class_v1.go", k8sName),
  // The manifest resource is not SDKv2: PlanResourceChange sets RequiresReplace on exactly these
  // three paths (manifest/provider/plan.go at v2.38.0).
  kubernetes_manifest: k8sEntry("manifest", "manifest/provider/plan.go", [
    { path: "manifest.apiVersion", note: "an object cannot change its API version or group in place" },
    { path: "manifest.kind" },
    { path: "manifest.metadata.name", identity: true },
  ]),
  // hashicorp/helm: `name` is ForceNew (helm/resource_release.go, 2.x "Release name."; 3.x keeps
  // RequiresReplace). `namespace` is assumed from the same schema, not re-read for 3.1.1.
  helm_release: {
    doc: "https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs/resources/release",
    source: "https://github.com/hashicorp/terraform-provider-helm/blob/v3.1.1/helm/resource_helm_release.go",
    rules: [{ path: "name", identity: true }, { path: "namespace", default: "default" }],
  },
};

/**
 * Fields the Kubernetes API server refuses to change on an existing object that the Terraform
 * provider plans as an update (neither ForceNew nor forced by a CustomizeDiff): the change cannot
 * happen in place; the object must be replaced (`terraform apply -replace=ADDRESS`).
 * From kubernetes/kubernetes pkg/apis/storage/validation (ValidateStorageClassUpdate: parameters,
 * provisioner, reclaimPolicy, volumeBindingMode; the provider makes all but reclaimPolicy ForceNew).
 * A PersistentVolume's source is immutable too, but the provider replaces the PV itself (above).
 */
export const K8S_IMMUTABLE: Readonly<Record<string, { readonly paths: readonly string[]; readonly source: string; readonly consequence: string }>> = {
  kubernetes_storage_class_v1: {
    paths: ["reclaim_policy"],
    source: "https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/storage/validation/validation.go",
    // resourceKubernetesStorageClassV1Update (v2.38.0) patches only metadata and allowVolumeExpansion.
    consequence: "the provider's update sends only metadata and allowVolumeExpansion, and the API server refuses a new reclaimPolicy: the change never takes effect and every plan shows it again",
  },
};

export interface ReplaceCause {
  readonly path: string;
  readonly doc?: string;
  readonly note?: string;
  /** Only if the new value differs from the live one (Optional+Computed argument newly set). */
  readonly possible?: boolean;
}

/**
 * The arguments of `type` whose change between two resource bodies (cdktf JSON, `"//"`
 * removed) would force a replacement.
 */
export function predictReplacement(type: string, before: Value, after: Value): ReplaceCause[] {
  const table = FORCE_NEW[type];
  if (!table || !isObject(before) || !isObject(after)) return [];
  const causes: ReplaceCause[] = [];
  for (const rule of table.rules) {
    const cause = { path: rule.path, doc: table.doc, ...(rule.note ? { note: rule.note } : {}) };
    if (rule.when) {
      if (rule.when(before, after)) causes.push(cause);
      continue;
    }
    const old = valuesAt(before, rule.path) ?? rule.default;
    const now = valuesAt(after, rule.path) ?? rule.default;
    if (deepEqual(old, now)) continue;
    if (rule.computed && now === undefined) continue; // keeps the live value
    causes.push(rule.computed && old === undefined ? { ...cause, possible: true } : cause);
  }
  return causes;
}

/** Registry link for a replace path reported by a real plan (`replace_paths`), when known. */
export function docFor(type: string): string | undefined {
  return FORCE_NEW[type]?.doc;
}
