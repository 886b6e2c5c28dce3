/**
 * Rendering a Report: Markdown for a pull-request comment, and a few lines for the terminal.
 */
import { type AttrDiff, compact } from "./json";
import type { ReplaceCause } from "./force-new";
import { counts, type Finding, GUARDED_TYPES, isDestructive, type Report, type ResourceChange, type StackReport, type Violation } from "./report";

const MAX_VALUE = 200;

/** A value as inline code that survives a Markdown table cell. */
function code(text: string): string {
  const short = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
  const escaped = short.replace(/\|/g, "\\|");
  return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

const SYMBOL: Record<ResourceChange["action"], string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  read: "<=",
  "no-op": "→",
  forget: ".",
};

export function describeAction(change: ResourceChange): string {
  switch (change.action) {
    case "replace": {
      const order = change.replaceOrder === "create-before-destroy" ? "create then destroy" : "destroy then create";
      const maybe = change.causes.length > 0 && change.causes.every((c) => c.possible) ? "possible " : "";
      return `${maybe}replace (${order})`;
    }
    case "update":
      return change.metaOnly ? "update (meta-arguments only)" : change.unpredicted ? "update (replacement not predicted)" : "update in place";
    case "create":
      return change.importId !== undefined ? "import" : "create";
    case "delete":
      return "destroy";
    case "no-op":
      return change.movedFrom ? "move (no change)" : "no change";
    case "forget":
      return "forget (removed from state, object kept)";
    default:
      return change.action;
  }
}

function describeCause(cause: ReplaceCause): string {
  const link = cause.doc ? ` ([docs](${cause.doc}))` : "";
  const verb = cause.possible ? "may force replacement (if it differs from the live value)" : "forces replacement";
  return `${code(cause.path)} ${verb}${cause.note ? `: ${cause.note}` : ""}${link}`;
}

function why(change: ResourceChange): string {
  const parts = change.causes.map(describeCause);
  if (change.reason) parts.push(change.reason);
  return parts.join("<br>") || "—";
}

function violationKey(v: Violation): string {
  return `${v.stack}/${v.address}`;
}

function statusOf(stack: StackReport, change: ResourceChange, report: Report): string {
  const key = `${stack.name}/${change.address}`;
  if (report.violations.some((v) => violationKey(v) === key)) return "🛑 blocked";
  if (report.allowed.some((v) => violationKey(v) === key)) return "⚠ accepted (--allow-destroy)";
  if (change.preventDestroy || GUARDED_TYPES.has(change.type)) return stack.protected ? "⚠" : "⚠ (stack not protected)";
  return "⚠";
}

function diffTable(diffs: readonly AttrDiff[]): string[] {
  if (diffs.length === 0) return ["_(no attribute changes)_"];
  return [
    "| attribute | before | after |",
    "|---|---|---|",
    ...diffs.map((d) => `| ${code(d.path)} | ${code(compact(d.before))} | ${code(compact(d.after))} |`),
  ];
}

function movedBlock(from: string, to: string): string[] {
  return ["moved {", `  from = ${from}`, `  to   = ${to}`, "}"];
}

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /**
   * Keep the report under this many characters: the most important parts first, per-resource
   * details dropped from the end with a pointer to the full report. @default no limit
   */
  readonly limit?: number;
  /** Where the full report is (a path, or "the `review` workflow artifact"), for the pointer. */
  readonly fullReport?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** At most `max` rows; the rest summarized in one line. */
function capped<T>(items: readonly T[], max: number, row: (item: T) => string, more: (n: number) => string): string[] {
  return [...items.slice(0, max).map(row), ...(items.length > max ? [more(items.length - max)] : [])];
}

function blockingFindings(report: Report): Finding[] {
  return (report.findings ?? []).filter((f) => f.severity === "block");
}

