import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesizeInto } from "./synth";

/**
 * Synthesizes the example environments once for the whole run; test files read the JSON instead
 * of each loading cdktf and the providers to synthesize the same thing again.
 */
export default function globalSetup(): void {
  // This runs in jest's own process, which NODE_OPTIONS in jest.config.js cannot reach (DEP0044 there).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("../../tools/synth.cjs") as { silenceDep0044: () => void }).silenceDep0044();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-examples-"));
  synthesizeInto(outdir);
  process.env.EKS_TEST_EXAMPLES_OUTDIR = outdir;
}
