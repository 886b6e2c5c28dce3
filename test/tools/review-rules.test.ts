/**
 * The review's change rules (tools/lib/eks-rules.ts), each as a fixture base + one change → the
 * exact finding, and the exit code the CLI gives for it. Stacks are written the way cdktf writes
 * them (test/support/review-fixture.ts), so no synth is needed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject } from "../../tools/lib/json";
import { COMMENT_LIMIT, renderMarkdown, renderTerminal } from "../../tools/lib/render";
import { isBlocked, type Report } from "../../tools/lib/report";
import { parseAcknowledgements, reviewSynth } from "../../tools/lib/review";
import { awsStack, createFixtureRepo, FAKE_SYNTH, k8sStack } from "../support/review-fixture";
import { runToolInProcess } from "../support/tool-in-process";

type Stacks = Record<string, JsonObject>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const res = (s: JsonObject, type: string, name: string) => ((s.resource as JsonObject)[type] as JsonObject)[name] as JsonObject;

/** prod: managed node groups, protected; its Kubernetes stack runs a Helm release and a claim. */
function base(): Stacks {
  return { "prod-aws": awsStack({ env: "prod", protected: true }) as JsonObject, "prod-k8s": k8sStack({ env: "prod" }) as JsonObject };
}
const review = (b: Stacks, h: Stacks, input: Parameters<typeof reviewSynth>[2] = {}): Report => ({
  title: "Synth review",
  subject: "test",
  ...reviewSynth(new Map(Object.entries(b)), new Map(Object.entries(h)), input),
});
const findings = (r: Report) => (r.findings ?? []).map((f) => `${f.severity} ${f.rule} ${f.stack}: ${f.message}`);

describe("Kubernetes version rules (EKS update-cluster, version skew policy)", () => {
  const withVersion = (v: string, nodeVersion?: string) => {
    const s = base();
    res(s["prod-aws"]!, "aws_eks_cluster", "main").version = v;
    if (nodeVersion) res(s["prod-aws"]!, "aws_eks_node_group", "default").version = nodeVersion;
    return s;
  };

  test("1.34 → 1.36 skips a minor version: blocked, not acknowledgeable", () => {
    const r = review(withVersion("1.34"), withVersion("1.36"));
    expect(findings(r)).toEqual([
      "block kubernetes-version-skip prod-aws: cluster version 1.34 → 1.36: EKS upgrades one minor version per update (set 1.35, apply, and go on one version per change: 1.35 → 1.36)",
    ]);
    expect(r.findings![0]).toMatchObject({ acknowledgeable: false, source: "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html" });
    expect(isBlocked(review(withVersion("1.34"), withVersion("1.36"), { acknowledge: ["kubernetes-version-skip:prod-aws"] }))).toBe(true);
  });

  test("1.34 → 1.33 is a downgrade: blocked", () => {
    expect(findings(review(withVersion("1.34"), withVersion("1.33")))).toEqual([
      "block kubernetes-version-downgrade prod-aws: cluster version 1.34 → 1.33: EKS cannot downgrade a cluster (keep 1.34; to run 1.33, create a new cluster and migrate the workloads)",
    ]);
  });

  test("1.34 → 1.35 is allowed, prints the upgrade plan in order, and warns about pinned add-ons", () => {
    const b = withVersion("1.34", "${aws_eks_cluster.main.version}");
    const h = withVersion("1.35", "${aws_eks_cluster.main.version}");
    (h["prod-aws"]!.resource as JsonObject).aws_eks_addon = {
      "vpc-cni": { addon_name: "vpc-cni", addon_version: "v1.20.4-eksbuild.1", cluster_name: "${aws_eks_cluster.main.name}" },
      coredns: { addon_name: "coredns", addon_version: "${data.aws_eks_addon_version.coredns.version}", depends_on: ["aws_eks_node_group.default"] },
    };
    (b["prod-aws"]!.resource as JsonObject).aws_eks_addon = clone((h["prod-aws"]!.resource as JsonObject).aws_eks_addon);
    const r = review(b, h);
    expect(findings(r)).toEqual([
      "warn addon-version-pinned prod-aws: vpc-cni is pinned to v1.20.4-eksbuild.1: check that it supports 1.35 (`aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1.35`), or remove the pin to get EKS's default for 1.35",
    ]);
    expect(isBlocked(r)).toBe(false);
    expect(r.guided!.map((g) => g.title)).toEqual(["prod: Kubernetes 1.34 → 1.35"]);
    expect(r.guided![0]!.steps.map((s) => s.title)).toEqual([
      "Before: check upgrade insights and deprecated APIs for 1.35",
      "Control plane 1.34 → 1.35",
      "Add-ons for 1.35: vpc-cni v1.20.4-eksbuild.1",
      "Node groups default and the add-ons that need nodes (then coredns (EKS default for 1.35, read at plan time))",
      "Kubernetes stacks",
      "Or all of the above after the insights check, in order, stopping at the first failure",
    ]);
    // Commands that exist: a targeted apply of the control plane, then the early add-ons, then the rollout per stack group.
    expect(r.guided![0]!.steps.map((s) => s.commands)).toEqual([
      ["aws eks list-insights --cluster-name prod --filter kubernetesVersions=1.35"],
      ["npm run synth", "terraform -chdir=cdktf.out/stacks/prod-aws init", "terraform -chdir=cdktf.out/stacks/prod-aws apply -target=aws_eks_cluster.main"],
      ["terraform -chdir=cdktf.out/stacks/prod-aws apply -target=aws_eks_addon.vpc-cni"],
      ["npm run rollout -- --env prod --stacks aws"],
      ["npm run rollout -- --env prod --stacks kubernetes"],
      ["npm run rollout -- --env prod --upgrade"],
    ]);
    const markdown = renderMarkdown(r);
    expect(markdown.indexOf("### ⬆ Upgrade plan: prod: Kubernetes 1.34 → 1.35")).toBeGreaterThan(0);
    expect(renderTerminal(r)).toContain("upgrade prod: Kubernetes 1.34 → 1.35: 6 steps, in order (see the report)");
  });

  test("a node group pinned behind the control plane blocks the control-plane update", () => {
    const r = review(withVersion("1.34", "1.33"), withVersion("1.35", "1.33"));
    expect(findings(r)).toEqual([
      "block node-group-version-behind prod-aws: aws_eks_node_group.default runs 1.33 while the control plane is 1.34: EKS refuses to update the control plane until every managed node group matches it (upgrade the node group to 1.34 first)",
    ]);
  });

  test("a node group newer than the control plane breaks the kubelet skew policy", () => {
    expect(findings(review(withVersion("1.34", "1.34"), withVersion("1.35", "1.36")))).toEqual([
      "block kubelet-skew prod-aws: aws_eks_node_group.default at 1.36 would be newer than the control plane 1.35 (kubelet must not be newer than the API server)",
    ]);
  });
});

