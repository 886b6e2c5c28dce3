/**
 * Review of the EKS rules on real plans (tools/lib/plan.ts planStacks → tools/lib/eks-rules.ts
 * reviewRules fromPlans): each test is a plan `terraform show -json` would write for this product's
 * stacks, and names what the rules got wrong on it (fixed in a67c60f). The shapes follow the providers' schemas:
 * blocks are lists, sets are lists, unset attributes are null, a replacement is
 * `["delete","create"]` with `replace_paths` and `action_reason`, unknowns are null in `after`
 * and `true` in `after_unknown` (https://developer.hashicorp.com/terraform/internals/json-format).
 * Addresses are the synthesized ones (`CDKTF_OUTDIR=... node tools/synth.cjs` on
 * test/fixtures/environments).
 */
import type { JsonObject } from "../../tools/lib/json";
import { runPlanSummary } from "../../tools/lib/plan";
import { isBlocked } from "../../tools/lib/report";
import { k8sMeta, noop, planJson as plan, usePlanSummary } from "../support/plan-json";
import { awsStack } from "../support/review-fixture";

type J = JsonObject;

// ---- State shapes (hashicorp/aws 6.x SDKv2 schemas: internal/service/eks/cluster.go, node_group.go, ec2/ebs_volume.go)

const CLUSTER = "aws_eks_cluster.cluster_cluster";
function clusterState(version: string, over: J = {}): J {
  return {
    access_config: [{ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false }],
    arn: "arn:aws:eks:ap-northeast-1:111111111111:cluster/acme-prod",
    bootstrap_self_managed_addons: false,
    certificate_authority: [{ data: "LS0tLS1CRUdJTi..." }],
    cluster_id: null,
    // No Auto Mode: the API returns no computeConfig, the provider flattens it to an empty list.
    compute_config: [],
    control_plane_scaling_config: [{ tier: "standard" }],
    created_at: "2025-01-10T10:00:00Z",
    deletion_protection: true,
    enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    encryption_config: [{ provider: [{ key_arn: "arn:aws:kms:ap-northeast-1:111111111111:key/0000" }], resources: ["secrets"] }],
    endpoint: "https://ABC.gr7.ap-northeast-1.eks.amazonaws.com",
    force_update_version: null,
    id: "acme-prod",
    identity: [{ oidc: [{ issuer: "https://oidc.eks.ap-northeast-1.amazonaws.com/id/ABC" }] }],
    kubernetes_network_config: [{ elastic_load_balancing: [], ip_family: "ipv4", service_ipv4_cidr: "172.20.0.0/16", service_ipv6_cidr: "" }],
    name: "acme-prod",
    outpost_config: [],
    platform_version: "eks.8",
    remote_network_config: [],
    role_arn: "arn:aws:iam::111111111111:role/acme-prod-cluster",
    status: "ACTIVE",
    storage_config: [],
    tags: { Name: "acme-prod" },
    tags_all: { Name: "acme-prod" },
    timeouts: null,
    upgrade_policy: [{ support_type: "STANDARD" }],
    version,
    vpc_config: [
      {
        cluster_security_group_id: "sg-0aaa",
        endpoint_private_access: true,
        endpoint_public_access: false,
        public_access_cidrs: [],
        security_group_ids: [],
        subnet_ids: ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002", "subnet-0b1c2d3e4f5a60003"],
        vpc_id: "vpc-0aaa",
      },
    ],
    zonal_shift_config: [],
    ...over,
  };
}

