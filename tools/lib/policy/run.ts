/** Run the checks over synthesized stacks, apply waivers, and render the report. */
import { CHECKS } from "./registry";
import { isRecord } from "./tf";
import { FAILING_STATUSES, type Check, type Finding, type StackInput } from "./types";
import { readWaivers, waiverMatches } from "./waivers";

interface ResourceRef {
  type: string;
  address: string;
  path?: string;
  body: Record<string, unknown>;
}

/** Every `resource.<type>.<name>` of a stack, as `<type>.<name>` with its construct path. */
export function resourcesOf(stackJson: unknown): ResourceRef[] {
  const resource = isRecord(stackJson) && isRecord(stackJson.resource) ? stackJson.resource : {};
  return Object.entries(resource).flatMap(([type, byName]) =>
    isRecord(byName)
      ? Object.entries(byName).flatMap(([name, body]) => {
          if (!isRecord(body)) return [];
          const meta = isRecord(body["//"]) && isRecord(body["//"].metadata) ? body["//"].metadata : undefined;
          const path = typeof meta?.path === "string" ? meta.path : undefined;
          return [{ type, address: `${type}.${name}`, path, body }];
        })
      : [],
  );
}

/**
 * Findings for every (check, resource) pair that applies, with waivers applied, plus one finding per
 * invalid or stale waiver. Order: stacks as given, resources as written, checks in registry order.
 */
export function runPolicy(stacks: readonly StackInput[], checks: readonly Check[] = CHECKS): Finding[] {
  return stacks.flatMap((stack) => runStack(stack, checks));
}

function runStack(stack: StackInput, checks: readonly Check[]): Finding[] {
  const { waivers, problems } = readWaivers(stack.json);
  const used = new Set<number>();
  const findings: Finding[] = [];

  for (const r of resourcesOf(stack.json)) {
    for (const check of checks) {
      if (!check.resourceTypes.includes(r.type)) continue;
      const outcome = check.run(r.body);
      if (outcome.status === "skip") continue;
      const base = { check: check.id, stack: stack.name, address: r.address, ...(r.path ? { path: r.path } : {}) };
      if (outcome.status === "pass") {
        findings.push({ status: "pass", ...base });
        continue;
      }
      const waiver = waivers.find((w) => w.check === check.id && waiverMatches(w.resource, r.address, r.path));
      if (waiver) {
        used.add(waiver.index);
        findings.push({ status: "waived", ...base, reason: outcome.reason, why: check.why, waiverReason: waiver.reason });
      } else {
        findings.push({ status: "fail", ...base, reason: outcome.reason, why: check.why });
      }
    }
  }

  for (const p of problems) {
    findings.push({ status: "invalid-waiver", check: p.check, stack: stack.name, address: p.resource, reason: `invalid waiver (policyWaivers[${p.index}]): ${p.reason}` });
  }
  for (const w of waivers) {
    if (used.has(w.index)) continue;
    const known = findings.some((f) => f.check === w.check && waiverMatches(w.resource, f.address, f.path));
    const reason = known
      ? `stale waiver (policyWaivers[${w.index}]): ${w.check} passes on this resource; remove the waiver`
      : `stale waiver (policyWaivers[${w.index}]): no resource checked by ${w.check} matches "${w.resource}"; remove or fix the waiver`;
    findings.push({ status: "stale-waiver", check: w.check, stack: stack.name, address: w.resource, reason });
  }
  return findings;
}

export interface Summary {
  passed: number;
  failed: number;
  waived: number;
  ok: boolean;
}

/** `failed` counts check failures and waiver problems alike: any of them fails the run. */
export function summarize(findings: readonly Finding[]): Summary {
  const passed = findings.filter((f) => f.status === "pass").length;
  const waived = findings.filter((f) => f.status === "waived").length;
  const failed = findings.filter((f) => FAILING_STATUSES.has(f.status)).length;
  return { passed, failed, waived, ok: failed === 0 };
}

/** One report line, or undefined for a pass (unless verbose). */
export function formatFinding(f: Finding, verbose = false): string | undefined {
  const where = `${f.check} ${f.stack}/${f.address}`;
  switch (f.status) {
    case "pass":
      return verbose ? `PASS ${where}` : undefined;
    case "fail":
      return `FAIL ${where}: ${f.reason} (${f.why})`;
    case "waived":
      return `WAIVED ${where}: ${f.reason} (waived: ${f.waiverReason})`;
    case "invalid-waiver":
    case "stale-waiver":
      return `FAIL ${where}: ${f.reason}`;
  }
}

/** The whole report: finding lines, then `policy: N passed, N failed, N waived`. */
export function formatReport(findings: readonly Finding[], verbose = false): string {
  const lines = findings.map((f) => formatFinding(f, verbose)).filter((l): l is string => l !== undefined);
  const s = summarize(findings);
  lines.push(`policy: ${s.passed} passed, ${s.failed} failed, ${s.waived} waived`);
  return lines.join("\n") + "\n";
}