/** Why an accepted replacement may still fail at apply time. */
function acknowledgementConsequence(v: Violation, report: Report): string {
  const change = report.stacks.find((s) => s.name === v.stack)?.changes.find((c) => c.address === v.address);
  if (v.action === "replace" && change?.preventDestroyAfter) {
    return "still has `lifecycle.prevent_destroy` (from `protected: true`): `terraform apply` stops with \"Instance cannot be destroyed\" until a change removes it (set `protected: false` in its own reviewed change, apply, then this change)";
  }
  if (v.action === "replace" || change?.preventDestroy) return "`prevent_destroy` is gone from the new configuration, so Terraform will destroy it: make sure the data is backed up";
  return "it is destroyed when this is applied";
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const blocking = blockingFindings(report);
  const warnings = (report.findings ?? []).filter((f) => f.severity === "warn");
  const acknowledged = report.acknowledged ?? [];
  const blockedCount = report.violations.length + blocking.length;
  const out: string[] = [`## ${report.title}`, "", report.subject, ""];
  if (blockedCount > 0) {
    const parts = [
      ...(report.violations.length > 0 ? [`${plural(report.violations.length, "protected resource")} would be replaced or destroyed`] : []),
      ...(blocking.length > 0 ? [`${plural(blocking.length, "blocking finding")} (EKS / Kubernetes change rules)`] : []),
    ];
    out.push(`**🛑 Blocked: ${parts.join("; ")}.**`, "");
  }
  else if (report.allowed.length + acknowledged.length > 0) {
    out.push(`**⚠ Nothing blocks, but ${plural(report.allowed.length + acknowledged.length, "destructive change")} ${report.allowed.length + acknowledged.length === 1 ? "was" : "were"} accepted deliberately (see below).**`, "");
  } else out.push(`**✅ Nothing blocks: no protected resource is replaced or destroyed, no EKS rule is broken${warnings.length > 0 ? ` (${plural(warnings.length, "warning")})` : ""}.**`, "");

  // 1. What blocks.
  if (blocking.length > 0) {
    out.push("### 🛑 Blocking findings", "", "| rule | stack | finding | source |", "|---|---|---|---|");
    out.push(...capped(blocking, 50, (f) => `| \`${f.rule}\` | ${f.stack} | ${cell(f.message)} | [docs](${f.source}) |`, (n) => `| | | … and ${n} more (full report) | |`), "");
    const ack = blocking.filter((f) => f.acknowledgeable);
    if (ack.length > 0) out.push(`Accept deliberately: \`--acknowledge ${[...new Set(ack.map((f) => `${f.rule}:${f.stack}`))].join(" --acknowledge ")}\` (in a pull request: a line each in \`.review/acknowledgements\`).`, "");
    if (ack.length < blocking.length) out.push("The others cannot be acknowledged: AWS or Kubernetes refuses the change, so the apply would fail.", "");
  }
  const destructive = report.stacks.flatMap((s) => s.changes.filter(isDestructive).map((c) => ({ s, c })));
  if (report.violations.length > 0) {
    out.push("### 🛑 Protected resources replaced or destroyed", "", "| | stack | address | action | why |", "|---|---|---|---|---|");
    const rows = destructive.filter(({ s, c }) => report.violations.some((v) => violationKey(v) === `${s.name}/${c.address}`));
    out.push(...capped(rows, 50, ({ s, c }) => `| 🛑 blocked | ${s.name} | ${code(c.address)} | ${describeAction(c)} | ${why(c)} |`, (n) => `| | | … and ${n} more | | |`), "");
    const flags = report.violations.map((v) => `--allow-destroy ${violationKey(v)}`).join(" ");
    out.push(`To accept ${report.violations.length === 1 ? "this" : "these"} deliberately: \`${flags}\` (in a pull request: a line each in \`.review/acknowledgements\`).`, "");
  }
  // 2. What was accepted, and what that means.
  if (report.allowed.length + acknowledged.length > 0) {
    out.push("### ⚠ Accepted deliberately", "");
    for (const v of report.allowed) out.push(`- \`${violationKey(v)}\` (${v.action === "delete" ? "destroy" : "replace"}, by \`--allow-destroy\`): ${acknowledgementConsequence(v, report)}.`);
    for (const f of acknowledged) out.push(`- \`${f.rule}\` on ${f.stack} (by \`--acknowledge\`): ${f.message} ([docs](${f.source}))`);
    out.push("");
  }
  // 3. Warnings and guided changes.
  if (warnings.length > 0) {
    out.push("### ⚠ Warnings", "");
    out.push(...capped(warnings, 40, (f) => `- **${f.stack}** \`${f.rule}\`: ${f.message} ([docs](${f.source}))`, (n) => `- … and ${n} more (full report)`), "");
  }
  for (const g of report.guided ?? []) {
    out.push(`### ⬆ Upgrade plan: ${g.title}`, "", `Run in this order; check each step before the next ([EKS: update a cluster](${g.source})):`, "");
    g.steps.forEach((step, i) => {
      out.push(`${i + 1}. **${step.title}**${step.commands.length > 0 ? ` — ${step.commands.map((c) => `\`${c}\``).join("; ")}` : ""}${step.check ? `<br>check: ${step.check}` : ""}`);
    });
    out.push("");
  }
  // 4. Other replacements and destroys, renames.
  const others = destructive.filter(({ s, c }) => !report.violations.some((v) => violationKey(v) === `${s.name}/${c.address}`));
  const renames = report.stacks.filter((s) => s.renames.length > 0);
  if (others.length > 0) {
    out.push("### ⚠ Replacements and destroys", "", "| | stack | address | action | why |", "|---|---|---|---|---|");
    out.push(...capped(others, 60, ({ s, c }) => `| ${statusOf(s, c, report)} | ${s.name} | ${code(c.address)} | ${describeAction(c)} | ${why(c)} |`, (n) => `| | | … and ${n} more (full report) | | |`), "");
  }
  for (const s of renames) {
    const keep = s.renames.filter((r) => r.nameChanges.length === 0);
    const named = s.renames.filter((r) => r.nameChanges.length > 0);
    if (keep.length > 0) {
      out.push(
        `**${s.name}: renamed construct ids?** These addresses disappear while one with the same content appears, so Terraform destroys and re-creates the object. If it is the same object, keep it with a \`moved\` block (config: the environment's \`renames\` section writes them; cdktf: \`resource.moveFromId("<from>")\`):`,
        "",
        "```hcl",
        ...keep.flatMap((r, i) => [...(i > 0 ? [""] : []), ...movedBlock(r.from, r.to)]),
        "```",
        "",
      );
    }
    for (const r of named) {
      out.push(`- **${s.name}**: \`${r.to}\` looks like \`${r.from}\` renamed, but its name changes too (${r.nameChanges.map((p) => `\`${p}\``).join(", ")}): a \`moved\` block alone still replaces it. Rename the config key with the environment's \`renames\` section, which moves the address and keeps the old AWS name.`);
    }
    if (named.length > 0) out.push("");
  }

  out.push("### Summary", "", "| stack | protected | add | import | change | replace | destroy | unchanged |", "|---|---|---|---|---|---|---|---|");
  for (const s of report.stacks) {
    const n = counts(s);
    const imports = s.changes.filter((c) => c.importId !== undefined).length;
    // An import with changes is counted as an import and as its change, as Terraform counts it.
    const importedCreates = s.changes.filter((c) => c.importId !== undefined && c.action === "create").length;
    out.push(`| ${s.name} | ${s.protected ? "yes" : "no"} | ${n.add - importedCreates} | ${imports} | ${n.change} | ${n.replace} | ${n.destroy} | ${s.unchanged} |`);
  }
  out.push("");
  if (report.unusedAllowances.length > 0) out.push(`\`--allow-destroy\` entries that matched nothing: ${report.unusedAllowances.map(code).join(", ")}`, "");
  if ((report.unusedAcknowledgements ?? []).length > 0) out.push(`\`--acknowledge\` entries that matched nothing: ${report.unusedAcknowledgements!.map(code).join(", ")}`, "");
  for (const section of [...(report.sections ?? [])].sort((a, b) => (a.order ?? 200) - (b.order ?? 200))) {
    out.push(`### ${section.title}`, "", section.markdown.trimEnd(), "");
  }

  // 5. Details, collapsed; dropped from the end when the report must fit a comment.
  const details: string[][] = [];
  for (const s of report.stacks) {
    if (s.changes.length === 0 && s.settings.length === 0 && s.notes.length === 0) continue;
    const head = [`### ${s.name}`, "", `Protection: ${s.protectionSource}.`, ""];
    const notes = s.notes.length > 0 ? [...s.notes.map((n) => `- ${n}`), ""] : [];
    const settings = s.settings.length > 0 ? ["<details><summary>stack settings (provider, provider versions, backend)</summary>", "", ...diffTable(s.settings), "", "</details>", ""] : [];
    details.push([...head, ...notes, ...settings]);
    for (const c of s.changes) {
      const moved = c.movedFrom ? ` (moved from <code>${c.movedFrom}</code>)` : "";
      details.push([
        `<details><summary><code>${SYMBOL[c.action]} ${c.address}</code>${moved}: ${describeAction(c)}</summary>`,
        "",
        ...(c.causes.length > 0 || c.reason ? [why(c), ""] : []),
        ...diffTable(c.diffs),
        "",
        "</details>",
        "",
      ]);
    }
  }
  const essentials = `${out.join("\n").trimEnd()}\n`;
  const limit = options.limit;
  if (limit === undefined) return `${[essentials, ...details.map((d) => d.join("\n"))].join("\n").trimEnd()}\n`;
  const pointer = (n: number) =>
    `\n_… ${plural(n, "detail section")} left out to fit a comment; the full report is ${options.fullReport ?? "written by `npm run review -- --full FILE`"}._\n`;
  const reserve = pointer(details.length).length + 200;
  let text = essentials.length + reserve > limit ? truncateText(essentials, limit - reserve) : essentials;
  let left = details.length;
  for (const d of details) {
    const chunk = `\n${d.join("\n")}`;
    if (text.length + chunk.length + reserve > limit) break;
    text += chunk;
    left--;
  }
  return `${text.trimEnd()}\n${left > 0 ? pointer(left) : ""}`;
}

