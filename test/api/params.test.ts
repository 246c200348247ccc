import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseAfter } from "../../src/api/params.js";

describe("where an event stream resumes", () => {
  it("takes Last-Event-ID over ?after=, as a whole number", () => {
    expect(parseAfter("42", "7")).toBe(42);
    expect(parseAfter(undefined, "7")).toBe(7);
    expect(parseAfter(undefined, undefined)).toBeUndefined();
  });

  it.each([["99999999999999999999"], ["9223372036854775808"], ["-1"], ["1e3"]])("refuses %s with a 400, not an empty stream and a database error", (id) => {
    expect(() => parseAfter(id, undefined)).toThrow(InputError);
    expect(() => parseAfter(undefined, id)).toThrow(/must be a whole number below 10\^15/);
  });
});
