/**
 * Day-1 audit fixes (issue 9), asserted on the synthesized JSON: what a real first apply sees.
 */
import { derivedNames } from "../../stacks/derived-names";
import { parseEnvironments } from "../../stacks/environment-validation";
import { dev } from "../fixtures/environments/dev";
import { prod } from "../fixtures/environments/prod";
import { withChange } from "../support/environments";
import { onlyResource, resourcesOf, synthesize, type TerraformJson } from "../support/synth";

const stacks = synthesize();

describe("API server reachable from the configured sources (cluster security group, 443)", () => {
  test("prod: one ingress rule per CIDR and per security group, on the cluster security group", () => {
    const rules = resourcesOf(stacks["prod-aws"], "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(rules).sort()).toEqual(["api-from-10-255-0-0-16", "api-from-sg-0b1c2d3e4f5a6aaaa"]);
    for (const r of Object.values(rules)) {
      expect(r).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443, security_group_id: "${aws_eks_cluster.cluster_cluster.vpc_config[0].cluster_security_group_id}" });
    }
    expect(rules["api-from-10-255-0-0-16"].cidr_ipv4).toBe("10.255.0.0/16");
    expect(rules["api-from-sg-0b1c2d3e4f5a6aaaa"].referenced_security_group_id).toBe("sg-0b1c2d3e4f5a6aaaa");
  });
});

describe("read-only plan role chosen at run time", () => {
  test.each(["dev", "prod"])("%s: every stack assumes var.role_arn, defaulting to the deploy role, validated against the two roles", (env) => {
    for (const kind of env === "prod" ? ["aws", "controllers", "k8s"] : ["aws", "k8s"]) {
      const stack = stacks[`${env}-${kind}`];
      expect(stack.variable.role_arn.default).toMatch(/:role\/eks-deployer$/);
      expect(stack.variable.role_arn.validation[0].condition).toContain(":role/eks-planner");
      // Cross-stack state reads follow the run's role (a plan-role run must not use the deploy role).
      for (const ds of Object.values<TerraformJson>(stack.data?.terraform_remote_state ?? {})) {
        expect(ds.config.assume_role.role_arn).toBe("${var.role_arn}");
      }
    }
    for (const [kind, provider] of [["k8s", "kubernetes"], ["k8s", "helm"]] as const) {
      const p = stacks[`${env}-${kind}`].provider[provider][0];
      const exec = provider === "kubernetes" ? p.exec[0] : p.kubernetes.exec;
      expect(exec.args[exec.args.indexOf("--role-arn") + 1]).toBe("${var.role_arn}");
    }
  });

  test("the plan role gets a view-only access entry (AmazonEKSAdminViewPolicy, cluster scope), nothing that writes", () => {
    const entries = resourcesOf(stacks["prod-aws"], "aws_eks_access_entry");
    expect(entries["cluster_access-planner_entry"]).toMatchObject({ principal_arn: "arn:aws:iam::222222222222:role/eks-planner", type: "STANDARD" });
    const assoc = Object.values(resourcesOf(stacks["prod-aws"], "aws_eks_access_policy_association")).filter((a) => a.principal_arn.includes("access-planner"));
    expect(assoc.map((a) => [a.policy_arn, a.access_scope])).toEqual([["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", { type: "cluster" }]]);
  });
});

describe("core add-ons follow the cluster version", () => {
  test("prod: every add-on without a configured version takes EKS's default for the config's Kubernetes version", () => {
    const addons = resourcesOf(stacks["prod-aws"], "aws_eks_addon");
    const versions = stacks["prod-aws"].data.aws_eks_addon_version;
    for (const a of Object.values(addons)) {
      const ref = `\${data.aws_eks_addon_version.addon-version-${a.addon_name}.version}`;
      expect(a.addon_version).toBe(ref);
      expect(versions[`addon-version-${a.addon_name}`]).toMatchObject({ addon_name: a.addon_name, kubernetes_version: "1.34", most_recent: false });
    }
  });

  test("a configured core add-on version is honoured exactly once", () => {
    const env = withChange(prod, (e) => (e.cluster.addons = { "vpc-cni": { version: "v1.20.4-eksbuild.1" } }));
    const out = synthesizeOne(env);
    const cni = Object.values(resourcesOf(out["prod-aws"], "aws_eks_addon")).filter((a) => a.addon_name === "vpc-cni");
    expect(cni).toHaveLength(1);
    expect(cni[0].addon_version).toBe("v1.20.4-eksbuild.1");
    expect(out["prod-aws"].data.aws_eks_addon_version["addon-version-vpc-cni"]).toBeUndefined();
  });

  test("a Kubernetes version change moves the add-on version lookups with it", () => {
    const out = synthesizeOne(withChange(prod, (e) => (e.cluster.kubernetesVersion = "1.35")));
    for (const v of Object.values<TerraformJson>(out["prod-aws"].data.aws_eks_addon_version)) expect(v.kubernetes_version).toBe("1.35");
  });
});

