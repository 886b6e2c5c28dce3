import { Construct } from "constructs";
import { S3Backend, TerraformVariable } from "cdktf";
import { ReadableStack } from "./readable-stack";
import type { Environment } from "./environment-schema";
import { stateKey, stackName, type StackKind } from "./stack-names";
import { applyDay2 } from "./day2";

export { stackName, stateKey, type StackKind } from "./stack-names";

/**
 * Base of every stack of an environment:
 * - S3 state in the environment's account, encrypted, with S3-native locking;
 * - readable, stable Terraform addresses derived from construct paths (no hash suffix), so
 *   reviews, `moved` blocks and policy waivers can name resources;
 * - environment metadata in the JSON (`//`), read by the review and policy tools.
 */
export abstract class EnvironmentStack extends ReadableStack {
  /**
   * The role Terraform assumes for providers and cross-stack state: the deploy role unless the
   * run says otherwise (`-var role_arn=<plan role>` for read-only pull-request plans). Chosen at run
   * time, so the synthesized JSON is the same for plans and deploys.
   */
  readonly roleArn: string;

  protected constructor(
    scope: Construct,
    readonly env: Environment,
    readonly kind: StackKind,
  ) {
    super(scope, stackName(env, kind));
    const backend = new S3Backend(this, {
      bucket: env.state.bucket,
      key: stateKey(env, kind),
      region: env.state.region,
      encrypt: true,
      // Read the state bucket through the deploy role too: the bucket lives in the environment's account.
      assumeRole: { roleArn: env.account.deployRoleArn },
    });
    // cdktf 0.21's S3Backend predates S3-native locking; dynamodb_table is deprecated by Terraform.
    // https://developer.hashicorp.com/terraform/language/backend/s3#state-locking
    backend.addOverride("use_lockfile", true);

    const roles = [env.account.deployRoleArn, ...(env.account.planRoleArn ? [env.account.planRoleArn] : [])];
    this.roleArn = new TerraformVariable(this, "role_arn", {
      type: "string",
      default: env.account.deployRoleArn,
      description: "Role assumed in the environment's account: the deploy role, or the read-only plan role for pull-request plans",
      validation: [
        {
          condition: `\${contains(${JSON.stringify(roles)}, var.role_arn)}`,
          errorMessage: `role_arn must be the environment's deploy role or plan role: ${roles.join(", ")}.`,
        },
      ],
    }).stringValue;
  }

  override toTerraform(): any {
    const tf = super.toTerraform();
    // cdktf copies the producing stack's backend (deploy role) into the cross-stack remote state
    // reads; they follow the run's role instead, so a plan-role run reads state read-only too.
    for (const ds of Object.values<any>(tf.data?.terraform_remote_state ?? {})) {
      if (ds.config?.assume_role) ds.config.assume_role = { ...ds.config.assume_role, role_arn: "${var.role_arn}" };
    }
    tf["//"] = {
      ...tf["//"],
      environment: { name: this.env.name, kind: this.kind, protected: this.env.protected, account: this.env.account.id, region: this.env.account.region },
      policyWaivers: this.env.policyWaivers.filter((w) => w.stack === this.kind).map((w) => ({ check: w.check, resource: w.resource, reason: w.reason })),
    };
    // Renamed keys (moved blocks, old AWS names kept) and adopted objects (import blocks).
    applyDay2(this.env, this.kind, tf);
    return tf;
  }
}
