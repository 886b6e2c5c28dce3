/**
 * Compares a chart's value-key table (modules/private/chart-values/) with that chart's values.yaml,
 * for when a pinned chart version is added or bumped: the tests check our values against the
 * table; this proves the table against the chart.
 *
 *   npx tsx tools/check-chart-values.ts <chart>@<version> <values.yaml>
 *
 * Get the values.yaml with `helm show values <repo>/<chart> --version <version>`, or from the
 * chart's source at the commit the table names. Exit 0 same keys, 1 differences, 2 usage error.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CHART_VALUE_KEYS, compareWithValues } from "../modules/private/chart-values";

function main(argv: readonly string[]): number {
  const known = Object.keys(CHART_VALUE_KEYS).sort().join(", ");
  if (argv.length !== 2 || argv[0] === "--help") {
    process.stderr.write(`usage: npx tsx tools/check-chart-values.ts <chart>@<version> <values.yaml>\n  tables: ${known}\n`);
    return 2;
  }
  const [name, file] = argv as [string, string];
  const table = CHART_VALUE_KEYS[name];
  if (!table) {
    process.stderr.write(`check-chart-values: ${name}: no table (known: ${known})\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    process.stderr.write(`check-chart-values: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 2;
  }
  const problems = compareWithValues(table.keys, parse(text));
  if (problems.length === 0) {
    process.stdout.write(`${name}: the table matches ${file}\n`);
    return 0;
  }
  process.stdout.write(`${name}: ${problems.length} difference${problems.length === 1 ? "" : "s"} with ${file}:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
