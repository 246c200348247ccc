import { describe, expect, it } from "vitest";
import { Lifecycle } from "../../targets/lifecycle.js";
import { NotFoundError } from "../../src/errors.js";

const lifecycle = new Lifecycle([
  { name: "dev", optional: false },
  { name: "test", optional: true },
  { name: "staging", optional: true },
  { name: "prod", optional: false },
]);

describe("Lifecycle", () => {
  it.each([
    ["dev", "test"],
    ["staging", "prod"],
    ["prod", undefined],
  ])("after %s comes %s", (from, next) => {
    expect(lifecycle.next(from)?.name).toBe(next);
  });

  it.each([
    [undefined, ["dev"]],
    ["dev", ["test", "staging", "prod"]],
    ["test", ["staging", "prod"]],
    ["staging", ["prod"]],
    ["prod", []],
  ])("from %s a release may go to %j", (from, reachable) => {
    expect(lifecycle.reachableAfter(from).map((e) => e.name)).toEqual(reachable);
  });

  it("starts with optional environments skippable too", () => {
    const early = new Lifecycle([
      { name: "sandbox", optional: true },
      { name: "prod", optional: false },
    ]);
    expect(early.reachableAfter(undefined).map((e) => e.name)).toEqual(["sandbox", "prod"]);
    expect(early.mayBeSkipped("sandbox")).toBe(true);
    expect(early.mayBeSkipped("prod")).toBe(false);
  });

  it("names the environments when asked for one it does not have", () => {
    expect(() => lifecycle.next("qa")).toThrow(NotFoundError);
    expect(() => lifecycle.get("qa")).toThrow(expect.objectContaining({ hint: "The environments are, in order: dev, test, staging, prod." }) as Error);
  });
});
