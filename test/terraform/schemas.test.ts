/**
 * The schemas the Terraform check serves are rebuilt from the installed cdktf provider packages
 * (tools/lib/terraform-check/schema-gen.ts) and corrected by the override table
 * (tools/lib/terraform-check/providers.ts). A package bump that changes a generated schema must
 * fail here until someone reviews the table and records the new digests.
 */
import * as path from "node:path";
import { PROVIDERS, generatedBlock, installedVersion, schemaDigest, servedBlock, type TypeKey } from "../../tools/lib/terraform-check/providers";
import type { Attribute, Block } from "../../tools/lib/terraform-check/schema";
import { synthesize } from "../support/synth";

const root = path.resolve(__dirname, "../..");

/** Every provider configuration and resource/data type the example stacks use, by provider. */
function typesUsed(): Map<string, Set<TypeKey>> {
  const out = new Map<string, Set<TypeKey>>();
  const add = (provider: string, key: TypeKey) => {
    if (provider === "terraform") return; // built in
    if (!out.has(provider)) out.set(provider, new Set());
    out.get(provider)!.add(key);
  };
  for (const stack of Object.values(synthesize())) {
    for (const p of Object.keys(stack.provider ?? {})) add(p, "provider");
    for (const t of Object.keys(stack.resource ?? {})) add(t.split("_")[0]!, `resource.${t}`);
    for (const t of Object.keys(stack.data ?? {})) add(t.split("_")[0]!, `data.${t}`);
  }
  return out;
}

const used = typesUsed();

describe.each(PROVIDERS.map((p) => [p.name, p] as const))("%s", (_name, entry) => {
  test("the installed package is the version the override table was reviewed for", () => {
    expect({ package: entry.package, version: installedVersion(entry, root) }).toEqual({ package: entry.package, version: entry.reviewed.packageVersion });
  });

  test("every reviewed type still generates the reviewed schema (else review the overrides, then update its digest)", () => {
    const keys = Object.keys(entry.reviewed.digests).sort() as TypeKey[];
    const actual = Object.fromEntries(keys.map((k) => [k, schemaDigest(generatedBlock(entry, root, k))]));
    expect(actual).toEqual(Object.fromEntries(keys.map((k) => [k, entry.reviewed.digests[k]])));
  });

  test("the reviewed types cover the provider's configuration and what the examples use", () => {
    // A new type is not a package change, so it is listed here rather than blocking the digests:
    // review its generated schema (blocks vs nested attributes, dynamic types) and add its digest.
    const missing = [...(used.get(entry.name) ?? [])].filter((k) => !(k in entry.reviewed.digests)).sort();
    expect(missing).toEqual([]);
    expect(entry.reviewed.digests).toHaveProperty("provider");
  });
});

function attribute(block: Block, name: string): Attribute {
  const a = block.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no attribute ${name}`);
  return a;
}

const aws = PROVIDERS.find((p) => p.name === "aws")!;
const kubernetes = PROVIDERS.find((p) => p.name === "kubernetes")!;
const helm = PROVIDERS.find((p) => p.name === "helm")!;

describe("generated from the cdktf packages", () => {
  // https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/eks_cluster
  const cluster = servedBlock(aws, root, "resource.aws_eks_cluster");

  test("aws_eks_cluster: required, optional+computed and computed-only attributes", () => {
    expect(attribute(cluster, "name")).toEqual({ name: "name", type: "string", required: true, optional: false, computed: false });
    expect(attribute(cluster, "version")).toMatchObject({ required: false, optional: true, computed: true });
    expect(attribute(cluster, "endpoint")).toMatchObject({ type: "string", required: false, optional: false, computed: true });
    expect(attribute(cluster, "certificate_authority")).toMatchObject({ type: ["list", ["object", { data: "string" }]], computed: true, optional: false });
    expect(attribute(cluster, "enabled_cluster_log_types").type).toEqual(["set", "string"]);
  });

  test("aws_eks_cluster: vpc_config is one required block, timeouts a single block", () => {
    const vpc = cluster.blocks.find((b) => b.name === "vpc_config")!;
    expect({ nesting: vpc.nesting, minItems: vpc.minItems, maxItems: vpc.maxItems }).toEqual({ nesting: "LIST", minItems: 1, maxItems: 1 });
    expect(attribute(vpc.block, "subnet_ids")).toMatchObject({ type: ["set", "string"], required: true });
    expect(attribute(vpc.block, "cluster_security_group_id")).toMatchObject({ computed: true, optional: false });
    expect(cluster.blocks.find((b) => b.name === "timeouts")?.nesting).toBe("SINGLE");
  });
});

describe("override table", () => {
  test("kubernetes_manifest: manifest and object are dynamic, wait_for an object attribute", () => {
    const manifest = servedBlock(kubernetes, root, "resource.kubernetes_manifest");
    expect(attribute(manifest, "manifest")).toEqual({ name: "manifest", type: "dynamic", required: true, optional: false, computed: false });
    expect(attribute(manifest, "object")).toMatchObject({ type: "dynamic", optional: true, computed: true });
    expect(attribute(manifest, "wait_for").type).toEqual(["object", { fields: ["map", "string"] }]);
    expect(manifest.blocks.map((b) => b.name)).not.toContain("wait_for");
  });

  test("helm 3.x: the provider's kubernetes and helm_release's set are nested attributes, not blocks", () => {
    const provider = servedBlock(helm, root, "provider");
    expect(provider.blocks).toEqual([]);
    const k8s = attribute(provider, "kubernetes");
    expect(k8s.nested?.nesting).toBe("SINGLE");
    expect(k8s.nested?.attributes.find((a) => a.name === "exec")?.nested?.nesting).toBe("SINGLE");
    const release = servedBlock(helm, root, "resource.helm_release");
    const set = attribute(release, "set");
    expect({ nesting: set.nested?.nesting, optional: set.optional }).toEqual({ nesting: "LIST", optional: true });
    expect(attribute(release, "metadata")).toMatchObject({ computed: true, optional: false });
  });
});
