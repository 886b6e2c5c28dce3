import { validateKubernetesObject, validateSynthesizedStack } from "../support/k8s-schema";
import { dev } from "../fixtures/environments/dev";
import { deepClone, synthesize, type TerraformJson } from "../support/synth";

const stacks = synthesize();
const kubernetesStacks = Object.keys(stacks).filter((name) => name.endsWith("-k8s"));

test.each(kubernetesStacks)("every Kubernetes object in %s is valid against its published schema", (name) => {
  const results = validateSynthesizedStack(stacks[name]);
  // Each example Kubernetes stack holds objects; an empty result would prove nothing.
  expect(results.length).toBeGreaterThan(0);
  expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
});

test("a broken object in a synthesized stack fails validation with its address", () => {
  const broken = deepClone(synthesize([dev])["dev-k8s"]) as TerraformJson;
  const nodeClass = broken.resource.kubernetes_manifest["node-pool-batch_node-class"].manifest;
  nodeClass.spec.role = "arn:aws:iam::111111111111:role/acme-dev-node"; // an ARN where EKS wants a role name
  delete broken.resource.kubernetes_storage_class_v1["storage-class_storage-class"].storage_provisioner;
  const failing = validateSynthesizedStack(broken).filter((r) => r.problems.length > 0);
  expect(failing.map((r) => r.address).sort()).toEqual([
    "kubernetes_manifest.node-pool-batch_node-class",
    "kubernetes_storage_class_v1.storage-class_storage-class",
  ]);
});

describe("our CRD schemas, reconciled with the upstream CRDs (tools/check-crd-drift.ts)", () => {
  const dev = synthesize()["dev-k8s"];
  const prod = synthesize()["prod-k8s"];
  const emitted = (stack: TerraformJson, kind: string) => deepClone(Object.values<TerraformJson>(stack.resource.kubernetes_manifest).find((m) => m.manifest.kind === kind)!.manifest);
  const fails = (obj: TerraformJson) => validateKubernetesObject(obj).length > 0;

  test("Auto Mode TargetGroupBinding: targetGroupARN is required, there is no targetGroupName and no ipBlock peer", () => {
    const tgb = emitted(dev, "TargetGroupBinding");
    expect(validateKubernetesObject(tgb)).toEqual([]);
    const byName = deepClone(tgb);
    delete byName.spec.targetGroupARN;
    byName.spec.targetGroupName = "acme-dev-argocd";
    expect(fails(byName)).toBe(true);
    const ipBlock = deepClone(tgb);
    ipBlock.spec.networking.ingress[0].from = [{ ipBlock: { cidr: "10.0.0.0/16" } }];
    expect(fails(ipBlock)).toBe(true);
    // The same peer is valid for the self-managed controller.
    const elbv2 = emitted(prod, "TargetGroupBinding");
    elbv2.spec.networking.ingress[0].from = [{ ipBlock: { cidr: "10.0.0.0/16" } }];
    expect(validateKubernetesObject(elbv2)).toEqual([]);
  });

  test("Auto Mode IngressClassParams: inboundCIDRs, listeners, sslPolicy and matchTags as a list of {key, values}", () => {
    const params = emitted(dev, "IngressClassParams");
    params.spec = {
      ...params.spec,
      inboundCIDRs: ["10.0.0.0/8"],
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      listeners: [{ protocol: "HTTPS", port: 443, attributes: [{ key: "routing.http.response.server.enabled", value: "false" }] }],
      subnets: { matchTags: [{ key: "kubernetes.io/role/internal-elb", values: ["1"] }] },
    };
    expect(validateKubernetesObject(params)).toEqual([]);
    expect(fails({ ...params, spec: { subnets: { matchTags: { "kubernetes.io/role/internal-elb": ["1"] } } } })).toBe(true);
    expect(fails({ ...params, spec: { listeners: [{ protocol: "HTTPS", port: 443, listenerAttributes: [] }] } })).toBe(true);
  });

  test("elbv2 TargetGroupBinding of controller v2.14.0 has no QUIC target group protocol", () => {
    const tgb = emitted(prod, "TargetGroupBinding");
    expect(validateKubernetesObject({ ...tgb, spec: { ...tgb.spec, targetGroupProtocol: "TCP" } })).toEqual([]);
    expect(fails({ ...tgb, spec: { ...tgb.spec, targetGroupProtocol: "QUIC" } })).toBe(true);
  });

  test.each([
    ["80Gi", true],
    ["59000Gi", true],
    ["59001Gi", false],
    ["18Ti", true],
    ["58Ti", true],
    ["59Ti", false],
    ["Ti", false],
    ["64T", true],
  ])("NodeClass ephemeralStorage.size %s is accepted: %s", (size, ok) => {
    const nodeClass = emitted(dev, "NodeClass");
    nodeClass.spec.ephemeralStorage.size = size;
    expect(validateKubernetesObject(nodeClass).length === 0).toBe(ok);
  });
});