describe("EBS volume rules (ModifyVolume)", () => {
  const withVolume = (size: number, extra: JsonObject = {}) => {
    const s = base();
    (s["prod-aws"]!.resource as JsonObject).aws_ebs_volume = {
      data: { availability_zone: "eu-west-1a", size, type: "gp3", encrypted: true, lifecycle: { prevent_destroy: true }, ...extra },
    };
    return s;
  };

  test("500 → 400 GiB: EBS cannot shrink; blocked even though nothing is replaced", () => {
    const r = review(withVolume(500), withVolume(400));
    expect(r.violations).toEqual([]);
    expect(findings(r)).toEqual([
      "block ebs-shrink prod-aws: aws_ebs_volume.data: size 500 → 400 GiB; EBS volumes cannot shrink (keep 500 GiB, or copy the data to a new, smaller volume)",
    ]);
    expect(renderMarkdown(r)).not.toContain("✅");
    expect(renderTerminal(r)).toContain("BLOCKED: ebs-shrink: prod-aws: aws_ebs_volume.data: size 500 → 400 GiB");
  });

  test("growing and retuning in place warns about the modification cool-down", () => {
    expect(findings(review(withVolume(500), withVolume(600, { iops: 6000 })))).toEqual([
      "warn ebs-modification prod-aws: aws_ebs_volume.data: size, iops modified in place (one ModifyVolume): the next modification of this volume must wait until this one completes (optimizing can take hours), and a volume takes at most 4 modifications per rolling 24 h",
    ]);
  });
});

