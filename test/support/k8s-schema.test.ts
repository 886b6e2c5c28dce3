// Proves test/support/k8s-schema.ts: every kind it claims to check accepts a correct object and
// rejects a broken one with a message that says what is wrong; unknown kinds never pass; the
// Terraform → Kubernetes converter maps provider fields faithfully; .gen/ matches schemas/.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { PersistentVolumeV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
// Type-only imports: erased at runtime, so the ESM-only packages are fine here (see
// test/support/kubernetes-models.ts for how their runtime validators are loaded).
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IIngressClass } from "kubernetes-models/networking.k8s.io/v1/IngressClass";
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IPersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type {
  EksIngressClassParams,
  EksNodeClass,
  EksTargetGroupBinding,
  Elbv2IngressClassParams,
  Elbv2TargetGroupBinding,
} from "../../.gen";
import {
  convertTerraformResource,
  terraformResourceToKubernetesObjects,
  validateKubernetesObject,
  validateSynthesizedStack,
} from "./k8s-schema";

// ---------------------------------------------------------------------------------------------
// Correct objects, typed with the published models / generated types so the fixtures can't drift.

const TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/0123456789abcdef";

const nodeClass = {
  apiVersion: "eks.amazonaws.com/v1",
  kind: "NodeClass",
  metadata: { name: "private-compute" },
  spec: {
    role: "dev-auto-node",
    subnetSelectorTerms: [{ tags: { "kubernetes.io/role/internal-elb": "1" } }, { id: "subnet-0123456789abcdef0" }],
    securityGroupSelectorTerms: [{ id: "sg-0123456789abcdef0" }],
    ephemeralStorage: { size: "80Gi", iops: 3000, throughput: 125 },
    networkPolicy: "DefaultDeny",
    snatPolicy: "Random",
    tags: { CostCenter: "platform" },
  },
} satisfies EksNodeClass;

const eksTargetGroupBinding = {
  apiVersion: "eks.amazonaws.com/v1",
  kind: "TargetGroupBinding",
  metadata: { name: "web", namespace: "apps" },
  spec: {
    targetGroupARN: TG_ARN,
    targetType: "ip",
    serviceRef: { name: "web", port: 80 },
    networking: { ingress: [{ from: [{ securityGroup: { groupID: "sg-0aaaaaaaaaaaaaaaa" } }], ports: [{ port: 8080, protocol: "TCP" }] }] },
  },
} satisfies EksTargetGroupBinding;

const eksIngressClassParams = {
  apiVersion: "eks.amazonaws.com/v1",
  kind: "IngressClassParams",
  metadata: { name: "alb" },
  spec: {
    scheme: "internet-facing",
    group: { name: "shared" },
    certificateARNs: ["arn:aws:acm:ap-northeast-1:123456789012:certificate/abc"],
    loadBalancerAttributes: [{ key: "idle_timeout.timeout_seconds", value: "60" }],
  },
} satisfies EksIngressClassParams;

const elbv2TargetGroupBinding = {
  apiVersion: "elbv2.k8s.aws/v1beta1",
  kind: "TargetGroupBinding",
  metadata: { name: "web", namespace: "apps" },
  spec: { targetGroupARN: TG_ARN, serviceRef: { name: "web", port: "http" } },
} satisfies Elbv2TargetGroupBinding;

const elbv2IngressClassParams = {
  apiVersion: "elbv2.k8s.aws/v1beta1",
  kind: "IngressClassParams",
  metadata: { name: "alb" },
  spec: { scheme: "internal", certificateArn: ["arn:aws:acm:ap-northeast-1:123456789012:certificate/abc"], subnets: { tags: { Tier: ["private"] } } },
} satisfies Elbv2IngressClassParams;

const nodePool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "batch" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "eks.amazonaws.com", kind: "NodeClass", name: "private-compute" },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          { key: "eks.amazonaws.com/instance-category", operator: "In", values: ["c", "m"] },
        ],
        expireAfter: "336h",
        terminationGracePeriod: "24h",
      },
    },
    limits: { cpu: "100", memory: "400Gi" },
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] },
  },
} satisfies INodePool;

