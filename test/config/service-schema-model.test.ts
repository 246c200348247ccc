import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ownedDeploymentFields, ownedFields } from "../../steps/service/owned-fields.js";
import { botocoreModel, modelDisagreements, resolveRef, type Departures } from "../support/aws-model.js";

/**
 * The service step's schema against AWS's own model of CreateService and UpdateService (botocore's, pinned in
 * scripts/ensure-python-tools.sh), so it cannot drift: every member the step writes in ECS's name has ECS's type,
 * enum, range and pattern (or a narrower one), and every member of the two operations is either in the step,
 * written under slipway's own name, refused with a reason (steps/service/owned-fields.ts), or left out below with
 * one. `npm run check:service-schema` runs only this.
 */
const model = botocoreModel("ecs", "2014-11-13");
const schema = JSON.parse(readFileSync("schemas/steps/service.schema.json", "utf8")) as Record<string, unknown>;
const properties = schema.properties as Record<string, Record<string, unknown>>;

const otherShifts = "ECS's blue/green over VPC Lattice or Service Connect: slipway's ecs-* modes shift ALB listener rules only";
const departures: Departures = {
  renames: { circuitBreaker: "deploymentCircuitBreaker" },
  leftOut: {
    "DeploymentConfiguration.deploymentCircuitBreaker": "written as circuitBreaker",
    ...Object.fromEntries(Object.entries(ownedDeploymentFields).map(([m, owned]) => [`DeploymentConfiguration.${m}`, `refused: ${owned.why}`])),
    "DeploymentCircuitBreaker.resetOnHealthyTask": "not yet: the breaker's newer tuning; the service keeps what it has",
    "DeploymentCircuitBreaker.thresholdConfiguration": "not yet: the breaker's newer tuning; the service keeps what it has",
    "LoadBalancer.loadBalancerName": "Classic Load Balancers: slipway binds target groups only",
    "LoadBalancer.advancedConfiguration": "written by slipway for the ecs-* modes from the target and loadBalancerRole (refused with that reason)",
    "VpcLatticeConfiguration.advancedConfiguration": otherShifts,
    "ServiceConnectClientAlias.testTrafficRules": otherShifts,
  },
  defaulted: { "DeploymentCircuitBreaker.enable": "true", "DeploymentCircuitBreaker.rollback": "true" },
  translated: { "AwsVpcConfiguration.assignPublicIp": "assignPublicIp: true/false for ENABLED/DISABLED" },
};

/** Step properties that are slipway's alone (no ECS member), and the ones written under slipway's name. */
const slipwayOnly = ["mode", "stages", "waitTimeoutSeconds", "trafficSettleSeconds", "autoscaling", "environments", "loadBalancer", "package", "loadBalancerRole", "verification", "approvals"];
const writtenAs: Record<string, { member: string; shape: string }> = {
  service: { member: "serviceName", shape: "String" },
  network: { member: "networkConfiguration", shape: "AwsVpcConfiguration" },
  deployment: { member: "deploymentConfiguration", shape: "DeploymentConfiguration" },
};

// CI always has the model (npm test installs .venv/); elsewhere, without .venv/, the check is skipped.
it.runIf(!model && process.env.CI !== undefined)("finds AWS's model of ECS in .venv/ (bash scripts/ensure-python-tools.sh installs it)", () => {
  expect(model).toBeDefined();
});

describe.skipIf(!model)("the service step's schema against AWS's model of CreateService and UpdateService", () => {
  const shapes = model?.shapes ?? {};
  const create = shapes.CreateServiceRequest?.members ?? {};
  const update = shapes.UpdateServiceRequest?.members ?? {};

  it("gives every member it writes in ECS's name ECS's type, enum, range and pattern", () => {
    const problems: string[] = [];
    for (const [name, node] of Object.entries(properties)) {
      if (slipwayOnly.includes(name)) continue;
      const renamed = writtenAs[name];
      const shape = renamed?.shape ?? (create[name] ?? update[name])?.shape;
      if (!shape) {
        problems.push(`/${name}: neither CreateService nor UpdateService has it, and it is not listed as slipway's own`);
        continue;
      }
      problems.push(...modelDisagreements(schema, { shapes }, node, shape, `/${name}`, departures));
    }
    expect(problems).toEqual([]);
  });

  it("accounts for every member of CreateService and UpdateService", () => {
    const covered = new Set([...Object.keys(properties), ...Object.values(writtenAs).map((w) => w.member), ...Object.keys(ownedFields), "service"]);
    const missing = [...new Set([...Object.keys(create), ...Object.keys(update)])].filter((m) => !covered.has(m));
    expect(missing).toEqual([]);
  });

  it("lets every environment set each member but the service's name and task definition (or package)", () => {
    const own = ((properties.environments?.additionalProperties as Record<string, unknown>).properties ?? {}) as Record<string, unknown>;
    const missing = Object.keys(properties).filter((name) => !["service", "taskDefinition", "package", "environments"].includes(name) && !(name in own));
    expect(missing).toEqual([]);
    // Each is the step-level member itself (a $ref to the same place), so the two can never drift apart.
    const resolved = (node: unknown) => JSON.stringify(resolveRef(schema, node as Record<string, unknown>));
    const copies = Object.entries(own).filter(([name, node]) => typeof (node as { $ref?: unknown }).$ref !== "string" || resolved(node) !== resolved(properties[name]));
    expect(copies.map(([name]) => name)).toEqual([]);
  });
});