describe("compute mode switch, capacity and access", () => {
  const auto = (s: Stacks) => {
    const aws = s["prod-aws"]!;
    res(aws, "aws_eks_cluster", "main").compute_config = { enabled: true, node_pools: ["general-purpose", "system"], node_role_arn: "${aws_iam_role.node.arn}" };
    delete (aws.resource as JsonObject).aws_eks_node_group;
    return s;
  };

  // The stacks of node-group mode leave the Auto Mode blocks out; EKS needs all three switched off
  // (auto-disable.html), and the provider keeps the load-balancing switch from state
  // (hashicorp/terraform-provider-aws#40582): no acknowledgement makes that apply work. The synth
  // review cannot tell a deployed environment from one never applied (whose mode is free to
  // change), so only there it can be acknowledged; plan-summary, which sees the real cluster, cannot.
  test("Auto Mode → node groups: blocked, names the way that works; acknowledgeable only for an environment never applied", () => {
    const r = review(auto(base()), base());
    expect(r.findings!.map((f) => [f.rule, f.severity, f.acknowledgeable])).toContainEqual(["compute-mode-switch", "block", true]);
    const f = r.findings!.find((x) => x.rule === "compute-mode-switch")!;
    expect(f.message).toMatch(/^Auto Mode → managed node groups on a deployed cluster: these stacks cannot turn Auto Mode off\./);
    expect(f.message).toContain("hashicorp/terraform-provider-aws#40582");
    expect(f.message).toMatch(/add a new environment in node-group mode, move the workloads to it, then remove this one\. Acknowledge only if this environment was never applied$/);
    expect(isBlocked(r)).toBe(true);
  });

  // A replacement the review only calls possible (an Optional+Computed argument newly set, which may
  // equal the live value) is not yet a replacement: no target-group-replaced block for it.
  test("target group: a replacement blocks (listener, immutable binding ARN); a possible one does not", () => {
    const withGroup = (extra: JsonObject) => {
      const s = base();
      ((s["prod-aws"]!.resource as JsonObject).aws_lb_target_group = { web: { name: "prod-web", port: 8080, protocol: "HTTP", target_type: "ip", vpc_id: "vpc-1", ...extra } });
      return s;
    };
    const rule = (r: Report) => (r.findings ?? []).filter((f) => f.rule === "target-group-replaced").map((f) => `${f.severity} ${f.address} ${f.acknowledgeable}`);
    expect(rule(review(withGroup({}), withGroup({ port: 9090 })))).toEqual(["block aws_lb_target_group.web true"]);
    expect(rule(review(withGroup({}), withGroup({ ip_address_type: "ipv4" })))).toEqual([]);
  });

  test("node groups → Auto Mode in one step: blocked with the documented order; acknowledgeable", () => {
    const b = { ...base(), "prod-controllers": { resource: { helm_release: { lbc: { name: "aws-load-balancer-controller", namespace: "kube-system" } } } } as JsonObject };
    const r = review(b, auto(base()));
    expect(findings(r)).toEqual([
      expect.stringMatching(/^block compute-mode-switch prod-aws: managed node groups → Auto Mode in one apply: 1 node group\(s\) and 0 add-on\(s\) are destroyed while Auto Mode is being enabled, so pods lose their nodes before Auto Mode has any, and prod-controllers \(the AWS Load Balancer Controller\) is left running next to Auto Mode's\. Documented order: 1\) enable Auto Mode with the node groups still there/),
      "block stack-removed prod-controllers: stack prod-controllers leaves the app: `cdktf deploy` no longer manages its 1 resource(s), which keep running (for the controllers stack: a second load balancer controller). Run `cdktf destroy prod-controllers` from the base first (or keep the stack), then acknowledge",
    ]);
    const accepted = review(b, auto(base()), { acknowledge: ["compute-mode-switch:prod-aws", "stack-removed:prod-controllers"] });
    expect(isBlocked(accepted)).toBe(false);
    expect(accepted.acknowledged!.map((f) => f.rule)).toEqual(["compute-mode-switch", "stack-removed"]);
    expect(renderMarkdown(accepted)).toContain("### ⚠ Accepted deliberately");
  });

  test("the last node group removed while workloads remain: blocked (capacity)", () => {
    const h = base();
    delete (h["prod-aws"]!.resource as JsonObject).aws_eks_node_group;
    expect(findings(review(base(), h))).toEqual([
      "block capacity-removed prod-aws: every node group is destroyed (aws_eks_node_group.default) while prod-k8s still runs 2 workload(s) (Helm releases, volume claims): nothing could run them. Add a node group first, or acknowledge when the environment is being emptied",
    ]);
  });

  describe("a node group replaced (instance types change: destroy then create, its name is fixed)", () => {
    const groups = (types: string, extra?: "untouched" | "created" | "tainted") => {
      const s = base();
      const ng = (s["prod-aws"]!.resource as JsonObject).aws_eks_node_group as JsonObject;
      (ng.default as JsonObject).instance_types = [types];
      if (extra === "untouched" || extra === "tainted" || (extra === "created" && types !== "m7i.large")) ng.system = { ...clone(ng.default as JsonObject), node_group_name: "system", instance_types: ["t3.large"] };
      // As the product writes taints (modules/managed-node-group.ts): a list of taint blocks.
      if (extra === "tainted") (ng.system as JsonObject).taint = [{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }];
      return s;
    };
    const BLOCKED =
      "block node-group-replaced prod-aws: aws_eks_node_group.default replaced (destroy then create) and no other node group that takes any pod (no NoSchedule taint) keeps nodes through the apply: for the ~10-20 minutes EKS takes, prod-k8s's 2 workload(s) and the cluster's system pods (CoreDNS, controllers) have no node. Roll it blue/green instead: add the new group under another key, apply, then remove the old key in a second change; or acknowledge a maintenance window";

    test("the only group: blocked, acknowledgeable for a maintenance window", () => {
      const r = review(groups("m7i.large"), groups("m8i.large"));
      expect(findings(r)).toEqual([BLOCKED]);
      expect(r.findings![0]).toMatchObject({ acknowledgeable: true, source: "https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html" });
      expect(isBlocked(review(groups("m7i.large"), groups("m8i.large"), { acknowledge: ["node-group-replaced:prod-aws"] }))).toBe(false);
    });

    test("a group created in the same apply does not count: Terraform builds it beside the replacement, not before", () => {
      expect(findings(review(groups("m7i.large", "created"), groups("m8i.large", "created")))).toEqual([BLOCKED]);
    });

    test("on the product's own prod (synthesized): general's instance types blocked (batch repels pods), batch's warned (general stays)", () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { synthesize } = require("../support/synth") as typeof import("../support/synth");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { environments } = require("../fixtures/environments") as typeof import("../fixtures/environments");
      const withTypes = (group: string, types: string[]) =>
        environments.map((env) => {
          if (env.name !== "prod") return env;
          const copy = clone(env) as any;
          copy.cluster.compute.nodeGroups[group].instanceTypes = types;
          return copy;
        });
      const b = synthesize() as Stacks;
      const general = review(b, synthesize(withTypes("general", ["m8i.large"])) as Stacks);
      expect(findings(general).filter((f) => f.includes("node-group-replaced"))).toEqual([
        expect.stringMatching(/^block node-group-replaced prod-aws: aws_eks_node_group\.node-group-general_node-group replaced \(destroy then create\) and no other node group that takes any pod/),
      ]);
      const batch = review(b, synthesize(withTypes("batch", ["c8g.xlarge"])) as Stacks);
      expect(findings(batch).filter((f) => f.includes("node-group-replaced"))).toEqual([
        "warn node-group-replaced prod-aws: aws_eks_node_group.node-group-batch_node-group is replaced: its nodes are drained and terminated before the new group exists (destroy then create); keep enough capacity elsewhere",
      ]);
    }, 60_000);

    test("another group that stays but repels pods (a NoSchedule taint, like prod's batch group) does not count", () => {
      expect(findings(review(groups("m7i.large", "tainted"), groups("m8i.large", "tainted")))).toEqual([BLOCKED]);
    });

    test("another group that stays untouched keeps nodes: a warning", () => {
      expect(findings(review(groups("m7i.large", "untouched"), groups("m8i.large", "untouched")))).toEqual([
        "warn node-group-replaced prod-aws: aws_eks_node_group.default is replaced: its nodes are drained and terminated before the new group exists (destroy then create); keep enough capacity elsewhere",
      ]);
    });

    test("another group whose key is renamed in the same change (a `moved` block, renames.nodeGroups) keeps its nodes: a warning", () => {
      // stacks/day2.ts writes `moved { from, to }` and keeps the AWS name: Terraform moves the state, the group stays up.
      // https://developer.hashicorp.com/terraform/language/moved
      const head = groups("m8i.large", "untouched");
      const ng = (head["prod-aws"]!.resource as JsonObject).aws_eks_node_group as JsonObject;
      ng.general = ng.system!;
      delete ng.system;
      head["prod-aws"]!.moved = [{ from: "aws_eks_node_group.system", to: "aws_eks_node_group.general" }];
      expect(findings(review(groups("m7i.large", "untouched"), head)).filter((f) => f.includes("node-group-replaced"))).toEqual([
        "warn node-group-replaced prod-aws: aws_eks_node_group.default is replaced: its nodes are drained and terminated before the new group exists (destroy then create); keep enough capacity elsewhere",
      ]);
    });

    test("no workloads in the Kubernetes stack: a warning", () => {
      const empty = (types: string) => {
        const s = groups(types);
        s["prod-k8s"] = { resource: {} } as JsonObject;
        return s;
      };
      expect(findings(review(empty("m7i.large"), empty("m8i.large")))).toEqual([
        "warn node-group-replaced prod-aws: aws_eks_node_group.default is replaced: its nodes are drained and terminated before the new group exists (destroy then create); keep enough capacity elsewhere",
      ]);
    });
  });

  test("the deploy role's access entry removed: blocked", () => {
    const withEntry = (on: boolean) => {
      const s = base();
      s["prod-aws"]!.variable = { role_arn: { default: "arn:aws:iam::111111111111:role/deployer" } };
      if (on) (s["prod-aws"]!.resource as JsonObject).aws_eks_access_entry = { deployer: { cluster_name: "prod", principal_arn: "arn:aws:iam::111111111111:role/deployer" } };
      return s;
    };
    expect(findings(review(withEntry(true), withEntry(false)))).toEqual([
      "block deployer-access-removed prod-aws: aws_eks_access_entry.deployer (the deploy role arn:aws:iam::111111111111:role/deployer) is removed: the Kubernetes stacks and the next deploy authenticate as that role and would be refused by the cluster",
    ]);
  });
});

