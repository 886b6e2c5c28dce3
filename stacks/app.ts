import { App } from "cdktf";
import { EksAwsStack } from "./aws-stack";
import type { Environment } from "./environment-schema";

export interface EnvironmentStacks {
  readonly aws: EksAwsStack;
}

/** Builds the stacks of every (already validated) environment into `app`. */
export function buildStacks(app: App, envs: readonly Environment[]): EnvironmentStacks[] {
  return envs.map((env) => {
    const aws = new EksAwsStack(app, env);
    return { aws };
  });
}
