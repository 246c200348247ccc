import { describe, expect, it } from "vitest";
import { loadProject, loadTargetsFile, validateFile } from "../../src/config/load.js";
import { InputError } from "../../src/errors.js";
import { problemsOf, writeFiles } from "./helpers.js";

const fixtures = "test/fixtures/config";

describe("loadProject", () => {
  it("reads the simulator example into a lifecycle and a target per environment", () => {
    const { project, targets } = loadProject("examples/slipway.yaml");
    expect(project).toMatchObject({ name: "shop", file: "examples/slipway.yaml", targetsFile: "examples/targets.yaml" });
    expect(project.lifecycle.environments.map((e) => [e.name, e.optional])).toEqual([
      ["dev", false],
      ["test", true],
      ["prod", false],
    ]);
    expect(targets.get("prod")).toEqual({
      environment: "prod",
      region: "us-east-1",
      cluster: "shop-prod",
      endpoint: "http://127.0.0.1:4599",
      loadBalancer: { listener: { loadBalancer: "shop-prod", port: 80 }, targetGroups: { primary: "shop-prod-blue", canary: "shop-prod-green" } },
    });
  });

  it("reads inline targets, ARNs, roles and x- keys", () => {
    const { project, targets } = loadProject(`${fixtures}/inline/slipway.yaml`);
    expect(project.targetsFile).toBeUndefined();
    expect(targets.get("prod")).toMatchObject({
      account: "123456789012",
      roleArn: "arn:aws:iam::123456789012:role/slipway-deploy",
      externalId: "payments-prod",
      loadBalancer: { listener: { arn: expect.stringMatching(/^arn:aws:elasticloadbalancing:.*:listener\/app\/payments\//) as unknown } },
    });
    expect(targets.get("staging")).toEqual({ environment: "staging", region: "eu-west-2", cluster: "payments-staging", profile: "payments-dev" });
  });

  it("reads a JSON project and its JSON targets file", () => {
    const { project, targets } = loadProject(`${fixtures}/json-project/slipway.json`);
    expect(project.lifecycle.names).toEqual(["dev", "prod"]);
    expect(targets.get("prod")?.account).toBe("210987654321");
  });

  it("reports every mistake of a broken project and its targets file at once, each where it is", () => {
    const project = `${fixtures}/broken-project/slipway.yaml`;
    const targets = `${fixtures}/broken-project/targets.yaml`;
    const found = problemsOf(() => loadProject(project)).map((p) => [p.file, p.path, p.line, p.column, p.message, p.hint]);
    const expected: [string, string, number, number, RegExp, RegExp][] = [
      [project, "/apiVersion", 2, 13, /^"apiVersion" must be "slipway\/v1", not "slipway\/v2"\.$/, /^Write apiVersion: slipway\/v1$/],
      [project, "/nmae", 4, 1, /^Unknown key "nmae"\.$/, /^Did you mean "name"\?/],
      [project, "/environments/1/name", 7, 11, /"Test" is not a valid environment name/, /lowercase letters.*For example: name: /],
      [project, "/environments/1/optional", 8, 15, /"optional" should be true or false, but it is text/, /For example: optional: true/],
      [project, "/environments/3/name", 10, 11, /"dev" is listed twice/, /remove or rename one/],
      [targets, "/targets/dev/region", 5, 13, /"us-east" is not a valid AWS region/, /For example: region: us-east-1/],
      [targets, "/targets/dev/account", 7, 14, /"account" should be text, but it is a whole number/, /quotes.*account: "123456789012"/],
      [targets, "/targets/dev/endpoint", 8, 15, /"ftp:\/\/localhost" is not a valid AWS endpoint URL/, /endpoint: http:\/\/127\.0\.0\.1:4599/],
      [targets, "/targets/prod/reigon", 10, 5, /Unknown key "reigon"/, /Did you mean "region"\?/],
      [targets, "/targets/prod/cluster", 11, 14, /"shop prod" is not a valid ECS cluster name or ARN/, /cluster: shop-prod/],
      [targets, "/targets/prod/account", 12, 14, /not the account of roleArn, which is in account 222222222222/, /account: "222222222222"/],
      [targets, "/targets/prod/loadBalancer/listener/port", 15, 50, /"port" is 70000, but must be at most 65535/, /port: 443/],
      [targets, "/targets/prod/loadBalancer/targetGroups/canary", 16, 51, /canary target group is the primary one/, /canary: shop-blue-canary/],
      [targets, "/targets/staging", 17, 3, /"staging" is for an environment the project does not have/, /Add "staging" to environments in .*slipway\.yaml/],
    ];
    expect(found).toHaveLength(expected.length);
    for (const [i, [file, path, line, column, message, hint]] of expected.entries()) {
      expect(found[i]).toEqual([file, path, line, column, expect.stringMatching(message), expect.stringMatching(hint)]);
    }
  });

  it("writes JSON hints in JSON and finds JSON positions", () => {
    const file = `${fixtures}/broken-json/slipway.json`;
    const found = problemsOf(() => loadProject(file)).map((p) => [p.path, p.line, p.column, p.message, p.hint]);
    expect(found).toEqual([
      ["/name", 4, 11, expect.stringMatching(/"Shop" is not a valid project name/), expect.stringMatching(/For example: "name": "shop"$/)],
      ["/environments", 5, 19, expect.stringMatching(/"environments" is empty; it needs at least 1 item\.$/), expect.stringMatching(/"environments": \[\{"name":"dev"\}/)],
      ["/targets/dev", 7, 5, expect.stringMatching(/"dev" is for an environment the project does not have/), expect.stringMatching(/The project lists no environments yet\.$/)],
      ["/targets/dev/clustr", 7, 37, 'Unknown key "clustr".', expect.stringMatching(/^Did you mean "cluster"\?/)],
    ]);
  });

  it("reports an environment without a target in the project file, naming the targets file", () => {
    const files = writeFiles({
      "slipway.yaml": "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\n",
      "targets.yaml": "apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev: { region: us-east-1, cluster: dev }\n",
    });
    const [problem, ...rest] = problemsOf(() => loadProject(files["slipway.yaml"] as string));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: files["slipway.yaml"], path: "/environments/1/name", line: 6, column: 11, message: 'The environment "prod" has no target.' });
    expect(problem?.hint).toContain(`under targets: in ${files["targets.yaml"] as string}, for example: prod: { region: us-east-1, cluster: prod }`);
  });

  it("suggests the environment a misspelt target was meant for", () => {
    const files = writeFiles({
      "slipway.yaml": "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments: [{ name: prod }]\ntargets:\n  prd: { region: us-east-1, cluster: prod }\n",
    });
    const problems = problemsOf(() => loadProject(files["slipway.yaml"] as string));
    expect(problems.map((p) => [p.path, p.line, p.column, p.hint])).toEqual([
      ["/environments/0/name", 4, 24, expect.stringContaining("under targets: in this file") as unknown],
      ["/targets/prd", 6, 3, expect.stringMatching(/^Did you mean "prod"\?/) as unknown],
    ]);
  });

  it("reports a targets file that does not exist at the project's targets key", () => {
    const [problem, ...rest] = problemsOf(() => loadProject(`${fixtures}/missing-targets/slipway.yaml`));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ path: "/targets", line: 6, column: 10, message: expect.stringContaining('"../nowhere/targets.yaml" does not exist') as unknown });
  });

  it("explains an empty file and how to start it", () => {
    const files = writeFiles({ "slipway.yaml": "" });
    expect(problemsOf(() => loadProject(files["slipway.yaml"] as string))).toEqual([
      { file: files["slipway.yaml"], path: "/", line: 1, column: 1, message: "The file is empty.", hint: expect.stringContaining("apiVersion: slipway/v1 and kind: Project") as unknown },
    ]);
  });

  it("lists every missing required key with an example, and says how many problems and where", () => {
    const files = writeFiles({ "slipway.yaml": "kind: Project\n" });
    let error: unknown;
    try {
      loadProject(files["slipway.yaml"] as string);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const { message, problems } = error as InputError;
    expect(message).toBe(`4 problems in ${files["slipway.yaml"] as string}.`);
    expect(problems.map((p) => [p.path, p.hint])).toEqual([
      ["/apiVersion", "Add apiVersion. The version of this file's format. For example: apiVersion: slipway/v1"],
      ["/name", expect.stringMatching(/^Add name\. .* For example: name: shop$/)],
      ["/environments", expect.stringMatching(/For example: environments: \[ \{ name: dev \}, \{ name: test, optional: true \}, \{ name: prod \} \]$/)],
      ["/targets", expect.stringMatching(/For example: targets: targets.yaml$/)],
    ]);
  });

  it("refuses a file that does not exist, with no problems list", () => {
    expect(() => loadProject("nowhere/slipway.yaml")).toThrow("nowhere/slipway.yaml does not exist.");
    expect(problemsOf(() => loadProject("nowhere/slipway.yaml"))).toEqual([]);
  });
});

describe("loadTargetsFile", () => {
  it("checks the cross-field rules of a targets file on its own", () => {
    const files = writeFiles({
      "targets.yaml": "apiVersion: slipway/v1\nkind: Targets\ntargets:\n  prod:\n    region: us-east-1\n    cluster: prod\n    externalId: abc\n",
    });
    expect(problemsOf(() => loadTargetsFile(files["targets.yaml"] as string))).toEqual([
      expect.objectContaining({ path: "/targets/prod/externalId", line: 7, column: 5, message: "externalId is set, but there is no roleArn to use it with." }),
    ]);
  });

  it("reports a capitalised environment name at the key", () => {
    const files = writeFiles({ "targets.yaml": "apiVersion: slipway/v1\nkind: Targets\ntargets:\n  Prod: { region: us-east-1, cluster: prod }\n" });
    expect(problemsOf(() => loadTargetsFile(files["targets.yaml"] as string))).toEqual([
      expect.objectContaining({ path: "/targets/Prod", line: 4, column: 3, message: 'The key "Prod" is not a valid environment name.', hint: expect.stringMatching(/For example: prod:$/) as unknown }),
    ]);
  });
});

describe("validateFile", () => {
  it("tells a project from a targets file by its kind", () => {
    expect(validateFile("examples/slipway.yaml")).toEqual(["examples/slipway.yaml", "examples/targets.yaml"]);
    expect(validateFile("examples/targets.yaml")).toEqual(["examples/targets.yaml"]);
  });

  it.each([
    ["no kind", "apiVersion: slipway/v1\n", "/", "The file does not say what it is: it has no kind."],
    ["an unknown kind", "apiVersion: slipway/v1\nkind: Pipeline\n", "/kind", 'Unknown kind "Pipeline".'],
  ])("explains a file with %s", (_, text, path, message) => {
    const files = writeFiles({ "x.yaml": text });
    expect(problemsOf(() => validateFile(files["x.yaml"] as string))).toEqual([
      expect.objectContaining({ path, message, hint: "Use kind: Project for a project file or kind: Targets for a targets file." }),
    ]);
  });
});

describe("list items", () => {
  it("names a bad list item by its position and shows the item's shape", () => {
    const files = writeFiles({ "slipway.yaml": "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - dev\n  - optional: true\ntargets: {}\n" });
    const problems = problemsOf(() => loadProject(files["slipway.yaml"] as string));
    expect(problems.map((p) => [p.path, p.line, p.column, p.message, p.hint])).toEqual([
      ["/environments/0", 5, 5, 'item 1 of "environments" should be a map of keys and values, but it is text.', "One stage of the lifecycle. For example: - { name: test, optional: true }"],
      ["/environments/1/name", 6, 5, 'Required key "name" is missing from item 2 of "environments".', expect.stringMatching(/^Add name\. .*For example: name: test$/)],
      ["/targets", 7, 10, '"targets" is empty; it needs at least 1 entry.', expect.stringMatching(/For example: targets: \{ dev: \{ region: us-east-1, cluster: dev \} \}$/)],
    ]);
  });
});
