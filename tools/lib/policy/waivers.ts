/**
 * Policy waivers: the explicit, reviewed way to accept a failing check for one resource.
 *
 * A stack declares them in its top-level `"//"` object (cdktf's comment slot, ignored by Terraform):
 *   stack.addOverride("//.policyWaivers", [{ check: "CKV_AWS_39", resource: "cluster/cluster", reason: "..." }])
 * - `check`: a check id from the registry.
 * - `resource`: the Terraform address (`aws_eks_cluster.cluster_A4C38409`), or the construct path
 *   cdktf records in the resource's `"//".metadata.path`, whole (`dev-aws/cluster/cluster`) or
 *   without the leading stack name (`cluster/cluster`, stable across environments).
 * - `reason`: non-empty; a waiver without one is an error and silences nothing.
 * A valid waiver that silences no failure (no such resource, or the check passes there) is stale
 * and fails the run, so waivers are removed once the loosening is gone.
 */
import { isRecord } from "./tf";
import { checkById } from "./registry";

export interface Waiver {
  check: string;
  resource: string;
  reason: string;
  /** Position in the stack's policyWaivers list, for messages. */
  index: number;
}

export interface WaiverProblem {
  index: number;
  check: string;
  resource: string;
  reason: string;
}

/** Read and validate `"//".policyWaivers`; invalid entries are returned as problems and not applied. */
export function readWaivers(stackJson: unknown): { waivers: Waiver[]; problems: WaiverProblem[] } {
  const meta = isRecord(stackJson) && isRecord(stackJson["//"]) ? stackJson["//"] : undefined;
  const raw = meta?.policyWaivers;
  if (raw === undefined) return { waivers: [], problems: [] };
  if (!Array.isArray(raw)) {
    return { waivers: [], problems: [{ index: -1, check: "(none)", resource: "(none)", reason: "policyWaivers must be a list" }] };
  }
  const waivers: Waiver[] = [];
  const problems: WaiverProblem[] = [];
  raw.forEach((w, index) => {
    const check = isRecord(w) && typeof w.check === "string" ? w.check.trim() : "";
    const resource = isRecord(w) && typeof w.resource === "string" ? w.resource.trim() : "";
    const reason = isRecord(w) && typeof w.reason === "string" ? w.reason.trim() : "";
    const problem = (why: string) => problems.push({ index, check: check || "(none)", resource: resource || "(none)", reason: why });
    if (!isRecord(w)) problem("waiver must be an object { check, resource, reason }");
    else if (!check) problem("waiver has no check id");
    else if (!checkById(check)) problem(`unknown check id "${check}"`);
    else if (!resource) problem("waiver has no resource (Terraform address or construct path)");
    else if (!reason) problem("waiver has no reason: every waiver must say why the loosening is accepted");
    else waivers.push({ check, resource, reason, index });
  });
  return { waivers, problems };
}

/** Does the waiver's `resource` name this resource (address, full construct path, or path without the stack name)? */
export function waiverMatches(resource: string, address: string, path: string | undefined): boolean {
  if (resource === address) return true;
  if (!path) return false;
  return resource === path || resource === path.slice(path.indexOf("/") + 1);
}
