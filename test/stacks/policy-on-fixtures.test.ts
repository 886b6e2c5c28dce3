import { runPolicy, summarize } from "../../tools/lib/policy";
import { dev } from "../fixtures/environments/dev";
import { prod } from "../fixtures/environments/prod";
import { deepClone, synthesize, type TerraformJson } from "../support/synth";

const policyOn = (inputs: unknown[]) =>
  runPolicy(Object.entries(synthesize(inputs)).map(([name, json]) => ({ name, json })));

test("every fixture stack passes the policy check (dev's public endpoint is an explicit, reasoned waiver)", () => {
  const findings = policyOn([dev, prod]);
  expect(findings.filter((f) => f.status !== "pass" && f.status !== "waived")).toEqual([]);
  expect(findings.filter((f) => f.status === "waived").map((f) => `${f.check} ${f.stack}/${f.address}`)).toEqual([
    "CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_cluster",
  ]);
  expect(summarize(findings).ok).toBe(true);
});

test("without the waiver, dev's public endpoint fails CKV_AWS_39 on the cluster's address", () => {
  const loosened = deepClone(dev) as TerraformJson;
  loosened.policyWaivers = [];
  const failed = policyOn([loosened]).filter((f) => f.status === "fail");
  expect(failed.map((f) => `${f.check} ${f.stack}/${f.address}`)).toEqual(["CKV_AWS_39 dev-aws/aws_eks_cluster.cluster_cluster"]);
});

test("0.0.0.0/0 accepted by config (allowPublicInternet) still fails CKV_AWS_38 unless waived", () => {
  const open = deepClone(dev) as TerraformJson;
  open.cluster.endpoint = { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], allowPublicInternet: true };
  const failed = policyOn([open]).filter((f) => f.status === "fail");
  expect(failed.map((f) => `${f.check} ${f.stack}/${f.address}`)).toEqual(["CKV_AWS_38 dev-aws/aws_eks_cluster.cluster_cluster"]);
});
