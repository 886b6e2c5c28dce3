/**
 * Test files get the bundled app's "token creation stacks on demand" (tools/synth.cjs): cdktf
 * records a full stack trace (stackTraceLimit = MAX_SAFE_INTEGER, formatted into strings) for
 * every token it creates, only to quote it if resolving that token fails. Under jest that was
 * ~75 % of each in-file synth (the fixtures: 362 ms -> 96 ms warm, 758 ms -> 304 ms first;
 * 2026-11-30). The output is the same bytes: test/process/synth.test.ts compares the bundle
 * with the global setup's synth, which stays plain (setupFiles do not reach globalSetup), and
 * test/stacks/user-environments.test.ts unmocks it for its own plain synth.
 * EKS_SYNTH_TOKEN_STACKS=1 keeps cdktf's stacks here too. This mock is for a test file's own copy
 * of cdktf (EKS_TEST_NO_SHARED_MODULES=1, or a file that opts out); the copy test files share gets
 * the same change from test/support/shared-modules-runtime.cjs, and no mock here. A cdktf release that moves the module
 * fails every synth loudly ("Cannot find module").
 * @see node_modules/cdktf/lib/tokens/private/stack-trace.js (cdktf 0.21.0)
 */
// A file sharing cdktf with its worker (test/support/shared-modules-environment.cjs) gets the change there.
if (!process.env.EKS_SYNTH_TOKEN_STACKS && !(globalThis as { __eksSharedModules?: boolean }).__eksSharedModules) {
  jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: (): string[] => [] }));
}
