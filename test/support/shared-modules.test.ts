/**
 * The test runtime's promise (test/support/shared-modules-runtime.cjs): cdktf and the providers
 * are loaded once per jest worker and shared, our own code is not, and cdktf reads the same
 * environment a tool run in-process was given.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { execFileSync } from "node:child_process";
import { withProcess } from "./tool-in-process";

const sharing = (globalThis as { __eksSharedModules?: boolean }).__eksSharedModules === true;

test("sharing is on unless EKS_TEST_NO_SHARED_MODULES is set", () => {
  expect(sharing).toBe(!process.env.EKS_TEST_NO_SHARED_MODULES);
});
const describeShared = sharing ? describe : describe.skip;

describeShared("shared across test files (EKS_TEST_NO_SHARED_MODULES unset)", () => {
  test("cdktf, constructs and a provider class come from the worker's own module cache, not this file's registry", () => {
    // Loaded by Node outside this test file's context: its functions are another realm's.
    for (const m of [require("cdktf").App, require("constructs").Construct, require("@cdktf/provider-aws/lib/eks-cluster").EksCluster]) {
      expect(m instanceof Function).toBe(false);
      expect(typeof m).toBe("function");
    }
  });

  test("a fresh module registry (as each in-process tool run gets) reloads our code but reuses cdktf", () => {
    const outer = { cdktf: require("cdktf"), app: require("../../stacks/app") };
    let inner: typeof outer | undefined;
    jest.isolateModules(() => {
      inner = { cdktf: require("cdktf"), app: require("../../stacks/app") };
    });
    expect(inner!.cdktf).toBe(outer.cdktf);
    expect(inner!.app).not.toBe(outer.app);
  });

  test("jest.doMock of a shared module still gives the mock, and jest.requireActual the shared copy", () => {
    const shared = require("@cdktf/provider-helm/lib/release");
    jest.doMock("@cdktf/provider-helm/lib/release", () => ({ Release: "mocked" }));
    try {
      jest.isolateModules(() => expect(require("@cdktf/provider-helm/lib/release").Release).toBe("mocked"));
      expect(jest.requireActual("@cdktf/provider-helm/lib/release")).toBe(shared);
    } finally {
      jest.dontMock("@cdktf/provider-helm/lib/release");
    }
  });

  test("a variable a test file sets reaches cdktf (it reads the worker's own process.env)", () => {
    const { App } = require("cdktf");
    process.env.CDKTF_OUTDIR = "/tmp/eks-shared-modules-outdir";
    try {
      expect(new App().outdir).toBe("/tmp/eks-shared-modules-outdir");
    } finally {
      delete process.env.CDKTF_OUTDIR;
    }
  });

  test("cdktf's token creation stacks are off, as in the bundled app (EKS_SYNTH_TOKEN_STACKS=1 keeps them)", () => {
    const stacks = require("cdktf/lib/tokens/private/stack-trace").captureStackTrace() as string[];
    expect(stacks.length === 0).toBe(!process.env.EKS_SYNTH_TOKEN_STACKS);
  });
});

test("a tool's environment in-process is the worker's real one too: shared modules and child processes see it", async () => {
  const probe = () => execFileSync(process.execPath, ["-e", "process.stdout.write(process.env.EKS_PROBE ?? 'unset')"]).toString();
  expect(probe()).toBe("unset");
  await withProcess([process.execPath, "tool"], { ...process.env, EKS_PROBE: "in the run" }, async () => {
    expect(process.env.EKS_PROBE).toBe("in the run");
    expect(probe()).toBe("in the run");
  });
  expect(probe()).toBe("unset");
  expect(process.env.EKS_PROBE).toBeUndefined();
});
