import { describe, expect, it } from "vitest";
import { loadDeployableProject } from "../../src/config/load.js";
import { problemsOf, writeFiles } from "./helpers.js";

const header = "apiVersion: slipway/v1\nkind: Project\nname: orders\nenvironments:\n  - name: dev\n  - name: prod\ntargets:\n  dev: { region: us-east-1, cluster: dev }\n  prod: { region: us-east-1, cluster: prod }\n";
const process_ = "process:\n  - name: orders task definition\n    uses: task-definition\n    file: orders.taskdef.yaml\n";
const variables =
  'variables:\n  default:\n    DB_PASSWORD: { secret: true, fromEnv: ORDERS_DB_PASSWORD }\n  dev:\n    API_KEY: { secret: true, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/orders/dev/api-key" }\n  prod:\n    API_KEY: { secret: true, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/orders/prod/api-key" }\n';

/** A task definition step whose web container is given `lines` (indented under it) and a template-level `top`. */
function step(lines: string, top = "  executionRoleArn: arn:aws:iam::123456789012:role/orders-execution\n"): string {
  return `family: orders\ndefinition:\n${top}  containerDefinitions:\n    - name: web\n      image: shop/web\n${lines}images:\n  web: { tag: "1.0.0" }\n`;
}

function problems(stepText: string) {
  const files = writeFiles({ "orders.taskdef.yaml": stepText, "slipway.yaml": header + process_ + variables });
  return problemsOf(() => loadDeployableProject(files["slipway.yaml"] as string)).map((p) => ({ file: p.file.replace(/^.*\//, ""), path: p.path, at: `${p.line ?? 0}:${p.column ?? 0}`, message: p.message, hint: p.hint }));
}

describe("where a secret variable may be written", () => {
  it("accepts secrets passed as the whole valueFrom of the container's secrets", () => {
    const files = writeFiles({ "orders.taskdef.yaml": step('      secrets:\n        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }\n        - { name: API_KEY, valueFrom: "${API_KEY}" }\n'), "slipway.yaml": header + process_ + variables });
    expect(loadDeployableProject(files["slipway.yaml"] as string).process.variables.prod?.API_KEY).toEqual({ secret: true, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/orders/prod/api-key" });
  });

  it("refuses a secret in a plain field, naming the file, the container, the field and the fix", () => {
    const found = problems(step('      environment:\n        - { name: LOG_LEVEL, value: info }\n        - { name: DB_PASSWORD, value: "${DB_PASSWORD}" }\n      command: ["serve", "--api-key=${API_KEY}"]\n'));
    expect(found).toEqual([
      {
        file: "orders.taskdef.yaml",
        path: "/definition/containerDefinitions/0/environment/1/value",
        at: "9:39",
        message: 'The secret variable ${DB_PASSWORD} is written into the container "web", field environment[1].value, a plain field: its value would be stored in the task definition, where anyone who may describe it can read it.',
        hint: 'Pass it to the container as an ECS secret instead: under its secrets:, add { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }, and remove ${DB_PASSWORD} from here.',
      },
      expect.objectContaining({ path: "/definition/containerDefinitions/0/command/1", message: expect.stringContaining('${API_KEY} is written into the container "web", field command[1]') }),
    ]);
  });

  it("refuses a secret that is only part of a valueFrom", () => {
    const found = problems(step('      secrets:\n        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}:password::" }\n'));
    expect(found).toEqual([expect.objectContaining({ path: "/definition/containerDefinitions/0/secrets/0/valueFrom", hint: 'A secret\'s valueFrom is its whole reference: write valueFrom: "${DB_PASSWORD}" alone.' })]);
  });

  it("refuses secrets without an execution role, which ECS needs to fetch them", () => {
    const found = problems(step('      secrets:\n        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }\n', ""));
    expect(found).toEqual([
      expect.objectContaining({
        path: "/definition/containerDefinitions/0/secrets",
        message: 'The container "web", field secrets holds secrets, which ECS fetches with the task execution role, but the task definition has no executionRoleArn.',
        hint: expect.stringContaining("Add executionRoleArn: arn:aws:iam::<account>:role/<execution role>"),
      }),
    ]);
  });

  it("refuses a secret variable that says both or neither where its value comes from", () => {
    const both = 'variables:\n  default:\n    DB_PASSWORD: { secret: true, fromEnv: X, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/x" }\n';
    const files = writeFiles({ "orders.taskdef.yaml": step(""), "slipway.yaml": header + process_ + both });
    expect(problemsOf(() => loadDeployableProject(files["slipway.yaml"] as string))).toEqual([expect.objectContaining({ path: "/variables/default/DB_PASSWORD/valueFrom", message: "The secret DB_PASSWORD gives both fromEnv and valueFrom; a secret comes from one place." })]);
  });
});
