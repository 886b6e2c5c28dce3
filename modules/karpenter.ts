/**
 * Open-source Karpenter on a node-group cluster, the way its getting-started guide installs it, as real resources:
 * the AWS side (node role, instance profile, access entry, interruption queue and its EventBridge rules, controller
 * role through Pod Identity) for the AWS stack, and the charts (CRDs, controller) for the controllers stack.
 * @see https://karpenter.sh/v1.14/getting-started/getting-started-with-karpenter/
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { HelmChart } from "./helm-chart";
import { PodIdentityRole } from "./pod-identity-role";
import { managedPolicyArn, serviceTrustPolicy, type PodIdentityTrustScope } from "./private/aws";
import { karpenterControllerPolicies } from "./private/iam-policies";

/** Where the chart runs the controller: the getting-started guide's namespace (its FlowSchemas cover kube-system). */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;
/** The charts, from Karpenter's public ECR registry. https://gallery.ecr.aws/karpenter/karpenter */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

/**
 * The interruption events Karpenter handles, as the reference template's EventBridge rules match them (source and
 * detail-type exactly: a wrong detail-type is a rule that never fires). Keyed by our rule name suffix.
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export const KARPENTER_INTERRUPTION_EVENTS = {
  spot: { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  state: { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  // Scheduled changes (maintenance, retirement) arrive as AWS Health events.
  health: { source: "aws.health", detailType: "AWS Health Event" },
  odcr: { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
} as const;

export interface KarpenterAwsProps {
  /** The cluster (a reference, so the access entry and association wait for it). */
  readonly clusterName: string;
  /** The same name as a literal: policies and descriptions say it at plan time (IAM conditions, ARNs). */
  readonly clusterNameLiteral: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly nodeRoleName: string;
  readonly instanceProfileName: string;
  readonly controllerRoleName: string;
  readonly queueName: string;
  /** EventBridge rule name of each interruption event. */
  readonly eventRuleNames: Readonly<Record<keyof typeof KARPENTER_INTERRUPTION_EVENTS, string>>;
  readonly trustScope: PodIdentityTrustScope;
}

