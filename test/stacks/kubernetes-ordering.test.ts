/**
 * Every ordering the Kubernetes and controllers stacks rely on, asserted on the synthesized JSON:
 * a `depends_on` entry or a `${...}` reference. cdktf 0.21 writes nothing for `node.addDependency`
 * between resources, so an ordering that exists only in the construct tree fails these tests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deepClone, synthesize, synthesizeInto, type SynthesizedStacks, type TerraformJson } from "../support/synth";
import { dev } from "../fixtures/environments/dev";

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});

/** `type.name` of every resource of a stack, with its body. */
function resources(stack: TerraformJson): Array<[string, TerraformJson]> {
  return Object.entries<Record<string, TerraformJson>>(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]): [string, TerraformJson] => [`${type}.${name}`, body]),
  );
}

/** Does `body` wait for `address`: listed in depends_on, or referenced (`${address.attr}`)? */
function waitsFor(body: TerraformJson, address: string): boolean {
  const { depends_on: dependsOn = [], ...rest } = body;
  return (dependsOn as string[]).includes(address) || JSON.stringify(rest).includes(`\${${address}.`);
}

/** `[dependent, dependency]` pairs an ordering rule requires that the stack does not honour. */
function missing(stack: TerraformJson, rule: (all: Array<[string, TerraformJson]>) => Array<[string, string]>): string[] {
  const all = resources(stack);
  const bodies = Object.fromEntries(all);
  return rule(all)
    .filter(([dependent, dependency]) => !waitsFor(bodies[dependent], dependency))
    .map(([dependent, dependency]) => `${dependent} does not wait for ${dependency}`);
}

const byType = (all: Array<[string, TerraformJson]>, type: string) => all.filter(([a]) => a.startsWith(`${type}.`));
const manifestsOf = (all: Array<[string, TerraformJson]>, kind: string) => byType(all, "kubernetes_manifest").filter(([, b]) => b.manifest.kind === kind);
const metadataOf = (body: TerraformJson) => (Array.isArray(body.metadata) ? body.metadata[0] : body.metadata) ?? body.manifest?.metadata;

/** Namespaces the stack creates, by name → address. */
function namespaces(all: Array<[string, TerraformJson]>): Map<string, string> {
  return new Map(byType(all, "kubernetes_namespace_v1").map(([a, b]) => [metadataOf(b).name as string, a]));
}

const RULES: Record<string, (all: Array<[string, TerraformJson]>) => Array<[string, string]>> = {
  "every namespaced object and Helm release in a namespace the stack creates waits for that namespace": (all) => {
    const ns = namespaces(all);
    return all.flatMap(([address, body]): Array<[string, string]> => {
      const namespace = address.startsWith("helm_release.") ? body.namespace : metadataOf(body)?.namespace;
      return ns.has(namespace) ? [[address, ns.get(namespace)!]] : [];
    });
  },
  "a claim waits for its StorageClass and its PersistentVolume": (all) => {
    const classes = new Map(byType(all, "kubernetes_storage_class_v1").map(([a, b]) => [metadataOf(b).name as string, a]));
    const volumes = byType(all, "kubernetes_persistent_volume_v1");
    return byType(all, "kubernetes_persistent_volume_claim_v1").flatMap(([address, body]): Array<[string, string]> => {
      const { namespace, name } = metadataOf(body);
      const volume = volumes.find(([, v]) => v.spec[0].claim_ref.namespace === namespace && v.spec[0].claim_ref.name === name);
      return [
        ...(classes.has(body.spec.storage_class_name) ? [[address, classes.get(body.spec.storage_class_name)!] as [string, string]] : []),
        ...(volume ? [[address, volume[0]] as [string, string]] : []),
      ];
    });
  },
  "an IngressClass waits for the IngressClassParams it names": (all) => {
    const params = manifestsOf(all, "IngressClassParams");
    return byType(all, "kubernetes_ingress_class_v1").flatMap(([address, body]) =>
      (body.spec.parameters ?? [])
        .map((p: TerraformJson) => params.find(([, m]) => m.manifest.metadata.name === p.name && m.manifest.apiVersion.startsWith(`${p.api_group}/`)))
        .filter(Boolean)
        .map((m: [string, TerraformJson]): [string, string] => [address, m[0]]),
    );
  },
  "a NodePool waits for its NodeClass": (all) => {
    const classes = manifestsOf(all, "NodeClass");
    return manifestsOf(all, "NodePool").flatMap(([address, body]) => {
      const ref = body.manifest.spec.template.spec.nodeClassRef;
      const nodeClass = classes.find(([, m]) => m.manifest.metadata.name === ref.name);
      return nodeClass ? [[address, nodeClass[0]] as [string, string]] : [];
    });
  },
  "every Helm release waits for the claims, StorageClass, IngressClass, kube-dns shim and NodePools it may use": (all) => {
    const platform = [
      ...byType(all, "kubernetes_persistent_volume_claim_v1"),
      ...byType(all, "kubernetes_storage_class_v1"),
      ...byType(all, "kubernetes_ingress_class_v1"),
      ...byType(all, "kubernetes_service_v1").filter(([, b]) => metadataOf(b).name === "kube-dns"),
      ...manifestsOf(all, "NodePool"),
    ].map(([a]) => a);
    return byType(all, "helm_release").flatMap(([address]) => platform.map((p): [string, string] => [address, p]));
  },
};

