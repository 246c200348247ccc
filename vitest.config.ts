import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Starts one moto_server for the fidelity suite (test/fidelity), or records why it cannot.
    globalSetup: ["test/support/moto-global-setup.ts"],
  },
});
