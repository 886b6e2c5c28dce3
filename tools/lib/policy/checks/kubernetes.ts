/**
 * Checks on the pods this project defines: Pod templates in the kubernetes provider's workload
 * resources (snake_case: spec.template.spec.container[]) and in kubernetes_manifest objects of a
 * workload kind (Kubernetes JSON: spec.template.spec.containers[]). Ids and semantics follow
 * checkov's Kubernetes framework, which judges every container (checkov's Terraform-side copies
 * of these checks stop at the first container, a bug we don't copy).
 * Charts installed by helm_release are not rendered here; their pods are out of scope.
 */
import { at, block, blocks, isExpression, isRecord, isSet, literalBool, literalNumber, show } from "../tf";
import { fail, pass, skip, type Body, type Check, type Outcome } from "../types";

const CHECKOV_K8S = "https://github.com/bridgecrewio/checkov/blob/main/checkov/kubernetes/checks/resource/k8s";

/** kubernetes provider resources that carry a pod spec (v1 names and their deprecated aliases). */
export const WORKLOAD_RESOURCE_TYPES = [
  "kubernetes_deployment_v1",
  "kubernetes_deployment",
  "kubernetes_stateful_set_v1",
  "kubernetes_stateful_set",
  "kubernetes_daemon_set_v1",
  "kubernetes_daemonset",
  "kubernetes_job_v1",
  "kubernetes_job",
  "kubernetes_cron_job_v1",
  "kubernetes_cron_job",
  "kubernetes_pod_v1",
  "kubernetes_pod",
  "kubernetes_manifest",
] as const;

/** Manifest kinds with a pod spec (checkov's BaseK8sContainerCheck.SUPPORTED_ENTITIES). Kinds are
 *  matched explicitly because non-workloads have spec.template.spec too (Karpenter NodePool). */
