/**
 * Shapes shared by the policy checks, the runner and the CLI.
 *
 * A check looks at one Terraform JSON resource body (`resource.<type>.<name>` in cdk.tf.json)
 * and says pass, fail (with a reason a reviewer can act on) or skip (the check does not apply
 * to this body, e.g. a TCP target group for CKV_AWS_261). Skips are not counted.
 */

/** A resource body as cdktf writes it (snake_case attributes, plus a `"//"` metadata entry). */
export type Body = Record<string, unknown>;

export type Outcome =
  | { status: "pass" }
  | { status: "fail"; reason: string }
  | { status: "skip"; reason: string };

export const pass = (): Outcome => ({ status: "pass" });
export const fail = (reason: string): Outcome => ({ status: "fail", reason });
export const skip = (reason: string): Outcome => ({ status: "skip", reason });

export interface Check {
  /** checkov's id where the check mirrors a checkov check (CKV_AWS_*, CKV_K8S_*), else our own (EKS_*). */
  id: string;
  /** Terraform resource types the check runs on. */
  resourceTypes: readonly string[];
  /** One line: what must hold. */
  title: string;
  /** Link to the document that explains the risk (AWS / Kubernetes / provider docs). */
  why: string;
  /** Link to the checkov source whose semantics the check follows (absent for our own ids). */
  source?: string;
  run(body: Body): Outcome;
}

/** One stack read from `cdktf.out/stacks/<name>/cdk.tf.json`. */
export interface StackInput {
  name: string;
  json: unknown;
}

/**
 * One line of the report.
 * - pass / fail / waived: a check's verdict on one resource.
 * - invalid-waiver / stale-waiver: a problem with an entry of the stack's `"//".policyWaivers`;
 *   `check` and `address` are then the waiver's own `check` and `resource` text.
 * Everything except pass and waived fails the run.
 */
export interface Finding {
  status: "pass" | "fail" | "waived" | "invalid-waiver" | "stale-waiver";
  check: string;
  stack: string;
  address: string;
  /** Construct path of the resource (`dev-aws/cluster/cluster`), when cdktf recorded it. */
  path?: string;
  reason?: string;
  why?: string;
  /** For waived findings: the waiver's reason. */
  waiverReason?: string;
}

export const FAILING_STATUSES: ReadonlySet<Finding["status"]> = new Set(["fail", "invalid-waiver", "stale-waiver"]);
