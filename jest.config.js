// @swc/jest transforms TypeScript without type checking (tsc --noEmit does that in `npm test`).
// kubernetes-models ships ESM only, so those packages are transformed too.

// cdktf 0.21 (archived) calls util.isArray, which Node 22 deprecates at run time (DEP0044): the
// bundled app silences that one warning (tools/synth.cjs); jest's workers, which synthesize
// in-process, and what they start get Node's own switch for it instead.
// https://nodejs.org/api/cli.html#--disable-warningcode-or-type
if (!(process.env.NODE_OPTIONS ?? "").includes("--disable-warning=DEP0044")) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--disable-warning=DEP0044"].filter(Boolean).join(" ");
}

/** @type {import('jest').Config} */
module.exports = {
  // cdktf, constructs and the providers load once per worker, not once per test file (see the files).
  testEnvironment: "<rootDir>/test/support/shared-modules-environment.cjs",
  runtime: "<rootDir>/test/support/shared-modules-runtime.cjs",
  // Most slow tests wait on child processes (synth, git, fake CLIs): two workers keep both cores busy.
  maxWorkers: 2,
  // A hang guard, not a speed check (speed is measured by npm run bench): process tests start real
  // child processes, which on a cold cache or a loaded 2-core machine exceed jest's 5 s default.
  testTimeout: 60_000,
  // The example environments are synthesized once per run (test/support/global-setup.ts).
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  // In test files only: cdktf's token creation stacks off, as in the bundled app (see the file).
  setupFiles: ["<rootDir>/test/support/token-stacks.ts"],
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] },
  transformIgnorePatterns: ["/node_modules/(?!(kubernetes-models|@kubernetes-models)/)"],
  moduleFileExtensions: ["ts", "js", "json"],
};
