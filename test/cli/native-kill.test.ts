import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { DescribeRulesCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/store.js";
import { testRuleOwner } from "../../steps/service/native/facts.js";
import { tagKeys } from "../../steps/verification/identity.js";
import { ProjectStores, seedProjectStore } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { describeService, shopDevSim } from "../sim/ecs-fixtures.js";
import { greenShare, nativeLane, verifyHeader, type NativeLane } from "../steps/service/native/world.js";
import { runCli } from "./capture.js";

/**
 * The CLI end of issue 18 for ECS's own canary: a real `slipway service deploy` process killed with SIGKILL while ECS
 * waits at a pause with 5 % of production traffic on the new revision, the gate decided while no slipway runs, then
 * `slipway resume` finishes ECS's deployment.
 */
/**
 * The step file. ECS's canary settings are its defaults (5 %, 10 min canary bake, slipway's 5 min bake): a step file
 * may not write deployment.bakeTimeInMinutes or canaryConfiguration yet (steps/service/owned-fields.ts still
 * refuses them as "not a slipway mode yet").
 */
const step = (service: string, approvals: boolean) =>
  [
    `service: ${service}`,
    "mode: ecs-canary",
    "taskDefinition: shop-web",
    "desiredCount: 2",
    "launchType: FARGATE",
    "network:",
    "  subnets: [subnet-aaa, subnet-bbb]",
    "  securityGroups: [sg-ccc]",
    "loadBalancer: { containerName: web, containerPort: 8080 }",
    `verification: { header: { name: ${verifyHeader.name}, values: [${verifyHeader.value}] } }`,
    ...(approvals ? ["approvals:", "  - at: PRE_PRODUCTION_TRAFFIC_SHIFT"] : []),
    "waitTimeoutSeconds: 20",
    "",
  ].join("\n");

/** A project whose dev target is the lane's listener and groups, its store already created. */
async function nativeProject(h: SimHarness, lane: NativeLane): Promise<{ project: string; step: string }> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-native-cli-"));
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\ntargets: targets.yaml\n");
  writeFileSync(
    join(dir, "targets.yaml"),
    `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n    region: us-east-1\n    cluster: shop-dev\n    endpoint: ${h.url}\n    loadBalancer:\n      listener: ${lane.listenerArn}\n      targetGroups:\n        primary: ${lane.blue}\n        canary: ${lane.green}\n`,
  );
  await seedProjectStore(dir);
  return { project: join(dir, "slipway.yaml"), step: join(dir, "web.service.yaml") };
}

/** Polls the store until the gate `stage` of the deployment is open; fails at once if `child` (the deploying process) ended. */
async function untilGate(store: Store, deploymentId: string, stage: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await store.approvals.list({ open: true })).some((g) => g.deploymentId === deploymentId && g.stage === stage)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`slipway ended (exit ${String(child.exitCode)}, signal ${String(child.signalCode)}) before the gate ${stage} opened:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the gate ${stage} of ${deploymentId} did not open within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("slipway service deploy with mode: ecs-canary, killed, then slipway resume", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("a real process killed with SIGKILL while ECS waits at 5 % is finished by `slipway resume`", { timeout: 120_000 }, async () => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
    const name = "cli-native";
    const lane = await nativeLane(h, name);
    const p = await nativeProject(h, lane);
    writeFileSync(p.step, step(name, false));
    const first = await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:1", "--poll-interval", "0.02");
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    writeFileSync(p.step, step(name, true));

    const child = spawn(process.execPath, ["bin/slipway.js", "service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:2", "--deployment", "nkill-1", "--poll-interval", "0.02"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise((resolve) => child.on("close", resolve));
    const store = await stores.of(p.project);
    const output = () => `${stdout}${stderr}`;
    await untilGate(store, "nkill-1", "PRE_PRODUCTION_TRAFFIC_SHIFT at 0%", child, output);
    expect((await runCli("approve", "nkill-1", "--project", p.project, "--as", "alice")).code).toBe(0);
    // Killed where losing the process hurts most: production traffic split, ECS waiting for slipway.
    // Past the first decision (a slipway once exited right after it, code 13, leaving ECS waiting at the hook).
    await untilGate(store, "nkill-1", "PRE_PRODUCTION_TRAFFIC_SHIFT at 5%", child, output);
    child.kill("SIGKILL");
    await closed;
    expect(child.signalCode).toBe("SIGKILL");
    expect(stdout).toContain("ECS waits at PRE_PRODUCTION_TRAFFIC_SHIFT at 5%");
    expect(await greenShare(lane, lane.green, false)).toBe(5);

    // Decided while no slipway runs, as a person in another terminal would; then the resume continues ECS.
    expect((await runCli("approve", "nkill-1", "--project", p.project, "--as", "alice")).code).toBe(0);
    const resumed = await runCli("resume", "nkill-1", "--project", p.project, "--poll-interval", "0.02");
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.out.some((l) => l.includes("resuming: re-attaching to ECS's deployment"))).toBe(true);
    expect(resumed.out.at(-1)).toMatch(/^deployed shop-web:2 to cli-native in dev: SUCCESSFUL \(ECS deployment arn:aws:ecs:.*service-deployment\/.*\)$/);

    const service = await describeService(h, "shop-dev", name);
    expect(service.taskDefinition).toMatch(/shop-web:2$/);
    const [deployment] = (await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [service.currentServiceDeployment ?? ""] }))).serviceDeployments ?? [];
    expect(deployment?.status).toBe("SUCCESSFUL");
    expect(await greenShare(lane, lane.green, false)).toBe(100);
    const rules = ((await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: lane.listenerArn }))).Rules ?? []).filter((r) => !r.IsDefault);
    const tags = (await h.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: rules.map((r) => r.RuleArn ?? "") }))).TagDescriptions ?? [];
    expect(tags.filter((d) => d.Tags?.some((t) => t.Key === tagKeys.owner && t.Value === testRuleOwner))).toHaveLength(1);
    expect(await store.approvals.list({ open: true })).toEqual([]);
    const records = (await store.records.list({ environment: "dev", cluster: "shop-dev", service: name })).filter((r) => r.deploymentId === "nkill-1");
    expect(records.map((r) => r.status)).toEqual(["SUCCESSFUL"]);
  });
});
