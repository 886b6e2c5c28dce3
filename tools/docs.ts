/**
 * `npm run docs`: writes the generated reference docs (docs/reference/configuration.md from the
 * config schema, docs/reference/input-rules.md from the rules and derived names); `--check` writes
 * nothing and fails when a committed file is stale. Options: see --help.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { runTool } from "./lib/cli";
import { generatedDocs } from "./lib/docs";

const ROOT = resolve(__dirname, "..");

runTool(
  {
    name: "docs",
    command: "npm run -s docs --",
    summary: `Writes the generated docs: docs/reference/configuration.md (from stacks/environment-schema.ts)
and docs/reference/input-rules.md (from stacks/environment-rules.ts and stacks/derived-names.ts).`,
    options: {
      check: { type: "boolean", description: "write nothing; list the stale files and exit 1 if any" },
    },
    notes: "Exit 0 written (or, with --check, current), 1 a generated file is stale (--check), 2 usage error.",
  },
  ({ values }) => {
    const stale: string[] = [];
    for (const doc of generatedDocs()) {
      const file = join(ROOT, doc.path);
      const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      if (current === doc.content) continue;
      stale.push(doc.path);
      if (!values.check) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, doc.content);
      }
    }
    if (values.check) {
      if (stale.length === 0) return 0;
      process.stderr.write(`docs: stale: ${stale.join(", ")} (run npm run docs and commit the result)\n`);
      return 1;
    }
    process.stdout.write(stale.length === 0 ? "docs: up to date\n" : stale.map((p) => `wrote ${p}\n`).join(""));
    return 0;
  },
);
