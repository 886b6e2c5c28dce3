import { parse } from "yaml";
import { CHART_VALUE_KEYS, compareWithValues, unknownValueKeys } from "../../modules/private/chart-values";
import { synthesize, type SynthesizedStacks, type TerraformJson } from "../support/synth";

let stacks: SynthesizedStacks;
beforeAll(() => {
  stacks = synthesize();
});

/** Every helm_release of the example stacks, as `<stack> <resource>` → body. */
function releases(): Array<[string, TerraformJson]> {
  return Object.entries(stacks).flatMap(([stack, json]) =>
    Object.entries<TerraformJson>(json.resource?.helm_release ?? {}).map(([name, body]): [string, TerraformJson] => [`${stack} ${name}`, body]),
  );
}

test("prod-controllers: the chart creates neither IngressClass nor IngressClassParams (the k8s stack owns them) and no Service mutator webhook", () => {
  const values = JSON.parse(stacks["prod-controllers"].resource.helm_release["aws-load-balancer-controller_release"].values[0]);
  expect(values.createIngressClassResource).toBe(false);
  expect(values.ingressClassParams).toEqual({ create: false });
  expect(values.enableServiceMutatorWebhook).toBe(false);
  // ...while the k8s stack creates them, once each.
  expect(Object.keys(stacks["prod-k8s"].resource.kubernetes_ingress_class_v1)).toEqual(["ingress-class_ingress-class"]);
  expect(Object.values<TerraformJson>(stacks["prod-k8s"].resource.kubernetes_manifest).filter((m) => m.manifest.kind === "IngressClassParams")).toHaveLength(1);
});

test("every Helm release of the examples uses only value keys its pinned chart version declares", () => {
  const all = releases();
  expect(all.map(([, r]) => `${r.chart}@${r.version}`).sort()).toEqual([
    "argo-cd@10.1.1",
    "argo-cd@10.1.1",
    "aws-load-balancer-controller@1.14.0",
    "karpenter-crd@1.14.1",
    "karpenter@1.14.1",
    "metrics-server@3.13.0",
    "metrics-server@3.13.0",
  ]);
  const problems = all.flatMap(([at, r]) => {
    const table = CHART_VALUE_KEYS[`${r.chart}@${r.version}`];
    if (!table) return [`${at}: no value-key table for ${r.chart}@${r.version} in modules/private/chart-values/`];
    return unknownValueKeys(JSON.parse(r.values[0]), table.keys).map((k) => `${at}: ${k}`);
  });
  expect(problems).toEqual([]);
});

test("a misspelled or misplaced value key is named with its path", () => {
  const keys = CHART_VALUE_KEYS["aws-load-balancer-controller@1.14.0"].keys;
  const values = { enableServiceMutatorWebHook: false, ingressClassParams: { crate: false }, serviceAccount: { name: "x" }, resources: { anything: { goes: 1 } } };
  expect(unknownValueKeys(values, keys)).toEqual(["enableServiceMutatorWebHook", "ingressClassParams.crate"]);
});

// The tables are written from the pinned values.yaml (their `source`); tools/check-chart-values.ts
// compares a table with a values.yaml. These pin what was read, so an edit to a table is deliberate.
test.each([
  ["aws-load-balancer-controller@1.14.0", 89, { ingressClassParams: ["create", "name", "spec"], serviceAccount: ["annotations", "automountServiceAccountToken", "create", "imagePullSecrets", "name"] }],
  ["metrics-server@3.13.0", 39, {}],
  [
    "karpenter@1.14.1",
    34,
    {
      controller: ["containerName", "env", "envFrom", "extraVolumeMounts", "healthProbe", "image", "metrics", "resources", "securityContext", "sidecarContainer", "sidecarVolumeMounts"],
      serviceAccount: ["annotations", "create", "name"],
      settings: [
        "amiRefreshInterval", "batchIdleDuration", "batchMaxDuration", "clusterCABundle", "clusterEndpoint", "clusterName", "disableClusterStateObservability", "disableDryRun",
        "eksControlPlane", "enableZonalShift", "featureGates", "ignoreDRARequests", "interruptionQueue", "isolatedVPC", "minValuesPolicy", "preferencePolicy", "reservedENIs",
        "subnetRefreshInterval", "vmMemoryOverheadPercent",
      ],
    },
  ],
  ["karpenter-crd@1.14.1", 1, {}],
  ["argo-cd@10.1.1", 23, { configs: ["clusterCredentials", "cm", "cmp", "credentialTemplates", "credentialTemplatesAnnotations", "gpg", "params", "rbac", "repositories", "repositoriesAnnotations", "secret", "ssh", "styles", "tls"] }],
])("%s: %d top-level keys, nested keys of the maps we set", (name, topLevel, nested) => {
  const table = CHART_VALUE_KEYS[name];
  expect(`${table.chart}@${table.version}`).toBe(name);
  expect(table.source).toMatch(/^https:\/\/github\.com\/.+\/blob\/[0-9a-f]{40}\/.+values\.yaml$/);
  expect(Object.keys(table.keys)).toHaveLength(topLevel);
  const written = Object.fromEntries(Object.entries(table.keys).filter(([, v]) => v !== true).map(([k, v]) => [k, Object.keys(v as object).sort()]));
  expect(written).toEqual(nested);
});

test("a table is compared with a values.yaml both ways, top level and written-out maps", () => {
  const yaml = parse("replicaCount: 2\nserviceAccount:\n  create: true\n  name:\n  automount: true\nnewKey: {}\n");
  const keys = { replicaCount: true, removedKey: true, serviceAccount: { create: true, name: true, annotations: true } } as const;
  expect(compareWithValues(keys, yaml)).toEqual([
    "newKey: in values.yaml, missing from the table",
    "removedKey: in the table, not in values.yaml",
    "serviceAccount.annotations: in the table, not in values.yaml",
    "serviceAccount.automount: in values.yaml, missing from the table",
  ]);
  expect(compareWithValues({ replicaCount: true, serviceAccount: { create: true, name: true, automount: true }, newKey: true }, yaml)).toEqual([]);
});
