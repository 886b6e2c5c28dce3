/**
 * Terraform arguments that make every init and plan (also those cdktf diff runs) use the plan
 * role: the backend reads state through it (-backend-config overrides the synthesized assume_role),
 * providers and remote-state reads take it from var.role_arn, and -lock=false because a read-only
 * role cannot write the lock file. The synthesized JSON stays the same. Its own TF_DATA_DIR, so a
 * plan-role init never meets a deploy-role init of the same stack directory ("Backend configuration
 * changed") in either order.
 * @see https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_cli_args-and-tf_cli_args_name
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#assume-role-configuration
 */
export function planRoleArgs(roleArn: string): NodeJS.ProcessEnv {
  return {
    TF_CLI_ARGS_init: `'-backend-config=assume_role={role_arn="${roleArn}"}'`,
    TF_CLI_ARGS_plan: `-var=role_arn=${roleArn} -lock=false`,
    TF_DATA_DIR: ".terraform-plan-role",
  };
}
