import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // slipway pins its AWS SDK and supports Node 20; the SDK's notice about its own future Node floor is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // Starts one moto_server for the fidelity suite (test/fidelity), or records why it cannot.
    globalSetup: ["test/support/moto-global-setup.ts"],
  },
});
