/**
 * Everything a Kubernetes stack refers to exists in the same environment: a TargetGroupBinding's
 * Service is deployed (by this stack or a Helm release of it), a claim's namespace is created or
 * built in, a claim's volume and a volume's claim are both here, an IngressClass's parameters and a
 * NodePool's NodeClass exist. A generic check of any synthesized k8s stack.
 */
import { dev } from "../fixtures/environments/dev";
import { deepClone, synthesize, type SynthesizedStacks, type TerraformJson } from "../support/synth";

const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
/** NodeClass EKS Auto Mode creates itself (create-node-class: "default" is reserved). */
const BUILT_IN_NODE_CLASSES = ["default"];

/**
 * The Services a chart version renders, from its release name and values. Only charts whose
 * templates were read are here; a Service of any other chart counts as not deployed.
 */
const CHART_SERVICES: Record<string, (release: string, values: TerraformJson) => string[]> = {
  // argo-cd 10.1.1 (https://github.com/argoproj/argo-helm/tree/argo-cd-10.1.1/charts/argo-cd):
  // templates/_common.tpl "argo-cd.fullname" (fullnameOverride, else the release name when it
  // contains nameOverride `argocd`, else `<release>-argocd`), templates/_helpers.tpl
  // "argo-cd.server.fullname" = `<fullname>-<server.name>` (server.name `server`), truncated at 63.
  "argo-cd@10.1.1": (release, values) => {
    const name = values.nameOverride ?? "argocd";
    const full = (values.fullnameOverride || (release.includes(name) ? release : `${release}-${name}`)).slice(0, 63).replace(/-+$/, "");
    return [`${full}-${values.server?.name ?? "server"}`.slice(0, 63).replace(/-+$/, "")];
  },
};

function danglingReferences(stack: TerraformJson): string[] {
  const r = stack.resource ?? {};
  const of = (type: string): Array<[string, TerraformJson]> => Object.entries(r[type] ?? {}).map(([n, b]) => [`${type}.${n}`, b as TerraformJson]);
  const meta = (b: TerraformJson) => (Array.isArray(b.metadata) ? b.metadata[0] : b.metadata);
  const manifests = (kind: string) => of("kubernetes_manifest").filter(([, b]) => b.manifest.kind === kind);
  const namespaces = new Set([...BUILT_IN_NAMESPACES, ...of("kubernetes_namespace_v1").map(([, b]) => meta(b).name)]);
  const services = new Set(of("kubernetes_service_v1").map(([, b]) => `${meta(b).namespace}/${meta(b).name}`));
  for (const [, release] of of("helm_release")) {
    const render = CHART_SERVICES[`${release.chart}@${release.version}`];
    for (const name of render?.(release.name, JSON.parse(release.values?.[0] ?? "{}")) ?? []) services.add(`${release.namespace}/${name}`);
  }
  const problems: string[] = [];
  for (const [address, b] of manifests("TargetGroupBinding")) {
    const service = `${b.manifest.metadata.namespace}/${b.manifest.spec.serviceRef.name}`;
    if (!services.has(service)) problems.push(`${address}: Service ${service}: nothing in this environment deploys it`);
  }
  const volumes = of("kubernetes_persistent_volume_v1");
  const claims = of("kubernetes_persistent_volume_claim_v1");
  for (const [address, b] of claims) {
    const { namespace, name } = meta(b);
    if (!namespaces.has(namespace)) problems.push(`${address}: namespace ${namespace}: neither created here nor built in`);
    const volume = volumes.find(([pv, v]) => b.spec.volume_name === meta(v).name || b.spec.volume_name === `\${${pv}.metadata[0].name}`);
    if (!volume) problems.push(`${address}: volume ${b.spec.volume_name}: not in this environment`);
    else if (volume[1].spec[0].claim_ref.namespace !== namespace || volume[1].spec[0].claim_ref.name !== name) problems.push(`${address}: its volume ${volume[0]} is reserved for another claim`);
  }
  for (const [address, v] of volumes) {
    const ref = v.spec[0].claim_ref;
    if (ref && !claims.some(([, c]) => meta(c).namespace === ref.namespace && meta(c).name === ref.name)) problems.push(`${address}: claim ${ref.namespace}/${ref.name}: not in this environment`);
  }
  for (const [address, b] of of("kubernetes_ingress_class_v1")) {
    for (const p of b.spec.parameters ?? []) {
      if (!manifests(p.kind).some(([, m]) => m.manifest.metadata.name === p.name && m.manifest.apiVersion.startsWith(`${p.api_group}/`))) problems.push(`${address}: ${p.api_group} ${p.kind} ${p.name}: not in this environment`);
    }
  }
  for (const [address, b] of manifests("NodePool")) {
    // An Auto Mode NodeClass or a Karpenter EC2NodeClass, by the ref's group and kind.
    const { group, kind, name: ref } = b.manifest.spec.template.spec.nodeClassRef;
    const builtIn = kind === "NodeClass" && BUILT_IN_NODE_CLASSES.includes(ref);
    if (!builtIn && !manifests(kind).some(([, m]) => m.manifest.metadata.name === ref && m.manifest.apiVersion.startsWith(`${group}/`))) problems.push(`${address}: ${kind} ${ref}: not in this environment`);
  }
  return problems;
}