/** The AWS side of Karpenter (the template's resources, without its CloudFormation). */
export class KarpenterAws extends Construct {
  readonly nodeRole: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: KarpenterAwsProps) {
    super(scope, id);
    const queueArn = `arn:${props.partition}:sqs:${props.region}:${props.accountId}:${props.queueName}`;
    const nodeRoleArn = `arn:${props.partition}:iam::${props.accountId}:role/${props.nodeRoleName}`;

    // Template KarpenterNodeRole, less two of its managed policies on purpose: AmazonEKS_CNI_Policy is on the vpc-cni
    // add-on's own role here (Pod Identity), and no SSM agent access (AmazonSSMManagedInstanceCore) on nodes.
    // https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
    this.nodeRole = new IamRole(this, "node-role", { name: props.nodeRoleName, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
    for (const policy of ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"]) {
      new IamRolePolicyAttachment(this, `node-role-${policy}`, { role: this.nodeRole.name, policyArn: managedPolicyArn(props.partition, policy) });
    }
    // Terraform owns the instance profile, so Karpenter creates none (EC2NodeClass spec.instanceProfile).
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", { name: props.instanceProfileName, role: this.nodeRole.name });
    // Nodes join with an EC2_LINUX access entry; EKS puts them in system:nodes (no Kubernetes groups on node entries).
    // https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
    new EksAccessEntry(this, "node-access-entry", { clusterName: props.clusterName, principalArn: this.nodeRole.arn, type: "EC2_LINUX" });

    // Template KarpenterInterruptionQueue: messages live 5 minutes (an interruption warning is 2), SSE-SQS.
    this.queue = new SqsQueue(this, "interruption-queue", { name: props.queueName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    new SqsQueuePolicy(this, "interruption-queue-policy", { queueUrl: this.queue.url, policy: karpenterQueuePolicy(queueArn) });
    for (const [rule, event] of Object.entries(KARPENTER_INTERRUPTION_EVENTS) as [keyof typeof KARPENTER_INTERRUPTION_EVENTS, (typeof KARPENTER_INTERRUPTION_EVENTS)[keyof typeof KARPENTER_INTERRUPTION_EVENTS]][]) {
      const eventRule = new CloudwatchEventRule(this, `rule-${rule}`, {
        name: props.eventRuleNames[rule],
        description: `${event.detailType} to Karpenter (${props.clusterNameLiteral})`,
        eventPattern: karpenterEventPattern(event),
      });
      new CloudwatchEventTarget(this, `rule-${rule}-target`, { rule: eventRule.name, targetId: "KarpenterInterruptionQueueTarget", arn: this.queue.arn });
    }

    new PodIdentityRole(this, "controller", {
      clusterName: props.clusterName,
      roleName: props.controllerRoleName,
      trustScope: props.trustScope,
      namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT.name,
      inlinePolicies: karpenterControllerPolicies({
        partition: props.partition,
        region: props.region,
        accountId: props.accountId,
        clusterName: props.clusterNameLiteral,
        nodeRoleArn,
        queueArn,
      }),
    });
  }
}

/** The template's EventBridge event pattern: one source, one detail-type. */
export function karpenterEventPattern(event: { readonly source: string; readonly detailType: string }): string {
  return JSON.stringify({ source: [event.source], "detail-type": [event.detailType] });
}

/**
 * Template KarpenterInterruptionQueuePolicy: EventBridge (and SQS) may send to the queue; nothing over plain HTTP.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 */
export function karpenterQueuePolicy(queueArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "EC2InterruptionPolicy",
    Statement: [
      { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: queueArn },
      { Sid: "DenyHTTP", Effect: "Deny", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": false } }, Principal: "*" },
    ],
  });
}

export interface KarpenterChartsProps {
  /** The cluster (a cross-stack reference, so the charts wait for it). */
  readonly clusterName: string;
  readonly chartVersion: string;
  readonly queueName: string;
  /** The cluster's region, given to the controller (see below). */
  readonly region: string;
}

/**
 * Karpenter's charts: `karpenter-crd` owns the CRDs (Helm installs a chart's crds/ once and never upgrades them, so
 * the upgrade guide recommends this chart), then `karpenter` without its crds/. Its role and Pod Identity association
 * are in the AWS stack: no service account annotation. The chart's defaults keep the controller off Karpenter's own
 * nodes (node affinity `karpenter.sh/nodepool DoesNotExist`) with 2 replicas on different hosts and zones.
 * @see https://karpenter.sh/v1.14/upgrading/upgrade-guide/#crd-upgrades
 */
export class KarpenterCharts extends Construct {
  readonly crds: HelmChart;
  readonly controller: HelmChart;

  constructor(scope: Construct, id: string, props: KarpenterChartsProps) {
    super(scope, id);
    const common = { repository: KARPENTER_CHART_REPOSITORY, version: props.chartVersion, namespace: KARPENTER_SERVICE_ACCOUNT.namespace, createNamespace: false };
    this.crds = new HelmChart(this, "crds", { ...common, releaseName: "karpenter-crd", chart: "karpenter-crd" });
    this.controller = new HelmChart(this, "controller", {
      ...common,
      releaseName: "karpenter",
      chart: "karpenter",
      skipCrds: true,
      values: {
        settings: { clusterName: props.clusterName, interruptionQueue: props.queueName },
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT.name },
        controller: {
          // The region explicitly: Karpenter falls back to the instance metadata service, which its
          // pod cannot reach through our launch templates' hop limit of 1 (it crash-loops without a
          // region: https://github.com/aws/karpenter-provider-aws/issues/6295); today only EKS Pod
          // Identity's webhook injects AWS_REGION. The chart's hook for it: values.yaml
          // `controller.env` (karpenter 1.14.1).
          env: [{ name: "AWS_REGION", value: props.region }],
          // The getting-started guide's requests and limits (step08-apply-helm-chart.sh).
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
      },
      dependsOn: [this.crds.release],
    });
  }
}
