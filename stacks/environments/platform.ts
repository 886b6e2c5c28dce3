import type { EnvironmentInput } from "../environment-schema";

/**
 * The platform every environment runs, whatever its compute mode: the same workloads, volumes,
 * load balancing and charts. Environments differ only in sizes and ids passed in here; the stacks
 * pick the right Kubernetes objects for Auto Mode or managed node groups.
 */
export interface PlatformOptions {
  /** Security group of the environment's load balancer (it reaches the pods). */
  readonly loadBalancerSecurityGroupId: string;
  readonly lokiVolume: { readonly availabilityZone: string; readonly sizeGiB: number; readonly iops?: number; readonly throughputMiBs?: number };
  readonly metricsServerReplicas: number;
}

export function platform(options: PlatformOptions) {
  return {
    volumes: {
      "loki-data": { type: "gp3", ...options.lokiVolume, claim: { namespace: "monitoring", name: "loki-data" } },
    },
    targetGroups: {
      // The argocd-server Service of the `argocd` release below: port 80 → container port 8080.
      argocd: {
        port: 8080,
        protocol: "HTTP",
        healthCheck: { path: "/healthz" },
        service: { namespace: "argocd", name: "argocd-server", port: 80 },
        loadBalancerSecurityGroupId: options.loadBalancerSecurityGroupId,
      },
    },
    // Written once: Auto Mode renders an eks.amazonaws.com NodeClass + NodePool, node-group environments a Karpenter
    // EC2NodeClass + NodePool (no Auto Mode fee on its nodes). Pods opt in with nodeSelector karpenter.sh/nodepool: batch
    // and a toleration for workload=batch.
    nodePools: {
      batch: {
        capacityTypes: ["spot", "on-demand"],
        instanceCategories: ["c", "m", "r"],
        cpus: ["4", "8", "16"],
        architectures: ["amd64", "arm64"],
        limits: { cpu: "1000", memory: "1000Gi" },
        expireAfter: "336h",
        // Nodes are replaced (drift, consolidation) only outside business hours, Tokyo time (UTC+9): no voluntary
        // disruption 09:00-18:00 JST on weekdays (00:00-09:00 UTC); otherwise a tenth of the pool at a time.
        budgets: [{ nodes: "10%" }, { nodes: "0", schedule: "0 0 * * mon-fri", duration: "9h" }],
        labels: { "billing-team": "data" },
        taints: [{ key: "workload", value: "batch", effect: "NoSchedule" }],
        nodeClass: { tags: { "billing-team": "data" } },
      },
    },
    platform: { ingress: { className: "alb", scheme: "internal" } },
    helm: {
      "metrics-server": {
        repository: "https://kubernetes-sigs.github.io/metrics-server/",
        chart: "metrics-server",
        version: "3.13.0",
        namespace: "kube-system",
        createNamespace: false,
        values: { replicas: options.metricsServerReplicas, resources: { requests: { cpu: "100m", memory: "200Mi" } } },
      },
      // Release name `argocd` contains the chart's nameOverride `argocd`, so the chart's full name is
      // `argocd` and its server Service `argocd-server`, port 80 (http) → 8080, /healthz on 8080
      // (argo-cd 10.1.1: templates/_common.tpl "argo-cd.fullname", templates/argocd-server/service.yaml,
      // values.yaml server.service.servicePortHttp / server.containerPorts.server / server.readinessProbe).
      // The target group speaks plain HTTP to 8080, so the server serves HTTP (server.insecure), as
      // the chart README's "AWS Application Load Balancer" example does; with its own TLS on, it
      // answers HTTP with a redirect to HTTPS and the /healthz check never sees a 200.
      // @see https://github.com/argoproj/argo-helm/tree/argo-cd-10.1.1/charts/argo-cd
      argocd: {
        repository: "https://argoproj.github.io/argo-helm",
        chart: "argo-cd",
        version: "10.1.1",
        namespace: "argocd",
        values: { configs: { params: { "server.insecure": true } } },
      },
    },
  } satisfies Partial<EnvironmentInput>;
}

/** Read-only access for the operations account, in every environment (cross-account, no aws-auth). */
export const opsReadonly = {
  principalArn: "arn:aws:iam::333333333333:role/ops-readonly",
  policies: [{ policy: "AmazonEKSViewPolicy", namespaces: ["monitoring"] }],
} satisfies NonNullable<EnvironmentInput["access"]>[string];