describe("Kubernetes objects: replacement prediction (provider 2.38.0 schema) and immutable fields", () => {
  const k8s = (edit: (s: JsonObject) => void) => {
    const s = base();
    edit(s["prod-k8s"]!);
    return s;
  };
  const change = (r: Report, address: string) => r.stacks.find((s) => s.name === "prod-k8s")!.changes.find((c) => c.address === address)!;

  test("StorageClass provisioner (Auto Mode) is a replacement, not an update", () => {
    const r = review(base(), k8s((s) => (res(s, "kubernetes_storage_class_v1", "default").storage_provisioner = "ebs.csi.eks.amazonaws.com")));
    expect(change(r, "kubernetes_storage_class_v1.default")).toMatchObject({ action: "replace", causes: [expect.objectContaining({ path: "storage_provisioner" })] });
  });

  // hashicorp/kubernetes v2.38.0 resource_kubernetes_persistent_volume_v1.go, CustomizeDiff: "Any
  // change to Persistent Volume Source requires a new resource" (ForceNew on each changed key).
  test("a PV's CSI driver change is a replacement the provider makes (not a failed update); its bound claim must go with it", () => {
    const r = review(base(), k8s((s) => ((res(s, "kubernetes_persistent_volume_v1", "data").spec as JsonObject[])[0]!.persistent_volume_source = { csi: { driver: "ebs.csi.eks.amazonaws.com", volume_handle: "vol-1" } })));
    expect(findings(r)).toEqual([
      "block volume-claim-bound prod-k8s: kubernetes_persistent_volume_v1.data is replaced while kubernetes_persistent_volume_claim_v1.data stays bound to it: Kubernetes keeps a bound PersistentVolume until its claim is gone, so the delete waits 20 minutes and the apply fails with the PV left Terminating. Stop the workload that mounts it and apply prod-k8s with `-replace=kubernetes_persistent_volume_claim_v1.data` (the data stays: the EBS volume is the AWS stack's), then acknowledge",
    ]);
    // The claim replaced in the same change (a new name, say): nothing holds the old volume; what is
    // left is the claim's own rule (a pod still mounting it holds it).
    const both = review(base(), k8s((s) => {
      (res(s, "kubernetes_persistent_volume_v1", "data").spec as JsonObject[])[0]!.persistent_volume_source = { csi: { driver: "ebs.csi.eks.amazonaws.com", volume_handle: "vol-1" } };
      (res(s, "kubernetes_persistent_volume_claim_v1", "data").metadata as JsonObject).name = "data-auto";
    }));
    expect(findings(both).map((f) => f.split(":")[0])).toEqual(["block claim-in-use prod-k8s"]);
    // As the product writes it: the claim names the PV by reference (stacks/kubernetes-stack.ts).
    const byRef = (s: JsonObject) => (((res(s, "kubernetes_persistent_volume_claim_v1", "data").spec as JsonObject).volume_name = "${kubernetes_persistent_volume_v1.data.metadata[0].name}"), s);
    const refBase = base();
    byRef(refBase["prod-k8s"]!);
    const refHead = k8s((s) => {
      byRef(s);
      (res(s, "kubernetes_persistent_volume_v1", "data").metadata as JsonObject).name = "prod-data-2";
    });
    byRef(refHead["prod-k8s"]!);
    expect(findings(review(refBase, refHead)).map((f) => f.split(":")[0])).toEqual(["block volume-claim-bound prod-k8s"]);
    expect(change(r, "kubernetes_persistent_volume_v1.data")).toMatchObject({
      action: "replace",
      causes: [expect.objectContaining({ path: "spec.persistent_volume_source", note: expect.stringContaining("replace its claim in the same apply") })],
    });
  });

  test("a claim replaced blocks (a pod mounting it holds it); a possible replacement (storage class newly named) does not", () => {
    const claimRule = (r: Report) => (r.findings ?? []).filter((f) => f.rule === "claim-in-use").map((f) => `${f.severity} ${f.address} ${f.acknowledgeable}`);
    expect(claimRule(review(base(), k8s((s) => ((res(s, "kubernetes_persistent_volume_claim_v1", "data").metadata as JsonObject).namespace = "logging"))))).toEqual([
      "block kubernetes_persistent_volume_claim_v1.data true",
    ]);
    expect(claimRule(review(base(), k8s((s) => ((res(s, "kubernetes_persistent_volume_claim_v1", "data").spec as JsonObject).storage_class_name = "ebs-gp3"))))).toEqual([]);
  });

  test("a StorageClass's reclaim policy cannot change: blocked, and the message says what the provider does", () => {
    const r = review(base(), k8s((s) => (res(s, "kubernetes_storage_class_v1", "default").reclaim_policy = "Retain")));
    expect(findings(r)).toEqual([
      "block kubernetes-immutable prod-k8s: kubernetes_storage_class_v1.default: `reclaim_policy` cannot change on an existing object (the provider's update sends only metadata and allowVolumeExpansion, and the API server refuses a new reclaimPolicy: the change never takes effect and every plan shows it again); replace it deliberately with `terraform apply -replace=kubernetes_storage_class_v1.default` in a maintenance window",
    ]);
  });

  test("kubernetes_manifest apiVersion change replaces; an unknown type is 'replacement not predicted'", () => {
    const r = review(
      base(),
      k8s((s) => {
        (res(s, "kubernetes_manifest", "binding").manifest as JsonObject).apiVersion = "eks.amazonaws.com/v1";
        (s.resource as JsonObject).kubectl_manifest = { x: { yaml_body: "b" } };
      }),
    );
    expect(change(r, "kubernetes_manifest.binding")).toMatchObject({ action: "replace", causes: [expect.objectContaining({ path: "manifest.apiVersion" })] });
    const unknown = review(k8s((s) => ((s.resource as JsonObject).kubectl_manifest = { x: { yaml_body: "a" } })), k8s((s) => ((s.resource as JsonObject).kubectl_manifest = { x: { yaml_body: "b" } })));
    expect(renderMarkdown(unknown)).toContain("update (replacement not predicted)");
  });

  test("a Service's clusterIP change is a replacement", () => {
    const withIp = (ip: string) => k8s((s) => ((s.resource as JsonObject).kubernetes_service_v1 = { dns: { metadata: { name: "kube-dns" }, spec: { cluster_ip: ip } } }));
    expect(change(review(withIp("172.20.0.10"), withIp("10.100.0.10")), "kubernetes_service_v1.dns")).toMatchObject({ action: "replace" });
  });
});

