import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".venv/", ".slipway/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The simulator is a test double reached over HTTP only; product code must never import it.
    files: ["src/**/*.ts", "steps/**/*.ts", "feed/**/*.ts", "targets/**/*.ts"],
    ignores: ["src/sim/**", "src/cli/commands/sim.ts", "src/cli/commands/sim-start.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/sim/**", "**/sim/*"], message: "Product code reaches the simulator only over its endpoint." }] }],
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // The dashboard runs in the browser as plain ES modules, served as they are (no build step).
    files: ["dashboard/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        ["window", "document", "location", "sessionStorage", "fetch", "EventSource", "URLSearchParams", "CustomEvent", "Node", "CSS", "TextDecoderStream", "AbortController", "setTimeout", "clearTimeout", "setInterval", "clearInterval"].map((name) => [name, "readonly"]),
      ),
    },
  },
);