const storageClass = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "auto-ebs-sc", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "ebs.csi.eks.amazonaws.com",
  volumeBindingMode: "WaitForFirstConsumer",
  parameters: { type: "gp3", encrypted: "true" },
} satisfies IStorageClass;

const persistentVolume = {
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name: "data" },
  spec: {
    capacity: { storage: "100Gi" },
    accessModes: ["ReadWriteOnce"],
    persistentVolumeReclaimPolicy: "Retain",
    storageClassName: "auto-ebs-sc",
    csi: { driver: "ebs.csi.eks.amazonaws.com", volumeHandle: "vol-0123456789abcdef0", fsType: "ext4" },
    nodeAffinity: {
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }] }] },
    },
  },
} satisfies IPersistentVolume;

const persistentVolumeClaim = {
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "apps" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } }, volumeName: "data", storageClassName: "auto-ebs-sc" },
} satisfies IPersistentVolumeClaim;

const kubeDnsShim = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
  spec: {
    selector: { "k8s-app": "kube-dns" },
    clusterIP: "172.20.0.10",
    ports: [
      { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
    ],
  },
} satisfies IService;

const ingressClass = {
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: { name: "alb" },
  spec: { controller: "eks.amazonaws.com/alb", parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" } },
} satisfies IIngressClass;

const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } } satisfies INamespace;

const serviceAccount = {
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "web", namespace: "apps" },
  automountServiceAccountToken: false,
} satisfies IServiceAccount;

const configMap = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "web", namespace: "apps" },
  data: { LOG_LEVEL: "info" },
} satisfies IConfigMap;

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { nodeSelector: { "karpenter.sh/nodepool": "batch" }, containers: [{ name: "web", image: "public.ecr.aws/nginx/nginx:1.27" }] },
    },
  },
} satisfies IDeployment;

/** A deep copy with `edit` applied, for building broken variants of the fixtures. */
function broken<T>(obj: T, edit: (o: any) => void): object {
  const copy = structuredClone(obj) as any;
  edit(copy);
  return copy;
}

// ---------------------------------------------------------------------------------------------

