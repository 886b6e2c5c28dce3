/**
 * Every relative link in README.md, docs/**\/*.md and examples/**\/*.md points at a file that exists,
 * and a `#anchor` into a Markdown file at one of its headings (GitHub's heading ids).
 * External links (http, https, mailto) are not fetched.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../..");

function markdownFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith(".md") ? [p] : [];
  });
}

/** Text without fenced code blocks and inline code, where brackets are not links. */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");

/** Link targets: inline `[text](target)` links and `[ref]: target` definitions. */
function linkTargets(md: string): string[] {
  const text = prose(md);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const refs = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...refs];
}

/** GitHub's heading ids: lowercase, punctuation dropped, spaces to "-", repeats numbered. */
function headingIds(md: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

const files = [path.join(repo, "README.md"), ...markdownFiles(path.join(repo, "docs")), ...markdownFiles(path.join(repo, "examples"))];

test("the heading ids follow GitHub's rule", () => {
  expect([...headingIds("# A `b` c\n## Add an environment, or an account\n## A `b` c\n")]).toEqual(["a-b-c", "add-an-environment-or-an-account", "a-b-c-1"]);
});

test.each(files.map((f) => [path.relative(repo, f)]))("%s: every relative link resolves", (rel) => {
  const file = path.join(repo, rel);
  const broken: string[] = [];
  for (const target of linkTargets(fs.readFileSync(file, "utf8"))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [filePart, anchor] = target.split("#") as [string, string | undefined];
    const resolved = filePart === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(filePart));
    if (!fs.existsSync(resolved)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor && resolved.endsWith(".md") && !headingIds(fs.readFileSync(resolved, "utf8")).has(anchor)) {
      broken.push(`${target}: no heading #${anchor} in ${path.relative(repo, resolved)}`);
    }
  }
  expect(broken).toEqual([]);
});
