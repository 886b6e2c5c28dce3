import { planRoleArgs } from "../../tools/lib/plan-role";

test("plan-role runs: backend override, var.role_arn, no lock, a data directory of their own", () => {
  expect(planRoleArgs("arn:aws:iam::222222222222:role/eks-planner")).toEqual({
    TF_CLI_ARGS_init: `'-backend-config=assume_role={role_arn="arn:aws:iam::222222222222:role/eks-planner"}'`,
    TF_CLI_ARGS_plan: "-var=role_arn=arn:aws:iam::222222222222:role/eks-planner -lock=false",
    // Never shared with a deploy-role init of the same stack directory (Terraform would ask to migrate state).
    TF_DATA_DIR: ".terraform-plan-role",
  });
});
