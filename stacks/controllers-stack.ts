import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { HelmChart } from "../modules/helm-chart";
import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, type EksAwsStack } from "./aws-stack";
import { clusterConnection } from "./cluster-connection";
import { EnvironmentStack } from "./environment-stack";
import type { Environment, ManagedCompute } from "./environment-schema";

/** The AWS Load Balancer Controller chart. @see https://github.com/aws/eks-charts/tree/master/stacks/aws-load-balancer-controller */
export const LOAD_BALANCER_CONTROLLER_CHART = { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller" };

/**
 * Controllers whose CRDs the Kubernetes stack's custom resources need (managed node groups only:
 * Auto Mode has them built in). A separate stack because `kubernetes_manifest` looks up the CRD
 * at plan time: a TargetGroupBinding cannot be planned in the run that installs its CRD
 * (terraform-provider-kubernetes #1775, #1391).
 */
export class EksControllersStack extends EnvironmentStack {
  readonly loadBalancerController: HelmChart;

  constructor(scope: Construct, env: Environment, aws: EksAwsStack) {
    super(scope, env, "controllers");
    const compute = env.cluster.compute as ManagedCompute;
    const connection = clusterConnection(env, aws.cluster.endpoint, aws.cluster.certificateAuthorityData);
    new HelmProvider(this, "helm", { kubernetes: connection });

    // Its IAM role and Pod Identity association are in the AWS stack: no service account annotation.
    this.loadBalancerController = new HelmChart(this, "aws-load-balancer-controller", {
      releaseName: "aws-load-balancer-controller",
      ...LOAD_BALANCER_CONTROLLER_CHART,
      version: compute.loadBalancerController.chartVersion,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      createNamespace: false,
      values: {
        clusterName: aws.cluster.name,
        region: env.account.region,
        vpcId: env.cluster.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      },
    });
  }
}
