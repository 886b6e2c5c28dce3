/**
 * Prints the command that points kubectl at an environment's cluster (stacks/kubeconfig.ts).
 * Reads and validates the configuration only: no synth, no AWS call. Options: see --help.
 */
import { kubeconfigCommand } from "../stacks/kubeconfig";
import { loadConfig, runTool, UsageError } from "./lib/cli";
import { selectEnvironments } from "./lib/rollout";

runTool(
  {
    name: "connect",
    command: "npm run -s connect --",
    summary: `Prints the \`aws eks update-kubeconfig\` command for an environment: it adds the cluster to ~/.kube/config
(or $KUBECONFIG) as context <env>, authenticating through the environment's deploy role. Run it, then
\`kubectl --context <env> get nodes\`. Needs the AWS CLI and credentials that may assume the deploy role.`,
    options: {
      env: { type: "string", value: "NAME", description: "the environment (required; npm run -s environments lists them)" },
    },
    notes: "Also the AWS stack's output kubeconfig_command. Exit 0 printed, 1 invalid configuration, 2 usage error.",
  },
  ({ values }) => {
    if (!values.env) throw new UsageError("--env is required (npm run -s environments lists them)");
    const [env] = selectEnvironments(loadConfig(), { envs: [values.env] });
    process.stdout.write(`${kubeconfigCommand(env!)}\n`);
    return 0;
  },
);