describe.each(["dev-k8s", "prod-k8s"])("%s", (name) => {
  test.each(Object.keys(RULES))("%s", (rule) => {
    expect(missing(stacks[name], RULES[rule])).toEqual([]);
  });
});

test("each rule has something to check in the examples (a rule that matches nothing proves nothing)", () => {
  for (const [rule, pairs] of Object.entries(RULES)) {
    const found = ["dev-k8s", "prod-k8s"].reduce((n, s) => n + pairs(resources(stacks[s])).length, 0);
    expect([rule, found > 0]).toEqual([rule, true]);
  }
  // The exact set of dev-k8s orderings, so a new object type is added here deliberately.
  const all = resources(stacks["dev-k8s"]);
  const pairs = Object.values(RULES).flatMap((r) => r(all).map(([a, b]) => `${a} -> ${b}`));
  expect(pairs.sort()).toEqual(
    [
      "helm_release.helm-argocd_release -> kubernetes_ingress_class_v1.ingress-class_ingress-class",
      "helm_release.helm-argocd_release -> kubernetes_manifest.node-pool-batch_node-pool",
      "helm_release.helm-argocd_release -> kubernetes_namespace_v1.namespace-argocd",
      "helm_release.helm-argocd_release -> kubernetes_persistent_volume_claim_v1.volume-loki-data_claim",
      "helm_release.helm-argocd_release -> kubernetes_service_v1.kube-dns-shim_service",
      "helm_release.helm-argocd_release -> kubernetes_storage_class_v1.storage-class_storage-class",
      "helm_release.helm-metrics-server_release -> kubernetes_ingress_class_v1.ingress-class_ingress-class",
      "helm_release.helm-metrics-server_release -> kubernetes_manifest.node-pool-batch_node-pool",
      "helm_release.helm-metrics-server_release -> kubernetes_persistent_volume_claim_v1.volume-loki-data_claim",
      "helm_release.helm-metrics-server_release -> kubernetes_service_v1.kube-dns-shim_service",
      "helm_release.helm-metrics-server_release -> kubernetes_storage_class_v1.storage-class_storage-class",
      "kubernetes_ingress_class_v1.ingress-class_ingress-class -> kubernetes_manifest.ingress-class_params",
      "kubernetes_manifest.node-pool-batch_node-pool -> kubernetes_manifest.node-pool-batch_node-class",
      "kubernetes_manifest.target-group-binding-argocd_manifest -> kubernetes_namespace_v1.namespace-argocd",
      "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim -> kubernetes_namespace_v1.namespace-monitoring",
      "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim -> kubernetes_persistent_volume_v1.volume-loki-data_volume",
      "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim -> kubernetes_storage_class_v1.storage-class_storage-class",
    ].sort(),
  );
});

test("moved to a namespace of their own, a claim, a binding and a release wait for that namespace", () => {
  const env = deepClone(dev) as TerraformJson;
  env.volumes["loki-data"].claim.namespace = "logs";
  env.targetGroups.argocd.service.namespace = "logs";
  env.helm.argocd.namespace = "logs";
  const stack = synthesize([env])["dev-k8s"];
  const rule = RULES["every namespaced object and Helm release in a namespace the stack creates waits for that namespace"];
  expect(rule(resources(stack)).map(([a, b]) => `${a} -> ${b}`).sort()).toEqual([
    "helm_release.helm-argocd_release -> kubernetes_namespace_v1.namespace-logs",
    "kubernetes_manifest.target-group-binding-argocd_manifest -> kubernetes_namespace_v1.namespace-logs",
    "kubernetes_persistent_volume_claim_v1.volume-loki-data_claim -> kubernetes_namespace_v1.namespace-logs",
  ]);
  expect(missing(stack, rule)).toEqual([]);
});

test("stacks deploy in order: AWS, then the controllers (their CRDs and webhooks), then Kubernetes objects", () => {
  const outdir = process.env.EKS_TEST_EXAMPLES_OUTDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "eks-order-"));
  if (!process.env.EKS_TEST_EXAMPLES_OUTDIR) synthesizeInto(outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const dependencies = Object.fromEntries(Object.entries<{ dependencies: string[] }>(manifest.stacks).map(([n, s]) => [n, [...s.dependencies].sort()]));
  expect(dependencies).toEqual({
    "dev-aws": [],
    "dev-k8s": ["dev-aws"],
    "prod-aws": [],
    "prod-controllers": ["prod-aws"],
    "prod-k8s": ["prod-aws", "prod-controllers"],
  });
});

test("no construct orders resources with node.addDependency (cdktf 0.21 writes nothing for it; use dependsOn)", () => {
  const root = path.join(__dirname, "..", "..");
  const files = ["stacks", "modules"].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)),
  );
  expect(files.length).toBeGreaterThan(10);
  expect(files.filter((f) => /\.node\.addDependency\(/.test(fs.readFileSync(path.join(root, f), "utf8")))).toEqual([]);
});
