/** The check table: every policy check, in report order. */
import { EC2_CHECKS } from "./checks/ec2";
import { EKS_CHECKS } from "./checks/eks";
import { ELB_CHECKS } from "./checks/elb";
import { HELM_CHECKS } from "./checks/helm";
import { KUBERNETES_CHECKS } from "./checks/kubernetes";
import type { Check } from "./types";

export const CHECKS: readonly Check[] = [...EKS_CHECKS, ...EC2_CHECKS, ...ELB_CHECKS, ...KUBERNETES_CHECKS, ...HELM_CHECKS];

const ids = CHECKS.map((c) => c.id);
const dup = ids.find((id, i) => ids.indexOf(id) !== i);
if (dup) throw new Error(`duplicate policy check id ${dup}`);

export const checkById = (id: string): Check | undefined => CHECKS.find((c) => c.id === id);

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The check table as Markdown (id / resources / what / why / checkov source), for the README. */
export function renderCheckTable(checks: readonly Check[] = CHECKS): string {
  const rows = checks.map((c) => {
    const types = c.resourceTypes.map((t) => `\`${t}\``).join(", ");
    const source = c.source ? `[checkov](${c.source})` : "ours";
    return `| ${c.id} | ${types} | ${cell(c.title)} | [doc](${c.why}) | ${source} |`;
  });
  return ["| ID | Resources | What | Why | Semantics |", "|---|---|---|---|---|", ...rows].join("\n") + "\n";
}
