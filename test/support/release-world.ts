import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSampleInfrastructure, type SampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import type { SimHarness } from "./sim.js";

export interface ReleaseProject {
  dir: string;
  project: string;
  infrastructure: SampleInfrastructure;
  taskdefStep: string;
  serviceStep: string;
}

export interface ReleaseProjectOptions {
  /** Extra lines under variables: (already indented by 2). */
  variables?: string;
  /** The web container's image rule (YAML flow map). Default: a range choosing the newest healthy 1.x. */
  imageRule?: string;
  /** Extra project-file lines (channels:, …). */
  extra?: string;
}

/**
 * Inline targets: lines for slipway.yaml's targets: map, each environment on the sample infrastructure's names
 * (made by createSampleInfrastructure with the same project prefix).
 */
export function sampleTargetLines(h: SimHarness, environments: readonly string[] = ["dev", "test", "prod"], prefix = "shop"): string[] {
  return environments.flatMap((env) => [
    `  ${env}:`,
    `    region: ${h.region}`,
    `    cluster: ${prefix}-${env}`,
    `    endpoint: ${h.url}`,
    `    loadBalancer:`,
    `      listener: { loadBalancer: ${prefix}-${env}, port: 80 }`,
    `      targetGroups: { primary: ${prefix}-${env}-blue, canary: ${prefix}-${env}-green }`,
  ]);
}

/**
 * The web task definition step over the sample repository; each variable named feeds the environment entry of that
 * name, each secret the ECS secrets entry of that name (through the execution role, which then appears too).
 */
export function webTaskdefStep(variables: readonly string[], imageRule = '{ range: "^1.0.0 <1.3.0" }', secrets: readonly string[] = [], portName?: string): string {
  return [
    "family: shop-web",
    "definition:",
    "  networkMode: awsvpc",
    "  requiresCompatibilities: [FARGATE]",
    '  cpu: "256"',
    '  memory: "512"',
    ...(secrets.length > 0 ? ["  executionRoleArn: arn:aws:iam::000000000000:role/shop-execution"] : []),
    "  containerDefinitions:",
    "    - name: web",
    "      image: shop/web",
    `      portMappings: [{ containerPort: 8080${portName ? `, name: ${portName}` : ""} }]`,
    "      environment:",
    ...variables.map((v) => `        - { name: ${v}, value: "\${${v}}" }`),
    ...(secrets.length > 0 ? ["      secrets:", ...secrets.map((v) => `        - { name: ${v}, valueFrom: "\${${v}}" }`)] : []),
    "images:",
    `  web: ${imageRule}`,
    "",
  ].join("\n");
}

/** An environment's lines walking a short canary (half the tasks, half the traffic, then all), indented under environments:. */
export const prodCanaryLines: readonly string[] = [
  "  prod:",
  "    mode: canary",
  "    stages:",
  "      - canaryRollout: { scale: 50 }",
  "      - trafficRouting: { canary: 50 }",
  "      - primaryRollout: {}",
  "      - trafficRouting: { primary: 100 }",
  "      - canaryClean: {}",
];

/** The web service step behind the sample target groups, with its mode's extra lines (stages, …). */
export function webServiceStep(mode: "rolling" | "canary", extra: readonly string[] = []): string {
  return [
    "service: shop-web",
    `mode: ${mode}`,
    "desiredCount: 2",
    "loadBalancer: { containerName: web, containerPort: 8080 }",
    "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }",
    "waitTimeoutSeconds: 60",
    ...extra,
    "",
  ].join("\n");
}

/**
 * A three-environment project (dev, test optional, prod) over the sample infrastructure in the harness's simulator:
 * a task definition step for the web container and a rolling service step behind each environment's blue group.
 */
export async function releaseProject(h: SimHarness, options: ReleaseProjectOptions = {}): Promise<ReleaseProject> {
  const infrastructure = await createSampleInfrastructure(h.url, h.region);
  const dir = mkdtempSync(join(tmpdir(), "slipway-release-"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(
    join(dir, "slipway.yaml"),
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      // Unique: one PostgreSQL (DATABASE_URL) holds every test's projects.
      `name: shop-${Math.random().toString(36).slice(2, 8)}`,
      "environments:",
      "  - name: dev",
      "  - name: test",
      "    optional: true",
      "  - name: prod",
      "targets:",
      ...sampleTargetLines(h),
      "process:",
      "  - name: web task definition",
      "    uses: task-definition",
      "    file: steps/web.taskdef.yaml",
      "  - name: web service",
      "    uses: service",
      "    file: steps/web.service.yaml",
      "variables:",
      "  default:",
      "    LOG_LEVEL: info",
      "  prod:",
      "    LOG_LEVEL: warn",
      ...(options.variables ? [options.variables] : []),
      ...(options.extra ? [options.extra] : []),
      "",
    ].join("\n"),
  );
  const taskdefStep = join(dir, "steps", "web.taskdef.yaml");
  writeFileSync(taskdefStep, webTaskdefStep(["LOG_LEVEL"], options.imageRule));
  const serviceStep = join(dir, "steps", "web.service.yaml");
  writeFileSync(serviceStep, webServiceStep("rolling"));
  return { dir, project: join(dir, "slipway.yaml"), infrastructure, taskdefStep, serviceStep };
}
