import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { AlbIngressClass } from "../modules/alb-ingress-class";
import { DefaultStorageClass } from "../modules/default-storage-class";
import { HelmChart } from "../modules/helm-chart";
import { KubeDnsShim } from "../modules/kube-dns-shim";
import { NodePool } from "../modules/node-pool";
import { StaticPersistentVolume } from "../modules/static-persistent-volume";
import { TargetGroupBinding } from "../modules/target-group-binding";
import type { EksAwsStack } from "./aws-stack";
import { clusterConnection } from "./cluster-connection";
import { computeOf } from "./compute";
import { EnvironmentStack } from "./environment-stack";
import type { Environment } from "./environment-schema";

/** Namespaces Kubernetes creates itself. */
const BUILT_IN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/**
 * The Kubernetes side of an environment, from the same platform config in both compute modes:
 * the modules pick provisioner, API groups and controllers from the compute flavor.
 * Depends on the AWS stack (cdktf cross-stack references: outputs + remote state).
 */
export class EksKubernetesStack extends EnvironmentStack {
  constructor(scope: Construct, env: Environment, aws: EksAwsStack) {
    super(scope, env, "k8s");
    const compute = computeOf(env);
    const flavor = compute.flavor;
    const connection = clusterConnection(env, aws.cluster.endpoint, aws.cluster.certificateAuthorityData, this.roleArn);
    new KubernetesProvider(this, "kubernetes", { ...connection, exec: [connection.exec] });
    new HelmProvider(this, "helm", { kubernetes: connection });

    // Namespaces that claims and bindings live in; Helm releases reuse them.
    const namespaces = new Map<string, NamespaceV1>();
    const wanted = [
      ...Object.values(env.volumes).map((v) => v.claim.namespace),
      ...Object.values(env.targetGroups).map((t) => t.service.namespace),
    ];
    for (const ns of [...new Set(wanted)].sort()) {
      if (BUILT_IN_NAMESPACES.has(ns)) continue;
      namespaces.set(ns, new NamespaceV1(this, `namespace-${ns}`, { metadata: { name: ns } }));
    }
    const inNamespace = (ns: string): ITerraformDependable[] => (namespaces.has(ns) ? [namespaces.get(ns)!] : []);

    const storageClass = new DefaultStorageClass(this, "storage-class", {
      name: env.platform.storageClass.name,
      provisioner: flavor.ebsCsiDriver,
      reclaimPolicy: env.platform.storageClass.reclaimPolicy,
    });

    const claims: ITerraformDependable[] = [];
    for (const [name, v] of Object.entries(env.volumes)) {
      const pv = new StaticPersistentVolume(this, `volume-${name}`, {
        name: `${env.cluster.name}-${name}`,
        volumeId: aws.volumes[name].volume.id,
        sizeGiB: v.sizeGiB,
        availabilityZone: v.availabilityZone,
        driver: flavor.ebsCsiDriver,
        storageClassName: env.platform.storageClass.name,
        fsType: v.fsType,
        claim: v.claim,
        // depends_on, not node.addDependency: cdktf 0.21 writes nothing for the latter.
        claimDependsOn: [storageClass.storageClass, ...inNamespace(v.claim.namespace)],
      });
      claims.push(pv.claim);
    }

    for (const [name, tg] of Object.entries(env.targetGroups)) {
      new TargetGroupBinding(this, `target-group-binding-${name}`, {
        name,
        namespace: tg.service.namespace,
        apiVersion: flavor.loadBalancerApiVersion,
        targetGroupArn: aws.targetGroups[name].targetGroup.arn,
        service: { name: tg.service.name, port: tg.service.port },
        targetPort: tg.port,
        loadBalancerSecurityGroupId: tg.loadBalancerSecurityGroupId,
        dependsOn: inNamespace(tg.service.namespace),
      });
    }

    // What charts may rely on when their pods start: set up before every Helm release.
    const platformReady: ITerraformDependable[] = [storageClass.storageClass];

    const ingress = env.platform.ingress;
    if (ingress) {
      const ingressClass = new AlbIngressClass(this, "ingress-class", {
        name: ingress.className,
        apiGroup: flavor.loadBalancerApiGroup,
        apiVersion: flavor.loadBalancerApiVersion,
        controller: flavor.ingressController,
        scheme: ingress.scheme,
        groupName: ingress.groupName,
        isDefault: ingress.isDefault,
      });
      // An Ingress whose class does not exist yet is ignored by the controller.
      platformReady.push(ingressClass.ingressClass);
    }

    // Opt-in (platform.kubeDnsService): an endpoint-less Service at the cluster DNS address might
    // make kube-proxy reject DNS there; two reviews could not rule that out without a live cluster.
    if (flavor.needsKubeDnsShim && env.platform.kubeDnsService) {
      // Charts that resolve kube-dns by name (Loki's gateway) need it when they start.
      platformReady.push(new KubeDnsShim(this, "kube-dns-shim", { serviceIpv4Cidr: env.cluster.serviceIpv4Cidr }).service);
    }
    // One spec, the mode's rendering: its node class (compute.nodeClass) and the flavor row's NodePool keys. On node
    // groups, Karpenter's CRDs come from the controllers stack, which deploys before this one.
    const nodeClassContext = { env, autoModeNodeRoleName: aws.cluster.nodeRole?.name, clusterSecurityGroupId: aws.cluster.clusterSecurityGroupId };
    for (const [name, pool] of Object.entries(env.nodePools)) {
      const nodePool = new NodePool(this, `node-pool-${name}`, {
        name,
        flavor: flavor.nodePools,
        nodeClass: compute.nodeClass(name, pool, nodeClassContext),
        capacityTypes: pool.capacityTypes,
        instanceCategories: pool.instanceCategories,
        instanceGenerationAbove: pool.instanceGenerationAbove,
        cpus: pool.cpus,
        architectures: pool.architectures,
        zones: pool.zones,
        limits: pool.limits,
        expireAfter: pool.expireAfter,
        terminationGracePeriod: pool.terminationGracePeriod,
        consolidationPolicy: pool.consolidationPolicy,
        consolidateAfter: pool.consolidateAfter,
        budgets: pool.budgets,
        labels: pool.labels,
        taints: pool.taints,
      });
      // Pods that select the pool (or builtInNodePools: []) wait for it; Helm's wait would time out.
      platformReady.push(nodePool.nodePool);
    }

    for (const [name, release] of Object.entries(env.helm)) {
      const ownNamespace = namespaces.has(release.namespace);
      new HelmChart(this, `helm-${name}`, {
        releaseName: name,
        repository: release.repository,
        chart: release.chart,
        version: release.version,
        namespace: release.namespace,
        // A namespace this stack manages is not Helm's to create.
        createNamespace: ownNamespace ? false : release.createNamespace,
        values: release.values,
        timeoutSeconds: release.timeoutSeconds,
        // Charts may mount the pre-created claims and use the default StorageClass.
        dependsOn: [...platformReady, ...claims, ...inNamespace(release.namespace)],
      });
    }
  }
}
