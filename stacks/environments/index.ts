import type { EnvironmentInput } from "../environment-schema";
import { dev } from "./dev";
import { prod } from "./prod";

/** Every environment this repository deploys. Add yours here (see docs/guides/add-an-environment.md). */
export const environments: readonly EnvironmentInput[] = [dev, prod];
