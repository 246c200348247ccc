import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { Redactor } from "../../src/releases/redactor.js";
import { mergeVariables, resolveVariables } from "../../src/releases/secrets.js";

describe("secret variables", () => {
  it("are read from the environment at deploy time and redacted from everything written for people", () => {
    const redactor = new Redactor();
    const resolved = resolveVariables({ default: { LOG_LEVEL: "info", DB_PASSWORD: { secret: true, fromEnv: "SHOP_DB_PASSWORD" } } }, { SHOP_DB_PASSWORD: "s3cret-value" }, redactor);
    expect(resolved.default).toEqual({ LOG_LEVEL: "info", DB_PASSWORD: "s3cret-value" });
    expect(redactor.text("env DB_PASSWORD=s3cret-value in the diff")).toBe("env DB_PASSWORD=*** in the diff");
    expect(redactor.value({ lines: ["+ s3cret-value"], n: 1 })).toEqual({ lines: ["+ ***"], n: 1 });
  });

  it("reports every missing secret at once, before anything is deployed", () => {
    const variables = { default: { A: { secret: true as const, fromEnv: "SECRET_A" } }, prod: { B: { secret: true as const, fromEnv: "SECRET_B" } } };
    expect(() => resolveVariables(variables, {}, new Redactor())).toThrow(InputError);
    expect(() => resolveVariables(variables, {}, new Redactor())).toThrow(/A \(default\) from \$SECRET_A, B \(prod\) from \$SECRET_B/);
  });

  it("lets the step's values win over the project's in the same scope", () => {
    expect(mergeVariables({ default: { A: "p", B: "p" }, prod: { A: "pp" } }, { default: { A: "s" } })).toEqual({ default: { A: "s", B: "p" }, prod: { A: "pp" } });
  });
});
