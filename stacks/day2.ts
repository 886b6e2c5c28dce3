/**
 * Day-2 config: renaming a key without replacing what it names (`renames`), and bringing objects
 * that already exist under management (`adopt`). Both become Terraform blocks in the synthesized
 * JSON of the environment's stacks (EnvironmentStack.toTerraform calls applyDay2):
 *
 * - `moved { from, to }` for every resource under a renamed key. Where the AWS name derives from
 *   the key (node group and launch template, target group, PersistentVolume), the old name is kept,
 *   because those names force replacement. Node pools: the NodePool/NodeClass names are the key and
 *   Kubernetes forces replacement (kubernetes_manifest `metadata.name`), so a renamed pool is moved
 *   but replaced: the review says so.
 *   https://developer.hashicorp.com/terraform/language/moved
 * - `import { to, id }` (Terraform ≥ 1.5) for each adopted object, so the first plan reads it
 *   instead of creating it; the review shows "import".
 *   https://developer.hashicorp.com/terraform/language/import
 */
import { z } from "zod";
import type { Environment } from "./environment-schema";
import { derivedNames } from "./derived-names";
import type { Rule } from "./environment-rules";

const KEY = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const key = z.string().regex(KEY, { error: (iss) => `${JSON.stringify(iss.input)} is not a config key (lowercase letters, digits and "-", at most 40)` });
/** `{ oldKey: newKey }`. */
const renameMap = z.record(key, key);

export const renamesSchema = z
  .strictObject({
    nodeGroups: renameMap.default({}),
    volumes: renameMap.default({}),
    targetGroups: renameMap.default({}),
    access: renameMap.default({}),
    nodePools: renameMap.default({}),
  })
  .default({ nodeGroups: {}, volumes: {}, targetGroups: {}, access: {}, nodePools: {} })
  .describe("Keys renamed since the last deploy, `{ old: new }` per section: the stacks write `moved` blocks and keep the old AWS names, so nothing is replaced. Remove an entry once every environment has deployed it.");

