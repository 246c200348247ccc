import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/config/source.js";

describe("parseSource", () => {
  const yaml = ["apiVersion: slipway/v1", "targets:", "  prod:", "    region: us-east-1", "environments:", "  - name: dev", "  - name: prod", ""].join("\n");

  it.each([
    ["/targets/prod/region", "value", { line: 4, column: 13 }],
    ["/targets/prod/region", "key", { line: 4, column: 5 }],
    ["/environments/1/name", "value", { line: 7, column: 11 }],
    ["/environments/1", "value", { line: 7, column: 5 }],
    // Absent: the nearest parent, where the key would be added.
    ["/targets/prod/cluster", "value", { line: 4, column: 5 }],
    ["", "value", { line: 1, column: 1 }],
  ] as const)("finds %s (%s) at its line and column in YAML", (pointer, part, position) => {
    expect(parseSource("slipway.yaml", yaml).positionOf(pointer, part)).toEqual(position);
  });

  it("finds positions in JSON with the same parser", () => {
    const doc = parseSource("targets.json", '{\n  "targets": {\n    "prod": { "region": "us-east-1" }\n  }\n}\n');
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual({ targets: { prod: { region: "us-east-1" } } });
    expect(doc.positionOf("/targets/prod/region")).toEqual({ line: 3, column: 25 });
    expect(doc.positionOf("/targets/prod", "key")).toEqual({ line: 3, column: 5 });
  });

  it.each([
    ["keys out of line", "slipway.yaml", "kind: Project\ntargets:\n  dev: {}\n prod: {}\n", 4, "the keys of one map start in the same column"],
    ["a list item without its dash", "slipway.yaml", "environments:\n  - name: dev\n   optional: true\n", 3, "the - before a list item"],
    ["a tab used for indentation", "slipway.yaml", "targets:\n\tprod: {}\n", 2, "Indent with spaces"],
    ["a repeated key", "slipway.yaml", "name: a\nkind: Project\nname: b\n", 3, "Remove or rename the repeated key"],
    ["an unclosed bracket", "slipway.yaml", "environments: [dev, prod\nname: shop\n", 2, "must be closed"],
    ["a trailing comma in JSON", "slipway.json", '{\n  "name": "shop",\n}\n', 3, "no comma after the last one"],
  ])("reports %s as a positioned syntax problem", (_, file, text, line, hint) => {
    const { problems, value } = parseSource(file, text);
    expect(value).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    const [first] = problems;
    expect(first).toMatchObject({ file, path: "/", line });
    expect(first?.message).toMatch(/^Syntax error: /);
    expect(first?.message).not.toMatch(/at line/);
    expect(first?.hint).toContain(hint);
  });

  it("reads an empty file as no value and no problems", () => {
    expect(parseSource("slipway.yaml", "# nothing yet\n")).toMatchObject({ value: undefined, problems: [] });
  });
});
