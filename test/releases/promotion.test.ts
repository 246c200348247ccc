import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import type { DeploymentRun, DeploymentRunStatus } from "../../src/releases/deployment-run.js";
import { nextEnvironment, promotionRefusal } from "../../src/releases/promotion.js";
import { Lifecycle } from "../../targets/lifecycle.js";

const lifecycle = new Lifecycle([
  { name: "dev", optional: false },
  { name: "test", optional: true },
  { name: "staging", optional: false },
  { name: "prod", optional: false },
]);

const run = (release: string, environment: string, status: DeploymentRunStatus = "succeeded"): DeploymentRun => ({
  id: `${release}-${environment}`,
  kind: "deploy",
  project: "shop",
  release,
  environment,
  status,
  requestedBy: "cli:tester",
  createdAt: "2026-11-25T10:00:00Z",
  outputs: {},
});

describe("the lifecycle rule", () => {
  it("lets a new release go to the first environment only", () => {
    expect(promotionRefusal(lifecycle, "1.0.0", "dev", [])).toBeUndefined();
    const refusal = promotionRefusal(lifecycle, "1.0.0", "prod", []);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect(refusal?.message).toContain("has not succeeded in dev, staging");
    expect(refusal?.hint).toContain("slipway deploy 1.0.0 --to dev");
  });

  it("lets a release skip an optional environment but not a required one", () => {
    const runs = [run("1.0.0", "dev")];
    expect(promotionRefusal(lifecycle, "1.0.0", "staging", runs)).toBeUndefined();
    expect(promotionRefusal(lifecycle, "1.0.0", "prod", runs)?.message).toContain("has not succeeded in staging");
  });

  it("counts only successful deployments of the same release", () => {
    const runs = [run("1.0.0", "dev", "failed"), run("0.9.0", "dev"), run("1.0.0", "dev", "running")];
    expect(promotionRefusal(lifecycle, "1.0.0", "staging", runs)?.message).toContain("has not succeeded in dev");
  });

  it("does not count a rollback to the release as a deployment of it", () => {
    const rollback: DeploymentRun = {
      id: "rollback-dev",
      kind: "rollback",
      project: "shop",
      release: "1.0.0",
      environment: "dev",
      status: "succeeded",
      requestedBy: "cli:tester",
      createdAt: "2026-11-25T11:00:00Z",
      outputs: {},
      rollback: { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: "ecs-svc/1", from: { taskDefinition: "td/shop-web:2", release: "1.1.0" }, to: { taskDefinition: "td/shop-web:1", release: "1.0.0" } },
    };
    expect(promotionRefusal(lifecycle, "1.0.0", "staging", [rollback])?.message).toContain("has not succeeded in dev");
    expect(nextEnvironment(lifecycle, "1.0.0", [rollback])).toBe("dev");
    // Rolling back from 1.1.0 leaves where 1.1.0 succeeded as it was.
    expect(nextEnvironment(lifecycle, "1.1.0", [rollback, run("1.1.0", "dev")])).toBe("test");
  });

  it("allows redeploying where the release already went", () => {
    const runs = [run("1.0.0", "dev"), run("1.0.0", "staging"), run("1.0.0", "prod")];
    expect(promotionRefusal(lifecycle, "1.0.0", "dev", runs)).toBeUndefined();
    expect(promotionRefusal(lifecycle, "1.0.0", "prod", runs)).toBeUndefined();
  });

  it("promotes to the environment after the furthest success, and to nothing past the end", () => {
    expect(nextEnvironment(lifecycle, "1.0.0", [])).toBe("dev");
    expect(nextEnvironment(lifecycle, "1.0.0", [run("1.0.0", "dev")])).toBe("test");
    expect(nextEnvironment(lifecycle, "1.0.0", [run("1.0.0", "dev"), run("1.0.0", "staging")])).toBe("prod");
    expect(nextEnvironment(lifecycle, "1.0.0", [run("1.0.0", "prod")])).toBeUndefined();
  });
});