const TEMPLATE_KINDS = new Set(["Deployment", "DeploymentConfig", "DaemonSet", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"]);

interface ContainerView {
  label: string;
  /** A regular container (not init/ephemeral): CKV_K8S_23 looks at these only, as checkov does. */
  primary: boolean;
  image: unknown;
  limits?: Body;
  requests?: Body;
  runAsNonRoot: unknown;
  runAsUser: unknown;
}

interface PodView {
  runAsNonRoot: unknown;
  runAsUser: unknown;
  containers: ContainerView[];
}

/** The pod spec of a provider-style workload (spec.template.spec, or the job template of a cron job, or a bare pod's spec). */
function providerPodSpec(body: Body): Body | undefined {
  const spec = block(body.spec);
  if (!spec) return undefined;
  return block(at(spec, "job_template", "spec", "template", "spec")) ?? block(at(spec, "template", "spec")) ?? ("container" in spec ? spec : undefined);
}

function manifestPodSpec(manifest: Body): Body | undefined {
  const kind = manifest.kind;
  if (kind === "Pod") return block(manifest.spec);
  if (kind === "PodTemplate") return block(at(manifest, "template", "spec"));
  if (kind === "CronJob") return block(at(manifest, "spec", "jobTemplate", "spec", "template", "spec"));
  if (typeof kind === "string" && TEMPLATE_KINDS.has(kind)) return block(at(manifest, "spec", "template", "spec"));
  return undefined;
}

function viewContainers(list: unknown, kind: string, primary: boolean, style: "provider" | "manifest"): ContainerView[] {
  return blocks(list).map((c, i) => {
    const resources = block(c.resources);
    const sc = block(style === "provider" ? c.security_context : c.securityContext);
    return {
      label: `${kind} ${typeof c.name === "string" ? JSON.stringify(c.name) : `#${i}`}`,
      primary,
      image: c.image,
      limits: block(resources?.limits),
      requests: block(resources?.requests),
      runAsNonRoot: style === "provider" ? sc?.run_as_non_root : sc?.runAsNonRoot,
      runAsUser: style === "provider" ? sc?.run_as_user : sc?.runAsUser,
    };
  });
}

/** The pod spec of a workload resource body, normalised over both styles; undefined when the body has none. */
export function podView(body: Body): PodView | undefined {
  if ("manifest" in body) {
    // A manifest given as an expression (yamldecode(file(...))) cannot be inspected.
    const manifest = isRecord(body.manifest) ? body.manifest : undefined;
    const spec = manifest && manifestPodSpec(manifest);
    if (!spec) return undefined;
    const sc = block(spec.securityContext);
    return {
      runAsNonRoot: sc?.runAsNonRoot,
      runAsUser: sc?.runAsUser,
      containers: [
        ...viewContainers(spec.containers, "container", true, "manifest"),
        ...viewContainers(spec.initContainers, "init container", false, "manifest"),
        ...viewContainers(spec.ephemeralContainers, "ephemeral container", false, "manifest"),
      ],
    };
  }
  const spec = providerPodSpec(body);
  if (!spec) return undefined;
  const sc = block(spec.security_context);
  return {
    runAsNonRoot: sc?.run_as_non_root,
    runAsUser: sc?.run_as_user,
    containers: [
      ...viewContainers(spec.container, "container", true, "provider"),
      ...viewContainers(spec.init_container, "init container", false, "provider"),
    ],
  };
}

/** Run a per-container predicate over every container of the pod; one failure reason lists all offenders. */
function eachContainer(body: Body, problem: (c: ContainerView) => string | undefined, primaryOnly = false): Outcome {
  const pod = podView(body);
  if (!pod) return skip("no pod spec");
  const containers = pod.containers.filter((c) => c.primary || !primaryOnly);
  if (containers.length === 0) return skip("no containers");
  const problems = containers.flatMap((c) => {
    const p = problem(c);
    return p ? [`${c.label} ${p}`] : [];
  });
  return problems.length === 0 ? pass() : fail(problems.join("; "));
}

function resourceCheck(id: string, file: string, kind: "requests" | "limits", resource: "cpu" | "memory"): Check {
  return {
    id,
    resourceTypes: WORKLOAD_RESOURCE_TYPES,
    title: `Every container sets resources.${kind}.${resource}`,
    why: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    source: `${CHECKOV_K8S}/${file}`,
    run: (body) => eachContainer(body, (c) => (isSet(c[kind]?.[resource]) ? undefined : `has no resources.${kind}.${resource}`)),
  };
}

export const cpuRequests = resourceCheck("CKV_K8S_10", "CPURequests.py", "requests", "cpu");
export const cpuLimits = resourceCheck("CKV_K8S_11", "CPULimits.py", "limits", "cpu");
export const memoryLimits = resourceCheck("CKV_K8S_12", "MemoryLimits.py", "limits", "memory");
export const memoryRequests = resourceCheck("CKV_K8S_13", "MemoryRequests.py", "requests", "memory");

/** The tag of an image reference: after the last ':' of the last path segment (so a registry port is not a tag). */
export function imageTag(image: string): string {
  const last = image.slice(image.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return colon < 0 ? "" : last.slice(colon + 1);
}

export const imageTagFixed: Check = {
  id: "CKV_K8S_14",
  resourceTypes: WORKLOAD_RESOURCE_TYPES,
  title: "Every container image has a fixed tag or digest (not :latest, not untagged)",
  why: "https://kubernetes.io/docs/concepts/containers/images/",
  source: `${CHECKOV_K8S}/ImageTagFixed.py`,
  run: (body) =>
    eachContainer(body, (c) => {
      if (typeof c.image !== "string" || c.image.trim() === "") return "has no image";
      if (c.image.includes("@")) return undefined; // a digest pins better than a tag
      const tag = imageTag(c.image);
      if (tag === "") {
        return isExpression(c.image)
          ? `image ${show(c.image)} has no literal tag; cannot verify it is pinned`
          : `image ${show(c.image)} has no tag (resolves to :latest)`;
      }
      return tag === "latest" ? `image ${show(c.image)} uses :latest` : undefined;
    }),
};

export const nonRootContainers: Check = {
  id: "CKV_K8S_23",
  resourceTypes: WORKLOAD_RESOURCE_TYPES,
  // checkov: runAsNonRoot true, or runAsUser > 0, at pod or container level, the container's value
  // overriding the pod's. Only regular containers are judged, as in checkov.
  title: "Containers run as non-root (securityContext.runAsNonRoot = true or runAsUser > 0)",
  why: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  source: `${CHECKOV_K8S}/RootContainers.py`,
  run(body) {
    const pod = podView(body);
    if (!pod) return skip("no pod spec");
    return eachContainer(
      body,
      (c) => {
        const nonRoot = c.runAsNonRoot ?? pod.runAsNonRoot;
        const user = c.runAsUser ?? pod.runAsUser;
        if (literalBool(nonRoot) === true || (literalNumber(user) ?? 0) > 0) return undefined;
        return `may run as root (runAsNonRoot ${show(nonRoot)}, runAsUser ${show(user)})`;
      },
      true,
    );
  },
};

export const KUBERNETES_CHECKS: readonly Check[] = [cpuRequests, cpuLimits, memoryLimits, memoryRequests, imageTagFixed, nonRootContainers];
