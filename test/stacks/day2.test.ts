/**
 * renames and adopt (stacks/day2.ts) on Terraform JSON shaped like the AWS and Kubernetes stacks':
 * renamed keys get `moved` blocks and keep their AWS names; adopted objects get `import` blocks,
 * which the review shows as "import", and a rename shows as a move, not destroy + create.
 */
import { applyDay2 } from "../../stacks/day2";
import type { JsonObject } from "../../tools/lib/json";
import { renderMarkdown } from "../../tools/lib/render";
import { reviewSynth } from "../../tools/lib/review";

const awsJson = (key: string): JsonObject => ({
  resource: {
    aws_eks_cluster: { cluster_cluster: { name: "acme-prod", version: "1.34" } },
    aws_iam_role: { cluster_role: { name: "acme-prod-cluster" }, "node-role": { name: "acme-prod-node" } },
    aws_kms_key: { "cluster_secrets-key_key": { description: "secrets" } },
    aws_kms_alias: { "cluster_secrets-key_alias": { name: "alias/eks/acme-prod/secrets", target_key_id: "${aws_kms_key.cluster_secrets-key_key.key_id}" } },
    aws_eks_access_entry: { "cluster_access-deployer_entry": { cluster_name: "${aws_eks_cluster.cluster_cluster.name}", principal_arn: "arn:aws:iam::111111111111:role/deployer" } },
    aws_eks_node_group: { [`node-group-${key}_node-group`]: { node_group_name: key, instance_types: ["m7i.large"], launch_template: { id: `\${aws_launch_template.node-group-${key}_launch-template.id}` } } },
    aws_launch_template: { [`node-group-${key}_launch-template`]: { name: `acme-prod-${key}`, update_default_version: true } },
  },
});
const env = { cluster: { name: "acme-prod" }, access: {}, account: { id: "111111111111" } } as never;

test("a renamed node group: moved blocks for each resource under the key, the old node group and template names kept", () => {
  const tf = awsJson("general");
  applyDay2({ ...(env as object), renames: { nodeGroups: { default: "general" }, volumes: {}, targetGroups: {}, access: {}, nodePools: {} } } as never, "aws", tf);
  expect(tf.moved).toEqual([
    { from: "aws_eks_node_group.node-group-default_node-group", to: "aws_eks_node_group.node-group-general_node-group" },
    { from: "aws_launch_template.node-group-default_launch-template", to: "aws_launch_template.node-group-general_launch-template" },
  ]);
  const resource = tf.resource as Record<string, Record<string, JsonObject>>;
  expect(resource.aws_eks_node_group!["node-group-general_node-group"]!.node_group_name).toBe("default");
  expect(resource.aws_launch_template!["node-group-general_launch-template"]!.name).toBe("acme-prod-default");
  // The review: moves with no change, nothing replaced.
  const report = reviewSynth(new Map([["prod-aws", awsJson("default")]]), new Map([["prod-aws", tf]]));
  expect(report.stacks[0]!.changes.map((c) => [c.address, c.action])).toEqual([
    ["aws_eks_node_group.node-group-general_node-group", "no-op"],
    ["aws_launch_template.node-group-general_launch-template", "no-op"],
  ]);
});

test("adopt: import blocks with the ids Terraform expects, shown as import in the review", () => {
  const tf = awsJson("general");
  applyDay2({ ...(env as object), adopt: { cluster: true, iamRoles: ["acme-prod-cluster", "acme-prod-node"], logGroup: false, kmsKeys: { secrets: "1234abcd-12ab-34cd-56ef-1234567890ab" }, accessEntries: ["deployer"], nodeGroups: ["general"], volumes: {}, targetGroups: {} } } as never, "aws", tf);
  expect(tf.import).toEqual([
    { to: "aws_eks_access_entry.cluster_access-deployer_entry", id: "acme-prod:arn:aws:iam::111111111111:role/deployer" },
    { to: "aws_eks_cluster.cluster_cluster", id: "acme-prod" },
    { to: "aws_eks_node_group.node-group-general_node-group", id: "acme-prod:general" },
    { to: "aws_iam_role.cluster_role", id: "acme-prod-cluster" },
    { to: "aws_iam_role.node-role", id: "acme-prod-node" },
    { to: "aws_kms_alias.cluster_secrets-key_alias", id: "alias/eks/acme-prod/secrets" },
    { to: "aws_kms_key.cluster_secrets-key_key", id: "1234abcd-12ab-34cd-56ef-1234567890ab" },
  ]);
  const report = { title: "Synth review", subject: "s", ...reviewSynth(new Map(), new Map([["prod-aws", tf]])) };
  const markdown = renderMarkdown(report);
  expect(markdown).toContain("| prod-aws | no | 1 | 7 | 0 | 0 | 0 | 0 |");
  expect(markdown).toContain("<code>+ aws_eks_cluster.cluster_cluster</code>: import</summary>");
});
