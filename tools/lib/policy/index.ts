/** Security policy over synthesized Terraform JSON (issue "Guardrails", part 2). See tools/policy.ts for the CLI. */
export { CHECKS, checkById, renderCheckTable } from "./registry";
export { formatFinding, formatReport, resourcesOf, runPolicy, summarize, type Summary } from "./run";
export { loadStackFile, stackFilesIn } from "./load";
export { readWaivers, waiverMatches, type Waiver } from "./waivers";
export { FAILING_STATUSES, fail, pass, skip, type Body, type Check, type Finding, type Outcome, type StackInput } from "./types";
