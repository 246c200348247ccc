import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildInfrastructure } from "../../src/seed/build.js";
import { simControl } from "../../src/seed/sim-control.js";
import { listFrontends } from "../../src/demo/frontends.js";
import { cliOk } from "./cli.js";

/**
 * A world: one environment's infrastructure on the simulator (cluster, ALB, listener, two target groups at AWS's
 * defaults — health checks 30 s × 5 to turn healthy, deregistration delay 300 s — ECR images) and a project that
 * deploys one service to it in one mode, in a temporary folder.
 */
export type Mode = "rolling" | "canary" | "blue-green";

export interface WorldOptions {
  endpoint: string;
  region: string;
  /** Names the cluster, load balancer and family: worlds in one simulator need different ones. */
  prefix: string;
  mode: Mode;
  verifyHeader: { name: string; value: string };
  /** The service step's waitTimeoutSeconds: how long a canary that never turns healthy is waited for. */
  waitTimeoutSeconds: number;
  /** The service step's trafficSettleSeconds; absent: slipway's default. */
  trafficSettleSeconds?: number;
}

export interface World {
  name: string;
  dir: string;
  listenerArn: string;
  port: number;
  /** Target group ARN → name. */
  names: Map<string, string>;
}

export const repository = "shop/web";
/** The image tag whose tasks fail their health checks. */
export const unhealthyTag = "1.3.0";

function stagesOf(mode: Exclude<Mode, "rolling">, header: WorldOptions["verifyHeader"]): string[] {
  const verify = `  - verify: { header: { name: ${header.name}, values: [${header.value}] } }`;
  return mode === "canary"
    ? ["  - canaryRollout: { scale: 50 }", verify, "  - trafficRouting: { canary: 10 }", "  - pause: { seconds: 2 }", "  - trafficRouting: { canary: 50 }", "  - pause: { seconds: 2 }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"]
    : ["  - greenRollout: {}", verify, "  - trafficRouting: { green: 100 }", "  - pause: { seconds: 2 }", "  - clean: {}"];
}

export async function makeWorld(options: WorldOptions): Promise<World> {
  const { endpoint, region, prefix, mode } = options;
  const cluster = `${prefix}-prod`;
  const built = await buildInfrastructure({
    environments: [
      {
        environment: "prod",
        connection: { region, endpoint },
        cluster,
        loadBalancer: {
          name: cluster,
          listenerPort: 80,
          targetGroups: { primary: `${cluster}-blue`, canary: `${cluster}-green` },
          extraTargetGroups: [],
          // AWS's defaults otherwise: health checks 30 s × 5 to turn healthy, deregistration delay 300 s.
          targetGroup: { port: 8080, targetType: "ip", healthCheckPath: "/health" },
        },
      },
    ],
    repositories: [repository],
    images: ["1.0.0", "1.1.0", "1.2.0", unhealthyTag].map((tag) => ({ repository, tag })),
    secrets: [],
  });
  await simControl(endpoint, region, "PUT", "faults/images", { image: `${repository}:${unhealthyTag}`, behaviour: "unhealthy" });
  const lb = built.environments[0]?.loadBalancer;
  if (!lb) throw new Error("no load balancer was built");
  const frontend = (await listFrontends(endpoint, region)).find((f) => f.loadBalancerName === cluster);
  if (!frontend) throw new Error(`the simulator lists no frontend for ${cluster}`);
  const dir = mkdtempSync(join(tmpdir(), "slipway-traffic-"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(
    join(dir, "slipway.yaml"),
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      `name: traffic-${prefix}`,
      "environments:",
      "  - name: prod",
      "targets:",
      "  prod:",
      `    region: ${region}`,
      `    cluster: ${cluster}`,
      `    endpoint: ${endpoint}`,
      "    loadBalancer:",
      `      listener: { loadBalancer: ${cluster}, port: 80 }`,
      `      targetGroups: { primary: ${cluster}-blue, canary: ${cluster}-green }`,
      "process:",
      "  - name: web task definition",
      "    uses: task-definition",
      "    file: steps/web.taskdef.yaml",
      "  - name: web service",
      "    uses: service",
      "    file: steps/web.service.yaml",
      "    taskDefinitionFrom: web task definition",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "steps", "web.taskdef.yaml"),
    [
      `family: ${prefix}-web`,
      "definition:",
      "  networkMode: awsvpc",
      "  requiresCompatibilities: [FARGATE]",
      '  cpu: "256"',
      '  memory: "512"',
      "  containerDefinitions:",
      "    - name: web",
      `      image: ${repository}`,
      "      portMappings: [{ containerPort: 8080 }]",
      "images:",
      '  web: { range: "^1.0.0" }',
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "steps", "web.service.yaml"),
    [
      "service: shop-web",
      `mode: ${mode}`,
      "desiredCount: 2",
      "loadBalancer: { containerName: web, containerPort: 8080 }",
      "network: { subnets: [subnet-a, subnet-b], securityGroups: [sg-a] }",
      `waitTimeoutSeconds: ${options.waitTimeoutSeconds}`,
      ...(options.trafficSettleSeconds !== undefined ? [`trafficSettleSeconds: ${options.trafficSettleSeconds}`] : []),
      ...(mode === "rolling" ? [] : ["stages:", ...stagesOf(mode, options.verifyHeader)]),
      "",
    ].join("\n"),
  );
  const names = new Map([
    [lb.primary, `${cluster}-blue`],
    [lb.canary, `${cluster}-green`],
  ]);
  return { name: prefix, dir, listenerArn: lb.listenerArn, port: Number(new URL(frontend.url).port), names };
}

export async function release(world: World, version: string, image: string): Promise<void> {
  await cliOk(world.dir, ["release", "create", version, "--image", `web=${image}`]);
}
