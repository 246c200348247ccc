import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeServicesCommand, DescribeTaskSetsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desiredCountDimension, serviceResourceId } from "../../src/aws/scalable-targets.js";
import { runCli } from "../cli/capture.js";
import { describeService, loadBalancedGroups } from "../sim/ecs-fixtures.js";
import { prodCanaryLines, releaseProject, webTaskdefStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

const namespace = "arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-0shop0000000000000";

/** One step file, as a platform team's: dev rolls with everything ECS's controller offers, prod walks a canary. */
const serviceStep = (secondGroup: string) =>
  [
    "service: shop-web",
    "desiredCount: 2",
    "loadBalancer: { containerName: web, containerPort: 8080 }",
    "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }",
    "capacityProviderStrategy:",
    "  - { capacityProvider: FARGATE, base: 1, weight: 1 }",
    "  - { capacityProvider: FARGATE_SPOT, weight: 3 }",
    "propagateTags: SERVICE",
    "enableECSManagedTags: true",
    "tags: [{ key: team, value: shop }]",
    "autoscaling: { suspendScaleIn: true }",
    "waitTimeoutSeconds: 120",
    "environments:",
    "  dev:",
    "    enableExecuteCommand: true",
    "    serviceConnectConfiguration:",
    "      enabled: true",
    `      namespace: ${namespace}`,
    "      services: [{ portName: http, clientAliases: [{ port: 80, dnsName: shop-web }] }]",
    "    deployment:",
    "      alarms: { alarmNames: [shop-dev-5xx], enable: true, rollback: true }",
    "    loadBalancers:",
    `      - { targetGroupArn: ${secondGroup}, containerName: web, containerPort: 8080 }`,
    ...prodCanaryLines,
    "",
  ].join("\n");

/**
 * Issue 14's world: a service using capacity providers (FARGATE_SPOT), Service Connect, ECS Exec, propagated tags,
 * two target groups, a CloudWatch alarm rollback and Application Auto Scaling at 6 tasks. slipway deploys it
 * rolling in dev and as a canary in prod from one step file, keeping every setting and the autoscaled count, and
 * slipway init then regenerates a project whose dry run changes nothing.
 */
describe("a real team's service, deployed and adopted", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");
  /** Every desired count seen while the 1.1.0 deployments ran, per cluster. */
  const seen: Record<string, number[]> = { "shop-dev": [], "shop-prod": [] };

  async function scaledBy(cluster: string, count: number): Promise<void> {
    await h.clients.autoscaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: serviceResourceId(cluster, "shop-web"), ScalableDimension: desiredCountDimension, MinCapacity: 2, MaxCapacity: 10 }));
    await h.control("POST", "autoscaling/scale", { cluster, service: "shop-web", desiredCount: count });
    expect((await describeService(h, cluster, "shop-web")).desiredCount).toBe(count);
  }

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    const [second = ""] = await loadBalancedGroups(h, "shop-dev-nlb", 1);
    // A named port: Service Connect serves it.
    writeFileSync(p.taskdefStep, webTaskdefStep(["LOG_LEVEL"], undefined, [], "http"));
    writeFileSync(p.serviceStep, serviceStep(second));
    for (const version of ["1.0.0", "1.1.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
    for (const environment of ["dev", "prod"]) {
      const deployed = await cli("deploy", "1.0.0", "--to", environment);
      expect(deployed.code, deployed.err).toBe(0);
    }
    await scaledBy("shop-dev", 6);
    await scaledBy("shop-prod", 6);
  }, 120_000);
  afterAll(() => h?.close());

  // Each environment registers its own revision (slipway:environment): dev's 1.0.0 is :1, prod's :2, 1.1.0 :3 and :4.
  it("deploys 1.1.0 rolling in dev and as a canary in prod, keeping every setting and the autoscaled count", { timeout: 180_000 }, async () => {
    // Sampling can miss a dip but never invent one; the plans below show no write of the count either.
    const sampler = setInterval(() => {
      for (const cluster of Object.keys(seen)) {
        void h.clients.ecs
          .send(new DescribeServicesCommand({ cluster, services: ["shop-web"] }))
          .then((out) => seen[cluster]?.push(out.services?.[0]?.desiredCount ?? -1))
          .catch(() => undefined);
      }
    }, 20);
    try {
      for (const environment of ["dev", "prod"]) {
        const deployed = await cli("deploy", "1.1.0", "--to", environment);
        expect(deployed.code, deployed.err).toBe(0);
        expect(deployed.out.filter((l) => /desired count: \d+ → \d+|update-desired-count|set shop-web's desired count/.test(l))).toEqual([]);
        expect(deployed.out.join("\n")).toMatch(/desired count: 6(?: now)?, left to Application Auto Scaling \(2–10\)/);
      }
    } finally {
      clearInterval(sampler);
    }
    for (const [cluster, counts] of Object.entries(seen)) {
      expect(counts.length, cluster).toBeGreaterThan(5);
      expect(Math.min(...counts), cluster).toBe(6);
    }

    const dev = await describeService(h, "shop-dev", "shop-web");
    expect(dev).toMatchObject({ desiredCount: 6, runningCount: 6, taskDefinition: expect.stringMatching(/shop-web:3$/), propagateTags: "SERVICE", enableECSManagedTags: true, enableExecuteCommand: true });
    expect(dev.capacityProviderStrategy?.map((c) => c.capacityProvider)).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(dev.loadBalancers).toHaveLength(2);
    expect(dev.deploymentConfiguration?.alarms).toEqual({ alarmNames: ["shop-dev-5xx"], enable: true, rollback: true });
    expect(dev.deployments?.find((d) => d.status === "PRIMARY")?.serviceConnectConfiguration).toMatchObject({ enabled: true, namespace });
    const devTags = await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: dev.serviceArn }));
    expect(devTags.tags).toContainEqual({ key: "team", value: "shop" });

    const prod = await describeService(h, "shop-prod", "shop-web");
    expect(prod).toMatchObject({ desiredCount: 6, propagateTags: "SERVICE", enableECSManagedTags: true, deploymentController: { type: "EXTERNAL" } });
    const sets = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-prod", service: "shop-web" }));
    expect(sets.taskSets?.map((t) => [t.status, t.taskDefinition?.split("/").at(-1), t.computedDesiredCount, t.capacityProviderStrategy?.map((c) => c.capacityProvider)])).toEqual([["PRIMARY", "shop-web:4", 6, ["FARGATE", "FARGATE_SPOT"]]]);
    const scaling = await h.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [serviceResourceId("shop-prod", "shop-web")] }));
    expect(scaling.ScalableTargets?.[0]?.SuspendedState?.DynamicScalingInSuspended).toBe(false);
  });

  it("slipway init regenerates the project from the running services, and a dry run of it changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-adopted-"));
    const init = await runCli("init", "--service", "shop-web", "--env", "dev=shop-dev", "--env", "prod=shop-prod", "--endpoint", h.url, "--region", h.region, "--dir", dir);
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    expect(init.out.filter((l) => l.startsWith("checked:"))).toEqual([expect.stringMatching(/against dev with shop-web:3 changes nothing$/), expect.stringMatching(/against prod with shop-web:4 changes nothing$/)]);
    const validated = await runCli("validate", join(dir, "slipway.yaml"));
    expect(validated.code, validated.err).toBe(0);
  });
});
