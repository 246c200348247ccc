import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/releases/redactor.js";
import { maskSecretEnvironment, secretEnvironmentNames, secretVariableNames } from "../../src/releases/secret-diff.js";

describe("secrets in task definition diffs", () => {
  const template = { containerDefinitions: [{ name: "web", environment: [{ name: "DB_PASSWORD", value: "${DB_PASSWORD}" }, { name: "LOG_LEVEL", value: "${LOG_LEVEL}" }] }] };

  it("masks, on both sides, the values a secret variable feeds — a rotated secret's old value included", () => {
    const names = secretEnvironmentNames(template, secretVariableNames({ default: { LOG_LEVEL: "info" }, prod: { DB_PASSWORD: { secret: true, fromEnv: "SHOP_DB_PASSWORD" } } }));
    expect([...names]).toEqual(["DB_PASSWORD"]);
    const diff = ['         {', '           "name": "DB_PASSWORD",', '-          "value": "old-secret-nobody-knows"', '+          "value": "new-secret"', "         },", '           "name": "LOG_LEVEL",', '-          "value": "info"', '+          "value": "warn"'];
    expect(maskSecretEnvironment(diff, names)).toEqual(['         {', '           "name": "DB_PASSWORD",', '-          "value": "***"', '+          "value": "***"', "         },", '           "name": "LOG_LEVEL",', '-          "value": "info"', '+          "value": "warn"']);
  });

  it("redacts a secret however JSON escapes it", () => {
    const redactor = new Redactor();
    redactor.add('pa"ss\\word1');
    expect(redactor.value({ line: 'value: pa"ss\\word1' })).toEqual({ line: "value: ***" });
    expect(redactor.text(JSON.stringify({ v: 'pa"ss\\word1' }))).toBe('{"v":"***"}');
  });
});
