import { COMPUTE_FLAVORS, type NodePoolFlavor } from "../../modules/private/compute-flavor";
import { dev } from "../fixtures/environments/dev";
import { deepClone, manifestKinds, manifests, onlyResource, resourcesOf, synthesize, type SynthesizedStacks, type TerraformJson } from "../support/synth";

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});

test("every environment gets an AWS stack and a Kubernetes stack; node groups add a controllers stack", () => {
  expect(Object.keys(stacks).sort()).toEqual(["dev-aws", "dev-k8s", "prod-aws", "prod-controllers", "prod-k8s"]);
});

test.each(["dev", "prod"])("%s-k8s reads the AWS stack's outputs from its S3 state", (env) => {
  const account = env === "dev" ? "111111111111" : "222222222222";
  const remote = stacks[`${env}-k8s`].data.terraform_remote_state[`cross-stack-reference-input-${env}-aws`];
  expect(remote.backend).toBe("s3");
  expect(remote.config).toMatchObject({ bucket: `acme-tfstate-${account}`, key: `eks/${env}/aws.tfstate` });
  expect(stacks[`${env}-k8s`].terraform.backend.s3.key).toBe(`eks/${env}/k8s.tfstate`);
});

test.each(["dev-k8s", "prod-k8s", "prod-controllers"])("%s: providers authenticate with a fresh token through the deploy role", (name) => {
  const env = name.split("-")[0];
  const account = env === "dev" ? "111111111111" : "222222222222";
  // The role is chosen at run time (var.role_arn: the deploy role by default, the plan role for read-only plans).
  const args = ["eks", "get-token", "--cluster-name", `acme-${env}`, "--region", "ap-northeast-1", "--role-arn", "${var.role_arn}", "--output", "json"];
  expect(stacks[name].variable.role_arn.default).toBe(`arn:aws:iam::${account}:role/eks-deployer`);
  const [helm] = stacks[name].provider.helm;
  // Helm provider 3.x: `kubernetes` is one object, not a list.
  expect(helm.kubernetes.exec).toEqual({ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args });
  expect(helm.kubernetes.host).toMatch(/^\$\{data\.terraform_remote_state\..*cluster_endpoint\}$/);
  expect(helm.kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\./);
  if (name.endsWith("k8s")) expect(stacks[name].provider.kubernetes[0].exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args }]);
});

