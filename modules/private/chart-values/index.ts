import { ARGO_CD_10_1_1 } from "./argo-cd-10.1.1";
import { AWS_LOAD_BALANCER_CONTROLLER_1_14_0 } from "./aws-load-balancer-controller-1.14.0";
import { KARPENTER_1_14_1, KARPENTER_CRD_1_14_1 } from "./karpenter-1.14.1";
import type { ChartValueKeys } from "./keys";
import { METRICS_SERVER_3_13_0 } from "./metrics-server-3.13.0";

export { compareWithValues, keyPaths, unknownValueKeys, type ChartValueKeys, type ValueKeyTree } from "./keys";

/** The value keys of every chart version this project pins, by `<chart>@<version>`. */
export const CHART_VALUE_KEYS: Readonly<Record<string, ChartValueKeys>> = Object.fromEntries(
  [ARGO_CD_10_1_1, AWS_LOAD_BALANCER_CONTROLLER_1_14_0, KARPENTER_1_14_1, KARPENTER_CRD_1_14_1, METRICS_SERVER_3_13_0].map((c) => [`${c.chart}@${c.version}`, c]),
);