describe("renames: paired by content, not by type", () => {
  const attachments = (names: Record<string, string>) => {
    const s = base();
    (s["prod-aws"]!.resource as JsonObject).aws_iam_role_policy_attachment = Object.fromEntries(
      Object.entries(names).map(([id, policy]) => [id, { role: "${aws_iam_role.node.name}", policy_arn: `arn:aws:iam::aws:policy/${policy}` }]),
    );
    return s;
  };

  test("a CNI policy attachment is never proposed as the move target of a node policy attachment", () => {
    const r = review(attachments({ "node-cni": "AmazonEKS_CNI_Policy" }), attachments({ "node-worker": "AmazonEKSWorkerNodePolicy" }));
    expect(r.stacks.find((s) => s.name === "prod-aws")!.renames).toEqual([]);
  });

  test("a node group whose name derives from its key: the hint says a moved block is not enough", () => {
    const h = base();
    const groups = (h["prod-aws"]!.resource as JsonObject).aws_eks_node_group as JsonObject;
    groups.general = { ...(groups.default as JsonObject), node_group_name: "general" };
    delete groups.default;
    const r = review(base(), h);
    expect(r.stacks.find((s) => s.name === "prod-aws")!.renames).toEqual([
      expect.objectContaining({ from: "aws_eks_node_group.default", to: "aws_eks_node_group.general", nameChanges: ["node_group_name"] }),
    ]);
    expect(renderMarkdown(r)).toContain("a `moved` block alone still replaces it. Rename the config key with the environment's `renames` section");
  });
});