describe("validateKubernetesObject", () => {
  test.each([
    ["eks.amazonaws.com/v1 NodeClass", nodeClass],
    ["eks.amazonaws.com/v1 TargetGroupBinding", eksTargetGroupBinding],
    ["eks.amazonaws.com/v1 IngressClassParams", eksIngressClassParams],
    ["elbv2.k8s.aws/v1beta1 TargetGroupBinding", elbv2TargetGroupBinding],
    ["elbv2.k8s.aws/v1beta1 IngressClassParams", elbv2IngressClassParams],
    ["karpenter.sh/v1 NodePool", nodePool],
    ["storage.k8s.io/v1 StorageClass", storageClass],
    ["v1 PersistentVolume", persistentVolume],
    ["v1 PersistentVolumeClaim", persistentVolumeClaim],
    ["v1 Service", kubeDnsShim],
    ["networking.k8s.io/v1 IngressClass", ingressClass],
    ["v1 Namespace", namespace],
    ["v1 ServiceAccount", serviceAccount],
    ["v1 ConfigMap", configMap],
    ["apps/v1 Deployment", deployment],
  ])("accepts a correct %s", (_name, obj) => {
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test.each<[string, object, RegExp]>([
    [
      "NodeClass with an ARN as spec.role",
      broken(nodeClass, (o) => (o.spec.role = "arn:aws:iam::123456789012:role/dev-auto-node")),
      /^NodeClass private-compute: spec\.role: must match pattern .* — IAM role NAME \(not an ARN\)/,
    ],
    [
      "NodeClass with a 65-character role name",
      broken(nodeClass, (o) => (o.spec.role = "r".repeat(65))),
      /spec\.role: must NOT have more than 64 characters/,
    ],
    [
      "NodeClass with both role and instanceProfile",
      broken(nodeClass, (o) => (o.spec.instanceProfile = "dev-auto-node")),
      /spec: must NOT be valid — role and instanceProfile are mutually exclusive/,
    ],
    [
      "NodeClass with neither role nor instanceProfile",
      broken(nodeClass, (o) => delete o.spec.role),
      /spec: must have required property 'instanceProfile' — Exactly one of role \(IAM role name\) or instanceProfile is required/,
    ],
    [
      "NodeClass named default",
      broken(nodeClass, (o) => (o.metadata.name = "default")),
      /metadata\.name: must NOT be valid — .*Must not be `default`/,
    ],
    [
      "NodeClass with a restricted tag",
      broken(nodeClass, (o) => (o.spec.tags["kubernetes.io/cluster/dev"] = "owned")),
      /spec\.tags: key "kubernetes\.io\/cluster\/dev" must NOT be valid — Restricted NodeClass tag key/,
    ],
    [
      "NodeClass subnet term with both id and tags",
      broken(nodeClass, (o) => (o.spec.subnetSelectorTerms[1].tags = { Name: "x" })),
      /spec\.subnetSelectorTerms\[1\]: must NOT have more than 1 properties — Exactly one of id or tags/,
    ],
    [
      "NodeClass with snatPolicy in the wrong case",
      broken(nodeClass, (o) => (o.spec.snatPolicy = "random")),
      /spec\.snatPolicy: must be equal to one of the allowed values: "Random", "Disabled"/,
    ],
    [
      "NodeClass with an unknown field",
      broken(nodeClass, (o) => (o.spec.amiFamily = "AL2023")),
      /spec: must NOT have additional properties: "amiFamily"/,
    ],
    [
      "EKS TargetGroupBinding with targetType pod",
      broken(eksTargetGroupBinding, (o) => (o.spec.targetType = "pod")),
      /^TargetGroupBinding apps\/web: spec\.targetType: must be equal to one of the allowed values: "instance", "ip"/,
    ],
    [
      "EKS TargetGroupBinding without targetType (required on Auto Mode)",
      broken(eksTargetGroupBinding, (o) => delete o.spec.targetType),
      /spec: must have required property 'targetType'/,
    ],
    [
      "EKS TargetGroupBinding peer with both ipBlock and securityGroup",
      broken(eksTargetGroupBinding, (o) => (o.spec.networking.ingress[0].from[0].ipBlock = { cidr: "10.0.0.0/16" })),
      /spec\.networking\.ingress\[0\]\.from\[0\]: must NOT have more than 1 properties/,
    ],
    [
      "EKS IngressClassParams with the elbv2 field certificateArn",
      broken(eksIngressClassParams, (o) => (o.spec.certificateArn = ["arn:aws:acm:x"])),
      /spec: must NOT have additional properties: "certificateArn"/,
    ],
    [
      "EKS IngressClassParams with scheme public",
      broken(eksIngressClassParams, (o) => (o.spec.scheme = "public")),
      /spec\.scheme: must be equal to one of the allowed values: "internal", "internet-facing"/,
    ],
    [
      "elbv2 TargetGroupBinding with targetType pod",
      broken(elbv2TargetGroupBinding, (o) => (o.spec.targetType = "pod")),
      /spec\.targetType: must be equal to one of the allowed values: "instance", "ip"/,
    ],
    [
      "elbv2 TargetGroupBinding with a boolean service port",
      broken(elbv2TargetGroupBinding, (o) => (o.spec.serviceRef.port = true)),
      /spec\.serviceRef\.port: must match a schema in anyOf \(must be integer; must be string\)/,
    ],
    [
      "elbv2 IngressClassParams with both prefixListsIDs spellings",
      broken(elbv2IngressClassParams, (o) => ((o.spec.prefixListsIDs = ["pl-1"]), (o.spec.PrefixListsIDs = ["pl-2"]))),
      /spec: must NOT be valid — cannot specify both 'prefixListsIDs' and 'PrefixListsIDs'/,
    ],
    [
      "NodePool with a nodeClassRef without name",
      broken(nodePool, (o) => delete o.spec.template.spec.nodeClassRef.name),
      /^NodePool batch: spec\.template\.spec\.nodeClassRef: must have required property name/,
    ],
    [
      "NodePool with a bad consolidationPolicy",
      broken(nodePool, (o) => (o.spec.disruption.consolidationPolicy = "Always")),
      /spec\.disruption\.consolidationPolicy: must be equal to one of the allowed values: "WhenEmpty", "WhenEmptyOrUnderutilized"/,
    ],
    [
      "StorageClass without provisioner",
      broken(storageClass, (o) => delete o.provisioner),
      /^StorageClass auto-ebs-sc: must have required property provisioner$/,
    ],
    [
      "PersistentVolume CSI source without driver",
      broken(persistentVolume, (o) => delete o.spec.csi.driver),
      /spec\.csi: must have required property driver/,
    ],
    [
      "PersistentVolumeClaim with accessModes as a string",
      broken(persistentVolumeClaim, (o) => (o.spec.accessModes = "ReadWriteOnce")),
      /spec\.accessModes: must be array/,
    ],
    [
      "Service with port \"http-port\"",
      broken(kubeDnsShim, (o) => (o.spec.ports[0].port = "http-port")),
      /^Service kube-system\/kube-dns: spec\.ports\[0\]\.port: must be integer$/,
    ],
    [
      "IngressClass parameters without name",
      broken(ingressClass, (o) => delete o.spec.parameters.name),
      /spec\.parameters: must have required property name/,
    ],
    ["Namespace without a name", broken(namespace, (o) => delete o.metadata.name), /^Namespace <no name>: metadata\.name: is required/],
    [
      "ServiceAccount with automountServiceAccountToken \"yes\"",
      broken(serviceAccount, (o) => (o.automountServiceAccountToken = "yes")),
      /automountServiceAccountToken: must be boolean/,
    ],
    ["ConfigMap with a number value", broken(configMap, (o) => (o.data.REPLICAS = 3)), /data\.REPLICAS: must be string/],
    [
      "Deployment without selector",
      broken(deployment, (o) => delete o.spec.selector),
      /^Deployment apps\/web: spec: must have required property selector/,
    ],
  ])("rejects %s", (_name, obj, message) => {
    const problems = validateKubernetesObject(obj);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test("reports every problem of an object, not only the first", () => {
    const problems = validateKubernetesObject(
      broken(nodeClass, (o) => ((o.spec.role = "arn:aws:iam::1:role/x"), (o.spec.networkPolicy = "Deny"), (o.spec.ephemeralStorage.iops = 100))),
    );
    expect(problems).toHaveLength(3);
  });

  test.each<[string, object, string]>([
    ["an unknown group", { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }, "Widget w: no schema for example.com/v1/Widget"],
    ["an unknown kind in a known group", { apiVersion: "v1", kind: "Widget", metadata: { name: "w" } }, "Widget w: no schema for v1/Widget"],
    // kubernetes-models exports ServiceSpec from the same folder, but it is not an API object.
    ["a non-object type", { apiVersion: "v1", kind: "ServiceSpec", metadata: { name: "s" } }, "ServiceSpec s: no schema for v1/ServiceSpec"],
    ["a wrong version of a known kind", { apiVersion: "eks.amazonaws.com/v2", kind: "NodeClass", metadata: { name: "n" } }, "NodeClass n: no schema for eks.amazonaws.com/v2/NodeClass"],
  ])("never passes %s", (_name, obj, problem) => {
    expect(validateKubernetesObject(obj)).toEqual([problem]);
  });

  test("rejects an object without apiVersion/kind", () => {
    expect(validateKubernetesObject({ metadata: { name: "x" } })).toEqual([expect.stringMatching(/^object without string apiVersion and kind/)]);
  });

  describe("Terraform interpolations (unknown until apply)", () => {
    test("are not reported when the whole value is an interpolation", () => {
      const withRefs = broken(nodeClass, (o) => {
        o.spec.role = "${data.terraform_remote_state.aws.outputs.node_role_name}";
        o.spec.subnetSelectorTerms = [{ id: "${aws_subnet.private_a.id}" }];
        o.spec.ephemeralStorage.iops = "${var.iops}";
      });
      expect(validateKubernetesObject(withRefs)).toEqual([]);
      const svc = broken(kubeDnsShim, (o) => (o.spec.ports[0].port = "${var.dns_port}"));
      expect(validateKubernetesObject(svc)).toEqual([]);
    });

    test("still fail a pattern that no value could satisfy", () => {
      const arn = broken(nodeClass, (o) => (o.spec.role = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/node"));
      expect(validateKubernetesObject(arn)).toEqual([expect.stringMatching(/spec\.role: must match pattern/)]);
    });

    test("still report a missing required field", () => {
      const tgb = broken(eksTargetGroupBinding, (o) => ((o.spec.targetGroupARN = "${aws_lb_target_group.web.arn}"), delete o.spec.targetType));
      expect(validateKubernetesObject(tgb)).toEqual([expect.stringMatching(/must have required property 'targetType'/)]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("terraformResourceToKubernetesObjects", () => {
  test("kubernetes_manifest: the manifest attribute is the object (a copy)", () => {
    const body = { manifest: nodeClass, field_manager: { force_conflicts: true }, depends_on: ["kubernetes_namespace_v1.apps"] };
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_manifest", body);
    expect(obj).toEqual(nodeClass);
    expect(obj).not.toBe(nodeClass);
  });

  test("kubernetes_storage_class_v1: top-level attributes become the StorageClass fields", () => {
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_storage_class_v1", {
      metadata: { name: "auto-ebs-sc", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.eks.amazonaws.com",
      volume_binding_mode: "WaitForFirstConsumer",
      reclaim_policy: "Delete",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true" },
      allowed_topologies: { match_label_expressions: [{ key: "topology.kubernetes.io/zone", values: ["ap-northeast-1a"] }] },
    });
    expect(obj).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "auto-ebs-sc", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.eks.amazonaws.com",
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      parameters: { type: "gp3", encrypted: "true" },
      allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["ap-northeast-1a"] }] }],
    });
  });

  const pvSpec = {
    capacity: { storage: "100Gi" },
    access_modes: ["ReadWriteOnce"],
    persistent_volume_reclaim_policy: "Retain",
    storage_class_name: "auto-ebs-sc",
    claim_ref: { name: "data", namespace: "apps" },
    persistent_volume_source: { csi: { driver: "ebs.csi.eks.amazonaws.com", volume_handle: "${aws_ebs_volume.data.id}", fs_type: "ext4" } },
    node_affinity: {
      required: { node_selector_term: [{ match_expressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }] }] },
    },
  };

  test.each([
    ["a one-element array (how cdktf writes it)", [pvSpec]],
    ["an object", pvSpec],
  ])("kubernetes_persistent_volume_v1 with spec as %s", (_form, spec) => {
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_persistent_volume_v1", { metadata: { name: "data" }, spec });
    expect(obj).toEqual({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "data" },
      spec: {
        capacity: { storage: "100Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "auto-ebs-sc",
        claimRef: { name: "data", namespace: "apps" },
        // persistent_volume_source has no Kubernetes counterpart: csi sits directly in the spec.
        csi: { driver: "ebs.csi.eks.amazonaws.com", volumeHandle: "${aws_ebs_volume.data.id}", fsType: "ext4" },
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }] }] },
        },
      },
    });
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test("kubernetes_persistent_volume_claim_v1", () => {
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_persistent_volume_claim_v1", {
      metadata: { name: "data", namespace: "apps" },
      spec: { access_modes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } }, volume_name: "data", storage_class_name: "auto-ebs-sc" },
      wait_until_bound: false,
    });
    expect(obj).toEqual(persistentVolumeClaim);
  });

  test.each([
    ["an object", { api_group: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb", scope: "Cluster" }],
    ["a one-element array", [{ api_group: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb", scope: "Cluster" }]],
  ])("kubernetes_ingress_class_v1 with parameters as %s", (_form, parameters) => {
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_ingress_class_v1", {
      metadata: { name: "alb" },
      spec: { controller: "eks.amazonaws.com/alb", parameters },
    });
    expect(obj).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "alb" },
      spec: { controller: "eks.amazonaws.com/alb", parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb", scope: "Cluster" } },
    });
  });

  test("kubernetes_service_v1: port blocks become spec.ports, numeric target_port a number", () => {
    const [obj] = terraformResourceToKubernetesObjects("kubernetes_service_v1", {
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: {
        selector: { "k8s-app": "kube-dns" },
        cluster_ip: "172.20.0.10",
        type: "ClusterIP",
        port: [
          { name: "dns", port: 53, protocol: "UDP", target_port: "53" },
          { name: "metrics", port: 9153, protocol: "TCP", target_port: "metrics" },
        ],
        session_affinity_config: { client_ip: { timeout_seconds: 10 } },
      },
      wait_for_load_balancer: false,
    });
    expect(obj).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: {
        selector: { "k8s-app": "kube-dns" },
        clusterIP: "172.20.0.10",
        type: "ClusterIP",
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "metrics", port: 9153, protocol: "TCP", targetPort: "metrics" },
        ],
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } },
      },
    });
  });

  test("kubernetes_namespace_v1, kubernetes_config_map_v1, kubernetes_service_account_v1", () => {
    expect(terraformResourceToKubernetesObjects("kubernetes_namespace_v1", { metadata: { name: "apps" }, wait_for_default_service_account: true })).toEqual([namespace]);
    expect(terraformResourceToKubernetesObjects("kubernetes_config_map_v1", { metadata: { name: "web", namespace: "apps" }, data: { LOG_LEVEL: "info" } })).toEqual([configMap]);
    expect(
      terraformResourceToKubernetesObjects("kubernetes_service_account_v1", {
        metadata: { name: "web", namespace: "apps" },
        automount_service_account_token: false,
        image_pull_secret: [{ name: "ecr" }],
      }),
    ).toEqual([{ ...serviceAccount, imagePullSecrets: [{ name: "ecr" }] }]);
  });

  test("throws on attributes it cannot map instead of dropping them", () => {
    expect(() =>
      terraformResourceToKubernetesObjects("kubernetes_ingress_class_v1", {
        metadata: { name: "alb" },
        spec: { controller: "eks.amazonaws.com/alb", parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" } },
      }),
    ).toThrow("spec.parameters.apiGroup: attribute not mapped to Kubernetes (the provider spells it api_group)");
    expect(() =>
      terraformResourceToKubernetesObjects("kubernetes_persistent_volume_v1", {
        metadata: { name: "x" },
        spec: { persistent_volume_source: { iscsi: { target_portal: "10.0.0.1" } } },
      }),
    ).toThrow("spec.persistent_volume_source.iscsi: attribute not mapped");
    expect(() => terraformResourceToKubernetesObjects("kubernetes_deployment_v1", { metadata: { name: "x" } })).toThrow(
      "no converter for Terraform resource type kubernetes_deployment_v1",
    );
    expect(convertTerraformResource("kubernetes_service_v1", { metadata: { name: "a" }, spec: [{}, {}] }).problems).toEqual([
      "spec: 2 blocks where the provider allows one",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("validateSynthesizedStack", () => {
  test("accepts what cdktf synthesizes for the provider-kubernetes constructs", () => {
    const stack = new TerraformStack(Testing.app(), "k8s");
    new KubernetesProvider(stack, "kubernetes", {});
    new NamespaceV1(stack, "apps", { metadata: { name: "apps" } });
    new StorageClassV1(stack, "auto_ebs_sc", {
      metadata: { name: "auto-ebs-sc", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storageProvisioner: "ebs.csi.eks.amazonaws.com",
      volumeBindingMode: "WaitForFirstConsumer",
      parameters: { type: "gp3", encrypted: "true" },
    });
    new PersistentVolumeV1(stack, "data_pv", {
      metadata: { name: "data" },
      spec: [
        {
          capacity: { storage: "100Gi" },
          accessModes: ["ReadWriteOnce"],
          storageClassName: "auto-ebs-sc",
          persistentVolumeSource: { csi: { driver: "ebs.csi.eks.amazonaws.com", volumeHandle: "${aws_ebs_volume.data.id}" } },
          nodeAffinity: {
            required: { nodeSelectorTerm: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }] }] },
          },
        },
      ],
    });
    new PersistentVolumeClaimV1(stack, "data_pvc", {
      metadata: { name: "data", namespace: "apps" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } }, volumeName: "data", storageClassName: "auto-ebs-sc" },
      waitUntilBound: false,
    });
    new IngressClassV1(stack, "alb", {
      metadata: { name: "alb" },
      spec: { controller: "eks.amazonaws.com/alb", parameters: [{ apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" }] },
    });
    new ServiceV1(stack, "kube_dns", {
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: { selector: { "k8s-app": "kube-dns" }, clusterIp: "172.20.0.10", port: [{ name: "dns", port: 53, protocol: "UDP", targetPort: "53" }] },
    });
    new Manifest(stack, "node_class", { manifest: nodeClass });
    new Manifest(stack, "alb_params", { manifest: eksIngressClassParams });

    const results = validateSynthesizedStack(JSON.parse(Testing.synth(stack)));
    expect(results.map((r) => r.address)).toEqual([
      "kubernetes_ingress_class_v1.alb",
      "kubernetes_manifest.alb_params",
      "kubernetes_manifest.node_class",
      "kubernetes_namespace_v1.apps",
      "kubernetes_persistent_volume_claim_v1.data_pvc",
      "kubernetes_persistent_volume_v1.data_pv",
      "kubernetes_service_v1.kube_dns",
      "kubernetes_storage_class_v1.auto_ebs_sc",
    ]);
    expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
  });

  test("reports broken, unconvertible and unknown resources; ignores non-Kubernetes ones", () => {
    const json = {
      resource: {
        aws_ebs_volume: { data: { availability_zone: "ap-northeast-1a", size: 100 } },
        kubernetes_manifest: {
          bad_tgb: { manifest: broken(eksTargetGroupBinding, (o) => (o.spec.targetType = "pod")) },
          widget: { manifest: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } } },
        },
        kubernetes_deployment_v1: { web: { metadata: { name: "web" } } },
        kubernetes_storage_class_v1: { sc: { metadata: { name: "sc" } } },
      },
    };
    expect(validateSynthesizedStack(json)).toEqual([
      { address: "kubernetes_deployment_v1.web", problems: ["no converter for Terraform resource type kubernetes_deployment_v1: add it to test/support/k8s-schema.ts"] },
      { address: "kubernetes_manifest.bad_tgb", problems: [expect.stringMatching(/^TargetGroupBinding apps\/web: spec\.targetType: must be equal to one of/)] },
      { address: "kubernetes_manifest.widget", problems: ["Widget w: no schema for example.com/v1/Widget"] },
      { address: "kubernetes_storage_class_v1.sc", problems: ["StorageClass sc: must have required property provisioner"] },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

// The check is a child process (~0.6 s from the tools' cached bundle, as `npm run <tool>` starts
// the others; 1.3 s under tsx, mostly prettier inside json-schema-to-typescript), so it starts
// before the other tests and runs alongside them.
const root = join(__dirname, "../..");
let genCheck: Promise<{ status: number | null; stdout: string; stderr: string }>;
beforeAll(() => {
  genCheck = new Promise((resolve, reject) => {
    execFile(process.execPath, ["tools/run.cjs", "gen", "--check"], { cwd: root }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
});

test("tools/gen.ts --check: .gen/ matches schemas/", async () => {
  const result = await genCheck;
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/^\.gen\/ is up to date/);
  expect(result.status).toBe(0);
});
