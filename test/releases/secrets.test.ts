import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { Redactor } from "../../src/releases/redactor.js";
import { mergeVariables, resolveVariables } from "../../src/releases/secrets.js";

describe("secret variables", () => {
  it("are read from the environment at deploy time, kept apart from plain values, and redacted from everything written for people", () => {
    const redactor = new Redactor();
    const resolved = resolveVariables({ default: { LOG_LEVEL: "info", DB_PASSWORD: { secret: true, fromEnv: "SHOP_DB_PASSWORD" } } }, { project: "shop", environment: "dev" }, { SHOP_DB_PASSWORD: "s3cret-value" }, redactor);
    expect(resolved.variables).toEqual({ default: { LOG_LEVEL: "info" } });
    expect(resolved.secrets).toEqual([{ variable: "DB_PASSWORD", kind: "owned", name: "slipway/shop/dev/DB_PASSWORD", project: "shop", value: "s3cret-value" }]);
    expect(redactor.text("env DB_PASSWORD=s3cret-value in the diff")).toBe("env DB_PASSWORD=*** in the diff");
    expect(redactor.value({ lines: ["+ s3cret-value"], n: 1 })).toEqual({ lines: ["+ ***"], n: 1 });
  });

  it("passes a secret the team manages through by ARN, never reading it", () => {
    const arn = "arn:aws:ssm:us-east-1:000000000000:parameter/shop/prod/api-key";
    const resolved = resolveVariables({ prod: { API_KEY: { secret: true, valueFrom: arn } } }, { project: "shop", environment: "prod" }, {}, new Redactor());
    expect(resolved.secrets).toEqual([{ variable: "API_KEY", kind: "reference", valueFrom: arn }]);
  });

  it("reports every missing secret of the environment at once, and only the environment's", () => {
    const variables = { default: { A: { secret: true as const, fromEnv: "SECRET_A" } }, dev: { C: { secret: true as const, fromEnv: "SECRET_C" } }, prod: { B: { secret: true as const, fromEnv: "SECRET_B" } } };
    const dev = { project: "shop", environment: "dev" };
    expect(() => resolveVariables(variables, dev, {}, new Redactor())).toThrow(InputError);
    expect(() => resolveVariables(variables, dev, {}, new Redactor())).toThrow("Secret variables for dev are not set in this process's environment: A from $SECRET_A, C from $SECRET_C.");
    // A dev pipeline does not hold prod's secret, and does not need to.
    expect(resolveVariables(variables, dev, { SECRET_A: "aaaa-aaaa-1", SECRET_C: "cccc-cccc-1" }, new Redactor()).secrets.map((s) => s.variable)).toEqual(["A", "C"]);
  });

  it("lets an environment's plain value replace a default secret", () => {
    const resolved = resolveVariables({ default: { DB_PASSWORD: { secret: true, fromEnv: "X" } }, dev: { DB_PASSWORD: "local-only" } }, { project: "shop", environment: "dev" }, {}, new Redactor());
    expect(resolved).toEqual({ variables: { default: {}, dev: { DB_PASSWORD: "local-only" } }, secrets: [] });
  });

  it("lets the step's values win over the project's in the same scope", () => {
    expect(mergeVariables({ default: { A: "p", B: "p" }, prod: { A: "pp" } }, { default: { A: "s" } })).toEqual({ default: { A: "s", B: "p" }, prod: { A: "pp" } });
  });
});