describe("reports people can use", () => {
  /** Three new environments on top of prod: the 67,668-character case of the issue. */
  function big(): Stacks {
    const h = base();
    for (const env of ["stage", "qa", "perf"]) {
      const aws = awsStack({ env, protected: false }) as JsonObject;
      (aws.resource as JsonObject).aws_iam_role_policy = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`p${i}`, { role: "${aws_iam_role.node.name}", name: `p${i}`, policy: JSON.stringify({ Statement: Array.from({ length: 12 }, (_, j) => ({ Action: `s3:Get${j}`, Resource: `arn:aws:s3:::bucket-${env}-${i}-${j}/*` })) }) }]),
      );
      h[`${env}-aws`] = aws;
      h[`${env}-k8s`] = k8sStack({ env }) as JsonObject;
    }
    return h;
  }

  test("the comment fits 65,536 characters, findings first, details cut with a pointer; the full report is whole", () => {
    const b = base();
    res(b["prod-aws"]!, "aws_eks_cluster", "main").version = "1.34";
    const h = big();
    res(h["prod-aws"]!, "aws_eks_cluster", "main").version = "1.36";
    const r = review(b, h);
    const full = renderMarkdown(r);
    expect(full.length).toBeGreaterThan(COMMENT_LIMIT);
    const comment = renderMarkdown(r, { limit: COMMENT_LIMIT, fullReport: "the `review` workflow artifact" });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.indexOf("### 🛑 Blocking findings")).toBeLessThan(comment.indexOf("### Summary"));
    expect(comment).toMatch(/_… \d+ detail sections left out to fit a comment; the full report is the `review` workflow artifact\._\n$/);
    const terminal = renderTerminal(r, "cdktf.out/review.md");
    expect(terminal.split("\n").length).toBeLessThan(20);
    expect(terminal).toContain("Full report: cdktf.out/review.md");
  });

  test("--allow-destroy is shown as an acknowledgement with the prevent_destroy consequence, never as ✅", () => {
    const h = base();
    res(h["prod-aws"]!, "aws_eks_cluster", "main").name = "prod-blue";
    const r = review(base(), h, { allowDestroy: ["prod-aws/aws_eks_cluster.main"] });
    const markdown = renderMarkdown(r);
    expect(markdown).not.toContain("✅");
    expect(markdown).toContain(
      '- `prod-aws/aws_eks_cluster.main` (replace, by `--allow-destroy`): still has `lifecycle.prevent_destroy` (from `protected: true`): `terraform apply` stops with "Instance cannot be destroyed" until a change removes it',
    );
  });

  test("the acknowledgements file: one entry a line, each with a reason", () => {
    expect(parseAcknowledgements("# accepted by the platform team\nallow-destroy prod-aws/aws_eks_cluster.main  # blue/green cutover, ticket OPS-12\nacknowledge compute-mode-switch:prod-aws # steps 1-3 done on 2026-05-02\n", "f")).toEqual({
      allowDestroy: ["prod-aws/aws_eks_cluster.main"],
      acknowledge: ["compute-mode-switch:prod-aws"],
    });
    expect(() => parseAcknowledgements("acknowledge stack-removed:prod-controllers\nremove everything # because", "f")).toThrow(
      'f:1: stack-removed:prod-controllers: give the reason after "#" (at least 10 characters)\nf:2: expected "allow-destroy ADDRESS  # reason" or "acknowledge RULE:STACK  # reason"',
    );
  });
});

