import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { EcsTaskDefinitions } from "../../../src/aws/task-definitions.js";
import { normalise, taskSize } from "../../../steps/task-definition/normalise.js";
import { startSim, type SimHarness } from "../../support/sim.js";

describe("normalise", () => {
  it.each([
    ["drops what AWS records about a revision", { taskDefinitionArn: "arn", revision: 3, status: "ACTIVE", compatibilities: ["EC2"], requiresAttributes: [{ name: "x" }], registeredAt: new Date(), registeredBy: "me", deregisteredAt: new Date(), tags: [{ key: "a", value: "b" }] }, {}],
    ["drops essential: true, container cpu 0 and empty lists", { containerDefinitions: [{ name: "a", essential: true, cpu: 0, environment: [], mountPoints: [], volumesFrom: [], systemControls: [] }] }, { containerDefinitions: [{ name: "a" }] }],
    ["keeps essential: false", { containerDefinitions: [{ name: "a", essential: false }] }, { containerDefinitions: [{ essential: false, name: "a" }] }],
    ["fills protocol and the awsvpc host port", { networkMode: "awsvpc", containerDefinitions: [{ name: "a", portMappings: [{ containerPort: 80 }] }] }, { networkMode: "awsvpc", containerDefinitions: [{ name: "a", portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }] }] }],
    ["treats a bridge host port of 0 as absent", { containerDefinitions: [{ name: "a", portMappings: [{ containerPort: 80, hostPort: 0 }] }] }, { containerDefinitions: [{ name: "a", portMappings: [{ containerPort: 80, protocol: "tcp" }] }] }],
    ["sorts environment and secrets by name", { containerDefinitions: [{ name: "a", environment: [{ name: "B", value: "2" }, { name: "A", value: "1" }], secrets: [{ name: "Z", valueFrom: "z" }, { name: "Y", valueFrom: "y" }] }] }, { containerDefinitions: [{ environment: [{ name: "A", value: "1" }, { name: "B", value: "2" }], name: "a", secrets: [{ name: "Y", valueFrom: "y" }, { name: "Z", valueFrom: "z" }] }] }],
    ["writes task sizes as AWS stores them", { cpu: "1 vCPU", memory: "2 GB" }, { cpu: "1024", memory: "2048" }],
    ["drops health check defaults", { containerDefinitions: [{ name: "a", healthCheck: { command: ["CMD", "true"], interval: 30, timeout: 5, retries: 3 } }] }, { containerDefinitions: [{ healthCheck: { command: ["CMD", "true"] }, name: "a" }] }],
    ["drops empty maps AWS adds to volumes", { volumes: [{ name: "data", host: {} }] }, { volumes: [{ name: "data" }] }],
  ])("%s", (_, input, expected) => {
    expect(normalise(input as RegisterTaskDefinitionCommandInput)).toEqual({ networkMode: "bridge", ...expected });
  });

  it.each([
    ["256", "256"],
    [512, "512"],
    ["0.5 vCPU", "512"],
    ["4GB", "4096"],
  ])("taskSize(%s) is %s", (given, expected) => {
    expect(taskSize(given)).toBe(expected);
  });
});

describe("normalise against what the simulator returns", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it.each<[string, RegisterTaskDefinitionCommandInput]>([
    ["a Fargate web service", { family: "n-fargate", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "0.25 vCPU", memory: "512", containerDefinitions: [{ name: "web", image: "shop/web@sha256:1", portMappings: [{ containerPort: 8080 }], environment: [{ name: "Z", value: "1" }, { name: "A", value: "2" }] }] }],
    ["a bridge-mode EC2 task", { family: "n-bridge", containerDefinitions: [{ name: "web", image: "shop/web@sha256:1", memory: 256, portMappings: [{ containerPort: 80 }] }, { name: "side", image: "shop/side@sha256:2", memoryReservation: 64, essential: false }] }],
  ])("compares an unchanged re-render equal to the registered revision: %s", async (_, input) => {
    const taskDefinitions = new EcsTaskDefinitions(h.clients.ecs);
    const registered = await taskDefinitions.register(input);
    const described = await taskDefinitions.describe(registered.taskDefinition.taskDefinitionArn ?? "");
    expect(normalise(described?.taskDefinition ?? {})).toEqual(normalise(input));
  });
});
