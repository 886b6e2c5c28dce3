/**
 * The peer of `npm run bench` (issue 15): the same environments as an AWS CDK app with
 * aws-cdk-lib's aws-eks-v2, the way a platform team would write them there, so the bench can put
 * our main command next to it. Not a port field by field: the same cluster per environment (Auto
 * Mode or managed node groups), keys, logs, access entries, add-ons, Karpenter's AWS side, volumes,
 * target groups, API ingress rules, and the same Kubernetes objects and Helm releases through the
 * cluster's kubectl provider (addManifest, addHelmChart), which is how aws-eks-v2 applies them.
 *
 * It reads and validates the environments with this repository's own code (stacks/), as the app
 * does, so both sides parse the same input. Built and run by tools/lib/bench/peer.ts with the
 * packages pinned in bench/peer/package-lock.json, installed into .cache/peer (never the
 * project's own dependencies). Nothing here deploys: ids are the examples' fake ones.
 *
 * Where it is lighter than what a team would write (so the ratio flatters the peer, never us): the
 * kubectl layer is imported by ARN (aws-eks-v2's README bundles KubectlV3xLayer, an asset), and the
 * controllers' IAM policies are a few statements, not their full published policies.
 */
import { App, Duration, RemovalPolicy, Stack, Tags } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as eks from "aws-cdk-lib/aws-eks-v2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { Environment } from "../../stacks/environment-schema";
import { parseEnvironments } from "../../stacks/environment-validation";
import { loadEnvironments } from "../../stacks/load-environments";

const managedPolicy = (name: string) => iam.ManagedPolicy.fromAwsManagedPolicyName(name);

function accessPolicies(policies: Environment["access"][string]["policies"]): eks.IAccessPolicy[] {
  return policies.map((p) =>
    eks.AccessPolicy.fromAccessPolicyName(p.policy, p.namespaces?.length
      ? { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: [...p.namespaces] }
      : { accessScopeType: eks.AccessScopeType.CLUSTER }),
  );
}