test("the CLI exits 1 on a blocking finding, 0 once acknowledged, and keeps the terminal short", async () => {
  const repo = createFixtureRepo();
  const out = mkdtempSync(join(tmpdir(), "eks-review-rules-"));
  try {
    const withVolume = (size: number) => {
      const s = base();
      (s["prod-aws"]!.resource as JsonObject).aws_ebs_volume = { data: { availability_zone: "eu-west-1a", size } };
      return s;
    };
    repo.write(withVolume(500));
    const b = repo.commit("base");
    repo.write(auto(withVolume(500)));
    const h = repo.commit("switch to Auto Mode");
    repo.write(withVolume(400));
    const shrink = repo.commit("shrink");
    // In-process from the command line on (issue 15); review as a process: test/tools/cli-convention.test.ts.
    const cli = (...args: string[]) =>
      runToolInProcess("review", ["--repo", repo.dir, "--synth-command", FAKE_SYNTH, "--base", b, ...args]).then((r) => ({ ...r, status: r.code }));
    const blocked = await cli("--head", h, "--full", join(out, "a.md"));
    const acknowledged = await cli("--head", h, "--full", join(out, "b.md"), "--acknowledge", "compute-mode-switch:prod-aws");
    const cannot = await cli("--head", shrink, "--full", join(out, "c.md"), "--acknowledge", "ebs-shrink:prod-aws");
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain("BLOCKED: compute-mode-switch: prod-aws: managed node groups → Auto Mode in one apply");
    expect(blocked.stderr).toContain("; to accept: --acknowledge compute-mode-switch:prod-aws");
    expect(acknowledged.status).toBe(0);
    expect(acknowledged.stderr).toContain("acknowledged: compute-mode-switch:prod-aws");
    expect(cannot.status).toBe(1);
    expect(cannot.stderr).toContain("(cannot be acknowledged: the apply would fail)");
    expect(cannot.stderr).toContain("warning: --acknowledge ebs-shrink:prod-aws matched nothing");
  } finally {
    repo.remove();
    rmSync(out, { recursive: true, force: true });
  }

  function auto(s: Stacks): Stacks {
    res(s["prod-aws"]!, "aws_eks_cluster", "main").compute_config = { enabled: true, node_pools: ["system"] };
    delete (s["prod-aws"]!.resource as JsonObject).aws_eks_node_group;
    return s;
  }
}, 60_000);