describe("dev-k8s (Auto Mode)", () => {
  test("default StorageClass: gp3, encrypted as a string, WaitForFirstConsumer, Auto Mode provisioner", () => {
    const sc = onlyResource(stacks["dev-k8s"], "kubernetes_storage_class_v1");
    expect(sc).toMatchObject({
      metadata: { name: "ebs-gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.eks.amazonaws.com",
      volume_binding_mode: "WaitForFirstConsumer",
      parameters: { type: "gp3", encrypted: "true" },
    });
  });

  test("static volume: PV on the Auto Mode CSI driver with the volume id from the AWS stack and zone affinity; PVC bound to it", () => {
    const pv = onlyResource(stacks["dev-k8s"], "kubernetes_persistent_volume_v1").spec[0];
    expect(pv.persistent_volume_source.csi.driver).toBe("ebs.csi.eks.amazonaws.com");
    expect(pv.persistent_volume_source.csi.volume_handle).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-aws\.outputs\..*aws_ebs_volume_volume-loki-data_volume_id\}$/);
    expect(pv.node_affinity.required.node_selector_term[0].match_expressions).toEqual([{ key: "topology.kubernetes.io/zone", operator: "In", values: ["ap-northeast-1a"] }]);
    expect(pv.claim_ref).toEqual({ namespace: "monitoring", name: "loki-data" });
    const pvc = onlyResource(stacks["dev-k8s"], "kubernetes_persistent_volume_claim_v1");
    expect(pvc.metadata).toEqual({ namespace: "monitoring", name: "loki-data" });
    expect(pvc.spec.volume_name).toBe("${kubernetes_persistent_volume_v1.volume-loki-data_volume.metadata[0].name}");
  });

  test("TargetGroupBinding (eks.amazonaws.com/v1) binds the AWS stack's target group to the Service, opened to the LB security group", () => {
    const tgb = Object.values(manifests(stacks["dev-k8s"])).find((m) => m.kind === "TargetGroupBinding")!;
    expect(tgb.apiVersion).toBe("eks.amazonaws.com/v1");
    expect(tgb.metadata).toEqual({ name: "argocd", namespace: "argocd" });
    expect(tgb.spec.targetType).toBe("ip");
    expect(tgb.spec.serviceRef).toEqual({ name: "argocd-server", port: 80 });
    expect(tgb.spec.targetGroupARN).toMatch(/aws_lb_target_group_target-group-argocd_target-group_arn\}$/);
    expect(tgb.spec.networking.ingress).toEqual([{ from: [{ securityGroup: { groupID: "sg-0a1b2c3d4e5f60718" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
  });

  test("NodeClass names the node role by name (not ARN) and NodePool points at it", () => {
    const objects = Object.values(manifests(stacks["dev-k8s"]));
    const nodeClass = objects.find((m) => m.kind === "NodeClass")!;
    const nodePool = objects.find((m) => m.kind === "NodePool")!;
    expect(nodeClass.metadata.name).toBe("batch");
    expect(nodeClass.spec.role).toMatch(/^\$\{data\.terraform_remote_state\..*aws_iam_role_cluster_node-role_name\}$/);
    expect(nodeClass.spec.tags).toEqual({ "billing-team": "data" });
    expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: "eks.amazonaws.com", kind: "NodeClass", name: "batch" });
    expect(nodePool.spec.template.spec.expireAfter).toBe("336h");
    expect(nodePool.spec.template.spec.requirements).toContainEqual({ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] });
    expect(nodePool.spec.limits).toEqual({ cpu: "1000", memory: "1000Gi" });
  });

  test("no kube-dns Service unless platform.kubeDnsService opts in (an endpoint-less Service at the DNS address is a risk)", () => {
    const byDefault = deepClone(dev) as TerraformJson;
    delete byDefault.platform.kubeDnsService;
    expect(resourcesOf(synthesize([byDefault])["dev-k8s"], "kubernetes_service_v1")).toEqual({});
  });

  test("kube-dns Service, when opted in, at the cluster DNS address derived from the service CIDR", () => {
    const optIn = deepClone(dev) as TerraformJson;
    expect(optIn.platform.kubeDnsService).toBe(true); // the fixture opts in
    const svc = onlyResource(stacks["dev-k8s"], "kubernetes_service_v1");
    expect(svc.metadata).toMatchObject({ name: "kube-dns", namespace: "kube-system" });
    expect(svc.spec.cluster_ip).toBe("172.20.0.10");
    expect(svc.spec.port.map((p: TerraformJson) => `${p.port}/${p.protocol}`)).toEqual(["53/UDP", "53/TCP", "9153/TCP"]);
    optIn.cluster.serviceIpv4Cidr = "10.100.0.0/16";
    expect(onlyResource(synthesize([optIn])["dev-k8s"], "kubernetes_service_v1").spec.cluster_ip).toBe("10.100.0.10");
    // Node groups run CoreDNS with its own kube-dns Service: never a second one.
    const prodOptIn = deepClone(require("../fixtures/environments/prod").prod) as TerraformJson;
    prodOptIn.platform.kubeDnsService = true;
    expect(resourcesOf(synthesize([prodOptIn])["prod-k8s"], "kubernetes_service_v1")).toEqual({});
  });

  test("IngressClass with the Auto Mode controller and its IngressClassParams", () => {
    const ic = onlyResource(stacks["dev-k8s"], "kubernetes_ingress_class_v1");
    expect(ic.spec).toEqual({ controller: "eks.amazonaws.com/alb", parameters: [{ api_group: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" }] });
    const params = Object.values(manifests(stacks["dev-k8s"])).find((m) => m.kind === "IngressClassParams")!;
    expect(params).toEqual({ apiVersion: "eks.amazonaws.com/v1", kind: "IngressClassParams", metadata: { name: "alb" }, spec: { scheme: "internal" } });
  });

  test("no load balancer controller chart: Auto Mode has it built in", () => {
    const charts = Object.values(resourcesOf(stacks["dev-k8s"], "helm_release")).map((r) => r.chart);
    expect(charts).toEqual(["argo-cd", "metrics-server"]);
  });
});

describe("prod (managed node groups)", () => {
  test("the AWS Load Balancer Controller is installed by Helm in the controllers stack, before the k8s stack", () => {
    const release = stacks["prod-controllers"].resource.helm_release["aws-load-balancer-controller_release"];
    expect(release).toMatchObject({ chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "1.14.0", namespace: "kube-system" });
    expect(JSON.parse(release.values[0])).toMatchObject({ clusterName: "${data.terraform_remote_state.cross-stack-reference-input-prod-aws.outputs.cross-stack-output-aws_eks_cluster_cluster_cluster_name}", serviceAccount: { name: "aws-load-balancer-controller" } });
  });

  test("custom resources use the controller's API group; no Auto Mode objects", () => {
    expect(manifestKinds(stacks["prod-k8s"])).toEqual(["elbv2.k8s.aws/v1beta1/IngressClassParams", "elbv2.k8s.aws/v1beta1/TargetGroupBinding", "karpenter.k8s.aws/v1/EC2NodeClass", "karpenter.sh/v1/NodePool"]);
    expect(resourcesOf(stacks["prod-k8s"], "kubernetes_service_v1")).toEqual({});
    expect(onlyResource(stacks["prod-k8s"], "kubernetes_storage_class_v1").storage_provisioner).toBe("ebs.csi.aws.com");
    expect(onlyResource(stacks["prod-k8s"], "kubernetes_persistent_volume_v1").spec[0].persistent_volume_source.csi.driver).toBe("ebs.csi.aws.com");
    expect(onlyResource(stacks["prod-k8s"], "kubernetes_ingress_class_v1").spec.controller).toBe("ingress.k8s.aws/alb");
  });
});

test("one platform config, two compute modes: the renderings differ exactly as the flavor table says", () => {
  // The same node pools (the shared platform's) in both: dev renders them for Auto Mode, the node-group copy for Karpenter.
  const auto = deepClone(dev) as TerraformJson;
  auto.cluster.compute.builtInNodePools = ["general-purpose", "system"];
  const managed = deepClone(auto);
  managed.cluster.compute = { mode: "managed", nodeGroups: { general: { instanceTypes: ["m7i.large"], minSize: 2, maxSize: 3, desiredSize: 2 } }, karpenter: { enabled: true } };
  const a = flatten(synthesize([auto])["dev-k8s"].resource);
  const m = flatten(synthesize([managed])["dev-k8s"].resource);
  // The node class is the mode's own object (modules/auto-mode-node-class.ts, modules/ec2-node-class.ts): of it,
  // only its apiVersion and kind are the table's; the rest of the diff must be table rows.
  const nodeClass = "kubernetes_manifest.node-pool-batch_node-class.manifest.";
  const row = (mode: "auto" | "managed") => COMPUTE_FLAVORS[mode].nodePools;
  expect([a[`${nodeClass}apiVersion`], a[`${nodeClass}kind`]]).toEqual([row("auto").nodeClass.apiVersion, row("auto").nodeClass.kind]);
  expect([m[`${nodeClass}apiVersion`], m[`${nodeClass}kind`]]).toEqual([row("managed").nodeClass.apiVersion, row("managed").nodeClass.kind]);
  const differences = [...new Set([...Object.keys(a), ...Object.keys(m)])]
    .filter((k) => a[k] !== m[k] && !k.startsWith(nodeClass))
    .map((k) => `${k}: ${a[k] ?? "-"} | ${m[k] ?? "-"}`)
    .sort();
  const pool = "kubernetes_manifest.node-pool-batch_node-pool.manifest.spec.template.spec.";
  const both = (field: string, pick: (r: NodePoolFlavor) => string) => `${pool}${field}: ${pick(row("auto"))} | ${pick(row("managed"))}`;
  expect(differences).toEqual([
    "kubernetes_ingress_class_v1.ingress-class_ingress-class.spec.controller: eks.amazonaws.com/alb | ingress.k8s.aws/alb",
    "kubernetes_ingress_class_v1.ingress-class_ingress-class.spec.parameters[0].api_group: eks.amazonaws.com | elbv2.k8s.aws",
    "kubernetes_manifest.ingress-class_params.manifest.apiVersion: eks.amazonaws.com/v1 | elbv2.k8s.aws/v1beta1",
    both("nodeClassRef.group", (r) => r.nodeClass.group),
    both("nodeClassRef.kind", (r) => r.nodeClass.kind),
    both("requirements[1].key", (r) => r.requirementKeys.instanceCategory),
    both("requirements[2].key", (r) => r.requirementKeys.instanceGeneration),
    both("requirements[4].key", (r) => r.requirementKeys.instanceCpu),
    "kubernetes_manifest.target-group-binding-argocd_manifest.manifest.apiVersion: eks.amazonaws.com/v1 | elbv2.k8s.aws/v1beta1",
    "kubernetes_persistent_volume_v1.volume-loki-data_volume.spec[0].persistent_volume_source.csi.driver: ebs.csi.eks.amazonaws.com | ebs.csi.aws.com",
    ...kubeDnsShimOnlyInAuto(a, m),
    "kubernetes_storage_class_v1.storage-class_storage-class.storage_provisioner: ebs.csi.eks.amazonaws.com | ebs.csi.aws.com",
  ].sort());
});

/** The kube-dns shim's fields, and the Helm releases waiting for it, present in Auto Mode only. */
function kubeDnsShimOnlyInAuto(auto: Record<string, string>, managed: Record<string, string>): string[] {
  const shim = "kubernetes_service_v1.kube-dns-shim_service";
  const withoutShim = (list: string) => list.split(",").filter((a) => a !== shim).join(",");
  return Object.entries(auto)
    .filter(([k, v]) => k.startsWith(`${shim}.`) || (k.endsWith(".depends_on") && v.split(",").includes(shim) && withoutShim(v) === managed[k]))
    .map(([k, v]) => `${k}: ${v} | ${managed[k] ?? "-"}`);
}

/** `{a: {b: [1]}}` → `{"a.b[0]": "1"}`, leaving out cdktf's `//` metadata; depends_on as one sorted list. */
function flatten(value: unknown, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (prefix.endsWith(".depends_on") && Array.isArray(value)) out[prefix] = [...value].sort().join(",");
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "//") flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = String(value);
  return out;
}
