import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../src/aws/clients.js";
import { freePort, startForeground, type Foreground } from "../support/foreground.js";

/**
 * README "Your own project on the simulator", followed with the built CLI in a process of its own, on a project
 * that is not the demo's shop: two services (an API behind the load balancer, with a log router beside it in its
 * task, rolling in dev and test and a canary in prod; a worker with no load balancer), three repositories, dev and
 * test sharing one account and region and prod in an account and region of its own (so a simulator of its own).
 */
const bin = resolve("bin/slipway.js");
const password = "orders-sim-password";
const sharedKey = "arn:aws:secretsmanager:us-east-1:000000000000:secret:orders/api-key";
const prodKey = "arn:aws:ssm:eu-west-1:222222222222:parameter/orders/prod/api-key";

function files(dir: string, shared: string, prodEndpoint: string): void {
  mkdirSync(join(dir, "steps"));
  const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), [...lines, ""].join("\n"));
  write("slipway.yaml", [
    "apiVersion: slipway/v1",
    "kind: Project",
    "name: orders",
    "environments:",
    "  - name: dev",
    "  - name: test",
    "  - name: prod",
    "targets: targets.yaml",
    "process:",
    "  - { name: api task definition, uses: task-definition, file: steps/api.taskdef.yaml }",
    "  - { name: api service, uses: service, file: steps/api.service.yaml }",
    "  - { name: worker task definition, uses: task-definition, file: steps/worker.taskdef.yaml }",
    "  - { name: worker service, uses: service, file: steps/worker.service.yaml, taskDefinitionFrom: worker task definition }",
    "variables:",
    "  default:",
    "    DB_PASSWORD: { secret: true, fromEnv: ORDERS_DB_PASSWORD }",
    // Secrets the team manages: one Secrets Manager secret dev and test share, a parameter of prod's own account.
    `    API_KEY: { secret: true, valueFrom: "${sharedKey}" }`,
    "  prod:",
    `    API_KEY: { secret: true, valueFrom: "${prodKey}" }`,
  ]);
  const target = (env: string, endpoint: string, region: string, account?: string) => [
    `  ${env}:`,
    `    region: ${region}`,
    ...(account ? [`    account: "${account}"`] : []),
    `    cluster: orders-${env}`,
    `    endpoint: ${endpoint}`,
    "    loadBalancer:",
    `      listener: { loadBalancer: orders-${env}, port: 80 }`,
    `      targetGroups: { primary: orders-${env}-a, canary: orders-${env}-b }`,
  ];
  write("targets.yaml", ["apiVersion: slipway/v1", "kind: Targets", "targets:", ...target("dev", shared, "us-east-1"), ...target("test", shared, "us-east-1"), ...target("prod", prodEndpoint, "eu-west-1", "222222222222")]);
  const fargate = ["  networkMode: awsvpc", "  requiresCompatibilities: [FARGATE]", '  cpu: "256"', '  memory: "512"', "  executionRoleArn: arn:aws:iam::000000000000:role/orders-execution"];
  write("steps/api.taskdef.yaml", [
    "family: orders-api",
    "definition:",
    ...fargate,
    "  containerDefinitions:",
    "    - name: api",
    "      image: orders/api",
    "      portMappings: [{ containerPort: 3000 }]",
    '      secrets: [{ name: DB_PASSWORD, valueFrom: "${DB_PASSWORD}" }, { name: API_KEY, valueFrom: "${API_KEY}" }]',
    "    - name: log-router",
    "      image: orders/log-router",
    "      essential: false",
    "images:",
    '  api: { range: "^1.0.0" }',
    '  log-router: { tag: "2.1.0" }',
  ]);
  write("steps/api.service.yaml", [
    "service: orders-api",
    "desiredCount: 2",
    "loadBalancer: { containerName: api, containerPort: 3000 }",
    "network: { subnets: [subnet-0a1b2c3d, subnet-0e4f5a6b], securityGroups: [sg-0c7d8e9f] }",
    "environments:",
    "  prod:",
    "    mode: canary",
    "    stages: [{ canaryRollout: { scale: 50 } }, { trafficRouting: { canary: 10 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }]",
  ]);
  write("steps/worker.taskdef.yaml", ["family: orders-worker", "definition:", ...fargate, "  containerDefinitions:", "    - name: worker", "      image: orders/worker", "images:", '  worker: { range: "^1.0.0" }']);
  write("steps/worker.service.yaml", ["service: orders-worker", "desiredCount: 1", "network: { subnets: [subnet-0a1b2c3d] }"]);
}

