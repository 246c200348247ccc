import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { schemaErrorsFor } from "../../../src/config/schemas.js";
import { settingsFor } from "../../../steps/service/input.js";
import { loadServiceStep, serviceSchemaId } from "../../../steps/service/load.js";

describe("reading a service step file", () => {
  it("fills in the defaults and lays an environment's values over the step's", () => {
    const { raw } = loadServiceStep("test/fixtures/steps/service/web.service.yaml", { environments: ["dev", "prod"] });
    expect(settingsFor(raw, "dev")).toMatchObject({ service: "shop-web", mode: "rolling", desiredCount: 2, launchType: "FARGATE", waitTimeoutSeconds: 20, forceNewDeployment: false });
    expect(settingsFor(raw, "prod").desiredCount).toBe(4);
    expect(settingsFor({ service: "x", desiredCount: 1 }, "dev")).toMatchObject({ deployment: { minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: { enable: true, rollback: true } }, waitTimeoutSeconds: 900 });
  });

  it("reports every problem at once, with where it is and how to fix it", () => {
    let error: InputError | undefined;
    try {
      loadServiceStep("test/fixtures/steps/service/broken.service.yaml", { environments: ["dev", "prod"] });
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    const found = (error?.problems ?? []).map((p) => `${p.path}:${p.line ?? "-"}`);
    expect(found).toEqual(expect.arrayContaining(["/service:1", "/mode:2", "/desiredCount:3", "/environments/prdo:10", "/deployment/circuitBreaker/rollback:8"]));
    // A grace period without a load balancer is ECS's to use (containers' own health checks) or ignore, not an error.
    expect(found).not.toContain("/healthCheckGracePeriodSeconds:4");
    expect(error?.problems.find((p) => p.path === "/environments/prdo")?.hint).toMatch(/^Did you mean "prod"\?/);
  });

  it("has a schema whose example is valid", () => {
    const schema = JSON.parse(readFileSync("schemas/steps/service.schema.json", "utf8")) as { examples: unknown[] };
    for (const example of schema.examples) expect(schemaErrorsFor(serviceSchemaId, example)).toEqual([]);
  });
});

describe("the whole ECS service definition in a step file", () => {
  it("passes ECS's members through, each environment laying its own over the step's", () => {
    const { raw } = loadServiceStep("test/fixtures/steps/service/estate.service.yaml", { environments: ["dev", "prod"] });
    const dev = settingsFor(raw, "dev");
    expect(dev.mode).toBe("rolling");
    expect(dev.launchType).toBeUndefined();
    expect(dev.definition).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }],
      platformVersion: "1.4.0",
      propagateTags: "SERVICE",
      enableECSManagedTags: true,
      enableExecuteCommand: true,
      serviceConnectConfiguration: { enabled: true, services: [{ portName: "http" }] },
    });
    expect(dev.deployment.alarms).toEqual({ alarmNames: ["orders-dev-5xx"], enable: true, rollback: true });
    expect(dev.loadBalancers).toHaveLength(1);
    expect(dev.tags).toEqual([{ key: "team", value: "orders" }, { key: "cost-centre", value: "4711" }, { key: "environment", value: "dev" }]);
    const prod = settingsFor(raw, "prod");
    expect(prod).toMatchObject({ mode: "canary", desiredCount: 6, suspendScaleIn: true });
    expect(prod.loadBalancers).toBeUndefined();
    expect(prod.definition.serviceConnectConfiguration).toBeUndefined();
    expect(prod.deployment.alarms).toBeUndefined();
    expect(prod.tags).toEqual([{ key: "team", value: "orders" }, { key: "cost-centre", value: "4712" }, { key: "environment", value: "prod" }]);
  });

  it("lets an environment's launch type replace the step's capacity provider strategy", () => {
    const raw = { service: "x", desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], environments: { dev: { launchType: "FARGATE" as const } } };
    expect(settingsFor(raw, "dev")).toMatchObject({ launchType: "FARGATE", definition: {} });
    expect(settingsFor(raw, "prod").launchType).toBeUndefined();
  });

  it("refuses what slipway owns and what ECS refuses for the environment's mode, saying why and what to write", () => {
    let error: InputError | undefined;
    try {
      loadServiceStep("test/fixtures/steps/service/owned.service.yaml", { environments: ["dev", "test", "prod"] });
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    const byPath = new Map((error?.problems ?? []).map((p) => [p.path, p]));
    expect([...byPath.keys()].sort()).toEqual(
      ["/cluster", "/deploymentController", "/deployment/strategy", "/environments/prod/role", "/environments/prod/serviceConnectConfiguration", "/environments/test/capacityProviderStrategy"].sort(),
    );
    expect(byPath.get("/cluster")?.hint).toMatch(/targets\.yaml/);
    expect(byPath.get("/deploymentController")?.message).toMatch(/mode decides/);
    expect(byPath.get("/deployment/strategy")?.hint).toMatch(/set mode: ecs-blue-green, ecs-linear or ecs-canary/);
    expect(byPath.get("/environments/prod/serviceConnectConfiguration")?.message).toMatch(/mode: canary \(in prod\).*EXTERNAL/);
    expect(byPath.get("/environments/test/capacityProviderStrategy")?.message).toMatch(/both set/);
  });

  it("holds a daemon service to ECS's rules: no desired count, not on Fargate, rolling only", () => {
    expect(problems({ service: "agent", schedulingStrategy: "DAEMON", launchType: "EC2" })).toEqual([]);
    expect(problems({ service: "agent", schedulingStrategy: "DAEMON", desiredCount: 2, network: { subnets: ["subnet-0a1b2c3d"] } })).toEqual([
      expect.stringMatching(/^\/schedulingStrategy A DAEMON service cannot run on Fargate/),
      expect.stringMatching(/^\/desiredCount A DAEMON service has no desired count/),
    ]);
    expect(problems({ service: "agent", schedulingStrategy: "DAEMON", launchType: "EC2", mode: "canary", loadBalancer: { containerName: "a", containerPort: 80 } })).toEqual([expect.stringMatching(/^\/schedulingStrategy schedulingStrategy: DAEMON cannot be used with mode: canary/)]);
    expect(problems({ service: "web", launchType: "EC2" })).toEqual([expect.stringMatching(/^\/ The service needs a desiredCount/)]);
    expect(problems({ service: "agent", schedulingStrategy: "DAEMON", launchType: "EC2", deployment: { maximumPercent: 200 } })).toEqual([expect.stringMatching(/^\/deployment\/maximumPercent A DAEMON service deploys at most 100 %/)]);
    expect(problems({ service: "agent", schedulingStrategy: "DAEMON", capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], network: { subnets: ["subnet-0a1b2c3d"] } })).toEqual([expect.stringMatching(/^\/schedulingStrategy A DAEMON service cannot run on Fargate/)]);
  });

  it("needs a network wherever tasks run on Fargate, capacity providers included, and nowhere else", () => {
    expect(problems({ service: "web", desiredCount: 2, capacityProviderStrategy: [{ capacityProvider: "shop-asg", weight: 1 }] })).toEqual([]);
    expect(problems({ service: "web", desiredCount: 2, launchType: "EC2", environments: { dev: { capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] } } })).toEqual([expect.stringMatching(/^\/ A service on Fargate needs a network \(dev\)/)]);
    expect(problems({ service: "web", desiredCount: 2, tags: [{ key: "slipway:environment", value: "x" }], launchType: "EC2" })).toEqual([expect.stringMatching(/^\/tags tags: slipway:environment is not yours to set/)]);
  });
});

/** The problems loading a step written as a value reports ("<path> <message>"), through a file as the CLI reads it. */
function problems(raw: object): string[] {
  try {
    return loadServiceStepFrom(raw);
  } catch (e) {
    return (e as InputError).problems.map((p) => `${p.path} ${p.message}`);
  }
}

/** Loads a step written as a value, through a temporary file, as the CLI would read it. */
function loadServiceStepFrom(raw: object): string[] {
  const dir = mkdtempSync(join(tmpdir(), "slipway-step-"));
  const file = join(dir, "step.service.json");
  writeFileSync(file, JSON.stringify(raw));
  try {
    loadServiceStep(file, { environments: ["dev"] });
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
