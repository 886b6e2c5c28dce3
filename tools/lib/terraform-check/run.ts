/**
 * Runs Terraform itself on every synthesized stack: `terraform plan -refresh=false` (which runs
 * `terraform validate`'s checks first) against schema-only providers (plugin.ts), in a temporary
 * copy of each stack with the S3 backend removed (implicit local state: no `terraform init`)
 * and every `terraform_remote_state` that reads another stack's S3 state pointed at a local
 * state file holding that stack's planned outputs. Nothing contacts AWS or a cluster.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROVIDERS, ProviderError, providerBySource, servedBlock, type ProviderEntry } from "./providers";
import type { ProviderSchema } from "./schema";
import { SchemaGenError } from "./schema-gen";
import { selfSignedCertificate } from "./tls";

/** An expected failure (bad input, missing Terraform): a message, no stack trace. */
export class CheckError extends Error {
  override name = "CheckError";
}

export const MIN_TERRAFORM = [1, 10] as const;

/**
 * What an upstream output Terraform cannot know at plan time becomes in the local state a
 * downstream stack reads (state holds only known values; after a real apply it is known). A
 * string, the type of nearly every cross-stack value (ids, ARNs, names, endpoints), and valid
 * base64 (of "terraform-check") so `base64decode(<CA data>)` in provider configuration passes.
 */
export const UNKNOWN_OUTPUT_PLACEHOLDER = "dGVycmFmb3JtLWNoZWNr";

/** The file the remote-state redirection is written to: Terraform merges `*_override.tf.json` last. */
export const OVERRIDE_FILE = "terraform_check_override.tf.json";

const DEV_OVERRIDES_WARNING = "Provider development overrides are in effect";

export interface StackResult {
  name: string;
  status: "ok" | "failed" | "skipped";
  seconds: number;
  /** Terraform's diagnostics, formatted, without the stack prefix. */
  lines: string[];
}

export interface CheckOptions {
  outdir: string;
  /** Repository root (node_modules with the provider packages and the plugin's dependencies). */
  root: string;
  terraform: string;
  parallel: number;
  progress: (message: string) => void;
  /** Keep the temporary directory (for debugging); its path is reported. */
  keep?: boolean;
  /**
   * Let Terraform start a provider process per run (dev_overrides, go-plugin handshake, mTLS)
   * instead of sharing one reattached process per provider: ~2× the CPU, same checks.
   */
  managedProviders?: boolean;
}

interface ManifestStack {
  name: string;
  dependencies: string[];
  dir: string;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function readManifest(outdir: string): ManifestStack[] {
  const file = join(outdir, "manifest.json");
  if (!existsSync(file)) throw new CheckError(`${file} not found: synthesize first (npm run synth), or pass --out <cdktf.out>`);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { stacks?: Record<string, { dependencies?: string[]; synthesizedStackPath: string; workingDirectory: string }> };
  const stacks = Object.entries(manifest.stacks ?? {});
  if (stacks.length === 0) throw new CheckError(`${file} lists no stacks`);
  return stacks.map(([name, s]) => {
    const path = join(outdir, s.synthesizedStackPath);
    if (!existsSync(path)) throw new CheckError(`${name}: ${path} not found (manifest.json and the stack directories disagree: synthesize again)`);
    return { name, dependencies: s.dependencies ?? [], dir: join(outdir, s.workingDirectory), json: JSON.parse(readFileSync(path, "utf8")) };
  });
}

export function terraformVersion(terraform: string): string {
  const r = spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: terraformEnv({}) });
  const fix = `install Terraform ≥ ${MIN_TERRAFORM.join(".")} (https://developer.hashicorp.com/terraform/install) or point TERRAFORM_BIN at it`;
  if (r.error) throw new CheckError(`cannot run \`${terraform}\` (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): ${fix}`);
  let version: string | undefined;
  try {
    version = (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    version = undefined;
  }
  if (!version) throw new CheckError(`\`${terraform} version -json\` did not report a version: ${fix}`);
  const [major, minor] = version.split(".").map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    throw new CheckError(`Terraform ${version} is too old: ${fix}`);
  }
  return version;
}

