/**
 * Rendering a Report: Markdown for a pull-request comment, and a few lines for the terminal.
 */
import { type AttrDiff, compact } from "./json";
import type { ReplaceCause } from "./force-new";
import { counts, GUARDED_TYPES, isDestructive, type Report, type ResourceChange, type StackReport, type Violation } from "./report";

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
      return change.metaOnly ? "update (meta-arguments only)" : "update in place";
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
  if (report.allowed.some((v) => violationKey(v) === key)) return "✅ allowed (--allow-destroy)";
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

export function renderMarkdown(report: Report): string {
  const out: string[] = [`## ${report.title}`, "", report.subject, ""];
  const blocked = report.violations.length;
  out.push(
    blocked > 0
      ? `**🛑 Blocked: ${blocked} protected resource${blocked === 1 ? "" : "s"} would be replaced or destroyed.**`
      : "**✅ No protected resource is replaced or destroyed.**",
    "",
  );

  // Replacements and destroys first: they are what a reviewer must not miss.
  const destructive = report.stacks.flatMap((s) => s.changes.filter(isDestructive).map((c) => ({ s, c })));
  const stackWarnings = report.stacks.flatMap((s) => s.notes.filter((n) => n.startsWith("stack removed")).map((n) => ({ s, n })));
  const renames = report.stacks.filter((s) => s.renames.length > 0);
  if (destructive.length > 0 || stackWarnings.length > 0 || renames.length > 0) {
    out.push("### ⚠ Replacements and destroys", "");
    if (destructive.length > 0) {
      out.push("| | stack | address | action | why |", "|---|---|---|---|---|");
      for (const { s, c } of destructive) {
        out.push(`| ${statusOf(s, c, report)} | ${s.name} | ${code(c.address)} | ${describeAction(c)} | ${why(c)} |`);
      }
      out.push("");
    }
    for (const { s, n } of stackWarnings) out.push(`- **${s.name}**: ${n}`);
    if (stackWarnings.length > 0) out.push("");
    if (blocked > 0) {
      const flags = report.violations.map((v) => `--allow-destroy ${violationKey(v)}`).join(" ");
      out.push(`To accept ${blocked === 1 ? "this" : "these"} deliberately, re-run with \`${flags}\`.`, "");
    }
    for (const s of renames) {
      out.push(
        `**${s.name}: renamed construct ids?** These addresses disappear while one of the same type appears, so Terraform destroys and re-creates the object. If it is the same object, keep it with a \`moved\` block (cdktf: \`resource.moveFromId("<from>")\`, or keep the old construct id):`,
        "",
        "```hcl",
        ...s.renames.flatMap((r, i) => [...(i > 0 ? [""] : []), ...movedBlock(r.from, r.to)]),
        "```",
        "",
      );
    }
  }

  out.push("### Summary", "", "| stack | protected | add | change | replace | destroy | unchanged |", "|---|---|---|---|---|---|---|");
  for (const s of report.stacks) {
    const n = counts(s);
    out.push(`| ${s.name} | ${s.protected ? "yes" : "no"} | ${n.add} | ${n.change} | ${n.replace} | ${n.destroy} | ${s.unchanged} |`);
  }
  out.push("");
  if (report.allowed.length > 0) {
    out.push(`Allowed by \`--allow-destroy\`: ${report.allowed.map((v) => code(violationKey(v))).join(", ")}`, "");
  }
  if (report.unusedAllowances.length > 0) {
    out.push(`\`--allow-destroy\` entries that matched nothing: ${report.unusedAllowances.map(code).join(", ")}`, "");
  }

  for (const s of report.stacks) {
    if (s.changes.length === 0 && s.settings.length === 0 && s.notes.length === 0) continue;
    out.push(`### ${s.name}`, "", `Protection: ${s.protectionSource}.`, "");
    for (const note of s.notes) out.push(`- ${note}`);
    if (s.notes.length > 0) out.push("");
    if (s.settings.length > 0) {
      out.push("<details><summary>stack settings (provider, provider versions, backend)</summary>", "", ...diffTable(s.settings), "", "</details>", "");
    }
    for (const c of s.changes) {
      const moved = c.movedFrom ? ` (moved from <code>${c.movedFrom}</code>)` : "";
      out.push(
        `<details><summary><code>${SYMBOL[c.action]} ${c.address}</code>${moved}: ${describeAction(c)}</summary>`,
        "",
        ...(c.causes.length > 0 || c.reason ? [why(c), ""] : []),
        ...diffTable(c.diffs),
        "",
        "</details>",
        "",
      );
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** A few lines for the terminal (CI log). */
export function renderTerminal(report: Report): string {
  const lines = [`${report.title}: ${report.subject.replace(/`/g, "")}`];
  for (const s of report.stacks) {
    const n = counts(s);
    lines.push(
      `  ${s.name}${s.protected ? " [protected]" : ""}: ${n.add} to add, ${n.change} to change, ${n.replace} to replace, ${n.destroy} to destroy`,
    );
  }
  for (const s of report.stacks) for (const r of s.renames) lines.push(`  ${s.name}: ${r.from} -> ${r.to}? add a moved block to keep the object`);
  for (const v of report.allowed) lines.push(`  allowed: ${violationKey(v)} (${v.action === "delete" ? "destroy" : "replace"})`);
  for (const a of report.unusedAllowances) lines.push(`  warning: --allow-destroy ${a} matched nothing`);
  if (report.violations.length === 0) {
    lines.push("OK: no protected resource is replaced or destroyed");
  } else {
    for (const v of report.violations) {
      const verb = v.action === "delete" ? "be destroyed" : v.possible ? "possibly be replaced" : "be replaced";
      lines.push(`BLOCKED: ${violationKey(v)} would ${verb}; to accept: --allow-destroy ${violationKey(v)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
