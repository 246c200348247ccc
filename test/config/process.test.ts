import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployableProject, loadProject, validateFile } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import { schemaErrorsFor } from "../../src/config/schemas.js";
import { InputError } from "../../src/errors.js";
import { problemsOf, writeFiles } from "./helpers.js";

const fixture = (path: string) => readFileSync(`test/fixtures/steps/${path}`, "utf8");

/** Valid step files, written next to slipway.yaml by every test. */
const stepFiles = {
  "web.step.yaml": fixture("task-definition/web.step.yaml"),
  "web.taskdef.yaml": fixture("task-definition/web.taskdef.yaml"),
  "canary.service.yaml": fixture("service/canary.service.yaml"),
  // A service step that leaves the revision to the process: no taskDefinition: of its own.
  "linked.service.yaml": fixture("service/canary.service.yaml").replace("taskDefinition: shop-web\n", ""),
  "approve.yaml": fixture("manual-intervention/approve-canary.step.yaml"),
  "verify.yaml": fixture("verification/shop-web.step.yaml"),
};

const header = "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets:\n  dev: { region: us-east-1, cluster: dev }\n  prod: { region: us-east-1, cluster: prod }\n";

/** A project (the header's nine lines, then `rest`) with the valid step files beside it; returns slipway.yaml's path. */
function project(rest: string, extraFiles: Record<string, string> = {}): string {
  return writeFiles({ ...stepFiles, ...extraFiles, "slipway.yaml": header + rest })["slipway.yaml"] as string;
}

const canaryProcess = `process:
  - name: web task definition
    uses: task-definition
    file: web.step.yaml
  - name: web service
    uses: service
    file: linked.service.yaml
  - name: prod sign-off
    uses: manual-intervention
    file: approve.yaml
    environments: [prod]
`;

/** What a user sees for each problem: where, what, and how to fix it. */
const shown = (file: string) => problemsOf(() => loadDeployableProject(file)).map((p) => ({ file: p.file, path: p.path, at: `${p.line ?? 0}:${p.column ?? 0}`, message: p.message, hint: p.hint }));