/**
 * The environment of every Terraform run: none of the caller's TF_* settings (TF_CLI_ARGS,
 * TF_WORKSPACE, a CLI config...) leak in; our own CLI config, data dir and plugin cache.
 */
function terraformEnv(own: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TF_")) env[k] = v;
  return { ...env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0", ...own };
}

/** Provider local name → registry entry, from required_providers (Terraform's implied `hashicorp/<name>` otherwise). */
function providersOf(stack: ManifestStack): Map<string, ProviderEntry> {
  const out = new Map<string, ProviderEntry>();
  const required = (stack.json.terraform?.required_providers ?? {}) as Record<string, { source?: string } | string>;
  const names = new Set<string>(Object.keys(required));
  for (const section of ["resource", "data"] as const) {
    for (const type of Object.keys(stack.json[section] ?? {})) names.add(type.split("_")[0]);
  }
  for (const provider of Object.keys(stack.json.provider ?? {})) names.add(provider);
  names.delete("terraform"); // built in (terraform_remote_state, terraform_data)
  for (const name of names) {
    const r = required[name];
    const source = typeof r === "object" && r?.source ? r.source : name;
    const entry = providerBySource(source);
    if (!entry) {
      throw new CheckError(`${stack.name}: provider ${name} (${source}) has no schema source; the check serves ${PROVIDERS.map((p) => p.source).join(", ")} (add it to tools/lib/terraform-check/providers.ts)`);
    }
    out.set(name, entry);
  }
  return out;
}

/** The schemas to serve: each provider's configuration and every type a stack uses. */
function buildSchemas(stacks: ManifestStack[], root: string): Map<ProviderEntry, ProviderSchema> {
  const schemas = new Map<ProviderEntry, ProviderSchema>();
  const get = (entry: ProviderEntry): ProviderSchema => {
    let s = schemas.get(entry);
    if (!s) {
      s = { provider: servedBlock(entry, root, "provider"), resources: {}, dataSources: {} };
      schemas.set(entry, s);
    }
    return s;
  };
  for (const stack of stacks) {
    const providers = providersOf(stack);
    for (const entry of providers.values()) get(entry);
    for (const [section, kind] of [["resource", "resources"], ["data", "dataSources"]] as const) {
      for (const [type, instances] of Object.entries<Record<string, { provider?: string }>>(stack.json[section] ?? {})) {
        const local = Object.values(instances)[0]?.provider?.split(".")[0] ?? type.split("_")[0];
        if (local === "terraform") continue;
        const entry = providers.get(local);
        if (!entry) continue;
        const schema = get(entry);
        if (schema[kind][type]) continue;
        try {
          schema[kind][type] = servedBlock(entry, root, `${section}.${type}`);
        } catch (e) {
          // A type the package does not have: leave it out, Terraform reports it
          // ("The provider ... does not support resource type").
          if (!(e instanceof SchemaGenError) || !/no module /.test(e.message)) throw e;
        }
      }
    }
  }
  return schemas;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How Terraform reaches the providers: its CLI config and environment, and what to stop afterwards. */
interface Plugins {
  cliConfig: string;
  env: Record<string, string>;
  /** The shared providers' process ids (none when Terraform starts its own). */
  pids: number[];
  /** Why a shared provider is gone before stop(), if it is: every later plan would fail on it. */
  failure: () => string | undefined;
  /** Ends the shared providers and waits until they have exited. */
  stop: () => Promise<void>;
}

/**
 * Plugin bundle, schemas and either (managed) a certificate, wrapper scripts and dev_overrides,
 * or (default) one running provider per schema, named in TF_REATTACH_PROVIDERS.
 */
async function preparePlugins(dir: string, schemas: Map<ProviderEntry, ProviderSchema>, managed: boolean): Promise<Plugins> {
  const pluginDir = join(dir, "plugin");
  const providersDir = join(dir, "providers");
  mkdirSync(pluginDir, { recursive: true });
  mkdirSync(providersDir, { recursive: true });
  // One esbuild bundle per run (~0.2 s), dependencies included: Terraform starts a provider
  // process several times per command, and one file loads ~0.1 s faster than node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  esbuild.buildSync({
    entryPoints: [join(__dirname, "plugin.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: join(pluginDir, "plugin.cjs"),
    logLevel: "silent",
  });
  for (const proto of ["tfplugin6.proto", "go-plugin.proto"]) copyFileSync(join(__dirname, proto), join(pluginDir, proto));
  if (!managed) return startProviders(dir, pluginDir, schemas);
  const { cert, key } = selfSignedCertificate();
  writeFileSync(join(pluginDir, "cert.pem"), cert);
  writeFileSync(join(pluginDir, "key.pem"), key, { mode: 0o600 });
  const overrides: string[] = [];
  for (const [entry, schema] of schemas) {
    const schemaFile = join(pluginDir, `${entry.name}.schema.json`);
    writeFileSync(schemaFile, JSON.stringify(schema));
    const wrapper = join(providersDir, `terraform-provider-${entry.name}`);
    const args = ["--schema", schemaFile, "--cert", join(pluginDir, "cert.pem"), "--key", join(pluginDir, "key.pem"), "--proto", pluginDir];
    writeFileSync(
      wrapper,
      `#!/bin/sh\n# Schema-only ${entry.source} for npm run terraform-check (tools/lib/terraform-check/plugin.ts)\nexec ${shellQuote(process.execPath)} ${[join(pluginDir, "plugin.cjs"), ...args].map(shellQuote).join(" ")}\n`,
    );
    chmodSync(wrapper, 0o755);
    overrides.push(`    ${JSON.stringify(entry.source)} = ${JSON.stringify(providersDir)}`);
  }
  // dev_overrides: Terraform starts our wrapper for these sources without `terraform init`.
  // https://developer.hashicorp.com/terraform/cli/config/config-file#development-overrides-for-provider-developers
  const cliConfig = join(dir, "terraform.rc");
  writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n${overrides.join("\n")}\n  }\n  direct {}\n}\n`);
  return { cliConfig, env: {}, pids: [], failure: () => undefined, stop: async () => undefined };
}

/**
 * One schema-only provider process per provider, for every Terraform run of the check: Terraform
 * connects to the socket each one announces (TF_REATTACH_PROVIDERS; `Test: true` so Terraform
 * neither waits on nor stops it). They exit when their stdin closes: on stop(), or with us.
 * https://github.com/hashicorp/terraform/blob/v1.11.4/internal/command/meta_providers.go (unmanaged providers)
 * https://github.com/hashicorp/go-plugin/blob/main/client.go (ReattachConfig.Test)
 */
async function startProviders(dir: string, pluginDir: string, schemas: Map<ProviderEntry, ProviderSchema>): Promise<Plugins> {
  const children: ChildProcess[] = [];
  let stopping = false;
  let failure: string | undefined;
  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            const kill = setTimeout(() => c.kill("SIGKILL"), 5_000);
            c.once("exit", () => {
              clearTimeout(kill);
              done();
            });
            c.stdin?.end();
          }),
      ),
    );
  };
  const reattach: Record<string, object> = {};
  try {
    await Promise.all(
      [...schemas].map(async ([entry, schema]) => {
        const schemaFile = join(pluginDir, `${entry.name}.schema.json`);
        writeFileSync(schemaFile, JSON.stringify(schema));
        const child = spawn(process.execPath, [join(pluginDir, "plugin.cjs"), "--reattach", "--schema", schemaFile, "--proto", pluginDir], { stdio: ["pipe", "pipe", "pipe"] });
        children.push(child);
        const socket = await new Promise<string>((resolvePromise, reject) => {
          let out = "";
          let err = "";
          child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
          child.stdout!.on("data", (b: Buffer) => {
            out += b.toString();
            const line = out.split("\n")[0]!;
            // go-plugin's handshake line: core version|protocol version|network|address|protocol
            const m = out.includes("\n") ? /^1\|6\|unix\|([^|]+)\|grpc\|/.exec(line) : null;
            if (m) resolvePromise(m[1]!);
            else if (out.includes("\n")) reject(new CheckError(`the schema-only ${entry.source} provider announced ${JSON.stringify(line)}`));
          });
          child.on("error", reject);
          child.on("exit", (code, signal) => {
            const why = `the schema-only ${entry.source} provider (tools/lib/terraform-check/plugin.ts) exited (${code ?? signal})`;
            reject(new CheckError(`${why} before it listened: ${err.trim()}`));
            if (!stopping) failure ??= `${why} during the check, so the plans after it could not reach it${err.trim() ? `: ${err.trim()}` : ""}`;
          });
        });
        reattach[`registry.terraform.io/${entry.source}`] = { Protocol: "grpc", ProtocolVersion: 6, Pid: child.pid, Test: true, Addr: { Network: "unix", String: socket } };
      }),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  // No provider_installation: nothing is installed or overridden; the CLI config keeps the user's out.
  const cliConfig = join(dir, "terraform.rc");
  writeFileSync(cliConfig, "");
  return { cliConfig, env: { TF_REATTACH_PROVIDERS: JSON.stringify(reattach) }, pids: children.map((c) => c.pid!), failure: () => failure, stop };
}

interface S3Address {
  bucket: string;
  key: string;
}

function s3Key(a: S3Address): string {
  return `s3://${a.bucket}/${a.key}`;
}

