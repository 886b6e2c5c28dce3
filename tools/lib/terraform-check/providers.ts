/**
 * The providers the check can serve, where their schemas come from, and what cdktf's generated
 * code does not tell (the override table). Reviewed against the providers' own schema code for
 * the versions the packages were generated from; `reviewed` pins those versions and a digest of
 * each generated (pre-override) schema, so a package bump that changes a schema fails
 * test/terraform/schemas.test.ts until someone reviews this table again.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { canonicalJson, type Attribute, type Block, type CtyType, type NestedBlock } from "./schema";
import { generateBlock } from "./schema-gen";

export interface AttributeOverride {
  /** Replace the generated type (a block named so becomes an attribute of this type). */
  type: CtyType;
  optional?: boolean;
  required?: boolean;
  computed?: boolean;
}

export interface ProviderEntry {
  /** Local name and resource type prefix (`aws` → `aws_eks_cluster`). */
  name: string;
  /** Registry source address as Terraform normalizes it. */
  source: string;
  package: string;
  /**
   * Plugin framework providers describe nested values as nested attributes; cdktf writes them
   * all as blocks (`isBlock: true`). When set, every generated block becomes a nested attribute.
   */
  nestedAttributes: boolean;
  /** `resource.<type>` / `data.<type>` / `provider` → attribute path → override. */
  overrides: Record<string, Record<string, AttributeOverride>>;
  /** The package version reviewed, and the digest of each reviewed type's generated schema. */
  reviewed: { packageVersion: string; digests: Record<string, string> };
}

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    name: "aws",
    source: "hashicorp/aws",
    package: "@cdktf/provider-aws",
    // SDKv2 resources, and plugin framework resources written with blocks (the AWS provider's
    // convention for new resources): cdktf's blocks are blocks.
    // https://hashicorp.github.io/terraform-provider-aws/terraform-plugin-development-packages/
    nestedAttributes: false,
    overrides: {},
    reviewed: {
      packageVersion: "21.22.1",
      digests: {
        provider: "843ebf703ec63bc7",
        "data.aws_eks_addon_version": "eb7fd0df0f3603b9",
        "resource.aws_autoscaling_group_tag": "0f793aff12f2ba5a",
        // Karpenter (issue 11), reviewed: SDKv2 resources, plain attributes, LIST target blocks and a SINGLE timeouts
        // block as cdktf generates them; no overrides needed.
        "resource.aws_cloudwatch_event_rule": "ec38a8707d4e7a0c",
        "resource.aws_cloudwatch_event_target": "d544766e1d626d7c",
        "resource.aws_iam_instance_profile": "c5efa42fe763ba93",
        "resource.aws_sqs_queue": "92ad917044ecdfa4",
        "resource.aws_sqs_queue_policy": "81f47e9b74c409d5",
        "resource.aws_cloudwatch_log_group": "a79c052771eaeb00",
        "resource.aws_ebs_volume": "a2b5d6e048f733b3",
        "resource.aws_eks_access_entry": "048d84f390cf7a52",
        "resource.aws_eks_access_policy_association": "2eb39e7ae12eef7b",
        "resource.aws_eks_addon": "abe5a4127f2f966e",
        "resource.aws_eks_cluster": "afcf88bbc20540c3",
        "resource.aws_eks_node_group": "cf2975ba3106f7b0",
        "resource.aws_eks_pod_identity_association": "f63816e2014bdc9a",
        "resource.aws_iam_role": "93654a5722aa577d",
        "resource.aws_iam_role_policy": "24bd03514bfab2dd",
        "resource.aws_iam_role_policy_attachment": "a4c19caa903de190",
        "resource.aws_kms_alias": "a0ffb5cb32ab3625",
        "resource.aws_kms_key": "b632eb33fcc71eb7",
        "resource.aws_launch_template": "cdd6cf39cef5bd04",
        "resource.aws_lb_target_group": "c77a3f4122b725a6",
        "resource.aws_vpc_security_group_ingress_rule": "9e2463a9a27f03c1",
      },
    },
  },
  {
    name: "kubernetes",
    source: "hashicorp/kubernetes",
    package: "@cdktf/provider-kubernetes",
    nestedAttributes: false,
    overrides: {
      // kubernetes_manifest is served by the provider's own tfprotov5 server: `manifest` and
      // `object` are DynamicPseudoType (any object shape; cdktf types them as map(any), which
      // cannot hold a Kubernetes object), and `wait_for` is an attribute of object type, not a
      // block.
      // https://github.com/hashicorp/terraform-provider-kubernetes/blob/v2.38.0/manifest/provider/resource.go (GetProviderResourceSchema)
      "resource.kubernetes_manifest": {
        manifest: { type: "dynamic", required: true },
        object: { type: "dynamic", optional: true, computed: true },
        wait_for: { type: ["object", { fields: ["map", "string"] }], optional: true },
      },
    },
    reviewed: {
      packageVersion: "12.1.1",
      digests: {
        provider: "50bc208fc987afa4",
        "resource.kubernetes_ingress_class_v1": "bbd9894c676159b5",
        "resource.kubernetes_manifest": "039a845d65001c95",
        "resource.kubernetes_namespace_v1": "ad49ce83dd330ac7",
        "resource.kubernetes_persistent_volume_claim_v1": "8a1960ccdd21cf97",
        "resource.kubernetes_persistent_volume_v1": "9787b59dfc0d4a85",
        "resource.kubernetes_service_v1": "d5f9b95d2c870ec9",
        "resource.kubernetes_storage_class_v1": "f636bb1b5dd331b0",
      },
    },
  },
  {
    name: "helm",
    source: "hashicorp/helm",
    package: "@cdktf/provider-helm",
    // Helm provider 3.x is written with the plugin framework and uses nested attributes
    // throughout: the provider's `kubernetes` (and its `exec`), `registries`, `experiments`;
    // helm_release's `set`, `set_list`, `set_sensitive`, `postrender`, `timeouts`, `metadata`.
    // https://github.com/hashicorp/terraform-provider-helm/blob/v3.1.1/helm/provider.go
    // https://github.com/hashicorp/terraform-provider-helm/blob/v3.1.1/helm/resource_helm_release.go
    nestedAttributes: true,
    overrides: {},
    reviewed: {
      packageVersion: "12.1.2",
      digests: {
        provider: "c469511903d56ebd",
        "resource.helm_release": "9d9dab154ad96a11",
      },
    },
  },
];

