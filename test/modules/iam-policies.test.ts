import { ClusterAddon } from "../../modules/cluster-addon";
import { PodIdentityRole } from "../../modules/pod-identity-role";
import { eksClusterArn, podIdentityTrustPolicy } from "../../modules/private/aws";
import { autoModeTaggingPolicy, ebsKmsUsePolicy, loadBalancerControllerPolicy } from "../../modules/private/iam-policies";
import { synthModule } from "../support/module";
import { resourcesOf, synthesize } from "../support/synth";
import { AUTO_MODE_CUSTOM_TAGS, EBS_CSI_CUSTOM_KEY, LOAD_BALANCER_CONTROLLER_V2_14_0, type ReferenceStatement } from "./iam-policy-references";

type Conditions = NonNullable<ReferenceStatement["conditions"]>;
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Conditions;
}

const list = (x: string | readonly string[]) => (typeof x === "string" ? [x] : [...x]);
/** IAM wildcard match; actions are case-insensitive, ARNs are not. A `*` in `value` matches only a `*` or wider. */
const covers = (pattern: string, value: string, caseInsensitive = false) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, caseInsensitive ? "i" : "").test(value);

/** Statements of a policy document as IAM sees it: Terraform turns `$${` into `${` before it reaches AWS. */
const statementsOf = (doc: string): Statement[] => JSON.parse(doc.replaceAll("$${", "${")).Statement;

/**
 * True when `ours` asks at least everything `ref` asks: every operator/key of `ref`, with the same value (Null and
 * Bool) or a subset of its values. Extra conditions in `ours` only narrow the grant.
 */
function atLeastAsStrict(ours: Conditions | undefined, ref: Conditions | undefined): boolean {
  return Object.entries(ref ?? {}).every(([op, keys]) =>
    Object.entries(keys).every(([key, value]) => {
      const mine = ours?.[op]?.[key];
      if (mine === undefined) return false;
      if (op === "Null" || op === "Bool") return JSON.stringify(mine) === JSON.stringify(value);
      return list(mine).every((v) => list(value).includes(v));
    }),
  );
}

/** Every (action, resource, conditions) of the reference that no statement of ours grants as strictly or more. */
function missingGrants(ours: readonly Statement[], reference: readonly ReferenceStatement[]): string[] {
  const missing: string[] = [];
  reference.forEach((ref, i) => {
    for (const action of ref.actions)
      for (const resource of ref.resources) {
        const granted = ours.some(
          (s) =>
            s.Effect === "Allow" &&
            list(s.Action).some((a) => covers(a, action, true)) &&
            list(s.Resource).some((r) => covers(r, resource)) &&
            atLeastAsStrict(s.Condition, ref.conditions),
        );
        if (!granted) missing.push(`reference statement ${i + 1}: ${action} on ${resource} ${JSON.stringify(ref.conditions ?? {})}`);
      }
  });
  return missing;
}

/** Every (action, resource) of ours that no reference statement grants under the same or weaker conditions. */
function broaderGrants(ours: readonly Statement[], reference: readonly ReferenceStatement[]): string[] {
  const broader: string[] = [];
  for (const s of ours)
    for (const action of list(s.Action))
      for (const resource of list(s.Resource)) {
        const allowed = reference.some(
          (ref) =>
            ref.actions.some((a) => covers(a, action, true)) &&
            ref.resources.some((r) => covers(r, resource)) &&
            atLeastAsStrict(s.Condition, ref.conditions),
        );
        if (!allowed) broader.push(`${s.Sid}: ${action} on ${resource}`);
      }
  return broader;
}

/** Conditions as a string independent of key order. */
const canonical = (c: Conditions | undefined): string =>
  JSON.stringify(
    Object.entries(c ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, keys]) => [op, Object.entries(keys).sort(([a], [b]) => a.localeCompare(b))]),
  );

/** Statements normalized for an exact comparison: sorted actions, resources as lists. */
const normalized = (statements: readonly (Statement | ReferenceStatement)[]) =>
  statements.map((s) =>
    "actions" in s
      ? { actions: [...s.actions].sort(), resources: [...s.resources], conditions: s.conditions ?? {} }
      : { actions: list(s.Action).sort(), resources: list(s.Resource), conditions: s.Condition ?? {} },
  );