describe("README: your own project on the simulator", () => {
  let dir: string;
  let shared: string;
  let prod: string;
  let simulator: Foreground | undefined;
  const slipway = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout: 90_000, env: { ...process.env, ORDERS_DB_PASSWORD: password } });

  beforeAll(async () => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/ is missing: run `npm run build` first (npm test does it for you).");
    dir = mkdtempSync(join(tmpdir(), "slipway-seed-"));
    shared = `http://127.0.0.1:${await freePort()}`;
    prod = `http://127.0.0.1:${await freePort()}`;
    files(dir, shared, prod);
  });
  afterAll(async () => {
    await simulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to seed targets where no slipway simulator answers, before any write", () => {
    const result = slipway("sim", "seed", "--project", "slipway.yaml");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: refusing to seed: 3 targets are not a slipway simulator; nothing was created.");
    expect(result.stderr).toContain(`targets.yaml /targets/prod/endpoint: ${prod} is not a slipway simulator: nothing answered (ECONNREFUSED).`);
  });

  it("refuses an image for a repository no step of the project uses, naming the ones it uses", () => {
    const result = slipway("sim", "seed", "--project", "slipway.yaml", "--image", "orders/apl:1.0.0");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: --image orders/apl:1.0.0 names the repository "orders/apl", which no task definition step of the project uses.');
    expect(result.stderr).toContain("hint: The project's repositories: orders/api, orders/log-router, orders/worker.");
  });

  it("starts a simulator at each endpoint the targets name and creates what the project needs, per environment", async () => {
    simulator = startForeground(process.execPath, [bin, "sim", "start", "--project", "slipway.yaml", "--speed", "100", "--frontend-base-port", "0", "--image", "orders/api:1.0.0", "--image", "orders/log-router:2.1.0", "--image", "orders/worker:1.0.0"], { cwd: dir });
    await simulator.waitFor(/press Ctrl-C to stop/);
    const out = simulator.output();
    expect(out).toContain(`slipway AWS simulator listening on ${shared} for dev, test (account 000000000000)`);
    expect(out).toContain(`slipway AWS simulator listening on ${prod} for prod (account 222222222222)`);
    /** One environment's lines: its heading and what was created there. */
    const section = (env: string) => {
      const lines = out.split("\n");
      const start = lines.findIndex((l) => l.startsWith(`${env} (`));
      const end = lines.findIndex((l, i) => i > start && !l.startsWith("  "));
      return lines.slice(start, end).join("\n");
    };
    expect(section("dev")).toBe(
      [
        `dev (us-east-1 at ${shared}):`,
        "  created cluster orders-dev",
        "  created load balancer orders-dev",
        "  created target group orders-dev-a (HTTP:3000, ip)",
        "  created target group orders-dev-b (HTTP:3000, ip)",
        "  created listener HTTP:80 on orders-dev, forwarding to orders-dev-a (weight 100) and orders-dev-b (weight 0)",
        "  created ECR repository orders/api",
        "  created ECR repository orders/log-router",
        "  created ECR repository orders/worker",
        "  created image orders/api:1.0.0",
        "  created image orders/log-router:2.1.0",
        "  created image orders/worker:1.0.0",
        `  created secret orders/api-key (a placeholder value, for ${sharedKey})`,
      ].join("\n"),
    );
    // test shares dev's account and region: its registry is dev's.
    expect(section("test")).not.toContain("ECR");
    expect(section("prod")).toContain("  created image orders/api:1.0.0 (copied from us-east-1 at");
    expect(section("prod")).toContain("  created SSM parameter /orders/prod/api-key (SecureString, a placeholder value)");
    expect(out).toContain("Created 29 resource(s).");
    // Notes go to stderr, which may come after the last line of stdout.
    await simulator.waitFor(/note: slipway deploy reads DB_PASSWORD \(dev, test, prod\) from \$ORDERS_DB_PASSWORD/);
  });

  it("creates nothing the second time, and says so", () => {
    const result = slipway("sim", "seed", "--project", "slipway.yaml", "--image", "orders/api:1.0.0");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("test (us-east-1 at");
    expect(result.stdout.match(/nothing to create: everything is there/g)).toHaveLength(3);
    expect(result.stdout).toContain("Nothing created: the simulator already has everything the project names.");
  });

  it("refuses a project with a target in AWS itself, and writes nothing to the simulators it has", async () => {
    writeFileSync(join(dir, "aws.yaml"), [`apiVersion: slipway/v1`, "kind: Project", "name: orders", "environments: [{ name: dev }, { name: prod }]", "targets:", `  dev: { region: us-east-1, cluster: orders-extra, endpoint: "${shared}" }`, "  prod: { region: us-east-1, cluster: orders-prod }", ""].join("\n"));
    const result = slipway("sim", "seed", "--project", "aws.yaml");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("aws.yaml /targets/prod: the prod target has no endpoint: it is AWS itself, and seeding only ever writes to a slipway simulator.");
    const clients = createAwsClients({ region: "us-east-1", endpoint: shared });
    const clusters = await clients.ecs.send(new ListClustersCommand({}));
    clients.destroy();
    expect(clusters.clusterArns?.some((a) => a.endsWith("/orders-extra"))).toBe(false);
  });

  it("takes a release of the project and deploys it to the first environment", () => {
    const created = slipway("release", "create", "1.0.0", "--project", "slipway.yaml");
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    const deployed = slipway("deploy", "1.0.0", "--to", "dev", "--project", "slipway.yaml", "--poll-interval", "0.2");
    expect(deployed.status, deployed.stderr).toBe(0);
    expect(deployed.stdout).toContain("release 1.0.0 is deployed to dev");
  });
});
