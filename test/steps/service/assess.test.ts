import { describe, expect, it } from "vitest";
import type { Deployment, Service } from "@aws-sdk/client-ecs";
import { assess, type WatchMemory } from "../../../steps/service/rolling/assess.js";

const td = (revision: number) => `arn:aws:ecs:us-east-1:000000000000:task-definition/web:${revision}`;
const deployment = (fields: Partial<Deployment>): Deployment => ({ desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, ...fields });
const service = (...deployments: Deployment[]): Service => ({ serviceName: "web", deployments });

describe("assess: reading one DescribeServices answer of a rolling deployment", () => {
  it("is done when our deployment is the only one, completed and at its count", () => {
    const verdict = assess(service(deployment({ id: "ours", status: "PRIMARY", rolloutState: "COMPLETED", taskDefinition: td(2) })), "ours", { failedTasks: 0 });
    expect(verdict).toMatchObject({ kind: "done", status: "SUCCESSFUL" });
  });

  it("follows ECS's rollback once it saw our deployment fail", () => {
    const memory: WatchMemory = { failedTasks: 0 };
    const rollback = deployment({ id: "rb", status: "PRIMARY", rolloutState: "IN_PROGRESS", taskDefinition: td(1), runningCount: 1 });
    const failing = deployment({ id: "ours", status: "ACTIVE", rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.", failedTasks: 3, taskDefinition: td(2) });
    expect(assess(service(rollback, failing), "ours", memory)).toMatchObject({ kind: "in-progress", rollingBackTo: "web:1" });
    const settled = assess(service({ ...rollback, rolloutState: "COMPLETED", runningCount: 2 }), "ours", memory);
    expect(settled).toMatchObject({ kind: "done", status: "ROLLBACK_SUCCESSFUL", rolledBackTo: td(1) });
  });

  it("recognises a circuit-breaker rollback even when no poll saw our deployment failing", () => {
    const rollback = deployment({ id: "rb", status: "PRIMARY", rolloutState: "COMPLETED", rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.", taskDefinition: td(1) });
    const verdict = assess(service(rollback), "ours", { failedTasks: 0 });
    expect(verdict).toMatchObject({ kind: "done", status: "ROLLBACK_SUCCESSFUL", rolledBackTo: td(1) });
  });

  it("says so when someone else's deployment replaced ours", () => {
    const theirs = deployment({ id: "theirs", status: "PRIMARY", rolloutState: "IN_PROGRESS", rolloutStateReason: "ECS deployment ecs-svc/9 in progress.", taskDefinition: td(5) });
    const verdict = assess(service(theirs), "ours", { failedTasks: 0 });
    expect(verdict).toMatchObject({ kind: "done", status: "FAILED" });
    expect(verdict.kind === "done" && verdict.reason).toMatch(/replaced by deployment theirs of web:5/);
  });
});
