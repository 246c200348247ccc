import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { Redactor } from "../../src/releases/redactor.js";
import { resolveVariables } from "../../src/releases/secrets.js";

describe("the redactor", () => {
  it("masks the strings of a value, keys included, and leaves its shape — numbers, booleans, dates — alone", () => {
    const redactor = new Redactor();
    redactor.add("80808080");
    const at = new Date("2026-12-06T08:00:00.000Z");
    const masked = redactor.value({ port: 80808080, ok: true, note: "db at x80808080y", list: ["80808080", 7], at, nested: { "key-80808080": null } });
    expect(masked).toEqual({ port: 80808080, ok: true, note: "db at x***y", list: ["***", 7], at, nested: { "key-***": null } });
  });

  it("masks a secret holding quotes and backslashes in JSON text too", () => {
    const redactor = new Redactor();
    redactor.add('pa"ss\\word');
    expect(redactor.text(JSON.stringify({ value: 'pa"ss\\word' }))).toBe('{"value":"***"}');
    expect(redactor.value({ value: 'pa"ss\\word' })).toEqual({ value: "***" });
  });

  it("never masks what is too short to tell from ordinary text, and such a secret is refused where it is read", () => {
    const redactor = new Redactor();
    redactor.add("2026");
    expect(redactor.value({ id: "release-dev-1.0.0-2026", at: "2026-12-06" })).toEqual({ id: "release-dev-1.0.0-2026", at: "2026-12-06" });
    const read = () => resolveVariables({ default: { DB_PASSWORD: { secret: true, fromEnv: "SHORT" } } }, { project: "shop", environment: "dev" }, { SHORT: "2026" }, new Redactor());
    expect(read).toThrow(InputError);
    expect(read).toThrow("The secret variable DB_PASSWORD read from $SHORT is shorter than 8 characters.");
  });
});
