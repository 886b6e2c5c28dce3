/**
 * Each way of running nodes behind one small interface: what the AWS stack, the controllers stack and the
 * Kubernetes stack need from compute. A reader compares the modes in sibling files (auto-mode.ts,
 * managed-node-groups.ts, and karpenter.ts, which layers on node groups); a third mode is one more file and one more
 * row of modules/private/compute-flavor.ts.
 *
 * The modes are plain objects, not constructs: they add their resources to the stack they are given, under the same
 * construct ids as before, because construct paths are Terraform addresses (a wrapper construct would move, and so
 * replace, every node group and add-on). test/stacks/addresses.test.ts pins them.
 */
import type { Construct } from "constructs";
import type { AutoModeProps } from "../../modules/eks-cluster";
import type { EksCluster } from "../../modules/eks-cluster";
import type { KmsKeyWithAlias } from "../../modules/kms-key-with-alias";
import { COMPUTE_FLAVORS, type ComputeFlavor } from "../../modules/private/compute-flavor";
import type { Environment, NodePoolConfig } from "../environment-schema";
import { AutoModeCompute } from "./auto-mode";
import { ManagedNodeGroupsCompute } from "./managed-node-groups";

/** What a mode gets to add its AWS resources. */
export interface AwsComputeContext {
  /** The AWS stack itself: resources keep the addresses they always had. */
  readonly scope: Construct;
  readonly env: Environment;
  readonly cluster: EksCluster;
  readonly partition: string;
  /** The key of the static volumes, when there are any. */
  readonly ebsKey?: KmsKeyWithAlias;
  /** EKS's default version of an add-on for the cluster's Kubernetes version (a plan-time read). */
  readonly defaultAddonVersion: (addon: string) => string;
}

/** What a mode gets to install its controllers (node-group modes; Auto Mode has them built in). */
export interface ControllersContext {
  /** The controllers stack. */
  readonly scope: Construct;
  readonly env: Environment;
  /** The cluster's name as a cross-stack reference: the releases wait for the AWS stack. */
  readonly clusterName: string;
}

/** What a mode gets to render a node pool's node class in the Kubernetes stack. */
export interface NodeClassContext {
  readonly env: Environment;
  /** The node role of Auto Mode's NodeClass (a cross-stack reference), when the cluster has one. */
  readonly autoModeNodeRoleName?: string;
  /** The cluster security group (a cross-stack reference): the nodes' security group. */
  readonly clusterSecurityGroupId: string;
}

/** A node class object, named after its pool; the NodePool refers to it through the flavor row. */
export interface NodeClassObject {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface Compute {
  /** The mode's row of the flavor table (provisioner, API groups, node pool translation). */
  readonly flavor: ComputeFlavor;
  /** The cluster's Auto Mode settings; undefined for a standard cluster. */
  readonly autoMode?: AutoModeProps;
  /** Everything AWS the mode needs beyond the cluster (add-ons, node groups, roles, queues). */
  addAws(ctx: AwsComputeContext): void;
  /**
   * Controllers installed before the Kubernetes stack, in the controllers stack; present exactly when
   * flavor.installsLoadBalancerController (the tools read that row without loading cdktf).
   */
  addControllers?(ctx: ControllersContext): void;
  /** The node class of node pool `name`. */
  nodeClass(name: string, pool: NodePoolConfig, ctx: NodeClassContext): NodeClassObject;
}

/** The compute of an environment, by its mode. */
export function computeOf(env: Environment): Compute {
  const compute = env.cluster.compute;
  return compute.mode === "auto" ? new AutoModeCompute(env, compute, COMPUTE_FLAVORS.auto) : new ManagedNodeGroupsCompute(env, compute, COMPUTE_FLAVORS.managed);
}
