// Validates the Kubernetes objects a synthesized stack will create against published schemas.
//
//   validateKubernetesObject(obj)                  → problems ([] = valid)
//   terraformResourceToKubernetesObjects(type, b)  → the object(s) a hashicorp/kubernetes resource creates
//   validateSynthesizedStack(cdkTfJson)            → problems per kubernetes_* resource address
//
// Where each schema comes from, by apiVersion/kind:
//   - schemas/**/*.schema.json (ajv): eks.amazonaws.com/v1 NodeClass, TargetGroupBinding,
//     IngressClassParams and elbv2.k8s.aws/v1beta1 TargetGroupBinding, IngressClassParams;
//     a schema registers itself through its apiVersion/kind "const"s.
//   - @kubernetes-models/karpenter: karpenter.sh/* and karpenter.k8s.aws/* (NodePool, ...).
//   - kubernetes-models: every built-in group (v1, apps/v1, storage.k8s.io/v1, ...).
//   - anything else: the problem "no schema for <apiVersion>/<kind>"; nothing passes unchecked.
//
// Terraform interpolations ("${aws_ebs_volume.data.id}", cross-stack outputs) are unknown at
// synth time, so a constraint is only reported when it fails whatever the interpolation turns
// out to be: a value that is only an interpolation is never reported; a pattern is re-tested
// with the interpolations replaced by placeholders ("arn:aws:iam::${acct}:role/x" still fails
// the IAM role-name pattern).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { validateWithKubernetesModels, type SchemaError } from "./kubernetes-models";

// ---------------------------------------------------------------------------------------------
// Schemas

const SCHEMA_DIR = join(__dirname, "..", "..", "schemas");

// allErrors: report every problem at once; verbose: errors carry parentSchema, whose
// description explains rules such as "role is a name, not an ARN".
// strict, except strictRequired: "if": { "required": [...] } names properties declared next to it.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
addFormats(ajv);

const crdValidators = new Map<string, ValidateFunction>();
for (const file of readdirSync(SCHEMA_DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".schema.json")).sort()) {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as {
    properties?: { apiVersion?: { const?: unknown }; kind?: { const?: unknown } };
  };
  const apiVersion = schema.properties?.apiVersion?.const;
  const kind = schema.properties?.kind?.const;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new Error(`schemas/${file}: properties.apiVersion.const and properties.kind.const are required`);
  }
  crdValidators.set(`${apiVersion}/${kind}`, ajv.compile(schema));
}

// ---------------------------------------------------------------------------------------------
// Error formatting

// Matches synthesized references ("${aws_ebs_volume.data.id}") and unresolved cdktf tokens
// ("${TfToken[TOKEN.12]}"); one level of nested braces covers "${jsonencode({a = 1})}".
const INTERPOLATION = /\$\{(?:[^{}]|\{[^{}]*\})*\}/g;
// Stand-ins for an unknown value when re-testing a pattern: a letter, a digit, both, upper case.
const PLACEHOLDERS = ["x", "0", "a0", "X"];

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

function unknownAtSynth(err: SchemaError, root: unknown): boolean {
  const value = valueAt(root, err.instancePath);
  if (typeof value !== "string" || value.match(INTERPOLATION) === null) return false;
  const rest = value.replace(INTERPOLATION, "");
  if (rest === "") return true;
  switch (err.keyword) {
    case "pattern": {
      let re: RegExp;
      try {
        re = new RegExp(String(err.params.pattern), "u");
      } catch {
        return false;
      }
      return PLACEHOLDERS.some((p) => re.test(value.replace(INTERPOLATION, p)));
    }
    case "maxLength":
      return rest.length <= Number(err.params.limit);
    case "minLength":
    case "format":
      return true;
    default:
      return false;
  }
}