export class ProviderError extends Error {
  override name = "ProviderError";
}

/** `aws` / `hashicorp/aws` / `registry.terraform.io/hashicorp/aws` → `hashicorp/aws`. */
export function normalizeSource(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `hashicorp/${parts[0]}`;
  if (parts.length === 3 && parts[0] === "registry.terraform.io") return `${parts[1]}/${parts[2]}`;
  return parts.join("/");
}

export function providerBySource(source: string): ProviderEntry | undefined {
  const normalized = normalizeSource(source);
  return PROVIDERS.find((p) => p.source === normalized);
}

export function packageDir(entry: ProviderEntry, root: string): string {
  return dirname(require.resolve(`${entry.package}/package.json`, { paths: [root] }));
}

export function installedVersion(entry: ProviderEntry, root: string): string {
  return (JSON.parse(readFileSync(join(packageDir(entry, root), "package.json"), "utf8")) as { version: string }).version;
}

/** Short digest of one generated schema (before overrides). */
export function schemaDigest(block: Block): string {
  return createHash("sha256").update(canonicalJson(block)).digest("hex").slice(0, 16);
}

export type TypeKey = `provider` | `resource.${string}` | `data.${string}`;

/** The generated schema of one type, before overrides. */
export function generatedBlock(entry: ProviderEntry, root: string, key: TypeKey): Block {
  const dir = packageDir(entry, root);
  if (key === "provider") return generateBlock(dir, entry.name, "provider", entry.name);
  const [kind, type] = key.split(".") as ["resource" | "data", string];
  return generateBlock(dir, entry.name, kind, type);
}

function toNestedAttribute(b: NestedBlock): Attribute {
  const attributes = [...b.block.attributes, ...b.block.blocks.map(toNestedAttribute)].sort((x, y) => (x.name < y.name ? -1 : 1));
  return { name: b.name, nested: { nesting: b.nesting, attributes }, required: b.required, optional: !b.required, computed: b.computed };
}

function applyOverrides(block: Block, overrides: Record<string, AttributeOverride>, where: string): Block {
  const out: Block = { attributes: [...block.attributes], blocks: [...block.blocks] };
  for (const [name, o] of Object.entries(overrides)) {
    if (name.includes(".")) throw new ProviderError(`${where}: nested override paths are not supported (${name})`);
    const attribute: Attribute = { name, type: o.type, required: o.required ?? false, optional: o.optional ?? false, computed: o.computed ?? false };
    const ai = out.attributes.findIndex((a) => a.name === name);
    const bi = out.blocks.findIndex((b) => b.name === name);
    if (ai >= 0) out.attributes[ai] = attribute;
    else if (bi >= 0) {
      out.blocks.splice(bi, 1);
      out.attributes.push(attribute);
    } else throw new ProviderError(`${where}: the override names ${name}, which the generated schema does not have (review tools/lib/terraform-check/providers.ts)`);
  }
  out.attributes.sort((x, y) => (x.name < y.name ? -1 : 1));
  return out;
}

/** The schema the plugin serves for one type: generated, then the provider's corrections. */
export function servedBlock(entry: ProviderEntry, root: string, key: TypeKey): Block {
  let block = generatedBlock(entry, root, key);
  if (entry.nestedAttributes) {
    block = { attributes: [...block.attributes, ...block.blocks.map(toNestedAttribute)].sort((x, y) => (x.name < y.name ? -1 : 1)), blocks: [] };
  }
  const overrides = entry.overrides[key];
  return overrides ? applyOverrides(block, overrides, `${entry.name} ${key}`) : block;
}
