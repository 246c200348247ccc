import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Timeouts catch a hang, never slowness: a test that waits on simulated AWS may take several times longer on a
    // busy 2-core machine (one took 18.6 s, and 30.7 s with another test run beside it).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Most test time is waiting on simulated AWS, not CPU: two files at once even on a 2-core machine, where
    // vitest's default (cores − 1) would run one. On 2 cores: 628 s so (with another test run beside it), 732 s not.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // slipway pins its AWS SDK, and CI still runs the tests on Node 20 too; the SDK's notice about its Node floor is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // A temporary folder for the run, removed at its end (first, so moto's files land there too); then one
    // moto_server for the fidelity suite (test/fidelity), or why it cannot start.
    // Last, the AWS model conformance check of every call any simulator answers (test/support/conformance/).
    globalSetup: ["test/support/temp-global-setup.ts", "test/support/moto-global-setup.ts", "test/support/conformance/global-setup.ts"],
    setupFiles: ["test/support/conformance/setup.ts"],
  },
});