/** Which stack's state each `s3://bucket/key` is. */
function stateOwners(stacks: ManifestStack[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of stacks) {
    const s3 = s.json.terraform?.backend?.s3 as S3Address | undefined;
    if (s3?.bucket && s3.key) out.set(s3Key(s3), s.name);
  }
  return out;
}

/** data.terraform_remote_state name → upstream stack, for those reading an S3 state. */
function remoteStates(stack: ManifestStack, owners: Map<string, string>): { reads: Map<string, string>; problems: string[] } {
  const reads = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, body] of Object.entries<{ backend?: string; config?: S3Address }>(stack.json.data?.terraform_remote_state ?? {})) {
    if (body.backend !== "s3") continue;
    const address = body.config ? s3Key(body.config) : "(no config)";
    const owner = body.config ? owners.get(address) : undefined;
    if (!owner) problems.push(`Error: data.terraform_remote_state.${name} reads ${address}, which no synthesized stack's backend writes`);
    else if (owner === stack.name) problems.push(`Error: data.terraform_remote_state.${name} reads the stack's own state ${address}`);
    else reads.set(name, owner);
  }
  return { reads, problems };
}

interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
  snippet?: { context?: string | null; code: string; start_line: number };
}

export function formatDiagnostic(d: Diagnostic): string[] {
  const lines = [`${d.severity === "error" ? "Error" : "Warning"}: ${d.summary}`];
  if (d.range) {
    const context = d.snippet?.context ? `, in ${d.snippet.context}` : "";
    lines.push(`  on ${d.range.filename} line ${d.range.start.line}${context}:`);
    if (d.snippet) {
      d.snippet.code.split("\n").forEach((code, i) => lines.push(`  ${d.snippet!.start_line + i}: ${code.trim()}`));
    }
  } else if (d.address) {
    lines.push(`  with ${d.address}`);
  }
  for (const l of (d.detail ?? "").split("\n")) if (l.trim() !== "") lines.push(`  ${l}`);
  return lines;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(terraform: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(terraform, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

function keepDiagnostic(d: Diagnostic): boolean {
  return d.summary !== DEV_OVERRIDES_WARNING;
}

/** Diagnostics of `plan -json` (one message per line). */
function diagnosticsOf(r: Run): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line) as { type?: string; diagnostic?: Diagnostic };
    if (m.type === "diagnostic" && m.diagnostic && keepDiagnostic(m.diagnostic)) out.push(m.diagnostic);
  }
  return out;
}

