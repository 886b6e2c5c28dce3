/**
 * Synthesizing the app at a git ref (in a temporary worktree) or in the working tree, and
 * reading what cdktf wrote.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isObject, type JsonObject } from "./json";

/** Synth command when the checkout has no cdktf.json `app`. */
export const DEFAULT_SYNTH_COMMAND = "node --import tsx main.ts";

/**
 * The command `cdktf synth` would run in `dir`: cdktf.json's `app`, so each ref synthesizes the
 * way it was written to. cdktf's App writes to $CDKTF_OUTDIR.
 * @see https://developer.hashicorp.com/terraform/cdktf/create-and-deploy/configuration-file
 */
export function appCommand(dir: string): string {
  const file = join(dir, "cdktf.json");
  if (!existsSync(file)) return DEFAULT_SYNTH_COMMAND;
  const app: unknown = (JSON.parse(readFileSync(file, "utf8")) as { app?: unknown }).app;
  return typeof app === "string" && app.trim() !== "" ? app : DEFAULT_SYNTH_COMMAND;
}

/** main.ts writes the environments it validated to the file this names (JSON), when set. */
export const ENVIRONMENTS_OUT = "EKS_SYNTH_ENVIRONMENTS_OUT";

/** Paths not in git that a checkout needs to synthesize, linked from the repo into a worktree. */
export const DEFAULT_LINKS: readonly string[] = ["node_modules"];

/** An expected failure (bad input, git or synth error): reported as a message, exit code 2. */
export class ToolError extends Error {
  override name = "ToolError";
}

export function git(repo: string, args: readonly string[]): string {
  const result = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  if (result.status !== 0) {
    throw new ToolError(`git ${args.join(" ")} failed in ${repo}: ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout.trim();
}

function gitOk(repo: string, args: readonly string[]): string | undefined {
  const result = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Runs the synth command (default: the checkout's cdktf.json `app`) in `dir` with
 * `CDKTF_OUTDIR=outdir`. Throws with the tail of the command's output when it fails or writes
 * no stacks.
 */
export function synthesize(dir: string, outdir: string, command: string = appCommand(dir), extraEnv: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, {
    cwd: dir,
    shell: true,
    encoding: "utf8",
    env: { ...process.env, ...extraEnv, CDKTF_OUTDIR: outdir },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 || result.error) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new ToolError(
      `synth failed in ${dir} (\`${command}\`, exit ${result.status ?? result.error?.message}):\n${output}`,
    );
  }
  if (!existsSync(join(outdir, "stacks"))) {
    throw new ToolError(`synth in ${dir} (\`${command}\`) wrote no ${join(outdir, "stacks")}: does the app call app.synth()?`);
  }
}

/**
 * The synthesized stacks in `outdir`, by name: from manifest.json (cdktf's list of stacks),
 * or every `stacks/<name>/cdk.tf.json` when there is no manifest.
 */
export function readSynthOutput(outdir: string): Map<string, JsonObject> {
  const stacks = new Map<string, JsonObject>();
  const manifestPath = join(outdir, "manifest.json");
  let entries: Array<[string, string]>;
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks?: Record<string, { synthesizedStackPath?: string }> };
    entries = Object.entries(manifest.stacks ?? {}).map(([name, s]) => [
      name,
      join(outdir, s.synthesizedStackPath ?? join("stacks", name, "cdk.tf.json")),
    ]);
  } else {
    const dir = join(outdir, "stacks");
    entries = existsSync(dir) ? readdirSync(dir).map((name) => [name, join(dir, name, "cdk.tf.json")]) : [];
  }
  for (const [name, file] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (!existsSync(file)) continue;
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (!isObject(json)) throw new ToolError(`${file}: not a JSON object`);
    stacks.set(name, json);
  }
  return stacks;
}

/**
 * Runs `fn` in a detached temporary worktree of `repo` at `ref`, with `links` (untracked
 * paths like node_modules) symlinked from the repo, and removes the worktree afterwards, also
 * when `fn` throws.
 * @see https://git-scm.com/docs/git-worktree
 */
export function withWorktree<T>(repo: string, ref: string, fn: (dir: string) => T, links: readonly string[] = DEFAULT_LINKS): T {
  const dir = mkdtempSync(join(tmpdir(), "eks-review-worktree-"));
  const linked: string[] = [];
  try {
    git(repo, ["worktree", "add", "--detach", "--quiet", dir, ref]);
    for (const link of links) {
      const target = join(repo, link);
      const path = join(dir, link);
      if (existsSync(target) && !existsSync(path)) {
        symlinkSync(target, path);
        linked.push(path);
      }
    }
    return fn(dir);
  } finally {
    // Unlink our symlinks first so nothing can ever recurse into the repo's node_modules.
    for (const path of linked) if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(path);
    if (gitOk(repo, ["worktree", "remove", "--force", dir]) === undefined) {
      rmSync(dir, { recursive: true, force: true });
      gitOk(repo, ["worktree", "prune"]);
    }
  }
}

export interface BaseRef {
  readonly sha: string;
  /** How the base was chosen, for the report. */
  readonly description: string;
}

/**
 * The base to compare against:
 * 1. `--base <ref>` when given;
 * 2. on a branch that diverged from main: `git merge-base HEAD main` (falls back to origin/main),
 *    i.e. everything the branch changes, committed or not;
 * 3. when HEAD is on main (merge-base = HEAD): HEAD if the working tree has uncommitted changes
 *    (review what is about to be committed), else HEAD~1 (review the last commit).
 */
export function resolveBase(repo: string, explicit?: string): BaseRef {
  if (explicit !== undefined) {
    const sha = gitOk(repo, ["rev-parse", "--verify", "--quiet", `${explicit}^{commit}`]);
    if (sha === undefined) throw new ToolError(`--base ${explicit}: no such commit in ${repo}`);
    return { sha, description: explicit };
  }
  const head = git(repo, ["rev-parse", "HEAD"]);
  for (const main of ["main", "origin/main"]) {
    const mergeBase = gitOk(repo, ["merge-base", "HEAD", main]);
    if (mergeBase !== undefined && mergeBase !== head) return { sha: mergeBase, description: `merge-base of HEAD and ${main}` };
    if (mergeBase !== undefined) break;
  }
  if (git(repo, ["status", "--porcelain"]) !== "") return { sha: head, description: "HEAD (uncommitted changes)" };
  const parent = gitOk(repo, ["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"]);
  if (parent === undefined) throw new ToolError("HEAD has no parent and the working tree is clean: pass --base <ref>");
  return { sha: parent, description: "HEAD~1 (last commit)" };
}

/** A temporary directory removed after `fn`, also when it throws. */
export function withTempDir<T>(prefix: string, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
