/**
 * The generated reference docs are current: docs/reference/configuration.md matches the schema and
 * docs/reference/input-rules.md the rules and derived names. Regenerate with `npm run docs`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedDocs } from "../../tools/lib/docs";
import { RULES } from "../../stacks/environment-rules";

const repo = path.resolve(__dirname, "../..");
const docs = generatedDocs();

test.each(docs.map((d) => [d.path, d.content] as const))("%s is current (npm run docs regenerates it)", (file, content) => {
  const committed = fs.existsSync(path.join(repo, file)) ? fs.readFileSync(path.join(repo, file), "utf8") : "(missing)";
  expect(committed).toBe(content);
});

test("the configuration reference has a row for fields at every depth, maps as <key> and lists as []", () => {
  const ref = docs.find((d) => d.path.endsWith("configuration.md"))!.content;
  for (const field of ["account.planRoleArn", "cluster.endpoint.privateAccessSources.securityGroupIds", "volumes.<key>.claim.name", "policyWaivers[].reason", "cluster.compute.nodeGroups.<key>.taints[].effect"]) {
    expect(ref).toContain(`| \`${field}\` |`);
  }
  // Defaults, enums, ranges and the .describe() texts all reach the table.
  expect(ref).toMatch(/\| `cluster\.logRetentionDays` \| number \| `90` \|/);
  expect(ref).toMatch(/\| `rolloutWave` \| integer \| `1` \| 1-100 \| Environments deploy in waves/);
  expect(ref).toContain('`"STANDARD"` \\| `"EXTENDED"`');
});

test("the input-rule table lists every rule once, with the fields it reads and its source", () => {
  const table = docs.find((d) => d.path.endsWith("input-rules.md"))!.content;
  for (const r of RULES) {
    const rows = table.split("\n").filter((l) => l.startsWith(`| \`${r.name}\` |`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`[source](${r.source})`);
    for (const n of r.needs) expect(rows[0]).toContain(`\`${n}\``);
  }
  expect(table).toContain("| IAM role | `<cluster>-node` | always | account, any letter case | 64 |");
});