export const adoptSchema = z
  .strictObject({
    cluster: z.boolean().default(false).describe("Import the existing EKS cluster `cluster.name`."),
    // A list, not "all": an eksctl or hand-made cluster has some of the roles the stacks create, rarely all,
    // and importing one that does not exist stops the whole plan (review #2, F2).
    iamRoles: z
      .array(z.string().min(1))
      .default([])
      .describe("Names of existing IAM roles to import, among those the stacks create (`<cluster>-cluster`, `<cluster>-node`, ...; docs/reference/input-rules.md lists them); the others are created."),
    logGroup: z.boolean().default(false).describe("Import `/aws/eks/<cluster>/cluster`."),
    kmsKeys: z
      .strictObject({ secrets: z.string().min(1).optional(), logs: z.string().min(1).optional(), ebs: z.string().min(1).optional() })
      .default({})
      .describe("Existing KMS key ids by use; their aliases `alias/eks/<cluster>/<use>` are imported with them."),
    accessEntries: z.array(key).default([]).describe("Keys of `access` (or `deployer`, `planner`) whose entry and policy associations exist."),
    nodeGroups: z.array(key).default([]).describe("Node group keys that exist under the same name (their launch template is ours: EKS replaces a node group that switches templates)."),
    volumes: z.record(key, z.string().regex(/^vol-[0-9a-f]{8,17}$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an EBS volume id (use the volume's id, for example "vol-0123456789abcdef0")` })).default({}),
    targetGroups: z.record(key, z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:/, { error: (iss) => `${JSON.stringify(iss.input)} is not a target group ARN (use the ARN, arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)` })).default({}),
  })
  .optional()
  .describe("Objects that already exist (made by hand, eksctl or other Terraform) to import instead of create. See docs/guides/adopting-an-existing-cluster.md.");

export type Renames = z.infer<typeof renamesSchema>;
export type Adopt = NonNullable<z.infer<typeof adoptSchema>>;

type JsonObject = Record<string, any>;

/** Construct-id prefixes of each renamable section, per stack kind (see aws-stack.ts, kubernetes-stack.ts). */
const PREFIXES: Record<keyof Renames, Partial<Record<string, (k: string) => string>>> = {
  nodeGroups: { aws: (k) => `node-group-${k}` },
  volumes: { aws: (k) => `volume-${k}`, k8s: (k) => `volume-${k}` },
  targetGroups: { aws: (k) => `target-group-${k}`, k8s: (k) => `target-group-binding-${k}` },
  access: { aws: (k) => `cluster_access-${k}` },
  nodePools: { k8s: (k) => `node-pool-${k}` },
};

/** Whether a Terraform name is under a construct prefix (`node-group-a` matches `node-group-a_x`, not `node-group-ab`). */
const under = (id: string, prefix: string) => id === prefix || id.startsWith(`${prefix}_`);

function keepName(type: string, body: JsonObject, cluster: string, oldKey: string, newKey: string): void {
  const [oldName, newName] = [`${cluster}-${oldKey}`, `${cluster}-${newKey}`];
  if (type === "aws_eks_node_group" && body.node_group_name === newKey) body.node_group_name = oldKey;
  if ((type === "aws_launch_template" || type === "aws_lb_target_group") && body.name === newName) body.name = oldName;
  if (type === "aws_lb_target_group" && body.tags?.Name === newName) body.tags.Name = oldName;
  // The launch template's instance and volume `Name` tags and the ASG's `Name` tag too: a changed tag is a new
  // launch template version, which rolls every node of the group (review #2, F4).
  if (type === "aws_launch_template") {
    for (const spec of (body.tag_specifications ?? []) as JsonObject[]) if (spec.tags?.Name === newName) spec.tags.Name = oldName;
  }
  if (type === "aws_autoscaling_group_tag" && body.tag?.key === "Name" && body.tag.value === newName) body.tag.value = oldName;
  if (type === "kubernetes_persistent_volume_v1" && body.metadata?.name === newName) body.metadata.name = oldName;
  // A TargetGroupBinding is named after its key; a new name would replace it and deregister the targets meanwhile (F5).
  if (type === "kubernetes_manifest" && body.manifest?.kind === "TargetGroupBinding" && body.manifest.metadata?.name === newKey) body.manifest.metadata.name = oldKey;
}

/** Adds `moved` and `import` blocks (and keeps renamed AWS names) in a stack's Terraform JSON. */
export function applyDay2(env: Pick<Environment, "cluster" | "access" | "account"> & { renames?: Renames; adopt?: Adopt }, kind: string, tf: JsonObject): void {
  const resources: Record<string, Record<string, JsonObject>> = tf.resource ?? {};
  const cluster = env.cluster.name;
  const moved: Array<{ from: string; to: string }> = [];
  for (const [section, pairs] of Object.entries(env.renames ?? {}) as Array<[keyof Renames, Record<string, string>]>) {
    const prefix = PREFIXES[section][kind];
    if (!prefix) continue;
    for (const [oldKey, newKey] of Object.entries(pairs)) {
      for (const [type, byName] of Object.entries(resources)) {
        for (const [id, body] of Object.entries(byName)) {
          if (!under(id, prefix(newKey))) continue;
          moved.push({ from: `${type}.${prefix(oldKey)}${id.slice(prefix(newKey).length)}`, to: `${type}.${id}` });
          keepName(type, body, cluster, oldKey, newKey);
        }
      }
    }
  }
  if (moved.length > 0) tf.moved = [...(tf.moved ?? []), ...moved.sort((a, b) => a.to.localeCompare(b.to))];

  const adopt = env.adopt;
  if (!adopt || kind !== "aws") return;
  const imports: Array<{ to: string; id: string }> = [];
  const each = (type: string, pick: (id: string, body: JsonObject) => string | undefined) => {
    for (const [id, body] of Object.entries(resources[type] ?? {})) {
      const importId = pick(id, body);
      if (importId !== undefined) imports.push({ to: `${type}.${id}`, id: importId });
    }
  };
  const literal = (v: unknown) => (typeof v === "string" && !v.includes("${") ? v : undefined);
  const keyUse = (id: string) => /(secrets|logs|ebs)-key/.exec(id)?.[1] as "secrets" | "logs" | "ebs" | undefined;
  if (adopt.cluster) each("aws_eks_cluster", () => cluster);
  each("aws_iam_role", (_id, b) => (adopt.iamRoles.includes(String(b.name)) ? literal(b.name) : undefined));
  if (adopt.logGroup) each("aws_cloudwatch_log_group", (_id, b) => literal(b.name));
  each("aws_kms_key", (id) => (keyUse(id) ? adopt.kmsKeys[keyUse(id)!] : undefined));
  each("aws_kms_alias", (id, b) => (keyUse(id) && adopt.kmsKeys[keyUse(id)!] ? literal(b.name) : undefined));
  const entry = (id: string) => adopt.accessEntries.find((k) => under(id, `cluster_access-${k}`));
  // Import ids: aws_eks_access_entry "cluster:principal"; aws_eks_access_policy_association "cluster#principal#policy".
  each("aws_eks_access_entry", (id, b) => (entry(id) && literal(b.principal_arn) ? `${cluster}:${b.principal_arn}` : undefined));
  each("aws_eks_access_policy_association", (id, b) => (entry(id) && literal(b.principal_arn) && literal(b.policy_arn) ? `${cluster}#${b.principal_arn}#${b.policy_arn}` : undefined));
  each("aws_eks_node_group", (id, b) => (adopt.nodeGroups.some((k) => under(id, `node-group-${k}`)) ? `${cluster}:${String(b.node_group_name)}` : undefined));
  each("aws_ebs_volume", (id) => Object.entries(adopt.volumes).find(([k]) => under(id, `volume-${k}`))?.[1]);
  each("aws_lb_target_group", (id) => Object.entries(adopt.targetGroups).find(([k]) => under(id, `target-group-${k}`))?.[1]);
  if (imports.length > 0) tf.import = [...(tf.import ?? []), ...imports.sort((a, b) => a.to.localeCompare(b.to))];
}

/** Config rules of `renames` and `adopt` (exact messages: test/stacks/environment-validation.test.ts). */
export const DAY2_RULES: readonly Rule[] = [
  {
    name: "renames-name-existing-keys",
    needs: ["renames", "cluster", "volumes", "targetGroups", "access", "nodePools"],
    source: "https://developer.hashicorp.com/terraform/language/moved",
    check(env, report) {
      const e = env as Environment & { renames: Renames };
      const compute = e.cluster.compute as { nodeGroups?: Record<string, unknown>; nodePools?: Record<string, unknown> };
      const keys: Record<keyof Renames, Record<string, unknown>> = {
        nodeGroups: compute.nodeGroups ?? {},
        volumes: e.volumes,
        targetGroups: e.targetGroups,
        access: e.access,
        // Node pools are top-level since issue 11 (stacks/compute/); older configs had them under compute.
        nodePools: (e as { nodePools?: Record<string, unknown> }).nodePools ?? compute.nodePools ?? {},
      };
      for (const [section, pairs] of Object.entries(e.renames) as Array<[keyof Renames, Record<string, string>]>) {
        for (const [oldKey, newKey] of Object.entries(pairs)) {
          if (!(newKey in keys[section])) report(["renames", section, oldKey], `renames to "${newKey}", which is not a key of ${section} (rename the key in ${section} too, or fix the entry)`);
          else if (oldKey in keys[section]) report(["renames", section, oldKey], `"${oldKey}" is still a key of ${section} (a rename moves the old key's objects to the new one; remove "${oldKey}" from ${section})`);
        }
      }
    },
  },
  {
    name: "adopt-names-existing-keys",
    needs: ["adopt", "cluster", "volumes", "targetGroups", "access", "nodePools"],
    source: "https://developer.hashicorp.com/terraform/language/import",
    check(env, report) {
      const e = env as Environment & { adopt?: Adopt };
      if (!e.adopt) return;
      const groups = (e.cluster.compute as { nodeGroups?: Record<string, unknown> }).nodeGroups ?? {};
      const roles = derivedNames(e).filter((d) => d.kind === "IAM role").map((d) => d.name);
      e.adopt.iamRoles.forEach((r, i) => {
        if (!roles.includes(r)) report(["adopt", "iamRoles", i], `"${r}" is not a role these stacks create (they create ${roles.join(", ")}; adopt only those)`);
      });
      e.adopt.nodeGroups.forEach((k, i) => {
        if (!(k in groups)) report(["adopt", "nodeGroups", i], `"${k}" is not a node group of cluster.compute.nodeGroups (adopt only what the config describes)`);
      });
      e.adopt.accessEntries.forEach((k, i) => {
        if (!(k in e.access) && k !== "deployer" && k !== "planner") report(["adopt", "accessEntries", i], `"${k}" is not a key of access (nor "deployer"/"planner")`);
      });
      for (const k of Object.keys(e.adopt.volumes)) if (!(k in e.volumes)) report(["adopt", "volumes", k], `is not a key of volumes (adopt only what the config describes)`);
      for (const k of Object.keys(e.adopt.targetGroups)) if (!(k in e.targetGroups)) report(["adopt", "targetGroups", k], `is not a key of targetGroups (adopt only what the config describes)`);
    },
  },
];