/** Terraform's failure: its diagnostics, or the tail of what it printed when it gave none. */
function failureLines(r: Run, diagnostics: Diagnostic[]): string[] {
  const lines = diagnostics.flatMap(formatDiagnostic);
  if (diagnostics.some((d) => d.severity === "error")) return lines;
  const tail = `${r.stderr}`.trim().split("\n").slice(-20).filter((l) => l.trim() !== "");
  return [...lines, `Error: terraform exited ${r.code}`, ...tail.map((l) => `  ${l}`)];
}

type CtyTypeJson = string | [string, unknown];

/** The cty type of a JSON value read back from a plan (objects and tuples: exact shapes). */
function typeOfJson(value: unknown): CtyTypeJson {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOfJson)];
  if (value !== null && typeof value === "object") return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOfJson(v)]))];
  return "dynamic";
}

/** Known parts of `after`, placeholders where `after_unknown` marks a value unknown. */
function fillUnknown(after: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN_OUTPUT_PLACEHOLDER;
  if (Array.isArray(after)) return after.map((v, i) => fillUnknown(v, Array.isArray(unknown) ? unknown[i] : false));
  if (after !== null && typeof after === "object") {
    const u = (unknown ?? {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(after), ...Object.keys(u)]);
    return Object.fromEntries([...keys].map((k) => [k, fillUnknown((after as Record<string, unknown>)[k] ?? null, u[k])]));
  }
  return after;
}

