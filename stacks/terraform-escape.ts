/**
 * Terraform reads every string in its JSON configuration as a template: `${...}` interpolates and
 * `%{...}` runs a directive, so a user's Helm value such as `"${CLUSTER_NAME}"` would fail the plan
 * with "Invalid reference". Doubling the sigil keeps the text literal (`$${` → `${`, `%%{` → `%{`).
 * Map keys are templates too. Applied to the validated config before any construct sees it, so
 * every user string is escaped once, wherever it lands.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function escapeTemplate(s: string): string {
  return s.replace(/([$%])\{/g, "$1$1{");
}

/** A deep copy of `value` with every string and object key escaped. */
export function escapeTemplates<T>(value: T): T {
  if (typeof value === "string") return escapeTemplate(value) as T;
  if (Array.isArray(value)) return value.map(escapeTemplates) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), escapeTemplates(v)])) as T;
  }
  return value;
}
