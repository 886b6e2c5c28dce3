import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { WORKFLOW_WAVES } from "../../tools/lib/rollout";

const repo = path.resolve(__dirname, "../..");
const dir = path.join(repo, ".github/workflows");
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).scripts;
const workflows = Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, parse(fs.readFileSync(path.join(dir, f), "utf8"))]));

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
const steps = (wf: any): Step[] => Object.values<any>(wf.jobs).flatMap((job) => job.steps ?? []);
const runLines = (wf: any): string[] => steps(wf).flatMap((s) => (s.run ? s.run.split("\n") : []));

test("the workflows parse and have jobs", () => {
  expect(Object.keys(workflows).sort()).toEqual(["deploy.yml", "pull-request.yml", "rollout-wave.yml"]);
  for (const wf of Object.values(workflows)) expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
});

test("every npm command a workflow runs exists in package.json", () => {
  const used = Object.values(workflows).flatMap((wf) => runLines(wf).flatMap((l) => [...l.matchAll(/npm (?:run(?: -s)?|test)\b ?([\w:-]*)/g)].map((m) => (m[0].startsWith("npm test") ? "test" : m[1]))));
  expect(used.length).toBeGreaterThan(8);
  expect(used.filter((s) => !(s in scripts))).toEqual([]);
  // The install step is the README's install command.
  expect(Object.values(workflows).flatMap(runLines)).toContain("npm install --no-audit --no-fund");
});

test("pull requests: test, synth, policy, review comment and a plan per environment through OIDC", () => {
  const pr = workflows["pull-request.yml"];
  const lines = runLines(pr).join("\n");
  for (const cmd of ["npm test", "npm run synth", "npm run policy", "npm run review", "gh pr comment", "npm run plan"]) expect(lines).toContain(cmd);
  expect(pr.permissions["id-token"]).toBe("write");
  expect(steps(pr).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))).toBe(true);
  for (const job of ["plan-aws", "plan-kubernetes"]) expect(pr.jobs[job].strategy.matrix.environment).toBe("${{ fromJSON(needs.check.outputs.environments) }}");
  // Untrusted branch code plans with the read-only role; the Kubernetes stacks on the runner that reaches the API server.
  expect(runLines(pr).filter((l) => l.startsWith("npm run plan"))).toEqual([
    'npm run plan -- --env "${{ matrix.environment.name }}" --stacks aws --role plan --out plans --acknowledgements .review/acknowledgements',
    'npm run plan -- --env "${{ matrix.environment.name }}" --stacks kubernetes --role plan --out plans --acknowledgements .review/acknowledgements',
  ]);
  expect(pr.jobs["plan-aws"]["runs-on"]).toBe("${{ matrix.environment.awsRunsOn }}");
  expect(pr.jobs["plan-kubernetes"]["runs-on"]).toBe("${{ matrix.environment.kubernetesRunsOn }}");
  expect(JSON.stringify(pr)).not.toContain("EKS_CI_DEPLOY_ROLE_ARN");
});

test("merge: one job per wave, in order, each environment behind its GitHub environment (approval for protected ones)", () => {
  const deploy = workflows["deploy.yml"];
  expect(WORKFLOW_WAVES.map((w) => `wave-${w}`).every((j) => j in deploy.jobs)).toBe(true);
  WORKFLOW_WAVES.slice(1).forEach((w) => expect(deploy.jobs[`wave-${w}`].needs).toContain(`wave-${w - 1}`));
  const wave = workflows["rollout-wave.yml"];
  for (const job of ["deploy-aws", "deploy-kubernetes"]) expect(wave.jobs[job].environment).toBe("${{ matrix.environment.name }}");
  expect(wave.jobs["deploy-kubernetes"].needs).toBe("deploy-aws");
  expect(wave.jobs["deploy-kubernetes"]["runs-on"]).toBe("${{ matrix.environment.kubernetesRunsOn }}");
  expect(runLines(wave)).toEqual([
    "npm install --no-audit --no-fund",
    'npm run rollout -- --env "${{ matrix.environment.name }}" --stacks aws --auto-approve',
    "npm install --no-audit --no-fund",
    'npm run rollout -- --env "${{ matrix.environment.name }}" --stacks kubernetes --auto-approve',
  ]);
  for (const job of Object.values<any>(deploy.jobs)) if (job.uses) expect(fs.existsSync(path.join(repo, job.uses))).toBe(true);
});

test("pull requests: the review comment is comment-sized, the full report an artifact, acknowledgements a file in the change", () => {
  const pr = workflows["pull-request.yml"];
  const review = steps(pr).find((s) => s.run?.startsWith("npm run review"))!;
  expect(review.run).toContain("--acknowledgements .review/acknowledgements");
  expect(review.run).toContain("--markdown review.md --full review-full.md");
  const upload = steps(pr).find((s) => s.uses?.startsWith("actions/upload-artifact") && s.with?.name === "review-full");
  expect(upload?.with?.path).toBe("review-full.md");
});

test("every job that runs npm test sets up Terraform >= 1.10 first (the tests run Terraform itself)", () => {
  const jobs = Object.values(workflows).flatMap((wf) => Object.entries<any>(wf.jobs));
  const testing = jobs.filter(([, job]) => (job.steps ?? []).some((s: Step) => s.run?.split("\n").includes("npm test")));
  expect(testing.length).toBeGreaterThanOrEqual(2);
  for (const [name, job] of testing) {
    const steps: Step[] = job.steps;
    const tf = steps.findIndex((s) => s.uses?.startsWith("hashicorp/setup-terraform"));
    expect([name, tf >= 0 && tf < steps.findIndex((s) => s.run === "npm test")]).toEqual([name, true]);
    const [major, minor] = String(steps[tf]!.with?.terraform_version).split(".").map(Number);
    expect([name, major! > 1 || (major === 1 && minor! >= 10)]).toEqual([name, true]);
  }
});
