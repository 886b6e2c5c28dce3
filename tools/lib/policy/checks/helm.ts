/**
 * EKS_HELM_1 (our own id; checkov has no equivalent): helm_release pins an exact chart version.
 *
 * Helm treats `version` as a semver constraint: unset installs whatever is newest at apply time,
 * and "~1.2", "^1", ">=1.0", "1.x" float, so two applies of the same commit can install different
 * charts (and a chart bump can arrive with no diff in review). An exact MAJOR.MINOR.PATCH
 * (optionally with pre-release/build, optionally "v"-prefixed) is the only reproducible form.
 * @see https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs/resources/release
 * @see https://helm.sh/docs/chart_best_practices/dependencies/#versions
 */
import { isExpression, literalString, show } from "../tf";
import { fail, pass, skip, type Check } from "../types";

const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const isExactChartVersion = (v: string): boolean => EXACT_SEMVER.test(v.trim());

export const helmPinnedVersion: Check = {
  id: "EKS_HELM_1",
  resourceTypes: ["helm_release"],
  title: 'helm_release pins an exact chart version (version = "1.2.3", not empty or a range)',
  why: "https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs/resources/release",
  run(body) {
    // A chart from a local directory is versioned with this repository; Helm ignores `version` for it.
    const chart = literalString(body.chart);
    if (chart !== undefined && /^(\.{1,2}\/|\/)/.test(chart)) return skip("local chart directory");
    const v = body.version;
    if (v === undefined || v === "") return fail("version is unset: Helm installs the newest chart at apply time");
    if (isExpression(v)) return fail(`version ${show(v)} is an expression; cannot verify it is pinned`);
    const version = literalString(v);
    if (version === undefined) return fail(`version ${show(v)} is not a string`);
    return isExactChartVersion(version) ? pass() : fail(`version "${version}" is a range/constraint, not an exact version`);
  },
};

export const HELM_CHECKS: readonly Check[] = [helmPinnedVersion];