/** A state file (format v4) holding only the planned outputs of a stack. */
export function outputsState(plan: { planned_values?: { outputs?: Record<string, { sensitive?: boolean; type?: unknown; value?: unknown }> }; output_changes?: Record<string, { after?: unknown; after_unknown?: unknown }> }, terraformVersion: string, lineage: string): object {
  const outputs: Record<string, { value: unknown; type: unknown; sensitive: boolean }> = {};
  for (const [name, planned] of Object.entries(plan.planned_values?.outputs ?? {})) {
    const change = plan.output_changes?.[name];
    if (planned.type !== undefined && planned.value !== undefined) {
      outputs[name] = { value: planned.value, type: planned.type, sensitive: planned.sensitive ?? false };
      continue;
    }
    const value = fillUnknown(change?.after ?? null, change?.after_unknown ?? true);
    outputs[name] = { value, type: typeOfJson(value), sensitive: planned.sensitive ?? false };
  }
  // https://github.com/hashicorp/terraform/blob/v1.11.4/internal/states/statefile/version4.go
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage, outputs, resources: [], check_results: null };
}

async function checkStack(
  stack: ManifestStack,
  ctx: { dir: string; terraform: string; version: string; plugins: Plugins; owners: Map<string, string>; read: boolean },
): Promise<Omit<StackResult, "seconds">> {
  const work = join(ctx.dir, "stacks", stack.name);
  mkdirSync(work, { recursive: true });
  cpSync(stack.dir, work, { recursive: true, filter: (src) => !/(^|\/)\.terraform(\/|$)|\.tfstate(\.backup)?$|\.terraform\.lock\.hcl$/.test(src.slice(stack.dir.length)) });

  // Same JSON, no backend: Terraform uses an implicit local state in the work directory.
  const json = JSON.parse(JSON.stringify(stack.json));
  if (json.terraform?.backend) delete json.terraform.backend;
  writeFileSync(join(work, "cdk.tf.json"), JSON.stringify(json, null, 2));

  const { reads, problems } = remoteStates(stack, ctx.owners);
  if (problems.length > 0) return { name: stack.name, status: "failed", lines: problems };
  if (reads.size > 0) {
    const redirect: Record<string, object> = {};
    for (const [name, upstream] of reads) redirect[name] = { backend: "local", config: { path: join(ctx.dir, "states", `${upstream}.tfstate`) } };
    writeFileSync(join(work, OVERRIDE_FILE), JSON.stringify({ data: { terraform_remote_state: redirect } }, null, 2));
  }

  const env = terraformEnv({
    ...ctx.plugins.env,
    TF_CLI_CONFIG_FILE: ctx.plugins.cliConfig,
    TF_DATA_DIR: join(work, ".terraform"),
    TF_PLUGIN_CACHE_DIR: join(ctx.dir, "plugin-cache"),
  });
  // No separate `terraform validate`: plan runs the same validation walk first and reports its
  // diagnostics (and stops on its errors), so a validate run only started every provider twice more
  // (~30 % of the check's time). backend/local's "running validation operation" before planning:
  // https://github.com/hashicorp/terraform/blob/v1.11.4/internal/backend/local/backend_local.go
  const planFile = join(work, "terraform-check.tfplan");
  const plan = await run(ctx.terraform, ["plan", "-refresh=false", "-input=false", "-lock=false", "-json", "-no-color", `-out=${planFile}`], work, env);
  const planDiags = diagnosticsOf(plan);
  if (plan.code !== 0) return { name: stack.name, status: "failed", lines: failureLines(plan, planDiags) };

  // Outputs only matter to the stacks that read this one (`terraform show` starts the providers again).
  if (!ctx.read) return { name: stack.name, status: "ok", lines: planDiags.flatMap(formatDiagnostic) };
  const show = await run(ctx.terraform, ["show", "-json", "-no-color", planFile], work, env);
  if (show.code !== 0) return { name: stack.name, status: "failed", lines: failureLines(show, []) };
  const state = outputsState(JSON.parse(show.stdout), ctx.version, `terraform-check-${stack.name}`);
  writeFileSync(join(ctx.dir, "states", `${stack.name}.tfstate`), JSON.stringify(state, null, 2));
  return { name: stack.name, status: "ok", lines: planDiags.flatMap(formatDiagnostic) };
}

