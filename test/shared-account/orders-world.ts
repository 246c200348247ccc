import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import { sampleTargetLines } from "../support/release-world.js";
import type { SimHarness } from "../support/sim.js";

/**
 * A team's estate as issue 11 found it: project "orders" with dev, test and prod in ONE account and region, ONE
 * task definition family shared by all three, two containers, a secret every environment reads from the
 * deploying process's environment and one each environment's team manages in SSM, rolling in dev and test, a canary in
 * prod, and retention keeping one revision per environment.
 */
export interface OrdersWorld {
  dir: string;
  project: string;
  name: string;
  /** Each environment's API_KEY: an SSM parameter its team manages (valueFrom), which the test creates. */
  apiKeyParameters: Record<string, string>;
}

export const passwordEnv = "ORDERS_DB_PASSWORD";

const taskdef = [
  "family: orders",
  "definition:",
  "  networkMode: awsvpc",
  "  requiresCompatibilities: [FARGATE]",
  '  cpu: "256"',
  '  memory: "512"',
  "  executionRoleArn: arn:aws:iam::000000000000:role/orders-execution",
  "  containerDefinitions:",
  "    - name: web",
  "      image: shop/web",
  "      portMappings: [{ containerPort: 8080 }]",
  "      environment:",
  '        - { name: LOG_LEVEL, value: "${LOG_LEVEL}" }',
  '        - { name: DB_HOST, value: "${DB_HOST}" }',
  "      secrets:",
  '        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }',
  "    - name: log-router",
  "      image: orders/log-router",
  "      essential: false",
  "      memoryReservation: 64",
  "images:",
  '  web: { range: "^1.0.0 <1.3.0" }',
  '  log-router: { tag: "2.1.0" }',
  "retention: { keep: 1 }",
  "",
].join("\n");

const common = ["desiredCount: 2", "loadBalancer: { containerName: web, containerPort: 8080 }", "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }", "waitTimeoutSeconds: 60"];
const rolling = ["service: orders-web", "mode: rolling", ...common, ""].join("\n");
const canary = [
  "service: orders-web",
  "mode: canary",
  ...common,
  "stages:",
  "  - canaryRollout: { scale: 50 }",
  "  - trafficRouting: { canary: 10 }",
  "  - primaryRollout: {}",
  "  - trafficRouting: { primary: 100 }",
  "  - canaryClean: {}",
  "",
].join("\n");

export async function ordersWorld(h: SimHarness): Promise<OrdersWorld> {
  await createSampleInfrastructure(h.url, h.region, "orders");
  await h.control("POST", "ecr/push", { repository: "orders/log-router", tags: ["2.1.0"], create: true });
  const dir = mkdtempSync(join(tmpdir(), "slipway-orders-"));
  mkdirSync(join(dir, "steps"));
  // Unique: one PostgreSQL (DATABASE_URL) holds every test's projects.
  const name = `orders-${Math.random().toString(36).slice(2, 8)}`;
  const apiKeyParameters = Object.fromEntries(["dev", "test", "prod"].map((env) => [env, `/${name}/${env}/api-key`]));
  const apiKey = (env: string) => `    API_KEY: { secret: true, valueFrom: "arn:aws:ssm:${h.region}:000000000000:parameter${apiKeyParameters[env] ?? ""}" }`;
  writeFileSync(join(dir, "steps", "orders.taskdef.yaml"), taskdef.replace('        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }', '        - { name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }\n        - { name: API_KEY, valueFrom: "${API_KEY}" }'));
  writeFileSync(join(dir, "steps", "orders.rolling.yaml"), rolling);
  writeFileSync(join(dir, "steps", "orders.canary.yaml"), canary);
  writeFileSync(
    join(dir, "slipway.yaml"),
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      `name: ${name}`,
      "environments:",
      "  - name: dev",
      "  - name: test",
      "  - name: prod",
      "targets:",
      ...sampleTargetLines(h, ["dev", "test", "prod"], "orders"),
      "process:",
      "  - name: orders task definition",
      "    uses: task-definition",
      "    file: steps/orders.taskdef.yaml",
      "  - name: orders service",
      "    uses: service",
      "    file: steps/orders.rolling.yaml",
      "    environments: [dev, test]",
      "  - name: orders canary",
      "    uses: service",
      "    file: steps/orders.canary.yaml",
      "    environments: [prod]",
      "variables:",
      "  default:",
      "    LOG_LEVEL: info",
      `    DB_PASSWORD: { secret: true, fromEnv: ${passwordEnv} }`,
      "  dev:",
      "    DB_HOST: db.dev.internal",
      apiKey("dev"),
      "  test:",
      "    DB_HOST: db.test.internal",
      apiKey("test"),
      "  prod:",
      "    DB_HOST: db.prod.internal",
      "    LOG_LEVEL: warn",
      apiKey("prod"),
      "",
    ].join("\n"),
  );
  return { dir, project: join(dir, "slipway.yaml"), name, apiKeyParameters };
}
