/**
 * Bench-only: `n` valid, distinct environments made from the product's two fixture environments
 * (test/fixtures/environments: dev, Auto Mode; prod, managed node groups), alternating, with their
 * own name, 12-digit account, region and zones. Deterministic, so runs compare. From the fixtures,
 * not stacks/environments/: a team that renames or removes dev or prod keeps a working bench (and
 * its type check). Not for anything that deploys.
 */
import type { EnvironmentInput } from "../../../stacks/environment-schema";
import { dev } from "../../../test/fixtures/environments/dev";
import { prod } from "../../../test/fixtures/environments/prod";

/** Regions with the zone letters used for a cluster's subnets (commercial partition only: ARNs stay arn:aws:). */
const REGIONS: readonly (readonly [string, readonly string[]])[] = [
  ["ap-northeast-1", ["a", "c", "d"]],
  ["us-east-1", ["a", "b", "c"]],
  ["eu-west-1", ["a", "b", "c"]],
  ["us-west-2", ["a", "b", "c"]],
  ["eu-central-1", ["a", "b", "c"]],
  ["ap-southeast-2", ["a", "b", "c"]],
];

const EXAMPLES: readonly { readonly env: EnvironmentInput; readonly account: string; readonly region: string }[] = [
  { env: dev, account: dev.account.id, region: dev.account.region },
  { env: prod, account: prod.account.id, region: prod.account.region },
];

/** A 12-digit account id per index, never one of the examples' (111…, 222…, 333…). */
export const accountId = (i: number): string => String(400_000_000_000 + i * 7_919).padStart(12, "0");

export function generateEnvironments(n: number): EnvironmentInput[] {
  return Array.from({ length: n }, (_, i) => {
    const example = EXAMPLES[i % EXAMPLES.length]!;
    const [region, zones] = REGIONS[i % REGIONS.length]!;
    const name = `${example.env.name}-${String(i).padStart(3, "0")}`;
    const account = accountId(i);
    // Every account id, region and zone in the example, rewritten as text: ARNs, bucket names and
    // zones follow without listing them field by field.
    const json = JSON.stringify(example.env)
      .replaceAll(example.account, account)
      .replace(new RegExp(`${example.region}([a-z])`, "g"), (_z, letter: string) => `${region}${zones[Math.max(0, "acd".indexOf(letter))]}`)
      .replaceAll(example.region, region);
    const env = JSON.parse(json) as EnvironmentInput;
    return {
      ...env,
      name,
      cluster: { ...env.cluster, name: `acme-${name}` },
      tags: { ...env.tags, environment: name },
      rolloutWave: 1 + (i % 3),
    };
  });
}
