import { App } from "cdktf";
import { EksAwsStack } from "./aws-stack";
import { EksControllersStack } from "./controllers-stack";
import { EksKubernetesStack } from "./kubernetes-stack";
import type { Environment } from "./environment-schema";
import { COMPUTE_FLAVORS } from "../modules/private/compute-flavor";
import { escapeTemplates } from "./terraform-escape";

export interface EnvironmentStacks {
  readonly env: Environment;
  readonly aws: EksAwsStack;
  /** Managed node groups only: the AWS Load Balancer Controller and Karpenter, whose CRDs the k8s stack uses. */
  readonly controllers?: EksControllersStack;
  readonly k8s: EksKubernetesStack;
}

/** Builds the stacks of every (already validated) environment, in deploy order. */
export function buildStacks(app: App, envs: readonly Environment[]): EnvironmentStacks[] {
  return envs.map((validated) => {
    // User strings become Terraform template text: escape `${` and `%{` once, here.
    const env = escapeTemplates(validated);
    const aws = new EksAwsStack(app, env);
    const controllers = COMPUTE_FLAVORS[env.cluster.compute.mode].installsLoadBalancerController
      ? new EksControllersStack(app, env, aws)
      : undefined;
    const k8s = new EksKubernetesStack(app, env, aws);
    if (controllers) k8s.addDependency(controllers);
    return { env, aws, controllers, k8s };
  });
}