describe("control-plane logs encrypted with their own key", () => {
  test.each(["dev-aws", "prod-aws"])("%s: log group uses the logs key, whose policy lets CloudWatch Logs use it for this log group only", (name) => {
    const group = onlyResource(stacks[name], "aws_cloudwatch_log_group");
    expect(group.kms_key_id).toBe("${aws_kms_key.cluster_logs-key_key.arn}");
    const key = resourcesOf(stacks[name], "aws_kms_key")["cluster_logs-key_key"];
    expect(key.enable_key_rotation).toBe(true);
    const policy = JSON.parse(key.policy);
    const logs = policy.Statement.find((s: TerraformJson) => s.Principal.Service);
    expect(logs.Principal.Service).toBe("logs.ap-northeast-1.amazonaws.com");
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toBe(`arn:aws:logs:ap-northeast-1:${name === "dev-aws" ? "111111111111" : "222222222222"}:log-group:${group.name}`);
  });

  test("prod (protected): the logs key cannot be destroyed", () => {
    expect(resourcesOf(stacks["prod-aws"], "aws_kms_key")["cluster_logs-key_key"].lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("user strings are escaped for Terraform's template syntax", () => {
  test("${...} and %{...} in Helm values, add-on configuration and NodeClass tags come out doubled", () => {
    const prodOut = synthesizeOne(
      withChange(prod, (e) => {
        e.helm["metrics-server"].values.args = ["--kubelet-preferred-address-types=${TYPE}", "%{if x}"];
        e.cluster.addons = { "vpc-cni": { configuration: { env: { NAME: "${CNI}" } } } };
      }),
    );
    const release = Object.values(resourcesOf(prodOut["prod-k8s"], "helm_release")).find((r) => r.name === "metrics-server")!;
    expect(release.values[0]).toContain('"--kubelet-preferred-address-types=$${TYPE}"');
    expect(release.values[0]).toContain('"%%{if x}"');
    const cni = Object.values(resourcesOf(prodOut["prod-aws"], "aws_eks_addon")).find((a) => a.addon_name === "vpc-cni")!;
    expect(cni.configuration_values).toBe('{"env":{"NAME":"$${CNI}"}}');

    // EC2 tags take any character (env tags do not: they reach IAM, whose character set has no "$").
    const devOut = synthesizeOne(withChange(dev, (e) => (e.nodePools.batch.nodeClass.tags = { "ci-job": "${GITHUB_RUN_ID}" })));
    const nodeClass = Object.values(resourcesOf(devOut["dev-k8s"], "kubernetes_manifest")).find((m) => m.manifest.kind === "NodeClass")!;
    expect(nodeClass.manifest.spec.tags).toEqual({ "ci-job": "$${GITHUB_RUN_ID}" });
  });
});

describe("derived names: the list the uniqueness rules check is the list the stacks create", () => {
  test.each(["dev", "prod"])("%s: every role, instance profile, alias, log group, launch template, target group, queue and event rule name in the JSON is in derivedNames", (envName) => {
    const env = parseEnvironments([envName === "dev" ? dev : prod])[0];
    const derived = new Set(derivedNames(env).map((d) => d.name));
    const stack = stacks[`${envName}-aws`];
    const created = [
      ...Object.values(resourcesOf(stack, "aws_iam_role")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_kms_alias")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_cloudwatch_log_group")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_launch_template")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_lb_target_group")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_eks_cluster")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_iam_instance_profile")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_sqs_queue")).map((r) => r.name),
      ...Object.values(resourcesOf(stack, "aws_cloudwatch_event_rule")).map((r) => r.name),
    ];
    expect(created.filter((n) => !derived.has(n))).toEqual([]);
    expect([...derived].filter((n) => !created.includes(n))).toEqual([]);
  });
});

describe("node groups: Terraform owns the size", () => {
  test("no ignore_changes on desired_size: a config change reaches the group", () => {
    for (const g of Object.values(resourcesOf(stacks["prod-aws"], "aws_eks_node_group"))) expect(g.lifecycle?.ignore_changes ?? []).not.toContain("scaling_config[0].desired_size");
  });
});

function synthesizeOne(env: unknown): Record<string, TerraformJson> {
  return synthesize([env]);
}

describe("renames keep the old AWS names, and the uniqueness rules see the names AWS keeps (issue 12 + 9)", () => {
  const renamed = withChange(prod, (e) => {
    e.cluster.compute.nodeGroups.web = e.cluster.compute.nodeGroups.general;
    delete e.cluster.compute.nodeGroups.general;
    e.renames = { nodeGroups: { general: "web" } };
  });

  test("derivedNames lists the launch template under its old name, as the stack creates it", () => {
    const env = parseEnvironments([renamed])[0];
    const out = synthesizeOne(renamed);
    const templates = Object.values(resourcesOf(out["prod-aws"], "aws_launch_template")).map((t) => t.name).sort();
    expect(templates).toContain("acme-prod-general");
    const derived = derivedNames(env).filter((d) => d.kind === "launch template").map((d) => d.name).sort();
    expect(derived).toEqual(templates);
  });

  test("a new environment cannot take a name a renamed key still holds in AWS", () => {
    const other = withChange(prod, (e) => {
      e.name = "prod-b";
      e.cluster.name = "acme-prod-general";
      e.cluster.compute.nodeGroups = { x: e.cluster.compute.nodeGroups.general };
      e.volumes = {};
      e.targetGroups = {};
      e.nodePools = {};
    });
    const renamedX = withChange(renamed, (e) => {
      e.cluster.compute.nodeGroups["web-x"] = e.cluster.compute.nodeGroups.web;
      delete e.cluster.compute.nodeGroups.web;
      e.renames = { nodeGroups: { "general-x": "web-x" } };
    });
    // acme-prod + general-x (kept by the rename) and acme-prod-general + x both make "acme-prod-general-x".
    expect(() => parseEnvironments([renamedX, other])).toThrow(/launch template "acme-prod-general-x" is also created by environment "prod"/);
  });
});

describe("a renamed node group or target group changes nothing AWS or Kubernetes sees (review #2, F4, F5)", () => {
  test("node group general → web: only addresses move; every body (names and Name tags included) is unchanged", () => {
    const renamed = withChange(prod, (e) => {
      e.cluster.compute.nodeGroups.web = e.cluster.compute.nodeGroups.general;
      delete e.cluster.compute.nodeGroups.general;
      e.targetGroups.web = e.targetGroups.argocd;
      delete e.targetGroups.argocd;
      e.renames = { nodeGroups: { general: "web" }, targetGroups: { argocd: "web" } };
    });
    const before = synthesizeOne(prod);
    const after = synthesizeOne(renamed);
    for (const stack of ["prod-aws", "prod-k8s"]) {
      const bodies = (tf: TerraformJson) => {
        const out: Record<string, string> = {};
        for (const [type, byName] of Object.entries<Record<string, TerraformJson>>(tf.resource)) {
          for (const [name, body] of Object.entries(byName)) {
            const { "//": _meta, ...rest } = body;
            // depends_on order follows the keys' order; Terraform does not care about it.
            if (Array.isArray(rest.depends_on)) rest.depends_on = [...rest.depends_on].map((d: string) => d.replace(/general|web/g, "KEY")).sort();
            // Addresses differ by the key; references to renamed resources too: compare with the key normalized.
            out[`${type}.${name.replace(/general|argocd/g, "KEY").replace(/web/g, "KEY")}`] = JSON.stringify(rest).replace(/general_|argocd_|node-group-general|target-group-argocd|target-group-binding-argocd/g, "K").replace(/web_|node-group-web|target-group-web|target-group-binding-web/g, "K");
          }
        }
        return out;
      };
      expect(bodies(after[stack])).toEqual(bodies(before[stack]));
    }
    expect(after["prod-aws"].moved.map((m: TerraformJson) => m.from)).toEqual(expect.arrayContaining(["aws_launch_template.node-group-general_launch-template", "aws_lb_target_group.target-group-argocd_target-group"]));
  });
});
