/**
 * jest's Node environment, plus what test/support/shared-modules-runtime.cjs needs: whether this
 * test file shares cdktf and the providers (docblock `@jest-environment-options {"sharedModules": false}`
 * says no), and, for test/support/tool-in-process.ts, the worker's real `process`, whose
 * environment the shared modules read (a test file's `process` is jest's copy of it).
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");

class SharedModulesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.eksSharedModules = config.projectConfig.testEnvironmentOptions?.sharedModules !== false;
    this.global.__eksHostProcess = this.eksSharedModules ? process : undefined;
  }
}

module.exports = SharedModulesEnvironment;
module.exports.default = SharedModulesEnvironment;
module.exports.TestEnvironment = SharedModulesEnvironment;
