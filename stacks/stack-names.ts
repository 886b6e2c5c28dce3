import type { Environment } from "./environment-schema";

// Kept free of cdktf so the CLI tools (rollout, plan, environments) start without loading it.

export type StackKind = "aws" | "controllers" | "k8s";

/** `dev` + `aws` → `dev-aws`: the name users pass to `cdktf diff` / `cdktf deploy`. */
export const stackName = (env: Pick<Environment, "name">, kind: StackKind) => `${env.name}-${kind}`;

/** State object key of a stack. */
export const stateKey = (env: Pick<Environment, "name" | "state">, kind: StackKind) => `${env.state.keyPrefix}/${env.name}/${kind}.tfstate`;