/** Checks every stack of `outdir` (manifest order, dependencies first, up to `parallel` at once). */
export async function terraformCheck(opts: CheckOptions): Promise<{ results: StackResult[]; seconds: number; workdir?: string; providerPids: number[] }> {
  const started = performance.now();
  const version = terraformVersion(opts.terraform);
  const stacks = readManifest(resolve(opts.outdir));
  let schemas: Map<ProviderEntry, ProviderSchema>;
  try {
    schemas = buildSchemas(stacks, opts.root);
  } catch (e) {
    if (e instanceof SchemaGenError || e instanceof ProviderError) throw new CheckError(`provider schema: ${e.message}`);
    throw e;
  }
  const dir = mkdtempSync(join(tmpdir(), "terraform-check-"));
  let plugins: Plugins | undefined;
  try {
    mkdirSync(join(dir, "states"));
    plugins = await preparePlugins(dir, schemas, opts.managedProviders === true);
    const owners = stateOwners(stacks);
    const upstreams = new Map(stacks.map((s) => [s.name, new Set([...s.dependencies, ...remoteStates(s, owners).reads.values()])]));
    const served = [...schemas.keys()].map((p, i) => (plugins!.pids[i] !== undefined ? `${p.source} (pid ${plugins!.pids[i]})` : p.source));
    opts.progress(`Terraform ${version}, ${stacks.length} stacks, providers ${served.join(", ")} (${((performance.now() - started) / 1000).toFixed(1)} s setup)`);

    const results = new Map<string, StackResult>();
    const running = new Map<string, Promise<void>>();
    const pending = [...stacks];
    while (pending.length > 0 || running.size > 0) {
      for (let i = 0; i < pending.length && running.size < opts.parallel; ) {
        const stack = pending[i];
        const deps = [...upstreams.get(stack.name)!].filter((d) => stacks.some((s) => s.name === d));
        const failed = deps.filter((d) => results.has(d) && results.get(d)!.status !== "ok");
        if (failed.length > 0) {
          pending.splice(i, 1);
          results.set(stack.name, { name: stack.name, status: "skipped", seconds: 0, lines: [`Error: not checked: it reads the outputs of ${failed.join(", ")}, which failed`] });
          continue;
        }
        if (!deps.every((d) => results.has(d))) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        const t0 = performance.now();
        opts.progress(`${stack.name}: validate and plan...`);
        const read = stacks.some((s) => remoteStates(s, owners).reads.size > 0 && [...remoteStates(s, owners).reads.values()].includes(stack.name));
        const p = checkStack(stack, { dir, terraform: opts.terraform, version, plugins: plugins!, owners, read }).then((r) => {
          const seconds = (performance.now() - t0) / 1000;
          results.set(stack.name, { ...r, seconds });
          running.delete(stack.name);
          opts.progress(`${stack.name}: ${r.status === "ok" ? "ok" : "FAILED"} (${seconds.toFixed(1)} s)`);
        });
        running.set(stack.name, p);
      }
      if (running.size === 0) {
        if (pending.length > 0) throw new CheckError(`dependency cycle between stacks ${pending.map((s) => s.name).join(", ")}`);
        break;
      }
      await Promise.race(running.values());
    }
    // A provider that died mid-check is our failure, not the stacks' (their plans could not reach it).
    const failure = plugins.failure();
    if (failure !== undefined) throw new CheckError(failure);
    return { results: stacks.map((s) => results.get(s.name)!), seconds: (performance.now() - started) / 1000, workdir: opts.keep ? dir : undefined, providerPids: plugins.pids };
  } finally {
    await plugins?.stop();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
