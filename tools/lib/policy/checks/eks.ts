/**
 * aws_eks_cluster and aws_eks_node_group checks, following checkov's semantics
 * (each check links the checkov source it mirrors; deviations are commented).
 */
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../../../stacks/kubernetes-versions";
import { at, block, isExpression, isSet, literalBool, literalString, literalStringList, show } from "../tf";
import { fail, pass, skip, type Check } from "../types";

const CHECKOV_AWS = "https://github.com/bridgecrewio/checkov/blob/main/checkov/terraform/checks/resource/aws";

/** The five control-plane log types; checkov requires all of them. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksControlPlaneLogging: Check = {
  id: "CKV_AWS_37",
  resourceTypes: ["aws_eks_cluster"],
  title: "EKS control-plane logging is enabled for all five log types",
  why: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
  source: `${CHECKOV_AWS}/EKSControlPlaneLogging.py`,
  run(body) {
    const raw = body.enabled_cluster_log_types;
    if (raw === undefined) return fail(`enabled_cluster_log_types is unset (needs ${EKS_LOG_TYPES.join(", ")})`);
    const types = literalStringList(raw);
    if (!types) return fail(`enabled_cluster_log_types ${show(raw)} is not a literal list`);
    const missing = EKS_LOG_TYPES.filter((t) => !types.includes(t));
    return missing.length === 0 ? pass() : fail(`enabled_cluster_log_types lacks ${missing.join(", ")}`);
  },
};

/** The IPv4/IPv6 "anywhere" ranges; checkov looks for 0.0.0.0/0 only. */
const ANYWHERE = ["0.0.0.0/0", "::/0"];

export const eksPublicAccessCidrs: Check = {
  id: "CKV_AWS_38",
  resourceTypes: ["aws_eks_cluster"],
  title: "EKS public endpoint, if enabled, is not open to 0.0.0.0/0",
  why: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
  source: `${CHECKOV_AWS}/EKSPublicAccessCIDR.py`,
  run(body) {
    const vpc = block(body.vpc_config);
    if (!vpc) return skip("no vpc_config"); // checkov: UNKNOWN (the provider requires vpc_config)
    if (literalBool(vpc.endpoint_public_access) === false) return pass();
    const raw = vpc.public_access_cidrs;
    // Unset public_access_cidrs means the API default, 0.0.0.0/0.
    if (raw === undefined) return fail("public endpoint enabled and public_access_cidrs unset (defaults to 0.0.0.0/0)");
    const cidrs = literalStringList(raw);
    if (!cidrs) return fail(`public_access_cidrs ${show(raw)} is not a literal list; cannot verify it excludes 0.0.0.0/0`);
    if (cidrs.length === 0) return fail("public endpoint enabled and public_access_cidrs is empty");
    const open = cidrs.filter((c) => ANYWHERE.includes(c.trim()));
    return open.length === 0 ? pass() : fail(`public_access_cidrs includes ${open.join(", ")}`);
  },
};

export const eksPublicEndpointDisabled: Check = {
  id: "CKV_AWS_39",
  resourceTypes: ["aws_eks_cluster"],
  // Our product may expose a restricted public endpoint on purpose; that environment waives
  // this check in its stack's policyWaivers, so loosening is always explicit and reviewed.
  title: "EKS public endpoint is disabled (waive per environment when a restricted public endpoint is intended)",
  why: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
  source: `${CHECKOV_AWS}/EKSPublicAccess.py`,
  run(body) {
    const vpc = block(body.vpc_config);
    if (!vpc) return skip("no vpc_config"); // checkov: UNKNOWN
    const v = vpc.endpoint_public_access;
    if (literalBool(v) === false) return pass();
    // The provider (and EKS API) default endpoint_public_access to true.
    return fail(
      v === undefined
        ? "vpc_config.endpoint_public_access is unset (defaults to true)"
        : `vpc_config.endpoint_public_access is ${show(v)}: the API server is reachable from the internet`,
    );
  },
};

export const eksSecretsEncryption: Check = {
  id: "CKV_AWS_58",
  resourceTypes: ["aws_eks_cluster"],
  title: 'EKS secrets are envelope-encrypted with a KMS key (encryption_config resources ["secrets"])',
  why: "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
  source: `${CHECKOV_AWS}/EKSSecretsEncryption.py`,
  run(body) {
    const enc = block(body.encryption_config);
    if (!enc) return fail("encryption_config is unset: Kubernetes secrets are not envelope-encrypted");
    const resources = literalStringList(enc.resources);
    if (!resources?.includes("secrets")) return fail(`encryption_config.resources is ${show(enc.resources)}, not ["secrets"]`);
    // checkov stops at resources; the key is required by the API, checked here so a half-built block fails early.
    return isSet(at(enc, "provider", "key_arn")) ? pass() : fail("encryption_config.provider.key_arn is unset");
  },
};

export const eksSupportedVersion: Check = {
  id: "CKV_AWS_339",
  resourceTypes: ["aws_eks_cluster"],
  title: `EKS runs a supported Kubernetes version (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
  why: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
  source: `${CHECKOV_AWS}/EKSPlatformVersion.py`,
  run(body) {
    const v = body.version;
    // checkov: missing_block_result=PASSED (EKS then creates the cluster on its current default version).
    if (v === undefined) return pass();
    const version = literalString(v);
    if (version === undefined) {
      return fail(isExpression(v) ? `version ${show(v)} is an expression; cannot verify it` : `version ${show(v)} is not a string`);
    }
    return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version)
      ? pass()
      : fail(`version "${version}" is not supported (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`);
  },
};

export const eksNodeGroupRemoteAccess: Check = {
  id: "CKV_AWS_100",
  resourceTypes: ["aws_eks_node_group"],
  // EKS opens port 22 to 0.0.0.0/0 when an SSH key is given without source security groups.
  title: "EKS node group with remote_access.ec2_ssh_key restricts SSH with source_security_group_ids",
  why: "https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html",
  source: `${CHECKOV_AWS}/EKSNodeGroupRemoteAccess.py`,
  run(body) {
    const ra = block(body.remote_access);
    if (!ra || !isSet(ra.ec2_ssh_key)) return pass();
    // checkov tests key presence; an empty list opens port 22 just the same, so it fails here too.
    return isSet(ra.source_security_group_ids)
      ? pass()
      : fail("remote_access.ec2_ssh_key is set without source_security_group_ids: SSH (22) is open to 0.0.0.0/0");
  },
};

export const EKS_CHECKS: readonly Check[] = [
  eksControlPlaneLogging,
  eksPublicAccessCidrs,
  eksPublicEndpointDisabled,
  eksSecretsEncryption,
  eksSupportedVersion,
  eksNodeGroupRemoteAccess,
];
