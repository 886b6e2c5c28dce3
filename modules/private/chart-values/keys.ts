/**
 * The value keys a pinned Helm chart declares in its values.yaml, so values we pass can be checked
 * at test time without the chart: Helm accepts any key silently, and a misspelled or renamed key
 * (chart upgrades rename them) would leave the chart's default in place with no error.
 *
 * A tree: `true` marks a key whose value is taken as a whole (a scalar, a list, or a free-form map
 * such as `resources` that the chart passes through); an object lists the nested keys the chart
 * declares. Only the nested keys of values we set are written out; the rest are `true`.
 */
export type ValueKeyTree = { readonly [key: string]: true | ValueKeyTree };

export interface ChartValueKeys {
  readonly chart: string;
  readonly version: string;
  /** values.yaml at the exact commit the keys were read from. */
  readonly source: string;
  readonly keys: ValueKeyTree;
}

/** Dotted paths of every key in `values` that `keys` does not declare, sorted. */
export function unknownValueKeys(values: unknown, keys: ValueKeyTree, prefix = ""): string[] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const declared = keys[key];
    if (declared === undefined) unknown.push(path);
    else if (declared !== true) unknown.push(...unknownValueKeys(value, declared, path));
  }
  return unknown.sort();
}

/** Every key path of a tree (`a`, `a.b`, ...), sorted: what tools/check-chart-values.ts compares. */
export function keyPaths(keys: ValueKeyTree, prefix = ""): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(keys)) {
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path);
    if (value !== true) paths.push(...keyPaths(value, path));
  }
  return paths.sort();
}

/**
 * Differences between a table and a chart's parsed values.yaml: the top-level keys, and the keys
 * of every map the table writes out, must be the same sets. Used by tools/check-chart-values.ts.
 */
export function compareWithValues(keys: ValueKeyTree, values: unknown, prefix = ""): string[] {
  const declared = values !== null && typeof values === "object" && !Array.isArray(values) ? Object.keys(values) : [];
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const problems: string[] = [];
  for (const key of declared) if (!(key in keys)) problems.push(`${at(key)}: in values.yaml, missing from the table`);
  for (const [key, nested] of Object.entries(keys)) {
    if (!declared.includes(key)) problems.push(`${at(key)}: in the table, not in values.yaml`);
    else if (nested !== true) problems.push(...compareWithValues(nested, (values as Record<string, unknown>)[key], at(key)));
  }
  return problems.sort();
}
