/**
 * The review with the default synth command (cdktf.json's `app`) on a real, tiny cdktf app:
 * proves the worktree gets node_modules and cdktf honours CDKTF_OUTDIR. Slower (two real
 * synths), so kept apart from test/review.test.ts.
 */
import { symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runReview } from "../../tools/lib/review";
import { createFixtureRepo, type FixtureRepo } from "../support/review-fixture";

// Plain CommonJS, run by node itself: what is tested is the worktree and cdktf, not a TypeScript
// loader (tsx compiling it cost ~1 s of CPU per synth; issue 15).
const APP = `const { readFileSync } = require("node:fs");
const { App, TerraformStack } = require("cdktf");
const { EksCluster } = require("@cdktf/provider-aws/lib/eks-cluster");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");

const config = JSON.parse(readFileSync("config.json", "utf8"));
const app = new App();
const stack = new TerraformStack(app, "prod-aws");
stack.addOverride("//.environment", { name: "prod", protected: true });
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new EksCluster(stack, "main", {
  name: config.clusterName,
  roleArn: "arn:aws:iam::111111111111:role/prod-cluster",
  vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] },
  lifecycle: { preventDestroy: true },
});
app.synth();
`;

describe("review with the default synth command on a cdktf app", () => {
  let repo: FixtureRepo;
  beforeAll(() => {
    repo = createFixtureRepo();
    writeFileSync(join(repo.dir, "main.js"), APP);
    writeFileSync(join(repo.dir, "config.json"), JSON.stringify({ clusterName: "prod" }));
    writeFileSync(join(repo.dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node main.js" }));
    symlinkSync(resolve(__dirname, "../..", "node_modules"), join(repo.dir, "node_modules"));
    repo.commit("cdktf app");
  });
  afterAll(() => repo.remove());

  test("an uncommitted cluster rename in the working tree is a blocked replacement", () => {
    writeFileSync(join(repo.dir, "config.json"), JSON.stringify({ clusterName: "prod-blue" }));
    const report = runReview({ repo: repo.dir });
    expect(report.stacks.map((s) => [s.name, s.protected])).toEqual([["prod-aws", true]]);
    expect(report.stacks[0]!.changes).toEqual([
      expect.objectContaining({ address: "aws_eks_cluster.main", action: "replace", preventDestroy: true }),
    ]);
    expect(report.violations.map((v) => `${v.stack}/${v.address}`)).toEqual(["prod-aws/aws_eks_cluster.main"]);
    expect(repo.git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
  }, 30_000);
});