describe("AWS Load Balancer Controller policy against the controller's iam_policy.json v2.14.0", () => {
  const ours = statementsOf(loadBalancerControllerPolicy("aws", "acme-prod"));
  // Narrower than a published statement, so a published grant never goes missing without them: the last test pins them.
  const NARROWED = ["OpenNodeSecurityGroups", "RegisterIntoOwnTargetGroups", "RegisterIntoClusterTargetGroups"];

  test("grants every action, resource and condition of the published policy, under the same or narrower conditions", () => {
    expect(missingGrants(ours, LOAD_BALANCER_CONTROLLER_V2_14_0)).toEqual([]);
  });

  test("grants nothing the published policy does not, and never with a condition it requires left out", () => {
    expect(broaderGrants(ours, LOAD_BALANCER_CONTROLLER_V2_14_0)).toEqual([]);
  });

  test.each(ours.filter((s) => !NARROWED.includes(s.Sid!)).map((s) => [s.Sid!]))("without statement %s a published grant is missing", (sid) => {
    expect(missingGrants(ours.filter((s) => s.Sid !== sid), LOAD_BALANCER_CONTROLLER_V2_14_0)).not.toEqual([]);
  });

  test("the tag guards: security groups and load balancers keep their ownership tag, tagging on create needs it", () => {
    const bySid = Object.fromEntries(ours.map((s) => [s.Sid, s]));
    const guard = { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true", "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } };
    expect(bySid.RetagOwnSecurityGroups.Condition).toEqual(guard);
    expect(bySid.RetagOwnLoadBalancers.Condition).toEqual(guard);
    expect(bySid.TagNewSecurityGroups.Condition).toEqual({
      StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
    });
  });

  test("the only deliberate narrowings: node security groups of this cluster, target groups of the controller or this cluster", () => {
    // A statement is as published when one published statement has exactly its conditions and covers all it grants.
    const asPublished = (s: Statement) =>
      LOAD_BALANCER_CONTROLLER_V2_14_0.some(
        (ref) =>
          canonical(ref.conditions) === canonical(s.Condition) &&
          list(s.Action).every((a) => ref.actions.some((r) => covers(r, a, true))) &&
          list(s.Resource).every((res) => ref.resources.some((r) => covers(r, res))),
      );
    const narrowed = ours.filter((s) => !asPublished(s));
    expect(narrowed.map((s) => s.Sid)).toEqual(NARROWED);
    expect(narrowed.map((s) => [s.Sid, s.Condition])).toEqual([
      ["OpenNodeSecurityGroups", { Null: { "aws:ResourceTag/kubernetes.io/cluster/acme-prod": "false" } }],
      ["RegisterIntoOwnTargetGroups", { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } }],
      ["RegisterIntoClusterTargetGroups", { StringEquals: { "aws:ResourceTag/eks:eks-cluster-name": "acme-prod" } }],
    ]);
  });

  test("ARNs follow the partition", () => {
    const gov = loadBalancerControllerPolicy("aws-us-gov", "acme-prod");
    expect(gov).not.toContain("arn:aws:");
    expect(statementsOf(gov)).toEqual(statementsOf(loadBalancerControllerPolicy("aws", "acme-prod").replaceAll("arn:aws:", "arn:aws-us-gov:")));
  });
});

describe("Auto Mode custom-tag policy against the EKS user guide (auto-cluster-iam-role, tag-prop)", () => {
  test("exactly the guide's statements, in its order", () => {
    expect(normalized(statementsOf(autoModeTaggingPolicy("aws")))).toEqual(normalized(AUTO_MODE_CUSTOM_TAGS));
  });

  test("the session-tag variable reaches IAM literally, not as a Terraform interpolation", () => {
    expect(autoModeTaggingPolicy("aws")).toContain('"$${aws:PrincipalTag/eks:eks-cluster-name}"');
  });

  test("ARNs follow the partition", () => {
    const cn = autoModeTaggingPolicy("aws-cn");
    expect(cn).not.toContain("arn:aws:");
    expect(cn).toContain("arn:aws-cn:shield::*:protection/*");
  });
});

