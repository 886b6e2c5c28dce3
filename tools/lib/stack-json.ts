/**
 * Reading a synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`): its managed resources
 * and the environment metadata the stacks write for the review and the plan summary.
 */
import { isObject, type JsonObject, stripMeta } from "./json";

/**
 * The stack-level contract with stacks/: a protected environment's stack carries
 * `"//": { "environment": { "name": "prod", "protected": true } }` at the top of cdk.tf.json
 * (`stack.addOverride("//.environment", {...})`).
 */
export function stackEnvironment(stack: JsonObject | undefined): { name?: string; protected: boolean } {
  const meta = stack?.["//"];
  const env = isObject(meta) ? meta.environment : undefined;
  if (!isObject(env)) return { protected: false };
  return { ...(typeof env.name === "string" ? { name: env.name } : {}), protected: env.protected === true };
}

export interface Resource {
  readonly address: string;
  readonly type: string;
  /** Without `"//"` metadata. */
  readonly body: JsonObject;
}

/** Managed resources (`resource.<type>.<name>`); data sources are reads and are left out. */
export function stackResources(stack: JsonObject | undefined): Map<string, Resource> {
  const out = new Map<string, Resource>();
  const resources = stack?.resource;
  if (!isObject(resources)) return out;
  for (const type of Object.keys(resources).sort()) {
    const byName = resources[type];
    if (!isObject(byName)) continue;
    for (const name of Object.keys(byName).sort()) {
      const body = stripMeta(byName[name]);
      out.set(`${type}.${name}`, { address: `${type}.${name}`, type, body: isObject(body) ? body : {} });
    }
  }
  return out;
}

