import { TerraformStack, type TerraformElement } from "cdktf";
import type { Node } from "constructs";

/**
 * A stack whose Terraform names are the construct path below the stack (`cluster/node-role` →
 * `cluster_node-role`), without cdktf's hash suffix: readable in plans, reviews, `moved` blocks
 * and policy waivers, and still stable because construct ids come from config keys.
 */
export class ReadableStack extends TerraformStack {
  private readonly logicalIds = new Map<string, string>();

  /** Path below the stack, `cluster/node-role/role` → `cluster_node-role_role`; unique within the stack or synth fails. */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? (element as TerraformElement).node : (element as Node);
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((s) => s.node.id);
    const id = parts.join("_").replace(/[^A-Za-z0-9_-]/g, "_");
    const logicalId = /^[A-Za-z_]/.test(id) ? id : `_${id}`;
    const path = node.path;
    const other = this.logicalIds.get(logicalId);
    if (other !== undefined && other !== path) {
      throw new Error(`${this.node.id}: construct paths ${other} and ${path} map to the same Terraform name ${logicalId} (rename one construct id)`);
    }
    this.logicalIds.set(logicalId, path);
    return logicalId;
  }
}