const GROUP = (key: string) => `aws_eks_node_group.node-group-${key}_node-group`;
function groupState(name: string, over: J = {}): J {
  return {
    ami_type: "AL2023_x86_64_STANDARD",
    arn: `arn:aws:eks:ap-northeast-1:111111111111:nodegroup/acme-prod/${name}/0000`,
    capacity_type: "ON_DEMAND",
    cluster_name: "acme-prod",
    disk_size: 0,
    force_update_version: null,
    id: `acme-prod:${name}`,
    instance_types: ["m7i.large"],
    labels: { "node-role": name },
    launch_template: [{ id: "lt-0aaa", name: `acme-prod-${name}`, version: "3" }],
    node_group_name: name,
    node_group_name_prefix: "",
    node_repair_config: [],
    node_role_arn: "arn:aws:iam::111111111111:role/acme-prod-node",
    release_version: "1.34.2-20251120",
    remote_access: [],
    resources: [{ autoscaling_groups: [{ name: `eks-${name}-0000` }], remote_access_security_group_id: "" }],
    scaling_config: [{ desired_size: 3, max_size: 10, min_size: 3 }],
    status: "ACTIVE",
    subnet_ids: ["subnet-0b1c2d3e4f5a60001", "subnet-0b1c2d3e4f5a60002", "subnet-0b1c2d3e4f5a60003"],
    tags: { environment: "prod" },
    tags_all: { environment: "prod" },
    taint: [],
    timeouts: null,
    update_config: [{ max_unavailable: 1, max_unavailable_percentage: 0 }],
    version: "1.34",
    ...over,
  };
}
/** What a replaced node group's `after` looks like: computed attributes unknown. */
const GROUP_UNKNOWN: J = { arn: true, id: true, release_version: true, resources: true, status: true, disk_size: true };

function volumeState(size: number, over: J = {}): J {
  return {
    arn: "arn:aws:ec2:ap-northeast-1:111111111111:volume/vol-0aaa",
    availability_zone: "ap-northeast-1a",
    create_time: "2025-01-10T10:00:00Z",
    encrypted: true,
    final_snapshot: true,
    id: "vol-0aaa",
    iops: 6000,
    kms_key_id: "arn:aws:kms:ap-northeast-1:111111111111:key/1111",
    multi_attach_enabled: false,
    outpost_arn: "",
    size,
    snapshot_id: "",
    tags: { Name: "acme-prod-loki-data" },
    tags_all: { Name: "acme-prod-loki-data" },
    throughput: 250,
    timeouts: null,
    type: "gp3",
    volume_initialization_rate: 0,
    ...over,
  };
}

// ---- hashicorp/kubernetes 2.38.0 SDKv2 shapes (kubernetes/resource_kubernetes_persistent_volume_v1.go, _storage_class_v1.go)

const meta = k8sMeta;
const EMPTY_SOURCES = Object.fromEntries(
  ["aws_elastic_block_store", "azure_disk", "azure_file", "ceph_fs", "cinder", "fc", "flex_volume", "flocker", "gce_persistent_disk", "glusterfs", "host_path", "iscsi", "local", "nfs", "photon_persistent_disk", "quobyte", "rbd", "vsphere_volume"].map((k) => [k, []]),
);
function pvState(csi: { driver: string; fs_type: string; volume_handle: string }): J {
  return {
    id: "acme-prod-loki-data",
    metadata: meta("acme-prod-loki-data"),
    spec: [
      {
        access_modes: ["ReadWriteOnce"],
        capacity: { storage: "500Gi" },
        claim_ref: [{ name: "loki-data", namespace: "monitoring" }],
        mount_options: null,
        node_affinity: [{ required: [{ node_selector_term: [{ match_expressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }], match_fields: [] }] }] }],
        persistent_volume_reclaim_policy: "Retain",
        persistent_volume_source: [
          {
            ...EMPTY_SOURCES,
            csi: [{ controller_expand_secret_ref: [], controller_publish_secret_ref: [], node_publish_secret_ref: [], node_stage_secret_ref: [], read_only: false, volume_attributes: null, ...csi }],
          },
        ],
        storage_class_name: "ebs-gp3",
        volume_mode: "Filesystem",
      },
    ],
    timeouts: null,
  };
}
/** A replaced Kubernetes object: the server-set metadata is unknown until the new object exists. */
const K8S_REPLACED_UNKNOWN: J = { id: true, metadata: [{ generation: true, resource_version: true, uid: true }] };

