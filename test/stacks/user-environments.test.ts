/**
 * The one check of the user's own environments (stacks/environments): whatever a team adds or
 * removes there, each environment parses, synthesizes, passes the policy check, and every object
 * its Kubernetes stacks refer to is created by the same environment. Nothing here names an
 * environment: an empty list, a list without dev, or ten new environments all keep it green unless
 * one of them is broken. The product's behaviour is tested on test/fixtures/environments.
 */
import { parseEnvironments } from "../../stacks/environment-validation";
import { loadEnvironments } from "../../stacks/load-environments";
import { runPolicy } from "../../tools/lib/policy";
import { synthesize } from "../support/synth";

const inputs = loadEnvironments();
const envs = parseEnvironments(inputs);

test("every environment in stacks/environments is valid", () => {
  expect(envs).toHaveLength(inputs.length);
});

describe.each(envs.length > 0 ? envs.map((e) => [e.name] as const) : [["(none)"] as const])("environment %s", (name) => {
  const env = inputs.find((e) => (e as { name?: string }).name === name);
  const stacks = env ? synthesize([env]) : {};

  test("synthesizes its stacks", () => {
    if (!env) return; // an empty list synthesizes nothing, which is fine
    expect(Object.keys(stacks).sort()).toEqual(expect.arrayContaining([`${name}-aws`, `${name}-k8s`]));
  });

  test("passes the policy check (failures need a waiver with a reason in the environment)", () => {
    const findings = runPolicy(Object.entries(stacks).map(([stack, json]) => ({ name: stack, json })));
    expect(findings.filter((f) => f.status === "fail").map((f) => `${f.check} ${f.stack}/${f.address}`)).toEqual([]);
  });
});