function renderPath(pointer: string): string {
  if (pointer === "") return "(root)";
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^[0-9]+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function explain(err: SchemaError): string {
  const ps = err.parentSchema;
  if (ps === undefined || typeof ps.description !== "string") return "";
  // For errors about an object's own members the object's description is noise.
  if (ps.properties !== undefined && ["required", "additionalProperties", "type"].includes(err.keyword)) return "";
  return ` — ${ps.description}`;
}

function describe(err: SchemaError & { propertyName?: string }): string {
  let msg = err.message ?? err.keyword;
  if (err.keyword === "additionalProperties") msg += `: "${String(err.params.additionalProperty)}"`;
  if (err.keyword === "enum") msg += `: ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  if (err.keyword === "const") msg += `: ${JSON.stringify(err.params.allowedValue)}`;
  const key = err.propertyName !== undefined ? `key ${JSON.stringify(err.propertyName)} ` : "";
  const where = err.instancePath === "" ? "" : `${renderPath(err.instancePath)}: `;
  return `${where}${key}${msg}${explain(err)}`;
}

/** `path` is `parent` or below it (the root only claims errors at the root itself). */
function within(path: string, parent: string): boolean {
  return path === parent || (parent !== "" && path.startsWith(`${parent}/`));
}

function formatErrors(errors: SchemaError[], root: unknown): string[] {
  // "if" and "propertyNames" only say "a sub-schema failed"; the sub-schema's own error says which.
  const kept = errors.filter((e) => e.keyword !== "if" && e.keyword !== "propertyNames" && !unknownAtSynth(e, root));
  // ajv reports the failed branches of anyOf/oneOf right before the anyOf/oneOf error itself:
  // fold them into one line ("must match a schema in anyOf (must be integer; must be string)").
  const out: string[] = [];
  const pending: SchemaError[] = [];
  for (const e of kept) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      const branches: SchemaError[] = [];
      while (pending.length > 0 && within(pending[pending.length - 1].instancePath, e.instancePath)) branches.unshift(pending.pop()!);
      const detail = [...new Set(branches.map((b) => (b.instancePath === e.instancePath ? b.message : `${renderPath(b.instancePath)} ${b.message}`)))];
      pending.push({ ...e, message: `${e.message ?? e.keyword}${detail.length > 0 ? ` (${detail.join("; ")})` : ""}` });
    } else {
      pending.push(e);
    }
  }
  for (const e of pending) out.push(describe(e));
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Validation

function label(obj: Record<string, unknown>, kind: string): string {
  const md = (obj.metadata ?? {}) as Record<string, unknown>;
  const name = typeof md.name === "string" ? md.name : "<no name>";
  return `${kind} ${typeof md.namespace === "string" ? `${md.namespace}/` : ""}${name}`;
}

/** Problems with `obj` as a Kubernetes object, each prefixed "<Kind> <namespace/name>: "; [] when valid. */
export function validateKubernetesObject(obj: object): string[] {
  const o = obj as Record<string, unknown>;
  const { apiVersion, kind } = o;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return [`object without string apiVersion and kind: ${JSON.stringify(obj).slice(0, 120)}`];
  }
  const where = label(o, kind);
  const crd = crdValidators.get(`${apiVersion}/${kind}`);
  if (crd !== undefined) {
    return crd(o) ? [] : formatErrors((crd.errors ?? []) as SchemaError[], o).map((p) => `${where}: ${p}`);
  }
  const result = validateWithKubernetesModels(apiVersion, kind, o);
  if (!result.known) return [`${where}: no schema for ${apiVersion}/${kind}`];
  const problems = formatErrors(result.errors, o);
  // The OpenAPI ObjectMeta schema makes name optional, but the API server rejects a create
  // without metadata.name or metadata.generateName.
  const md = o.metadata as Record<string, unknown> | undefined;
  if (md?.name === undefined && md?.generateName === undefined) problems.push("metadata.name: is required");
  return problems.map((p) => `${where}: ${p}`);
}

// ---------------------------------------------------------------------------------------------
// Terraform (hashicorp/kubernetes 2.38, as cdktf writes cdk.tf.json) → Kubernetes objects
//
// Each resource type is described by the Terraform attributes it accepts and the Kubernetes
// field each one becomes (https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs).
// An attribute without a rule is reported, never dropped, so a field the converter does not
// understand cannot pass validation unseen. cdktf writes a MaxItems=1 block either as an object
// or as a one-element array (e.g. persistent_volume_v1.spec); both are accepted.

type Problems = string[];
type Convert = (value: unknown, path: string, problems: Problems) => unknown;
type Rule = { to: string; convert?: Convert; merge?: boolean } | "ignore";
type BlockSpec = Record<string, Rule>;

/** Terraform meta-arguments, cdktf's "//" metadata, and provider-only attributes (timeouts, computed id). */
const META: BlockSpec = {
  "//": "ignore",
  count: "ignore",
  for_each: "ignore",
  depends_on: "ignore",
  provider: "ignore",
  lifecycle: "ignore",
  provisioner: "ignore",
  connection: "ignore",
  timeouts: "ignore",
  id: "ignore",
};

/** Terraform coerces "80" to a number for number attributes; so does the converter. */
function toInt(value: unknown): unknown {
  return typeof value === "string" && /^-?[0-9]+$/.test(value) ? Number(value) : value;
}

const to = (name: string, convert?: Convert): Rule => ({ to: name, convert });
const int = (name: string): Rule => ({ to: name, convert: toInt });
// target_port is a string in the provider and becomes an IntOrString via intstr.Parse: numeric
// strings are ports, anything else a named port.
const intOrString = int;

function single(value: unknown, path: string, problems: Problems): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? (value.length <= 1 ? value[0] : undefined) : value;
  if (Array.isArray(value) && value.length > 1) {
    problems.push(`${path}: ${value.length} blocks where the provider allows one`);
    return undefined;
  }
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object") {
    problems.push(`${path}: cannot convert ${JSON.stringify(v)} (the whole block is a Terraform expression?)`);
    return undefined;
  }
  return v as Record<string, unknown>;
}

function convertBlock(spec: BlockSpec, value: unknown, path: string, problems: Problems): Record<string, unknown> | undefined {
  const src = single(value, path, problems);
  if (src === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(src)) {
    if (v === undefined || v === null) continue; // null is "unset" in Terraform JSON
    const rule = spec[key];
    if (rule === undefined) {
      // A camelCase key usually means a cdktf escape hatch or `as any` bypassed the bindings.
      const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const hint = snake !== key && spec[snake] !== undefined ? ` (the provider spells it ${snake})` : "";
      problems.push(`${path}.${key}: attribute not mapped to Kubernetes${hint || " (not in the provider schema, or not supported by test/support/k8s-schema.ts)"}`);
      continue;
    }
    if (rule === "ignore") continue;
    const converted = rule.convert ? rule.convert(v, `${path}.${key}`, problems) : v;
    if (converted === undefined) continue;
    if (rule.merge) Object.assign(out, converted);
    else out[rule.to] = converted;
  }
  return out;
}

/** A nested block that may appear once. */
function block(name: string, spec: BlockSpec): Rule {
  return { to: name, convert: (v, path, problems) => convertBlock(spec, v, path, problems) };
}

/** A nested block that may repeat: becomes a Kubernetes list. */
function blocks(name: string, spec: BlockSpec): Rule {
  return {
    to: name,
    convert: (v, path, problems) => {
      const items = Array.isArray(v) ? v : [v];
      return items.map((item, i) => convertBlock(spec, item, `${path}[${i}]`, problems) ?? {});
    },
  };
}

/** A block whose attributes land directly in the parent object (persistent_volume_source). */
function inline(spec: BlockSpec): Rule {
  return { to: "", merge: true, convert: (v, path, problems) => convertBlock(spec, v, path, problems) };
}

const metadata = (namespaced: boolean): Rule =>
  block("metadata", {
    name: to("name"),
    generate_name: to("generateName"),
    labels: to("labels"),
    annotations: to("annotations"),
    ...(namespaced ? { namespace: to("namespace") } : {}),
  });

const secretRef = (name: string): Rule => block(name, { name: to("name"), namespace: to("namespace") });

const requirement: BlockSpec = { key: to("key"), operator: to("operator"), values: to("values") };

const labelSelector = (name: string): Rule =>
  block(name, { match_labels: to("matchLabels"), match_expressions: blocks("matchExpressions", requirement) });

const RESOURCES: Record<string, { apiVersion: string; kind: string; spec: BlockSpec }> = {
  // https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/namespace_v1
  kubernetes_namespace_v1: {
    apiVersion: "v1",
    kind: "Namespace",
    spec: { metadata: metadata(false), wait_for_default_service_account: "ignore" },
  },
  // .../resources/storage_class_v1: the StorageClass fields are top-level attributes, not a spec.
  kubernetes_storage_class_v1: {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    spec: {
      metadata: metadata(false),
      storage_provisioner: to("provisioner"),
      parameters: to("parameters"),
      reclaim_policy: to("reclaimPolicy"),
      volume_binding_mode: to("volumeBindingMode"),
      allow_volume_expansion: to("allowVolumeExpansion"),
      mount_options: to("mountOptions"),
      allowed_topologies: blocks("allowedTopologies", {
        match_label_expressions: blocks("matchLabelExpressions", { key: to("key"), values: to("values") }),
      }),
    },
  },
  // .../resources/persistent_volume_v1
  kubernetes_persistent_volume_v1: {
    apiVersion: "v1",
    kind: "PersistentVolume",
    spec: {
      metadata: metadata(false),
      spec: block("spec", {
        capacity: to("capacity"),
        access_modes: to("accessModes"),
        persistent_volume_reclaim_policy: to("persistentVolumeReclaimPolicy"),
        storage_class_name: to("storageClassName"),
        volume_mode: to("volumeMode"),
        mount_options: to("mountOptions"),
        claim_ref: block("claimRef", { name: to("name"), namespace: to("namespace") }),
        node_affinity: block("nodeAffinity", {
          required: block("required", {
            node_selector_term: blocks("nodeSelectorTerms", {
              match_expressions: blocks("matchExpressions", requirement),
              match_fields: blocks("matchFields", requirement),
            }),
          }),
        }),
        // Kubernetes has no wrapper: csi, awsElasticBlockStore, ... sit directly in the PV spec.
        persistent_volume_source: inline({
          csi: block("csi", {
            driver: to("driver"),
            volume_handle: to("volumeHandle"),
            fs_type: to("fsType"),
            read_only: to("readOnly"),
            volume_attributes: to("volumeAttributes"),
            controller_expand_secret_ref: secretRef("controllerExpandSecretRef"),
            controller_publish_secret_ref: secretRef("controllerPublishSecretRef"),
            node_publish_secret_ref: secretRef("nodePublishSecretRef"),
            node_stage_secret_ref: secretRef("nodeStageSecretRef"),
          }),
          aws_elastic_block_store: block("awsElasticBlockStore", {
            volume_id: to("volumeID"),
            fs_type: to("fsType"),
            partition: int("partition"),
            read_only: to("readOnly"),
          }),
          host_path: block("hostPath", { path: to("path"), type: to("type") }),
          local: block("local", { path: to("path") }),
          nfs: block("nfs", { server: to("server"), path: to("path"), read_only: to("readOnly") }),
        }),
      }),
    },
  },
  // .../resources/persistent_volume_claim_v1
  kubernetes_persistent_volume_claim_v1: {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    spec: {
      metadata: metadata(true),
      wait_until_bound: "ignore",
      spec: block("spec", {
        access_modes: to("accessModes"),
        resources: block("resources", { requests: to("requests"), limits: to("limits") }),
        selector: labelSelector("selector"),
        volume_name: to("volumeName"),
        storage_class_name: to("storageClassName"),
        volume_mode: to("volumeMode"),
      }),
    },
  },
  // .../resources/ingress_class_v1
  kubernetes_ingress_class_v1: {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    spec: {
      metadata: metadata(false),
      spec: block("spec", {
        controller: to("controller"),
        parameters: block("parameters", {
          api_group: to("apiGroup"),
          kind: to("kind"),
          name: to("name"),
          namespace: to("namespace"),
          scope: to("scope"),
        }),
      }),
    },
  },
  // .../resources/service_v1. Note clusterIP/externalIPs/loadBalancerIP: not plain camelCase.
  kubernetes_service_v1: {
    apiVersion: "v1",
    kind: "Service",
    spec: {
      metadata: metadata(true),
      wait_for_load_balancer: "ignore",
      spec: block("spec", {
        type: to("type"),
        selector: to("selector"),
        port: blocks("ports", {
          name: to("name"),
          port: int("port"),
          protocol: to("protocol"),
          target_port: intOrString("targetPort"),
          node_port: int("nodePort"),
          app_protocol: to("appProtocol"),
        }),
        cluster_ip: to("clusterIP"),
        cluster_ips: to("clusterIPs"),
        external_ips: to("externalIPs"),
        external_name: to("externalName"),
        external_traffic_policy: to("externalTrafficPolicy"),
        internal_traffic_policy: to("internalTrafficPolicy"),
        health_check_node_port: int("healthCheckNodePort"),
        ip_families: to("ipFamilies"),
        ip_family_policy: to("ipFamilyPolicy"),
        load_balancer_class: to("loadBalancerClass"),
        load_balancer_ip: to("loadBalancerIP"),
        load_balancer_source_ranges: to("loadBalancerSourceRanges"),
        allocate_load_balancer_node_ports: to("allocateLoadBalancerNodePorts"),
        publish_not_ready_addresses: to("publishNotReadyAddresses"),
        session_affinity: to("sessionAffinity"),
        session_affinity_config: block("sessionAffinityConfig", {
          client_ip: block("clientIP", { timeout_seconds: int("timeoutSeconds") }),
        }),
      }),
    },
  },
  // .../resources/config_map_v1
  kubernetes_config_map_v1: {
    apiVersion: "v1",
    kind: "ConfigMap",
    spec: { metadata: metadata(true), data: to("data"), binary_data: to("binaryData"), immutable: to("immutable") },
  },
  // .../resources/service_account_v1
  kubernetes_service_account_v1: {
    apiVersion: "v1",
    kind: "ServiceAccount",
    spec: {
      metadata: metadata(true),
      automount_service_account_token: to("automountServiceAccountToken"),
      image_pull_secret: blocks("imagePullSecrets", { name: to("name") }),
      secret: blocks("secrets", { name: to("name") }),
    },
  },
};

// kubernetes_manifest: the `manifest` attribute is the object itself
// (https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest).
const MANIFEST_ONLY_ATTRIBUTES = ["computed_fields", "field_manager", "object", "wait", "wait_for"];

/** Like terraformResourceToKubernetesObjects, but returns conversion problems instead of throwing. */
export function convertTerraformResource(type: string, body: unknown): { objects: object[]; problems: string[] } {
  const problems: Problems = [];
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { objects: [], problems: [`${type}: resource body is not an object`] };
  }
  if (type === "kubernetes_manifest") {
    const b = body as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      if (key !== "manifest" && !MANIFEST_ONLY_ATTRIBUTES.includes(key) && META[key] === undefined) {
        problems.push(`${key}: attribute not mapped to Kubernetes (not in the provider schema)`);
      }
    }
    const m = b.manifest;
    if (m === null || typeof m !== "object" || Array.isArray(m)) {
      problems.push(`manifest: ${m === undefined ? "missing" : `cannot validate ${JSON.stringify(m).slice(0, 80)} (a Terraform expression?)`}`);
      return { objects: [], problems };
    }
    return { objects: [structuredClone(m)], problems };
  }
  const resource = RESOURCES[type];
  if (resource === undefined) {
    return { objects: [], problems: [`no converter for Terraform resource type ${type}: add it to test/support/k8s-schema.ts`] };
  }
  const converted = convertBlock({ ...META, ...resource.spec }, body, "", problems) ?? {};
  return { objects: [{ apiVersion: resource.apiVersion, kind: resource.kind, ...converted }], problems: problems.map((p) => p.replace(/^\./, "")) };
}

/**
 * The Kubernetes object(s) a hashicorp/kubernetes resource creates, from its body in
 * cdk.tf.json (`resource.<type>.<name>`). Throws when part of the body cannot be converted.
 */
export function terraformResourceToKubernetesObjects(type: string, body: any): object[] {
  const { objects, problems } = convertTerraformResource(type, body);
  if (problems.length > 0) throw new Error(`${type}: cannot convert:\n  ${problems.join("\n  ")}`);
  return objects;
}

/**
 * Converts and validates every kubernetes_* resource in a synthesized stack (the parsed
 * cdk.tf.json). One entry per resource, problems [] when it is valid.
 */
export function validateSynthesizedStack(json: any): { address: string; problems: string[] }[] {
  const results: { address: string; problems: string[] }[] = [];
  const resources = (json?.resource ?? {}) as Record<string, Record<string, unknown>>;
  for (const type of Object.keys(resources).sort()) {
    if (!type.startsWith("kubernetes_")) continue;
    for (const name of Object.keys(resources[type]).sort()) {
      const { objects, problems } = convertTerraformResource(type, resources[type][name]);
      for (const obj of objects) problems.push(...validateKubernetesObject(obj));
      results.push({ address: `${type}.${name}`, problems });
    }
  }
  return results;
}
