import { validateSynthesizedStack } from "../support/k8s-schema";
import { dev } from "../../stacks/environments/dev";
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