function storageClassState(over: J = {}): J {
  return {
    allow_volume_expansion: true,
    allowed_topologies: [],
    id: "ebs-gp3",
    metadata: meta("ebs-gp3", { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
    mount_options: null,
    parameters: { encrypted: "true", type: "gp3" },
    reclaim_policy: "Delete",
    storage_provisioner: "ebs.csi.aws.com",
    volume_binding_mode: "WaitForFirstConsumer",
    ...over,
  };
}

// ---- The run

// As `cdktf synth` writes them: prod protected (so its cluster and volumes need --allow-destroy).
const summary = usePlanSummary(() => [
  ["prod-aws", awsStack({ env: "prod", protected: true, clusterId: "cluster_cluster", clusterName: "acme-prod" })],
  ["prod-k8s", { "//": { environment: { name: "prod", protected: true } }, resource: {} }],
]);
const found = (r: ReturnType<typeof runPlanSummary>) => (r.findings ?? []).map((f) => `${f.severity} ${f.rule} ${f.stack}${f.address ? ` ${f.address}` : ""}`);

describe("a replacement is a new object: rules about updating an existing one do not apply", () => {
  /**
   * hashicorp/kubernetes v2.38.0 resource_kubernetes_persistent_volume_v1.go CustomizeDiff: "Any
   * change to Persistent Volume Source requires a new resource" (diff.ForceNew on every changed key
   * under spec.0.persistent_volume_source, for existing objects). So a real plan never updates a PV's
   * source: it replaces the PV (delete, then create), which the API server accepts. The rule reads
   * only before/after and blocks, "cannot be acknowledged", on a plan that applies cleanly: the
   * compute-mode switch (CSI driver ebs.csi.aws.com → ebs.csi.eks.amazonaws.com) or a volume's
   * fsType changed in the config stop the pull request's Kubernetes plan job with no way out.
   * https://github.com/hashicorp/terraform-provider-kubernetes/blob/v2.38.0/kubernetes/resource_kubernetes_persistent_volume_v1.go
   */
  test.each([
    ["the CSI driver (compute-mode switch)", { driver: "ebs.csi.eks.amazonaws.com", fs_type: "ext4", volume_handle: "vol-0aaa" }, "driver"],
    ["the file system type (volumes.<key>.fsType)", { driver: "ebs.csi.aws.com", fs_type: "xfs", volume_handle: "vol-0aaa" }, "fs_type"],
  ])("a PersistentVolume whose source changes (%s) is replaced by the provider: no kubernetes-immutable block", (_what, csi, attr) => {
    const pv = "kubernetes_persistent_volume_v1.volume-loki-data_volume";
    const r = summary({
      "prod-k8s": plan([
        {
          address: pv,
          actions: ["delete", "create"],
          actionReason: "replace_because_cannot_update",
          replacePaths: [["spec", 0, "persistent_volume_source", 0, "csi", 0, attr]],
          before: pvState({ driver: "ebs.csi.aws.com", fs_type: "ext4", volume_handle: "vol-0aaa" }),
          after: { ...pvState(csi), id: null, metadata: meta("acme-prod-loki-data", { generation: null, resource_version: null, uid: null }) },
          afterUnknown: K8S_REPLACED_UNKNOWN,
        },
      ]),
    });
    expect(r.stacks[0]!.changes.find((c) => c.address === pv)).toMatchObject({ action: "replace" });
    expect(found(r)).toEqual([]);
    expect(isBlocked(r)).toBe(false);
  });

  /**
   * The finding's own remedy, `terraform plan -replace=ADDRESS` (action_reason replace_by_request),
   * and a StorageClass change that also touches a ForceNew argument (`parameters`, ForceNew in
   * resource_kubernetes_storage_class_v1.go at v2.38.0) are both deletes then creates: the API
   * server never sees an update of reclaimPolicy, yet the plan is blocked without acknowledgement.
   */
  test.each([
    ["-replace (the finding's own remedy)", "replace_by_request", [], { reclaim_policy: "Retain" }],
    ["a ForceNew parameters change beside it", "replace_because_cannot_update", [["parameters"]], { reclaim_policy: "Retain", parameters: { encrypted: "true", type: "io2" } }],
  ])("a StorageClass replaced (%s) with a new reclaim policy: no kubernetes-immutable block", (_what, reason, paths, over) => {
    const sc = "kubernetes_storage_class_v1.storage-class_storage-class";
    const r = summary({
      "prod-k8s": plan([
        {
          address: sc,
          actions: ["delete", "create"],
          actionReason: reason,
          ...(paths.length > 0 ? { replacePaths: paths as string[][] } : {}),
          before: storageClassState(),
          after: { ...storageClassState(over), id: null, metadata: meta("ebs-gp3", { annotations: { "storageclass.kubernetes.io/is-default-class": "true" }, generation: null, resource_version: null, uid: null }) },
          afterUnknown: K8S_REPLACED_UNKNOWN,
        },
      ]),
    });
    expect(found(r)).toEqual([]);
    expect(isBlocked(r)).toBe(false);
  });

  /**
   * A replaced cluster is CreateCluster at the configured version, not UpdateClusterVersion: EKS
   * creates any supported version (the finding's own advice for a downgrade is "create a new
   * cluster"). Accepted with --allow-destroy, the plan still fails on kubernetes-version-skip, which
   * cannot be acknowledged. (replace_paths `name`: aws_eks_cluster `name` is ForceNew, cluster.go.)
   */
  test("a cluster replaced (accepted with --allow-destroy) at a version two minors above the old one: no kubernetes-version-skip", () => {
    const r = summary(
      {
        "prod-aws": plan([
          {
            address: CLUSTER,
            actions: ["delete", "create"],
            actionReason: "replace_because_cannot_update",
            replacePaths: [["name"]],
            before: clusterState("1.32"),
            after: { ...clusterState("1.34", { name: "acme-prod-blue", id: null, arn: null, endpoint: null, status: null, created_at: null, platform_version: null, certificate_authority: null, identity: null }) },
            afterUnknown: { id: true, arn: true, endpoint: true, status: true, created_at: true, platform_version: true, certificate_authority: true, identity: true },
          },
        ]),
      },
      { allowDestroy: [`prod-aws/${CLUSTER}`] },
    );
    expect(r.violations).toEqual([]);
    expect(found(r)).toEqual([]);
    expect(isBlocked(r)).toBe(false);
  });

  /**
   * The ebs-shrink finding's advice is "copy the data to a new, smaller volume"; a volume replaced
   * (here by -replace, accepted with --allow-destroy) is CreateVolume at the new size, not
   * ModifyVolume, yet the rule (same availability zone) blocks without acknowledgement.
   */
  test("a volume replaced (accepted) with a smaller size: no ebs-shrink", () => {
    const address = "aws_ebs_volume.volume-loki-data_volume";
    const r = summary(
      {
        "prod-aws": plan([
          noop(CLUSTER, clusterState("1.34")),
          {
            address,
            actions: ["delete", "create"],
            actionReason: "replace_by_request",
            before: volumeState(500),
            after: volumeState(200, { arn: null, id: null, create_time: null }),
            afterUnknown: { arn: true, id: true, create_time: true },
          },
        ]),
      },
      { allowDestroy: [`prod-aws/${address}`] },
    );
    expect(found(r)).toEqual([]);
    expect(isBlocked(r)).toBe(false);
  });
});

describe("plans that do not hold every object: absent is not removed", () => {
  /**
   * `terraform plan -target=...` writes `"complete": false` (internal/terraform/context_plan.go:
   * complete only without targets or deferrals; Terraform ≥ 1.8): resource_changes hold the target
   * and what it depends on, not the other node groups. The capacity rule counts the node groups of
   * the plan as all there are and claims "every node group is destroyed" on a plan that removes
   * one of three.
   */
  test("a -target plan that destroys one retired node group: not 'every node group is destroyed'", () => {
    const r = summary({
      "prod-aws": plan(
        [
          noop(CLUSTER, clusterState("1.34")),
          { address: GROUP("legacy"), actions: ["delete"], actionReason: "delete_because_no_resource_config", before: groupState("legacy") },
        ],
        { complete: false },
      ),
    });
    expect(found(r)).not.toContain(`block capacity-removed prod-aws ${GROUP("legacy")}`);
  });

  /**
   * `terraform plan -out` saves an errored plan too (internal/backend/local/backend_plan.go: "we
   * always want to ... generate a partial saved plan file"), with `"errored": true` and only the
   * changes planned before the error. The k8s plan is "given", so its workloads are counted (0 here,
   * the provider failed before planning them) instead of assumed as for a missing plan: the
   * replacement of the only untainted node group drops to a warning and the summary passes.
   */
  test("an errored k8s plan does not count as 'no workloads': the node-group replacement still blocks", () => {
    const general = GROUP("general");
    const r = summary({
      "prod-aws": plan([
        noop(CLUSTER, clusterState("1.34")),
        {
          address: general,
          actions: ["delete", "create"],
          actionReason: "replace_because_cannot_update",
          replacePaths: [["instance_types"]],
          before: groupState("general"),
          after: { ...groupState("general", { instance_types: ["m8i.large"] }), ...Object.fromEntries(Object.keys(GROUP_UNKNOWN).map((k) => [k, null])) },
          afterUnknown: GROUP_UNKNOWN,
        },
        noop(GROUP("batch"), groupState("batch", { capacity_type: "SPOT", taint: [{ effect: "NO_SCHEDULE", key: "workload", value: "batch" }] })),
      ]),
      "prod-k8s": plan([], { errored: true, complete: false, applyable: false }),
    });
    expect(found(r)).toContain(`block node-group-replaced prod-aws ${general}`);
  });
});

describe("moved objects (the config's renames write moved blocks)", () => {
  /**
   * renames.volumes writes a `moved` block and keeps the AWS name; the plan then has
   * `previous_address`. planStacks files `before` under the old address, and ebsRules looks the
   * base up under the new one: a volume grown by hand to 600 GiB whose configured 500 GiB is a
   * shrink is missed (the apply fails on ModifyVolume instead of the PR plan job).
   */
  test("a renamed volume (moved) grown by hand: ebs-shrink still found", () => {
    const r = summary({
      "prod-aws": plan([
        noop(CLUSTER, clusterState("1.34")),
        {
          address: "aws_ebs_volume.volume-logs_volume",
          previousAddress: "aws_ebs_volume.volume-loki-data_volume",
          actions: ["update"],
          before: volumeState(600),
          after: volumeState(500),
        },
      ]),
    });
    expect(found(r)).toEqual(["block ebs-shrink prod-aws aws_ebs_volume.volume-logs_volume"]);
  });
});

describe("the pull request's acknowledgements file in each plan job", () => {
  /**
   * The workflow passes the one .review/acknowledgements to every plan job, one environment and one
   * stack group each: entries for the other jobs' stacks are reported as "matched nothing" (the
   * signal docs/reading-a-review.md gives for a stale file) in every job; so are allow-destroy
   * entries, which plan --out did not take before.
   */
  test("an entry for a stack this summary did not plan is not reported as matching nothing", () => {
    const r = summary(
      { "prod-aws": plan([noop(CLUSTER, clusterState("1.34"))]) },
      { acknowledge: ["compute-mode-switch:dev-aws", "capacity-removed:prod-k8s"], allowDestroy: ["dev-aws/aws_eks_cluster.cluster_cluster"] },
    );
    expect({ acknowledge: r.unusedAcknowledgements ?? [], allowDestroy: r.unusedAllowances ?? [] }).toEqual({ acknowledge: [], allowDestroy: [] });
  });
});
