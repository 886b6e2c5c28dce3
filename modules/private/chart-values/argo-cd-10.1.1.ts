import type { ChartValueKeys } from "./keys";

/**
 * argo-cd chart 10.1.1 (Argo CD v3.4.4): every top-level key of its values.yaml and the keys of
 * `configs` (we set `configs.params`). `configs.params` is taken as a whole: the chart writes every
 * key but `create` and `annotations` into argocd-cmd-params-cm (templates/_helpers.tpl,
 * "argo-cd.config.params"). Check with `npx tsx tools/check-chart-values.ts argo-cd@10.1.1 <values.yaml>`.
 */
export const ARGO_CD_10_1_1: ChartValueKeys = {
  chart: "argo-cd",
  version: "10.1.1",
  source: "https://github.com/argoproj/argo-helm/blob/af0a9310bacbaa4636018dfe22c801a6d33a5c43/charts/argo-cd/values.yaml",
  keys: {
    apiVersionOverrides: true,
    applicationSet: true,
    commitServer: true,
    configs: { clusterCredentials: true, cm: true, cmp: true, credentialTemplates: true, credentialTemplatesAnnotations: true, gpg: true, params: true, rbac: true, repositories: true, repositoriesAnnotations: true, secret: true, ssh: true, styles: true, tls: true },
    controller: true,
    crds: true,
    createAggregateRoles: true,
    createClusterRoles: true,
    dex: true,
    externalRedis: true,
    extraObjects: true,
    fullnameOverride: true,
    global: true,
    kubeVersionOverride: true,
    nameOverride: true,
    namespaceOverride: true,
    notifications: true,
    openshift: true,
    redis: true,
    "redis-ha": true,
    redisSecretInit: true,
    repoServer: true,
    server: true,
  },
};
