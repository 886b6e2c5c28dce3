/**
 * The estimated monthly cost of each environment, from its configuration and data/prices.json:
 * control plane (standard or extended support), node groups at their configured size, volumes,
 * and for capacity that scales (Auto Mode and Karpenter pools) the price per 100 vCPU-hours with
 * the Auto Mode fee. Reads and validates the configuration only: no synth, no AWS call.
 * Library: tools/lib/cost/. Options: see --help.
 */
import { checkWritable, CliError, EXIT_USAGE, loadConfig, runTool, UsageError } from "./lib/cli";
import { writeFileSync } from "node:fs";
import { estimateEnvironment } from "./lib/cost/model";
import { isDay, loadPriceFile, PriceFileError, PRICES_FILE } from "./lib/cost/prices";
import { renderCostMarkdown, renderCostTerminal } from "./lib/cost/render";
import { selectEnvironments } from "./lib/rollout";

runTool(
  {
    name: "cost",
    command: "npm run -s cost --",
    summary: `Estimates each environment's monthly cost from its configuration and the prices in data/prices.json
(plus the environment's own cost section): control plane, node groups at their configured size, volumes;
for Auto Mode and Karpenter pools the price per 100 vCPU-hours and the Auto Mode fee; and what the
same capacity would pay on the other compute mode. Estimates, not bills (docs/cost.md).`,
    options: {
      env: { type: "string", value: "NAME", multiple: true, default: [], description: "only this environment (default: all)" },
      from: { type: "string", value: "YYYY-MM-DD", description: "first day of the month estimated (default: today, UTC);\ndecides standard or extended support" },
      markdown: { type: "string", value: "FILE", description: "also write the Markdown report (tables and a chart) there" },
      prices: { type: "string", value: "FILE", description: "price table to use instead of data/prices.json" },
    },
    notes: `A price of a total missing is an error (the total becomes a lower bound); a price missing only from the
comparison with the other compute mode or from a pool's price per 100 vCPU-hours is a note. Both name the
price and where to add it. Prices in an environment's cost section that nothing uses are notes too.
Exit 0 every price of the totals known (notes or not), 1 invalid configuration
or a price of a total missing, 2 usage error or an unreadable or invalid price table.`,
  },
  ({ values }) => {
    const from = values.from;
    // A day that exists: Date.parse takes 2026-02-30 as 2026-03-02, so the date must read back the same.
    if (from !== undefined && !isDay(from)) {
      // In the format, but no such day (2026-02-30): say which, or the message reads as a format error.
      const noSuchDay = /^\d{4}-\d{2}-\d{2}$/.test(from) ? ` (${from} is not a day of the calendar)` : "";
      throw new UsageError(`--from ${JSON.stringify(from)}: expected a date as YYYY-MM-DD${noSuchDay}`);
    }
    checkWritable("markdown", values.markdown);
    let file;
    try {
      file = loadPriceFile(values.prices);
    } catch (e) {
      // Every problem of the table at once, one line each, no stack trace: an input error, like a missing file.
      if (e instanceof PriceFileError) throw new CliError(e.message, EXIT_USAGE);
      // The cause first, the fix in the brackets (the convention of every config message).
      const cause = e instanceof SyntaxError ? `not JSON: ${e.message.split("\n")[0]}` : ((e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message.split("\n")[0]);
      const fix = values.prices !== undefined ? "give --prices the path of a price table laid out like data/prices.json, or leave --prices out for the shipped one" : "restore data/prices.json from the repository";
      throw new CliError(`${values.prices ?? PRICES_FILE}: cannot read the price table: ${cause} (${fix})`, EXIT_USAGE);
    }
    const envs = selectEnvironments(loadConfig(), { envs: values.env ?? [] });
    const costs = envs.map((e) => estimateEnvironment(e, file, from !== undefined ? { from } : {}));
    process.stdout.write(renderCostTerminal(costs));
    if (values.markdown !== undefined) writeFileSync(values.markdown, renderCostMarkdown(costs));
    // Only prices of the bill decide (c.missing); c.gaps (comparison, pool prices) are notes.
    return costs.some((c) => c.missing.length > 0) ? 1 : 0;
  },
);