describe("loading the deployment process", () => {
  it("reads steps, channels and variables into the process, step files resolved from slipway.yaml's folder", () => {
    const file = project(
      canaryProcess +
        `channels:
  - name: stable
    default: true
    releaseVersions: ">=1.0.0 <2.0.0"
    imageTags: { web: "^1.2.0", log-router: "2.x" }
  - name: hotfix
    releaseVersions: ">=1.0.0-0"
variables:
  default: { LOG_LEVEL: info, REPLICAS: 2, DEBUG: false }
  prod:
    LOG_LEVEL: warn
    DB_PASSWORD: { secret: true, fromEnv: SHOP_DB_PASSWORD }
`,
    );
    const dir = dirname(file);
    const expected = {
      steps: [
        { name: "web task definition", uses: "task-definition", file: join(dir, "web.step.yaml") },
        { name: "web service", uses: "service", file: join(dir, "linked.service.yaml"), taskDefinitionFrom: "web task definition" },
        { name: "prod sign-off", uses: "manual-intervention", file: join(dir, "approve.yaml"), environments: ["prod"] },
      ],
      channels: [
        { name: "stable", isDefault: true, releaseVersions: ">=1.0.0 <2.0.0", imageTags: { web: "^1.2.0", "log-router": "2.x" } },
        { name: "hotfix", isDefault: false, releaseVersions: ">=1.0.0-0", imageTags: {} },
      ],
      variables: {
        default: { LOG_LEVEL: "info", REPLICAS: 2, DEBUG: false },
        prod: { LOG_LEVEL: "warn", DB_PASSWORD: { secret: true, fromEnv: "SHOP_DB_PASSWORD" } },
      },
    };
    expect(loadDeployableProject(file).process).toEqual(expected);
    expect(loadProjectProcess(file, loadProject(file))).toEqual(expected);
  });

  it("defaults: one channel named default, no variables, and a service runs the nearest task definition step before it", () => {
    const file = project(`process:
  - { name: api task definition, uses: task-definition, file: web.step.yaml }
  - { name: web task definition, uses: task-definition, file: web.step.yaml }
  - { name: web service, uses: service, file: linked.service.yaml }
  - { name: own revision, uses: service, file: canary.service.yaml }
`);
    const { process } = loadDeployableProject(file);
    expect(process.channels).toEqual([{ name: "default", isDefault: true, imageTags: {} }]);
    expect(process.variables).toEqual({});
    expect(process.steps.map((s) => [s.name, s.taskDefinitionFrom])).toEqual([
      ["api task definition", undefined],
      ["web task definition", undefined],
      ["web service", "web task definition"],
      ["own revision", "web task definition"],
    ]);
  });

  it("makes a single channel the default without default: true", () => {
    const file = project('channels:\n  - name: stable\n    releaseVersions: "^1.0.0"\n');
    expect(loadDeployableProject(file).process.channels).toEqual([{ name: "stable", isDefault: true, releaseVersions: "^1.0.0", imageTags: {} }]);
  });

  it("accepts a project without a process: it can still deploy a service step on its own", () => {
    const file = project("");
    expect(loadDeployableProject(file).process).toEqual({ steps: [], channels: [{ name: "default", isDefault: true, imageTags: {} }], variables: {} });
  });

  it("lets a service step with no task definition step before it name its own revision", () => {
    const file = project("process:\n  - { name: web service, uses: service, file: canary.service.yaml }\n");
    expect(loadDeployableProject(file).process.steps).toEqual([{ name: "web service", uses: "service", file: join(dirname(file), "canary.service.yaml") }]);
  });

  it("leaves step files unread by loadProject, so commands that only need the targets stay fast", () => {
    const file = project("process:\n  - { name: web service, uses: service, file: not-written-yet.yaml }\n");
    expect(loadProject(file).project.name).toBe("shop");
    expect(() => loadDeployableProject(file)).toThrow(InputError);
  });

  it("loads the simulator example with its process, channels and variables", () => {
    const { process } = loadDeployableProject("examples/slipway.yaml");
    expect(process.steps).toEqual([
      { name: "web task definition", uses: "task-definition", file: "examples/steps/web.taskdef.yaml" },
      { name: "web service", uses: "service", file: "examples/steps/web.service.yaml", taskDefinitionFrom: "web task definition" },
    ]);
    expect(process.channels.find((c) => c.isDefault)).toMatchObject({ name: "stable", imageTags: { web: "^1.0.0" } });
    expect(process.variables.default?.DB_PASSWORD).toEqual({ secret: true, fromEnv: "SHOP_DB_PASSWORD" });
  });
});

describe("a bad project: every problem at once, nothing loaded", () => {
  const files = writeFiles({
    ...stepFiles,
    // Two broken step files: an image with two version rules, and a service setting for an unknown environment.
    "web.step.yaml": stepFiles["web.step.yaml"].replace('range: "^1.4"', 'range: "^1.4"\n    tag: 1.4.0'),
    "linked.service.yaml": stepFiles["linked.service.yaml"].replace("stages:", "environments:\n  staging: { desiredCount: 1 }\nstages:"),
    "slipway.yaml":
      header +
      `process:
  - name: web task definition
    uses: task-definition
    file: web.step.yaml
  - name: web service
    uses: servise
    file: linked.service.yaml
  - name: web service
    uses: service
    file: linked.service.yaml
    environments: [prd]
channels:
  - name: stable
    releaseVersions: "one point oh"
  - name: beta
variables:
  prd: { LOG_LEVEL: warn }
`,
  });
  const slipway = files["slipway.yaml"] as string;
  const taskDefinition = files["web.step.yaml"] as string;
  const service = files["linked.service.yaml"] as string;

  const expected = [
    { file: slipway, path: "/process/1/uses", at: "15:11", message: '"servise" is not a step slipway has.', hint: "Did you mean uses: service? The steps are: task-definition, service, verification, manual-intervention." },
    { file: slipway, path: "/process/2/name", at: "17:11", message: 'The step name "web service" is already used by step 2.', hint: expect.stringMatching(/^Give each step its own name/) as unknown },
    { file: slipway, path: "/process/2/environments/0", at: "20:20", message: '"prd" is not an environment of the project.', hint: 'Did you mean "prod"? The environments are: dev, prod.' },
    { file: slipway, path: "/channels", at: "22:3", message: "None of the 2 channels is the default.", hint: 'Mark the one release create uses without --channel with default: true, for example on "stable".' },
    { file: slipway, path: "/channels/0/releaseVersions", at: "23:22", message: '"one point oh" is not a semver range.', hint: expect.stringMatching(/^Write a semver range such as "\^1\.2\.0"/) as unknown },
    { file: slipway, path: "/variables/prd", at: "26:3", message: 'variables: has values for "prd", which is not an environment of the project.', hint: 'Did you mean "prod"? The scopes are default (every environment) and the environments: dev, prod.' },
    { file: taskDefinition, path: "/images/web/range", at: "7:5", message: 'The image of "web" gives tag and range; only one of tag, range or digest may choose the version.', hint: "Keep one of them and remove range." },
    { file: service, path: "/environments/staging", at: "15:3", message: 'environments: has values for "staging", which is not an environment of the project.', hint: "The environments are: dev, prod." },
  ];

  it("reports each with file, path, line:column and a fix, slipway.yaml first", () => {
    expect(shown(slipway)).toEqual(expected);
  });

  it("names the files at fault in the error's message", () => {
    let error: unknown;
    try {
      loadDeployableProject(slipway);
    } catch (e) {
      error = e;
    }
    expect((error as InputError).message).toBe(`8 problems in ${slipway}, ${taskDefinition} and ${service}.`);
  });

  it("reports the same through slipway validate's validateFile and through loadProjectProcess", () => {
    expect(problemsOf(() => validateFile(slipway))).toHaveLength(expected.length);
    expect(problemsOf(() => loadProjectProcess(slipway, loadProject(slipway)))).toHaveLength(expected.length);
  });

  it("reports the project file's schema problems together with the step files'", () => {
    const file = project("nmae: x\nprocess:\n  - { name: web task definition, uses: task-definition, file: broken.yaml }\n", { "broken.yaml": "family: Shop Web\n" });
    const problems = problemsOf(() => validateFile(file));
    expect(problems.map((p) => [p.file.endsWith("broken.yaml") ? "broken.yaml" : "slipway.yaml", p.path])).toEqual(
      expect.arrayContaining([
        ["slipway.yaml", "/nmae"],
        ["broken.yaml", "/family"],
      ]),
    );
  });
});