/** A fixture environment owned by this test: one bound Service, one claim, one release. */
function fixture(change: (env: TerraformJson) => void = () => {}): TerraformJson {
  const env = deepClone(dev) as TerraformJson;
  env.name = "refs";
  env.targetGroups = {
    web: { port: 8080, service: { namespace: "cd", name: "argocd-server", port: 80 }, loadBalancerSecurityGroupId: "sg-0a1b2c3d4e5f60718" },
  };
  env.volumes = { data: { availabilityZone: "ap-northeast-1a", sizeGiB: 10, claim: { namespace: "cd", name: "data" } } };
  env.helm = { argocd: { repository: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "10.1.1", namespace: "cd" } };
  change(env);
  return synthesize([env])["refs-k8s"];
}

let examples: SynthesizedStacks;
beforeAll(() => {
  examples = synthesize();
});

test.each(["dev-k8s", "prod-k8s"])("%s: everything its objects refer to is deployed by the same environment", (name) => {
  expect(danglingReferences(examples[name])).toEqual([]);
});

test("fixture: a bound Service deployed by a release, and a claim in a namespace the stack creates, are found", () => {
  expect(danglingReferences(fixture())).toEqual([]);
});

test("fixture: a bound Service that no release deploys, or that the release names differently, is reported", () => {
  const message = "kubernetes_manifest.target-group-binding-web_manifest: Service cd/argocd-server: nothing in this environment deploys it";
  expect(danglingReferences(fixture((env) => (env.helm = {})))).toEqual([message]);
  // Release `cd` does not contain `argocd`: the chart names its Service cd-argocd-server.
  expect(danglingReferences(fixture((env) => ((env.helm.cd = env.helm.argocd), delete env.helm.argocd)))).toEqual([message]);
  expect(danglingReferences(fixture((env) => (env.helm.argocd.namespace = "other")))).toEqual([message]);
});

test("fixture: a claim in a namespace nothing creates, or a volume reserved for a missing claim, is reported", () => {
  const stack = fixture();
  delete stack.resource.kubernetes_namespace_v1;
  delete stack.resource.kubernetes_manifest["target-group-binding-web_manifest"];
  const claim = Object.keys(stack.resource.kubernetes_persistent_volume_claim_v1)[0];
  expect(danglingReferences(stack)).toEqual([`kubernetes_persistent_volume_claim_v1.${claim}: namespace cd: neither created here nor built in`]);
  delete stack.resource.kubernetes_persistent_volume_claim_v1;
  expect(danglingReferences(stack)).toEqual(["kubernetes_persistent_volume_v1.volume-data_volume: claim cd/data: not in this environment"]);
});
