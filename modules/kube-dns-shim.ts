import { Construct } from "constructs";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import * as ipaddr from "ipaddr.js";

export interface KubeDnsShimProps {
  /** The cluster's service CIDR; the DNS address is its tenth address, as on every EKS cluster. */
  readonly serviceIpv4Cidr: string;
}

/** `172.20.0.0/16` → `172.20.0.10`. @see https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html */
export function clusterDnsIp(serviceIpv4Cidr: string): string {
  const network = ipaddr.IPv4.networkAddressFromCIDR(serviceIpv4Cidr).toByteArray();
  const asInt = ((network[0] << 24) >>> 0) + (network[1] << 16) + (network[2] << 8) + network[3] + 10;
  return [asInt >>> 24, (asInt >>> 16) & 255, (asInt >>> 8) & 255, asInt & 255].join(".");
}

/**
 * Auto Mode runs CoreDNS on each node without a `kube-dns` Service, so charts that hard-code
 * `kube-dns.kube-system.svc.cluster.local` (Loki's gateway) fail to resolve. This Service gives
 * the name the cluster DNS address the nodes already answer on.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-networking.html
 */
export class KubeDnsShim extends Construct {
  readonly service: ServiceV1;

  constructor(scope: Construct, id: string, props: KubeDnsShimProps) {
    super(scope, id);
    this.service = new ServiceV1(this, "service", {
      metadata: {
        name: "kube-dns",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS", "eks.amazonaws.com/component": "kube-dns" },
      },
      spec: {
        selector: { "k8s-app": "kube-dns" },
        clusterIp: clusterDnsIp(props.serviceIpv4Cidr),
        port: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: "53" },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "53" },
          { name: "metrics", port: 9153, protocol: "TCP", targetPort: "9153" },
        ],
      },
    });
  }
}