describe("chart CRDs Helm never upgrades (review finding F3)", () => {
  const withController = (version: string): Stacks => ({
    ...base(),
    "prod-controllers": {
      resource: {
        helm_release: {
          "aws-load-balancer-controller_release": { name: "aws-load-balancer-controller", chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version },
          "karpenter_release": { name: "karpenter", chart: "karpenter", repository: "oci://public.ecr.aws/karpenter", version },
        },
      },
    } as JsonObject,
  });

  test("a Load Balancer Controller chart bump warns to apply its CRDs first; Karpenter (own CRD chart) does not", () => {
    expect(findings(review(withController("1.14.0"), withController("1.15.0")))).toEqual([
      'warn chart-crds-not-upgraded prod-controllers: aws-load-balancer-controller 1.14.0 → 1.15.0: Helm does not upgrade the chart\'s CRDs; apply the new version\'s CRDs before deploying (kubectl apply -k "github.com/aws/eks-charts/stable/aws-load-balancer-controller/crds?ref=master", or the chart\'s crds/ of that version), then deploy prod-controllers and prod-k8s',
    ]);
  });

  test("no bump, no warning", () => {
    expect(findings(review(withController("1.14.0"), withController("1.14.0")))).toEqual([]);
  });
});

describe("the report of the fixtures plus three new environments fits one PR comment (synthesized, not hand-built)", () => {
  test("three new environments added to the fixtures: every stack created, the comment within 65,536 characters", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthesize } = require("../support/synth") as typeof import("../support/synth");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { environments } = require("../fixtures/environments") as typeof import("../fixtures/environments");
    const added = ["stage", "qa", "perf"].map((name, i) => {
      const env = clone(environments[1]) as JsonObject & { account: JsonObject; state: JsonObject; cluster: JsonObject; access: JsonObject };
      const id = `44444444444${i}`;
      Object.assign(env, { name, protected: false, rolloutWave: 1 });
      env.account = { ...env.account, id, deployRoleArn: `arn:aws:iam::${id}:role/eks-deployer`, planRoleArn: `arn:aws:iam::${id}:role/eks-planner` };
      env.state = { ...env.state, bucket: `acme-tfstate-${id}` };
      env.cluster = { ...env.cluster, name: `acme-${name}` };
      env.access = { "ops-readonly": env.access["ops-readonly"] };
      return env;
    });
    const b = synthesize() as Stacks;
    const h = synthesize([...environments, ...added]) as Stacks;
    const r = review(b, h);
    const comment = renderMarkdown(r, { limit: COMMENT_LIMIT, fullReport: "the `review` workflow artifact" });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    for (const name of ["stage", "qa", "perf"]) expect(comment).toContain(`${name}-aws`);
    expect(isBlocked(r)).toBe(false);
  }, 60_000);
});

describe("Karpenter leaves after its node pools, never in the same change (review #2, F1)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require("../support/synth") as typeof import("../support/synth");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prod } = require("../fixtures/environments/prod") as typeof import("../fixtures/environments/prod");
  const variant = (mutate: (e: JsonObject & { nodePools: JsonObject; cluster: JsonObject }) => void): Stacks => {
    const e = clone(prod) as JsonObject & { nodePools: JsonObject; cluster: JsonObject };
    mutate(e);
    return synthesize([e]) as Stacks;
  };
  const withPools = variant(() => undefined);

  test("pools and Karpenter removed together: blocked, not acknowledgeable", () => {
    const both = variant((e) => {
      e.nodePools = {};
      (e.cluster.compute as JsonObject).karpenter = { enabled: false };
    });
    const r = review(withPools, both);
    expect(findings(r).filter((f) => f.includes("karpenter-removed-with-pools"))).toEqual([
      "block karpenter-removed-with-pools prod-controllers: Karpenter is removed in the same change as its node pools (kubernetes_manifest.node-pool-batch_node-class): the controller would be gone before the NodePools and EC2NodeClasses are deleted, and their finalizers would never clear (first remove the pools and deploy, then set cluster.compute.karpenter.enabled: false)",
    ]);
    expect(isBlocked(r)).toBe(true);
  }, 60_000);

  test("pools first (Karpenter stays), then Karpenter: neither step is blocked by this rule", () => {
    const poolsGone = variant((e) => (e.nodePools = {}));
    const karpenterGone = variant((e) => {
      e.nodePools = {};
      (e.cluster.compute as JsonObject).karpenter = { enabled: false };
    });
    expect(findings(review(withPools, poolsGone)).filter((f) => f.includes("karpenter-removed-with-pools"))).toEqual([]);
    expect(findings(review(poolsGone, karpenterGone)).filter((f) => f.includes("karpenter-removed-with-pools"))).toEqual([]);
    // With the pools gone, Karpenter (enabled) still runs its controller and AWS side.
    const releases = (poolsGone["prod-controllers"]!.resource as JsonObject).helm_release as Record<string, JsonObject>;
    expect(Object.values(releases).map((r) => r.chart)).toContain("karpenter");
  }, 60_000);
});
