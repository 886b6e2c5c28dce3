/**
 * jest's Node environment, plus what test/support/shared-modules-runtime.cjs needs:
 * - `eksSharedModules`: whether this test file shares cdktf and the providers (not when
 *   EKS_TEST_NO_SHARED_MODULES=1, nor in a file whose docblock says
 *   `@jest-environment-options {"sharedModules": false}`); test files see it as `__eksSharedModules`.
 * - The worker's real `process.env` as the test file's `process.env` (jest gives each file a copy),
 *   because the shared modules read the real one (cdktf: CDKTF_OUTDIR, SYNTH_HCL_OUTPUT,
 *   CDKTF_CONTEXT_JSON...). It is put back as it was when the file ends, so nothing a file sets
 *   (or a tool run that never settled left behind) reaches the next file. `__eksHostProcess` is the
 *   worker's real `process` (test/support/tool-in-process.ts gives it a tool's environment).
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");

class SharedModulesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.eksSharedModules = !process.env.EKS_TEST_NO_SHARED_MODULES && config.projectConfig.testEnvironmentOptions?.sharedModules !== false;
    this.global.__eksSharedModules = this.eksSharedModules;
    // Always: child processes inherit the real environment, shared modules or not.
    this.global.__eksHostProcess = process;
    this.hostEnv = process.env;
    this.hostEnvBefore = { ...process.env };
    if (this.eksSharedModules) this.global.process.env = process.env;
  }

  async teardown() {
    // A tool run replaces process.env while it runs (withProcess); the original object comes back.
    process.env = this.hostEnv;
    for (const key of Object.keys(process.env)) if (!(key in this.hostEnvBefore)) delete process.env[key];
    Object.assign(process.env, this.hostEnvBefore);
    await super.teardown();
  }
}

module.exports = SharedModulesEnvironment;
module.exports.default = SharedModulesEnvironment;
module.exports.TestEnvironment = SharedModulesEnvironment;
