// @ts-check
// Worker thread for test/support/kubernetes-models.ts (read that file first).
//
// kubernetes-models and @kubernetes-models/* are ESM-only and export only the "import"
// condition, which the project's CommonJS runners (jest's resolver, tsx on .ts files) cannot
// resolve. This worker is plain Node ESM, so `import("kubernetes-models/apps/v1/Deployment")`
// resolves through the packages' own "exports" maps exactly as documented.
//
// Protocol: one request at a time on `port`: { specifier, apiVersion, kind, object }.
// Reply: { known: false } | { known: true, errors: AjvLikeError[] }, then flag[0] = 1 + notify,
// which wakes the caller blocked in Atomics.wait.
import { workerData } from "node:worker_threads";

/** @type {{ port: import("node:worker_threads").MessagePort, flag: Int32Array }} */
const { port, flag } = workerData;

/** @param {unknown} reply */
function answer(reply) {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on("message", async (/** @type {{specifier: string, apiVersion: string, kind: string, object: object}} */ req) => {
  let Model;
  try {
    const mod = await import(req.specifier);
    Model = mod[req.kind];
  } catch {
    // ERR_PACKAGE_PATH_NOT_EXPORTED / ERR_MODULE_NOT_FOUND: the package has no model for it.
    return answer({ known: false });
  }
  // Only top-level API objects count: the same folders also export ServiceSpec and friends,
  // which have no apiVersion/kind of their own.
  if (typeof Model !== "function" || Model.apiVersion !== req.apiVersion || Model.kind !== req.kind) {
    return answer({ known: false });
  }
  try {
    new Model(req.object).validate();
    answer({ known: true, errors: [] });
  } catch (err) {
    const e = /** @type {{ errors?: Array<Record<string, unknown>>, message?: string }} */ (err);
    const errors = Array.isArray(e.errors)
      ? e.errors.map((x) => ({ instancePath: x.instancePath, schemaPath: x.schemaPath, keyword: x.keyword, params: x.params, message: x.message }))
      : [{ instancePath: "", schemaPath: "", keyword: "exception", params: {}, message: String(e.message ?? err) }];
    answer({ known: true, errors });
  }
});
