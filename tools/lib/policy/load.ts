/** Reading synthesized stacks from disk. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isRecord } from "./tf";
import type { StackInput } from "./types";

/** `<outdir>/stacks/<stack>/cdk.tf.json` for every stack cdktf synthesized, sorted by stack name. */
export function stackFilesIn(outdir: string): string[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(stacksDir, d.name, "cdk.tf.json"))
    .filter((f) => existsSync(f))
    .sort();
}

/** Parse one cdk.tf.json; the stack is named by cdktf's metadata, else by its directory. */
export function loadStackFile(file: string): StackInput {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const meta = isRecord(json) && isRecord(json["//"]) && isRecord(json["//"].metadata) ? json["//"].metadata : undefined;
  const name = typeof meta?.stackName === "string" ? meta.stackName : basename(dirname(file));
  return { name, json };
}
