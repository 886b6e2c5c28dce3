import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { ReadableStack } from "../../stacks/readable-stack";

/** Synthesizes what `build` adds to a stack with the product's readable Terraform names; returns `resource`. */
export function synthModule(build: (scope: Construct) => void): Record<string, any> {
  const stack = new ReadableStack(new App({ stackTraces: false }), "unit");
  build(stack);
  return JSON.parse(Testing.synth(stack)).resource;
}
