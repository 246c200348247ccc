import { describe, expect, it } from "vitest";
import { stepLoaders } from "../../steps/loaders.js";
import { steps } from "../../steps/registry.js";

describe("the step loaders config loading uses", () => {
  it("name every registered step, in the registry's order, with its schema", () => {
    expect([...stepLoaders.values()].map(({ name, schema }) => ({ name, schema }))).toEqual([...steps.values()].map(({ name, schema }) => ({ name, schema })));
    for (const [name, loader] of stepLoaders) expect(loader.name).toBe(name);
  });
});
