import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { EksAwsStack } from "./aws-stack";
import { clusterConnection } from "./cluster-connection";
import { computeOf } from "./compute";
import { EnvironmentStack } from "./environment-stack";
import type { Environment } from "./environment-schema";

/**
 * Controllers whose CRDs the Kubernetes stack's custom resources need (node-group environments only:
 * Auto Mode has them built in): the AWS Load Balancer Controller (TargetGroupBinding, IngressClassParams)
 * and, with node pools, Karpenter (NodePool, EC2NodeClass). A separate stack because `kubernetes_manifest`
 * looks up the CRD at plan time: a custom resource cannot be planned in the run that installs its CRD
 * (terraform-provider-kubernetes #1775, #1391). The compute mode decides what goes here (stacks/compute/).
 */
export class EksControllersStack extends EnvironmentStack {
  constructor(scope: Construct, env: Environment, aws: EksAwsStack) {
    super(scope, env, "controllers");
    const connection = clusterConnection(env, aws.cluster.endpoint, aws.cluster.certificateAuthorityData, this.roleArn);
    new HelmProvider(this, "helm", { kubernetes: connection });
    const compute = computeOf(env);
    if (!compute.addControllers) throw new Error(`${env.name}: ${env.cluster.compute.mode} compute installs no controllers (no controllers stack)`);
    compute.addControllers({ scope: this, env, clusterName: aws.cluster.name });
  }
}
