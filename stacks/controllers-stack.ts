import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { HelmChart } from "../modules/helm-chart";
import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, type EksAwsStack } from "./aws-stack";
import { clusterConnection } from "./cluster-connection";
import { EnvironmentStack } from "./environment-stack";
import type { Environment, ManagedCompute } from "./environment-schema";

/**
 * The AWS Load Balancer Controller chart. Its values keys are checked against
 * modules/private/chart-values/ (values.yaml of the pinned version).
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v2.14.0/helm/aws-load-balancer-controller/values.yaml
 */
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
    const connection = clusterConnection(env, aws.cluster.endpoint, aws.cluster.certificateAuthorityData, this.roleArn);
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
        // The Kubernetes stack owns IngressClass and IngressClassParams in both compute modes
        // (modules/alb-ingress-class.ts). The chart creates both by default, named `alb`, and
        // kubernetes_ingress_class_v1 / kubernetes_manifest then fail on the existing objects.
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        // Makes this controller take every new Service of type LoadBalancer, with failurePolicy
        // Fail: Service creation fails cluster-wide while the controller is down. This platform
        // binds target groups (TargetGroupBinding) and creates no LoadBalancer Services.
        enableServiceMutatorWebhook: false,
      },
    });
  }
}