test("EBS CSI KMS policy: exactly the EKS guide's two statements, on our key", () => {
  const key = "arn:aws:kms:ap-northeast-1:222222222222:key/0000";
  expect(normalized(statementsOf(ebsKmsUsePolicy(key).replaceAll(key, "custom-key-arn")))).toEqual(normalized(EBS_CSI_CUSTOM_KEY));
});

describe("Pod Identity trust policies", () => {
  const scope = { accountId: "222222222222", clusterArn: eksClusterArn("aws", "ap-northeast-1", "222222222222", "acme-prod") };
  const trust = (role: Record<string, any>) => JSON.parse(role.assume_role_policy).Statement;

  test("cluster ARN from configuration", () => {
    expect(scope.clusterArn).toBe("arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod");
    expect(eksClusterArn("aws-cn", "cn-north-1", "333333333333", "c")).toBe("arn:aws-cn:eks:cn-north-1:333333333333:cluster/c");
  });

  test("with a trust scope: this account, this cluster, this service account only", () => {
    const r = synthModule((s) => new PodIdentityRole(s, "app", { clusterName: "acme-prod", roleName: "r", namespace: "shop", serviceAccount: "cart", trustScope: scope }));
    expect(trust(r.aws_iam_role.app_role)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": "222222222222",
            "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:ap-northeast-1:222222222222:cluster/acme-prod",
            "aws:RequestTag/kubernetes-namespace": "shop",
            "aws:RequestTag/kubernetes-service-account": "cart",
          },
        },
      },
    ]);
  });

  test("without a trust scope: still only its namespace and service account", () => {
    expect(JSON.parse(podIdentityTrustPolicy({ namespace: "kube-system", name: "aws-node" })).Statement[0].Condition).toEqual({
      StringEquals: { "aws:RequestTag/kubernetes-namespace": "kube-system", "aws:RequestTag/kubernetes-service-account": "aws-node" },
    });
  });

  test("an add-on's role trusts the add-on's service account, which the add-on's association names", () => {
    const r = synthModule(
      (s) =>
        new ClusterAddon(s, "ebs", {
          clusterName: "acme-prod",
          addonName: "aws-ebs-csi-driver",
          podIdentity: { roleName: "ebs", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", trustScope: scope },
        }),
    );
    const [statement] = trust(r.aws_iam_role.ebs_role_role);
    expect(statement.Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(statement.Condition.StringEquals).toMatchObject({
      "aws:SourceAccount": "222222222222",
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
    });
    expect(r.aws_eks_addon.ebs_addon.pod_identity_association).toEqual([{ role_arn: "${aws_iam_role.ebs_role_role.arn}", service_account: "ebs-csi-controller-sa" }]);
  });

  test("examples: every role trusted by Pod Identity is limited to the service account its association names", () => {
    const stacks = synthesize();
    let roles = 0;
    for (const stack of Object.values(stacks)) {
      const associations = [
        ...Object.values(resourcesOf(stack, "aws_eks_pod_identity_association")).map((a) => ({ role: a.role_arn, namespace: a.namespace, sa: a.service_account })),
        // Add-ons install into kube-system unless configured otherwise (none of ours is).
        ...Object.values(resourcesOf(stack, "aws_eks_addon")).flatMap((a) =>
          (a.pod_identity_association ?? []).map((p: any) => ({ role: p.role_arn, namespace: "kube-system", sa: p.service_account })),
        ),
      ];
      for (const [name, role] of Object.entries(resourcesOf(stack, "aws_iam_role"))) {
        const [statement, ...rest] = trust(role);
        if (statement.Principal.Service !== "pods.eks.amazonaws.com") continue;
        roles++;
        expect(rest).toEqual([]);
        expect(statement.Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
        const uses = associations.filter((a) => a.role === `\${aws_iam_role.${name}.arn}`);
        expect(uses).toHaveLength(1);
        const conditions = statement.Condition.StringEquals;
        expect(conditions["aws:RequestTag/kubernetes-namespace"]).toBe(uses[0].namespace);
        expect(conditions["aws:RequestTag/kubernetes-service-account"]).toBe(uses[0].sa);
        expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
      }
    }
    expect(roles).toBeGreaterThan(0);
  });
});
