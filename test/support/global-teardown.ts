import * as fs from "node:fs";

/** Removes what global-setup.ts synthesized. */
export default function globalTeardown(): void {
  const outdir = process.env.EKS_TEST_EXAMPLES_OUTDIR;
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
}
