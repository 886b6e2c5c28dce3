import { clusterDnsIp } from "../../modules/kube-dns-shim";
import { HelmChart } from "../../modules/helm-chart";
import { COMPUTE_FLAVORS } from "../../modules/private/compute-flavor";
import { partitionOf } from "../../modules/private/aws";
import { synthModule } from "../support/module";

test.each([
  ["172.20.0.0/16", "172.20.0.10"],
  ["10.100.0.0/16", "10.100.0.10"],
  ["192.168.4.0/22", "192.168.4.10"],
  ["10.0.0.0/12", "10.0.0.10"],
])("cluster DNS address of %s is %s (derived, never hard-coded)", (cidr, ip) => {
  expect(clusterDnsIp(cidr)).toBe(ip);
});

test("Helm values are written with sorted keys, so reordering config changes nothing", () => {
  const render = (values: Record<string, unknown>) =>
    synthModule((scope) => new HelmChart(scope, "chart", { releaseName: "x", repository: "https://example.com", chart: "x", version: "1.0.0", namespace: "x", values }))
      .helm_release["chart_release"].values[0];
  expect(render({ b: 1, a: { d: 2, c: 3 } })).toBe(render({ a: { c: 3, d: 2 }, b: 1 }));
  expect(JSON.parse(render({ b: 1, a: 2 }))).toEqual({ a: 2, b: 1 });
});

test("the compute flavor table differs exactly where Auto Mode and node groups differ", () => {
  expect(COMPUTE_FLAVORS.auto.ebsCsiDriver).toBe("ebs.csi.eks.amazonaws.com");
  expect(COMPUTE_FLAVORS.managed.ebsCsiDriver).toBe("ebs.csi.aws.com");
  expect(COMPUTE_FLAVORS.auto.ingressController).toBe("eks.amazonaws.com/alb");
  expect(COMPUTE_FLAVORS.managed.ingressController).toBe("ingress.k8s.aws/alb");
  expect(COMPUTE_FLAVORS.auto.loadBalancerApiVersion).toBe("eks.amazonaws.com/v1");
  expect(COMPUTE_FLAVORS.managed.loadBalancerApiVersion).toBe("elbv2.k8s.aws/v1beta1");
});

test.each([
  ["ap-northeast-1", "aws"],
  ["us-gov-west-1", "aws-us-gov"],
  ["cn-north-1", "aws-cn"],
])("partition of %s is %s", (region, partition) => {
  expect(partitionOf(region)).toBe(partition);
});