/** Cuts Markdown at a line boundary (never inside a code fence left open). */
function truncateText(text: string, max: number): string {
  const cut = text.slice(0, Math.max(0, max)).replace(/\n[^\n]*$/, "");
  const fences = (cut.match(/^```/gm) ?? []).length;
  return `${cut}${fences % 2 === 1 ? "\n```" : ""}\n\n_… truncated._\n`;
}

/**
 * The terminal summary: what blocks, what is replaced, counts per stack, and where the full report
 * is. A few lines, whatever the size of the change.
 */
export function renderTerminal(report: Report, fullReport?: string): string {
  const lines = [`${report.title}: ${report.subject.replace(/`/g, "")}`];
  for (const s of report.stacks) {
    const n = counts(s);
    const imports = s.changes.filter((c) => c.importId !== undefined).length;
    // An import with changes is counted as an import and as its change, as Terraform counts it.
    const importedCreates = s.changes.filter((c) => c.importId !== undefined && c.action === "create").length;
    lines.push(
      `  ${s.name}${s.protected ? " [protected]" : ""}: ${n.add - importedCreates} to add, ${imports > 0 ? `${imports} to import, ` : ""}${n.change} to change, ${n.replace} to replace, ${n.destroy} to destroy`,
    );
  }
  const replaced = report.stacks.flatMap((s) => s.changes.filter((c) => c.action === "replace").map((c) => `${s.name}/${c.address}`));
  if (replaced.length > 0) lines.push(`  replaced: ${replaced.slice(0, 5).join(", ")}${replaced.length > 5 ? ` and ${replaced.length - 5} more` : ""}`);
  for (const s of report.stacks) {
    for (const r of s.renames) {
      lines.push(r.nameChanges.length === 0 ? `  ${s.name}: ${r.from} -> ${r.to}? add a moved block to keep the object` : `  ${s.name}: ${r.from} -> ${r.to}? its name changes too (${r.nameChanges.join(", ")}): rename with the config's renames section`);
    }
  }
  for (const g of report.guided ?? []) lines.push(`  upgrade ${g.title}: ${g.steps.length} steps, in order (see the report)`);
  const warnings = (report.findings ?? []).filter((f) => f.severity === "warn");
  for (const f of warnings.slice(0, 5)) lines.push(`  warning: ${f.stack}: ${f.message.length > 160 ? `${f.message.slice(0, 157)}...` : f.message}`);
  if (warnings.length > 5) lines.push(`  ... and ${warnings.length - 5} more warnings`);
  for (const v of report.allowed) lines.push(`  allowed: ${violationKey(v)} (${v.action === "delete" ? "destroy" : "replace"}): ${acknowledgementConsequence(v, report).replace(/`/g, "")}`);
  for (const f of report.acknowledged ?? []) lines.push(`  acknowledged: ${f.rule}:${f.stack}`);
  for (const a of report.unusedAllowances) lines.push(`  warning: --allow-destroy ${a} matched nothing`);
  for (const a of report.unusedAcknowledgements ?? []) lines.push(`  warning: --acknowledge ${a} matched nothing`);
  for (const section of report.sections ?? []) for (const l of section.terminal ?? []) lines.push(`  ${l}`);
  const blocking = blockingFindings(report);
  if (report.violations.length === 0 && blocking.length === 0) {
    lines.push("OK: no protected resource is replaced or destroyed");
  } else {
    for (const f of blocking) {
      const accept = f.acknowledgeable ? `; to accept: --acknowledge ${f.rule}:${f.stack}` : " (cannot be acknowledged: the apply would fail)";
      lines.push(`BLOCKED: ${f.rule}: ${f.stack}: ${f.message}${accept}`);
    }
    for (const v of report.violations) {
      const verb = v.action === "delete" ? "be destroyed" : v.possible ? "possibly be replaced" : "be replaced";
      lines.push(`BLOCKED: ${violationKey(v)} would ${verb}; to accept: --allow-destroy ${violationKey(v)}`);
    }
  }
  if (fullReport) lines.push(`Full report: ${fullReport}`);
  return `${lines.join("\n")}\n`;
}