/** The single problem a project with `rest` after the header has; fails when it has none or several. */
function onlyProblem(rest: string, extraFiles: Record<string, string> = {}) {
  const problems = shown(project(rest, extraFiles));
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe("the rules of the process", () => {
  it("refuses a step file that does not exist, at the step's file:", () => {
    expect(onlyProblem("process:\n  - { name: approve, uses: manual-intervention, file: steps/nowhere.yaml }\n")).toMatchObject({
      path: "/process/0/file",
      at: "11:55",
      message: expect.stringMatching(/^The step file "steps\/nowhere.yaml" does not exist \(looked for .*steps\/nowhere.yaml\)\.$/) as unknown,
      hint: "Fix the path (it is relative to this file), or create the step file.",
    });
  });

  it("refuses a step file that is a folder", () => {
    const file = project("process:\n  - { name: approve, uses: manual-intervention, file: sub.yaml }\n");
    mkdirSync(join(dirname(file), "sub.yaml"));
    expect(shown(file)).toEqual([expect.objectContaining({ path: "/process/0/file", message: expect.stringMatching(/cannot be read/) as unknown })]);
  });

  it("checks a step file with its own step's loader, against the project's environments", () => {
    expect(onlyProblem("process:\n  - { name: approve, uses: manual-intervention, file: approve.yaml }\n", { "approve.yaml": "stage: approve\n" })).toMatchObject({
      path: "/instructions",
      message: 'Required key "instructions" is missing.',
    });
  });

  it("says a taskDefinitionFrom naming no step, with the nearest name", () => {
    expect(onlyProblem(`${canaryProcess.replace("file: linked.service.yaml", "file: linked.service.yaml\n    taskDefinitionFrom: web taskdefinition")}`)).toMatchObject({
      path: "/process/1/taskDefinitionFrom",
      message: 'No step is named "web taskdefinition".',
      hint: 'Did you mean "web task definition"? The task-definition steps before it are: "web task definition".',
    });
  });

  it("says a taskDefinitionFrom naming a later step must come after it", () => {
    const rest = `process:
  - { name: web service, uses: service, file: linked.service.yaml, taskDefinitionFrom: web task definition }
  - { name: web task definition, uses: task-definition, file: web.step.yaml }
`;
    expect(onlyProblem(rest)).toMatchObject({ path: "/process/0/taskDefinitionFrom", message: expect.stringMatching(/^"web task definition" runs after this step/) as unknown, hint: "Move the task-definition step before this one in process:." });
  });

  it("says a taskDefinitionFrom naming a step of another kind", () => {
    const rest = `process:
  - { name: web task definition, uses: task-definition, file: web.step.yaml }
  - { name: approve, uses: manual-intervention, file: approve.yaml }
  - { name: web service, uses: service, file: linked.service.yaml, taskDefinitionFrom: approve }
`;
    expect(onlyProblem(rest)).toMatchObject({ path: "/process/2/taskDefinitionFrom", message: '"approve" is a manual-intervention step; taskDefinitionFrom names a task-definition step.' });
  });

  it("refuses taskDefinitionFrom on a step that is not a service", () => {
    const rest = `process:
  - { name: web task definition, uses: task-definition, file: web.step.yaml }
  - { name: approve, uses: manual-intervention, file: approve.yaml, taskDefinitionFrom: web task definition }
`;
    expect(onlyProblem(rest)).toMatchObject({ path: "/process/1/taskDefinitionFrom", message: "taskDefinitionFrom only applies to service steps." });
  });

  it("refuses a service step nothing says the revision of", () => {
    expect(onlyProblem("process:\n  - { name: web service, uses: service, file: linked.service.yaml }\n")).toMatchObject({
      path: "/process/0",
      at: "11:5",
      message: 'The service step "web service" has nothing to run: no task-definition step comes before it, and its step file names no taskDefinition.',
      hint: "Add a task-definition step before it in process:, or add taskDefinition: shop-web to its step file.",
    });
  });

  it("refuses a service that runs where its task definition step does not", () => {
    const rest = `process:
  - { name: web task definition, uses: task-definition, file: web.step.yaml, environments: [prod] }
  - { name: web service, uses: service, file: linked.service.yaml }
`;
    expect(onlyProblem(rest)).toMatchObject({
      path: "/process/1/name",
      message: '"web service" runs in dev, where its task-definition step "web task definition" does not run.',
      hint: 'Add dev to the environments of "web task definition", or give this step environments: [ prod ]',
    });
  });
});

describe("the rules of channels", () => {
  it("refuses two channels of one name", () => {
    expect(onlyProblem("channels:\n  - { name: stable, default: true }\n  - { name: stable }\n")).toMatchObject({ path: "/channels/1/name", message: 'The channel "stable" is listed twice (also channel 1).' });
  });

  it("refuses a second default", () => {
    expect(onlyProblem("channels:\n  - { name: stable, default: true }\n  - { name: beta, default: true }\n")).toMatchObject({
      path: "/channels/1/default",
      at: "12:28",
      message: '"beta" is marked default, but "stable" already is.',
      hint: "Only one channel can be the default: remove default: true from all but one.",
    });
  });

  it("refuses an image tag range that is not semver", () => {
    expect(onlyProblem(`${canaryProcess}channels:\n  - { name: stable, imageTags: { web: latest } }\n`)).toMatchObject({ path: "/channels/0/imageTags/web", message: '"latest" is not a semver range.' });
  });

  it("refuses imageTags for a container no task definition step has, with the nearest name", () => {
    expect(onlyProblem(`${canaryProcess}channels:\n  - { name: stable, imageTags: { wbe: "^1.2" } }\n`)).toMatchObject({
      path: "/channels/0/imageTags/wbe",
      at: "22:34",
      message: 'imageTags names "wbe", which is not a container of any task-definition step.',
      hint: 'Did you mean "web"? The containers of the process\'s task-definition steps are: web, log-router.',
    });
  });

  it("reads prerelease: true onto the channel; without it, the channel has no prerelease flag", () => {
    const file = project('channels:\n  - { name: stable, default: true, releaseVersions: "^1.0.0" }\n  - { name: beta, releaseVersions: "^1.0.0", prerelease: true }\n');
    expect(() => validateFile(file)).not.toThrow();
    expect(loadDeployableProject(file).process.channels).toEqual([
      { name: "stable", isDefault: true, releaseVersions: "^1.0.0", imageTags: {} },
      { name: "beta", isDefault: false, releaseVersions: "^1.0.0", imageTags: {}, prerelease: true },
    ]);
  });

  it("refuses a prerelease that is not true or false, saying what it means", () => {
    expect(onlyProblem('channels:\n  - { name: stable, prerelease: "yes" }\n')).toMatchObject({
      path: "/channels/0/prerelease",
      message: expect.stringMatching(/should be true or false, but it is/) as unknown,
      hint: expect.stringMatching(/^When true, any pre-release inside the channel's ranges belongs/) as unknown,
    });
  });

  it("reads a channel's revision ranges per task definition family, and refuses one that is not a range", () => {
    const file = project('channels:\n  - { name: stable, default: true, revisions: { shop-web: ">=40", shop-worker: "[3,9)" } }\n  - { name: edge }\n');
    expect(() => validateFile(file)).not.toThrow();
    expect(loadDeployableProject(file).process.channels).toEqual([
      { name: "stable", isDefault: true, imageTags: {}, revisions: { "shop-web": ">=40", "shop-worker": "[3,9)" } },
      { name: "edge", isDefault: false, imageTags: {} },
    ]);
    expect(onlyProblem('channels:\n  - { name: stable, revisions: { shop-web: "newest" } }\n')).toMatchObject({ path: "/channels/0/revisions/shop-web", hint: expect.stringMatching(/^Revision N matches as N\.0\.0/) as unknown });
    // What a pattern cannot see: a range no revision satisfies.
    expect(onlyProblem('channels:\n  - { name: stable, revisions: { shop-web: "9 - 3" } }\n')).toMatchObject({ path: "/channels/0/revisions/shop-web", message: '"9 - 3" matches no revision.' });
  });

  it("refuses imageTags when the process has no task definition step", () => {
    expect(onlyProblem('channels:\n  - { name: stable, imageTags: { web: "^1.2" } }\n')).toMatchObject({ hint: "The process has no task-definition step, so no image to choose." });
  });
});

describe("the rules of variables", () => {
  it("refuses a secret whose fromEnv is not an environment variable name", () => {
    const file = project("variables:\n  prod:\n    DB_PASSWORD: { secret: true, fromEnv: shop-db-password }\n");
    expect(problemsOf(() => validateFile(file))).toEqual([
      expect.objectContaining({
        path: "/variables/prod/DB_PASSWORD/fromEnv",
        line: 12,
        message: '"shop-db-password" is not a valid environment variable name.',
        hint: expect.stringMatching(/letters, digits and underscores, not starting with a digit\. For example: fromEnv: SHOP_DB_PASSWORD$/) as unknown,
      }),
    ]);
  });

  it("refuses a secret written without secret: true, naming the missing key", () => {
    const file = project("variables:\n  default:\n    DB_PASSWORD: { fromEnv: SHOP_DB_PASSWORD }\n");
    expect(problemsOf(() => loadProject(file))).toEqual([expect.objectContaining({ path: "/variables/default/DB_PASSWORD/secret", message: 'Required key "secret" is missing from "DB_PASSWORD".' })]);
  });

  it("refuses a scope that is neither default nor an environment", () => {
    expect(onlyProblem("variables:\n  staging: { LOG_LEVEL: warn }\n")).toMatchObject({ path: "/variables/staging", hint: "The scopes are default (every environment) and the environments: dev, prod." });
  });
});

describe("the process, channels and variables schemas", () => {
  interface Documented {
    title?: string;
    description?: string;
    examples?: unknown[];
    properties?: Record<string, Documented & { $ref?: string }>;
    $defs?: Record<string, Documented>;
  }

  it.each(["process", "channels", "variables"])("%s.schema.json accepts its examples and documents every property", (name) => {
    const schema = JSON.parse(readFileSync(`schemas/${name}.schema.json`, "utf8")) as Documented & { $id: string };
    expect(schema.$id).toBe(`https://slipway.dev/schemas/v1/${name}.schema.json`);
    expect(schema.examples?.length).toBeGreaterThan(0);
    for (const example of schema.examples ?? []) expect(schemaErrorsFor(schema.$id, example)).toEqual([]);
    // Hints are made from titles, descriptions and examples: a property without them gives a poor fix.
    for (const def of [schema, ...Object.values(schema.$defs ?? {})]) {
      for (const [key, property] of Object.entries(def.properties ?? {})) {
        if (property.$ref !== undefined) continue;
        expect({ key, title: property.title, description: property.description, examples: property.examples?.length }).toEqual({ key, title: expect.any(String), description: expect.any(String), examples: expect.any(Number) });
      }
    }
  });
});
