// Synchronous access to the published Kubernetes models (kubernetes-models 5.x for built-in
// kinds, @kubernetes-models/karpenter 2.x for karpenter.sh / karpenter.k8s.aws).
//
// Why a worker thread: those packages are ESM-only and their package.json "exports" offer only
// the "import" condition (e.g. "./v1/*": { "import": "./v1/*.js" }). This repo runs TypeScript as
// CommonJS, where a static `import { Service } from "kubernetes-models/v1"` becomes require():
//   - jest 30 resolves require() with the conditions require/node/default → "Cannot find module";
//     adding "import" via testEnvironmentOptions.customExportConditions would also switch dual
//     packages such as jest-circus's `dedent` to their untransformed .mjs entry and break jest;
//   - tsx on a .ts file (no "type": "module") fails the same way (ERR_PACKAGE_PATH_NOT_EXPORTED);
//   - jest also replaces module.createRequire and process.getBuiltinModule, so there is no
//     native require() to escape to, and import() inside jest needs --experimental-vm-modules.
// A worker thread is plain Node ESM in every runner, so it imports the documented subpaths
// ("kubernetes-models/apps/v1/Deployment") natively. The caller blocks on Atomics.wait until the
// worker answers, which keeps validateKubernetesObject() synchronous. Cost: a few hundred ms for
// the first object (worker start + module import), then about a millisecond per object.
//
// Types are still imported the normal way where needed (`import type` is erased at runtime).
import { join } from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** The part of an ajv error both validators report (kubernetes-models compiles its schemas with ajv). */
export interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  /** Set by our own ajv (verbose: true) only. */
  parentSchema?: { description?: unknown; properties?: unknown };
}

export type ModelResult = { known: false } | { known: true; errors: SchemaError[] };

// API groups published by @kubernetes-models/karpenter; every other group is looked up in
// kubernetes-models, whose subpaths mirror apiVersion: "v1" → kubernetes-models/v1/<Kind>,
// "apps/v1" → kubernetes-models/apps/v1/<Kind>.
const KARPENTER_GROUPS = new Set(["karpenter.sh", "karpenter.k8s.aws"]);
const API_VERSION = /^(?:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const TIMEOUT_MS = 30_000;

/** The package subpath that would hold the model, or undefined when apiVersion/kind can't name one. */
export function modelSpecifier(apiVersion: string, kind: string): string | undefined {
  const m = API_VERSION.exec(apiVersion);
  if (!m || !KIND.test(kind)) return undefined;
  const group = m[1];
  const version = m[3];
  const pkg = group !== undefined && KARPENTER_GROUPS.has(group) ? "@kubernetes-models/karpenter" : "kubernetes-models";
  return `${pkg}/${group === undefined ? "" : `${group}/`}${version}/${kind}`;
}

let bridge: { port: MessagePort; flag: Int32Array } | undefined;

function start(): { port: MessagePort; flag: Int32Array } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(join(__dirname, "kubernetes-models-worker.mjs"), {
    workerData: { port: port2, flag },
    transferList: [port2],
  });
  // Never keep a test process alive just for this worker.
  worker.unref();
  port1.unref();
  return { port: port1, flag };
}

/**
 * Validates `object` with the published model for apiVersion/kind.
 * { known: false } when neither package has a model for it.
 */
export function validateWithKubernetesModels(apiVersion: string, kind: string, object: object): ModelResult {
  const specifier = modelSpecifier(apiVersion, kind);
  if (specifier === undefined) return { known: false };
  bridge ??= start();
  const { port, flag } = bridge;
  Atomics.store(flag, 0, 0);
  port.postMessage({ specifier, apiVersion, kind, object });
  if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === "timed-out") {
    throw new Error(`kubernetes-models worker gave no answer within ${TIMEOUT_MS} ms (${specifier})`);
  }
  const reply = receiveMessageOnPort(port);
  if (reply === undefined) throw new Error(`kubernetes-models worker woke without a reply (${specifier})`);
  return reply.message as ModelResult;
}