class EnvironmentStack extends Stack {
  constructor(scope: Construct, env: Environment) {
    super(scope, env.name, { env: { account: env.account.id, region: env.account.region } });
    const c = env.cluster;
    const auto = c.compute.mode === "auto";
    for (const [k, v] of Object.entries(env.tags)) Tags.of(this).add(k, v);

    const key = (id: string) => new kms.Key(this, `${id}-key`, { enableKeyRotation: true, alias: `alias/${c.name}-${id}`, removalPolicy: RemovalPolicy.RETAIN });
    const secretsKey = key("secrets");
    const logsKey = key("logs");
    const ebsKey = key("ebs");
    new logs.LogGroup(this, "log-group", { logGroupName: `/aws/eks/${c.name}/cluster`, encryptionKey: logsKey, retention: c.logRetentionDays as logs.RetentionDays });

    const vpc = ec2.Vpc.fromVpcAttributes(this, "vpc", { vpcId: c.vpcId, availabilityZones: [...(c.availabilityZones ?? [])], privateSubnetIds: [...c.subnetIds] });
    const endpoint = c.endpoint.publicAccess ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...c.endpoint.publicAccessCidrs) : eks.EndpointAccess.PRIVATE;
    const cluster = new eks.Cluster(this, "cluster", {
      clusterName: c.name,
      version: eks.KubernetesVersion.of(c.kubernetesVersion),
      vpc,
      vpcSubnets: [{ subnets: c.subnetIds.map((id, i) => ec2.Subnet.fromSubnetId(this, `subnet-${i}`, id)) }],
      endpointAccess: endpoint,
      secretsEncryptionKey: secretsKey,
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR, eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
      defaultCapacityType: auto ? eks.DefaultCapacityType.AUTOMODE : eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: auto ? undefined : 0,
      compute: c.compute.mode === "auto" ? { nodePools: [...c.compute.builtInNodePools] } : undefined,
      bootstrapClusterCreatorAdminPermissions: false,
      kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(this, "kubectl-layer", `arn:aws:lambda:${env.account.region}:${env.account.id}:layer:kubectl:1`) },
      tags: { ...env.tags },
    });

    // API access from inside the VPC: the runners' security groups and CIDRs.
    for (const sg of c.endpoint.privateAccessSources.securityGroupIds) {
      new ec2.CfnSecurityGroupIngress(this, `api-from-${sg}`, { groupId: cluster.clusterSecurityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, sourceSecurityGroupId: sg });
    }
    for (const cidr of c.endpoint.privateAccessSources.cidrs) {
      new ec2.CfnSecurityGroupIngress(this, `api-from-${cidr}`, { groupId: cluster.clusterSecurityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: cidr });
    }

    // Access entries: the deploy and plan roles, then the environment's own.
    const access: [string, string, Environment["access"][string]["policies"]][] = [
      ["deployer", env.account.deployRoleArn, [{ policy: "AmazonEKSClusterAdminPolicy" } as Environment["access"][string]["policies"][number]]],
      ...(env.account.planRoleArn ? [["planner", env.account.planRoleArn, [{ policy: "AmazonEKSAdminViewPolicy" } as Environment["access"][string]["policies"][number]]] as [string, string, Environment["access"][string]["policies"]]] : []),
      ...Object.entries(env.access).map(([name, a]) => [name, a.principalArn, a.policies] as [string, string, Environment["access"][string]["policies"]]),
    ];
    for (const [name, principal, policies] of access) new eks.AccessEntry(this, `access-${name}`, { cluster, principal, accessPolicies: accessPolicies(policies) });

    // Volumes and target groups, tagged for Auto Mode.
    for (const [name, v] of Object.entries(env.volumes)) {
      new ec2.CfnVolume(this, `volume-${name}`, {
        availabilityZone: v.availabilityZone, size: v.sizeGiB, volumeType: v.type, iops: v.iops, throughput: v.throughputMiBs, encrypted: true, kmsKeyId: ebsKey.keyArn,
        tags: [{ key: "eks:eks-cluster-name", value: c.name }, { key: "Name", value: `${c.name}-${name}` }],
      });
    }
    for (const [name, tg] of Object.entries(env.targetGroups)) {
      new elbv2.CfnTargetGroup(this, `target-group-${name}`, {
        name: `${c.name}-${name}`.slice(0, 32), port: tg.port, protocol: tg.protocol, targetType: "ip", vpcId: c.vpcId,
        healthCheckPath: tg.healthCheck?.path, tags: [{ key: "eks:eks-cluster-name", value: c.name }],
      });
    }

    if (c.compute.mode === "managed") {
      const nodeRole = new iam.Role(this, "node-role", {
        assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
        managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].map(managedPolicy),
      });
      for (const [name, g] of Object.entries(c.compute.nodeGroups)) {
        cluster.addNodegroupCapacity(`node-group-${name}`, {
          nodegroupName: name, nodeRole, instanceTypes: g.instanceTypes.map((t) => new ec2.InstanceType(t)),
          capacityType: g.capacityType as eks.CapacityType, amiType: g.amiType as eks.NodegroupAmiType | undefined,
          minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredSize, diskSize: g.diskSizeGiB,
          labels: { ...g.labels }, taints: g.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect as eks.TaintEffect })),
        });
      }
      for (const addon of ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"]) {
        new eks.Addon(this, `addon-${addon}`, { cluster, addonName: addon });
      }
      const podRole = (id: string, policies: iam.IManagedPolicy[], namespace: string, serviceAccount: string) => {
        const role = new iam.Role(this, `${id}-role`, { assumedBy: new iam.ServicePrincipal("pods.eks.amazonaws.com").withSessionTags(), managedPolicies: policies });
        new eks.CfnPodIdentityAssociation(this, `${id}-association`, { clusterName: cluster.clusterName, namespace, serviceAccount, roleArn: role.roleArn });
        return role;
      };
      podRole("ebs-csi", [managedPolicy("service-role/AmazonEBSCSIDriverPolicy")], "kube-system", "ebs-csi-controller-sa");
      podRole("load-balancer-controller", [], "kube-system", "aws-load-balancer-controller").addToPolicy(
        new iam.PolicyStatement({ actions: ["elasticloadbalancing:*", "ec2:Describe*", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: ["*"] }),
      );
      cluster.addHelmChart("aws-load-balancer-controller", {
        chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", release: "aws-load-balancer-controller", namespace: "kube-system",
        version: c.compute.loadBalancerController.chartVersion, values: { clusterName: c.name, vpcId: c.vpcId, region: env.account.region },
      });

      if (c.compute.karpenter.enabled) {
        const queue = new sqs.Queue(this, "karpenter-queue", { queueName: `${c.name}-karpenter`, retentionPeriod: Duration.minutes(5), encryption: sqs.QueueEncryption.SQS_MANAGED });
        const rules: [string, events.EventPattern][] = [
          ["health", { source: ["aws.health"], detailType: ["AWS Health Event"] }],
          ["spot", { source: ["aws.ec2"], detailType: ["EC2 Spot Instance Interruption Warning"] }],
          ["rebalance", { source: ["aws.ec2"], detailType: ["EC2 Instance Rebalance Recommendation"] }],
          ["state", { source: ["aws.ec2"], detailType: ["EC2 Instance State-change Notification"] }],
          ["odcr", { source: ["aws.ec2"], detailType: ["EC2 Capacity Reservation Instance Interruption Warning"] }],
        ];
        for (const [name, eventPattern] of rules) new events.Rule(this, `karpenter-rule-${name}`, { eventPattern, targets: [new targets.SqsQueue(queue)] });
        const karpenterNodeRole = new iam.Role(this, "karpenter-node-role", {
          assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
          managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].map(managedPolicy),
        });
        new iam.CfnInstanceProfile(this, "karpenter-instance-profile", { roles: [karpenterNodeRole.roleName] });
        new eks.AccessEntry(this, "karpenter-node-access", { cluster, principal: karpenterNodeRole.roleArn, accessEntryType: eks.AccessEntryType.EC2_LINUX, accessPolicies: [] });
        const controller = podRole("karpenter", [], "kube-system", "karpenter");
        controller.addToPolicy(new iam.PolicyStatement({ actions: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate", "ec2:CreateTags", "ec2:TerminateInstances", "ec2:Describe*", "pricing:GetProducts", "ssm:GetParameter"], resources: ["*"] }));
        controller.addToPolicy(new iam.PolicyStatement({ actions: ["iam:PassRole"], resources: [karpenterNodeRole.roleArn] }));
        queue.grantConsumeMessages(controller);
        const chart = { repository: "oci://public.ecr.aws/karpenter", version: c.compute.karpenter.chartVersion, namespace: "kube-system" };
        const crds = cluster.addHelmChart("karpenter-crd", { ...chart, chart: "karpenter-crd", release: "karpenter-crd" });
        cluster.addHelmChart("karpenter", { ...chart, chart: "karpenter", release: "karpenter", skipCrds: true, values: { settings: { clusterName: c.name, interruptionQueue: queue.queueName } } }).node.addDependency(crds);
      }
    }

    // The Kubernetes objects of the k8s stack.
    const namespaces = new Set<string>([...Object.values(env.helm).filter((h) => h.createNamespace !== false).map((h) => h.namespace), ...Object.values(env.volumes).map((v) => v.claim.namespace)]);
    for (const ns of [...namespaces].sort()) cluster.addManifest(`namespace-${ns}`, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    cluster.addManifest("storage-class", {
      apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: auto ? "ebs.csi.eks.amazonaws.com" : "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Retain",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: ebsKey.keyArn },
    });
    const ingress = env.platform.ingress;
    if (ingress) {
      cluster.addManifest("ingress-class",
        { apiVersion: auto ? "eks.amazonaws.com/v1" : "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name: ingress.className }, spec: { scheme: ingress.scheme } },
        { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: ingress.className }, spec: { controller: auto ? "eks.amazonaws.com/alb" : "ingress.k8s.aws/alb" } },
      );
    }
    for (const [name, pool] of Object.entries(env.nodePools)) {
      cluster.addManifest(`node-pool-${name}`,
        auto
          ? { apiVersion: "eks.amazonaws.com/v1", kind: "NodeClass", metadata: { name }, spec: { role: cluster.role.roleName, subnetSelectorTerms: c.subnetIds.map((id) => ({ id })), tags: { ...pool.nodeClass.tags } } }
          : { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name }, spec: { role: `${c.name}-karpenter-node`, amiSelectorTerms: [{ alias: c.compute.mode === "managed" ? c.compute.karpenter.amiAlias : "" }], subnetSelectorTerms: c.subnetIds.map((id) => ({ id })), tags: { ...pool.nodeClass.tags } } },
        {
          apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name },
          spec: {
            template: {
              metadata: { labels: { ...pool.labels } },
              spec: {
                nodeClassRef: auto ? { group: "eks.amazonaws.com", kind: "NodeClass", name } : { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name },
                taints: pool.taints.map((t) => ({ ...t })),
                expireAfter: pool.expireAfter,
                requirements: [
                  ["karpenter.sh/capacity-type", pool.capacityTypes],
                  [auto ? "eks.amazonaws.com/instance-category" : "karpenter.k8s.aws/instance-category", pool.instanceCategories],
                  [auto ? "eks.amazonaws.com/instance-cpu" : "karpenter.k8s.aws/instance-cpu", pool.cpus],
                  ["kubernetes.io/arch", pool.architectures],
                ].flatMap(([key, values]) => (values && values.length ? [{ key, operator: "In", values: [...values] }] : [])),
              },
            },
            limits: { ...pool.limits },
            disruption: { budgets: pool.budgets.map((b) => ({ ...b })) },
          },
        },
      );
    }
    for (const [name, v] of Object.entries(env.volumes)) {
      cluster.addManifest(`volume-${name}`,
        { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: `${env.name}-${name}` }, spec: { capacity: { storage: `${v.sizeGiB}Gi` }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "gp3", claimRef: { namespace: v.claim.namespace, name: v.claim.name }, csi: { driver: auto ? "ebs.csi.eks.amazonaws.com" : "ebs.csi.aws.com", volumeHandle: `vol-${name}`, fsType: "ext4" } } },
        { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: v.claim.name, namespace: v.claim.namespace }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", volumeName: `${env.name}-${name}`, resources: { requests: { storage: `${v.sizeGiB}Gi` } } } },
      );
    }
    for (const [name, tg] of Object.entries(env.targetGroups)) {
      cluster.addManifest(`target-group-binding-${name}`, {
        apiVersion: auto ? "eks.amazonaws.com/v1" : "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding",
        metadata: { name, namespace: tg.service.namespace },
        spec: { targetType: "ip", serviceRef: { name: tg.service.name, port: tg.service.port }, targetGroupARN: `arn:aws:elasticloadbalancing:${env.account.region}:${env.account.id}:targetgroup/${c.name}-${name}`, networking: { ingress: [{ from: [{ securityGroup: { groupID: tg.loadBalancerSecurityGroupId } }], ports: [{ protocol: "TCP" }] }] } },
      });
    }
    for (const [name, h] of Object.entries(env.helm)) {
      cluster.addHelmChart(`helm-${name}`, { chart: h.chart, repository: h.repository, version: h.version, release: name, namespace: h.namespace, createNamespace: false, values: JSON.parse(JSON.stringify(h.values ?? {})) });
    }
  }
}

const app = new App();
for (const env of parseEnvironments(loadEnvironments(process.env.EKS_ENVIRONMENTS))) new EnvironmentStack(app, env);
app.synth();
