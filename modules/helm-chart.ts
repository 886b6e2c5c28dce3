import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { sortKeysDeep } from "./private/json";

export interface HelmChartProps {
  readonly releaseName: string;
  /** An https chart repository or an oci:// registry. */
  readonly repository: string;
  readonly chart: string;
  /** Exact version: a range would install a different chart on a later apply. */
  readonly version: string;
  readonly namespace: string;
  /** @default true */
  readonly createNamespace?: boolean;
  /** Chart values as data. @default {} */
  readonly values?: Readonly<Record<string, unknown>>;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** Leave the chart's crds/ out (another release owns the CRDs). @default false */
  readonly skipCrds?: boolean;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A pinned Helm release. Values go in as one JSON document (JSON is YAML) with sorted keys, so
 * the plan shows a stable, reviewable diff instead of a reordered blob (terraform-provider-helm #1315).
 * @see https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release
 */
export class HelmChart extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.release = new Release(this, "release", {
      name: props.releaseName,
      repository: props.repository,
      chart: props.chart,
      version: props.version,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      values: [JSON.stringify(sortKeysDeep(props.values ?? {}), null, 2)],
      timeout: props.timeoutSeconds ?? 600,
      ...(props.skipCrds ? { skipCrds: true } : {}),
      // Roll back a failed upgrade instead of leaving a half-applied release.
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      maxHistory: 10,
      dependsOn: props.dependsOn,
    });
  }
}
