import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ImageCatalog } from "../../../src/aws/images.js";
import { schemaErrorsFor } from "../../../src/config/schemas.js";
import { InputError, type Problem } from "../../../src/errors.js";
import { loadTaskDefinitionStep, taskDefinitionSchemaId } from "../../../steps/task-definition/load.js";
import { renderStep } from "../../../steps/task-definition/prepare.js";
import { writeFiles } from "../../config/helpers.js";

const dir = "test/fixtures/steps/task-definition";

function problemsOf(load: () => unknown): Problem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError");
}

const brief = (p: Problem) => `${p.file}:${p.line ?? 0}:${p.column ?? 0} ${p.path}: ${p.message}`;

describe("loading a task definition step", () => {
  it("reads a step with a template file", () => {
    const { input, templateSource } = loadTaskDefinitionStep(`${dir}/web.step.yaml`, { environments: ["dev", "prod"] });
    expect(input.family).toBe("shop-web");
    expect(input.containers).toEqual([
      { name: "web", repository: "shop/web" },
      { name: "log-router", repository: "shop/log-router" },
    ]);
    expect(input.images).toEqual({ web: { kind: "range", range: "^1.4", prerelease: false }, "log-router": { kind: "tag", tag: "2.1.0", allowMovingTag: false } });
    expect(templateSource.doc.file).toBe(`${dir}/web.taskdef.yaml`);
  });

  it("reports every problem of a broken step with file, line:column, path and a fix", () => {
    const problems = problemsOf(() => loadTaskDefinitionStep(`${dir}/broken.step.yaml`, { environments: ["dev", "test", "prod"] }));
    const file = `${dir}/broken.step.yaml`;
    expect(problems.map(brief)).toEqual([
      `${file}:1:9 /family: "shop web" is not a valid task definition family.`,
      `${file}:5:14 /definition/containerDefinitions/0/image: "shop/web:1.4.2" is not a valid ECR repository name without a tag or digest.`,
      `${file}:6:7 /definition/containerDefinitions/0/memroy: Unknown key "memroy".`,
      `${file}:9:10 /images/web/tag: "tag" should be text, but it is a number.`,
      `${file}:10:5 /images/web/range: The image of "web" gives tag and range; only one of tag, range or digest may choose the version.`,
      `${file}:11:3 /images/wbe: images: names "wbe", which is not a container of the template.`,
      `${file}:12:12 /images/wbe/range: "not a range" is not a semver range.`,
      `${file}:14:3 /variables/porduction: variables: has values for "porduction", which is not an environment of the project.`,
      `${file}:17:9 /retention/keep: "keep" is 0, but must be at least 1.`,
    ]);
    expect(problems.find((p) => p.path.endsWith("memroy"))?.hint).toMatch(/^Did you mean "memory"\?/);
    expect(problems.find((p) => p.path === "/images/wbe")?.hint).toBe('Did you mean "web"? The containers are: web.');
    expect(problems.find((p) => p.path === "/images/web/tag")?.hint).toBe('Put the value in quotes so it stays text: tag: "1.4"');
  });

  it.each([
    ["neither definition nor template", "family: f\nimages: {web: {tag: '1'}}\n", "/: The step has no task definition template."],
    ["both definition and template", "family: f\ntemplate: t.yaml\ndefinition: {containerDefinitions: [{name: web, image: w}]}\nimages: {web: {tag: '1'}}\n", "/template: Both definition: and template: are given"],
    ["a missing template file", "family: f\ntemplate: ./nope.yaml\nimages: {web: {tag: '1'}}\n", '/template: The template file "./nope.yaml" does not exist'],
    ["a container without an image rule", "family: f\ndefinition: {containerDefinitions: [{name: web, image: w}, {name: side, image: s}]}\nimages: {web: {tag: '1'}}\n", '/images: The container "side" has no entry under images:'],
    ["a rule with no version", "family: f\ndefinition: {containerDefinitions: [{name: web, image: w}]}\nimages: {web: {prerelease: true}}\n", '/images/web: The image of "web" has no version rule'],
    ["allowMovingTag without a tag", "family: f\ndefinition: {containerDefinitions: [{name: web, image: w}]}\nimages: {web: {range: '^1', allowMovingTag: true}}\n", "/images/web/allowMovingTag: allowMovingTag only applies to a tag."],
  ])("refuses %s", (_, text, expected) => {
    const files = writeFiles({ "step.yaml": text });
    const problems = problemsOf(() => loadTaskDefinitionStep(files["step.yaml"] as string));
    expect(problems.map((p) => `${p.path}: ${p.message}`).join("\n")).toContain(expected);
  });

  it("checks a template file against the definition schema, reporting in that file", () => {
    const files = writeFiles({ "step.yaml": "family: f\ntemplate: t.yaml\nimages: {web: {tag: '1'}}\n", "t.yaml": "containerDefinitions:\n  - name: web\n    image: w\n    imagee: x\n" });
    const problems = problemsOf(() => loadTaskDefinitionStep(files["step.yaml"] as string));
    expect(problems.map(brief)).toEqual([`${files["t.yaml"] as string}:4:5 /containerDefinitions/0/imagee: Unknown key "imagee".`]);
  });

  it("has a schema that accepts its own examples", () => {
    const schema = JSON.parse(readFileSync("schemas/steps/task-definition.schema.json", "utf8")) as { $id: string; examples: unknown[] };
    expect(schema.$id).toBe(taskDefinitionSchemaId);
    expect(schema.examples.length).toBeGreaterThan(0);
    for (const example of schema.examples) expect(schemaErrorsFor(taskDefinitionSchemaId, example)).toEqual([]);
  });
});

describe("undefined variables", () => {
  const noEcr: ImageCatalog = {
    repository: () => Promise.reject(new Error("ECR must not be read when variables are missing")),
    images: () => Promise.reject(new Error("ECR must not be read when variables are missing")),
  };

  it("name the file, the JSON path, line:column and the variables that exist, before any AWS call", async () => {
    const loaded = loadTaskDefinitionStep(`${dir}/undefined-variable.step.yaml`);
    const error = await renderStep(loaded, noEcr, { environment: "dev" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const file = `${dir}/undefined-variable.step.yaml`;
    expect((error as InputError).message).toBe("2 undefined variables in the task definition template for dev.");
    expect((error as InputError).problems).toEqual([
      { file, path: "/definition/containerDefinitions/0/memory", line: 6, column: 15, message: 'The variable ${MEMROY} is not defined for the environment "dev".', hint: "Did you mean ${MEMORY}? The variables defined for dev are: MEMORY. Add MEMROY under variables: default: or variables: dev: in the step file." },
      { file, path: "/definition/containerDefinitions/0/environment/0/value", line: 9, column: 18, message: 'The variable ${MODE} is not defined for the environment "dev".', hint: "The variables defined for dev are: MEMORY. Add MODE under variables: default: or variables: dev: in the step file." },
    ]);
  });

  it("point into the template file when the template is a file", async () => {
    const files = writeFiles({ "step.yaml": "family: f\ntemplate: t.yaml\nimages: {web: {tag: '1'}}\n", "t.yaml": "containerDefinitions:\n  - name: web\n    image: w\n    memory: ${MEM}\n" });
    const error = (await renderStep(loadTaskDefinitionStep(files["step.yaml"] as string), noEcr, { environment: "prod" }).catch((e: unknown) => e)) as InputError;
    expect(error.problems[0]).toMatchObject({ file: files["t.yaml"], path: "/containerDefinitions/0/memory", line: 4, column: 13 });
    expect(error.problems[0]?.hint).toContain("No variables are defined for prod.");
  });
});
