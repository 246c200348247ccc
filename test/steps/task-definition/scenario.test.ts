import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CreateClusterCommand, CreateServiceCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { EcsTaskDefinitions } from "../../../src/aws/task-definitions.js";
import { InputError, NotFoundError } from "../../../src/errors.js";
import { taskDefinitionStep } from "../../../steps/task-definition/index.js";
import { loadTaskDefinitionStep, type LoadedTaskDefinitionStep } from "../../../steps/task-definition/load.js";
import { withImageOverrides } from "../../../steps/task-definition/overrides.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { callsSince, context, push, resetCalls } from "./world.js";

const fixture = "test/fixtures/steps/task-definition/web.step.yaml";
const uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com";

/** The web step with its own family, so each scenario starts from no revisions. */
function webStep(family: string, change: (input: LoadedTaskDefinitionStep["input"]) => Partial<LoadedTaskDefinitionStep["input"]> = () => ({})): LoadedTaskDefinitionStep {
  const loaded = loadTaskDefinitionStep(fixture);
  return { ...loaded, input: { ...loaded.input, family, ...change(loaded.input) } };
}

describe("the task definition step against the simulator", () => {
  let h: SimHarness;
  const digests: Record<string, string> = {};
  beforeAll(async () => {
    h = await startSim();
    digests["1.4.0"] = await push(h, "shop/web", "1.4.0");
    digests["1.4.2"] = await push(h, "shop/web", "1.4.2", "latest");
    digests["1.5.0-rc.1"] = await push(h, "shop/web", "1.5.0-rc.1");
    digests["nightly-20240501"] = await push(h, "shop/web", "nightly-20240501");
    digests["router"] = await push(h, "shop/log-router", "2.1.0");
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "shop-dev" }));
  });
  afterAll(() => h.close());
  beforeEach(() => resetCalls(h));

  it("registers the first revision with images pinned to digests and the release's tags", async () => {
    const { output, plan } = await taskDefinitionStep.run(webStep("first"), context(h, { release: "2024.5.1" }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["register"]);
    expect(output).toEqual({
      taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/first:1",
      family: "first",
      revision: 1,
      registered: true,
      images: [
        { container: "web", repository: "shop/web", tag: "1.4.2", digest: digests["1.4.2"], image: `${uri}/shop/web@${digests["1.4.2"]}` },
        { container: "log-router", repository: "shop/log-router", tag: "2.1.0", digest: digests["router"], image: `${uri}/shop/log-router@${digests["router"]}` },
      ],
    });
    const described = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "first:1", include: ["TAGS"] }));
    expect(described.tags).toEqual([
      { key: "slipway:release", value: "2024.5.1" },
      { key: "slipway:environment", value: "dev" },
      { key: "slipway:image/web", value: "1.4.2" },
      { key: "slipway:image/log-router", value: "2.1.0" },
      { key: "slipway:content", value: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const web = described.taskDefinition?.containerDefinitions?.[0];
    expect(web?.image).toBe(`${uri}/shop/web@${digests["1.4.2"]}`);
    expect(web?.environment).toContainEqual({ name: "BANNER", value: "shop info build" });
    expect(described.taskDefinition?.memory).toBe("512");
  });

  it("re-deploys an unchanged definition with reads only: zero write calls", async () => {
    const step = webStep("unchanged");
    await taskDefinitionStep.run(step, context(h, { release: "1" }));
    await resetCalls(h);
    const { plan, output } = await taskDefinitionStep.run(step, context(h, { release: "2" }));
    expect(plan.actions).toEqual([]);
    expect(plan.notes).toEqual(["revision 1 reused: dev has one with this exact content"]);
    expect(output).toMatchObject({ revision: 1, registered: false });
    const calls = await callsSince(h);
    expect(calls.writes).toEqual({});
    // Retention has nothing beyond keep: 3 to consider, so no service is read. Each repository is read once.
    expect(calls.reads).toEqual({ "ecs:DescribeTaskDefinition": 1, "ecs:ListTaskDefinitions": 1, "ecr:DescribeRepositories": 2, "ecr:DescribeImages": 2 });
  });

  it("registers revision N+1 when an image changed, tagged with the new image tag, showing the diff", async () => {
    const step = webStep("changed");
    await taskDefinitionStep.run(step, context(h));
    const newer = await push(h, "shop/web", "1.4.3");
    const { plan, output } = await taskDefinitionStep.run(step, context(h, { release: "2" }));
    expect(output).toMatchObject({ revision: 2, registered: true, images: [{ container: "web", tag: "1.4.3", digest: newer }, { container: "log-router" }] });
    expect(plan.diff).toEqual(expect.arrayContaining([`-      "image": "${uri}/shop/web@${digests["1.4.2"]}",`, `+      "image": "${uri}/shop/web@${newer}",`]));
    expect(plan.diff.filter((l) => /^[-+] /.test(l))).toHaveLength(2);
    const described = await new EcsTaskDefinitions(h.clients.ecs).describe("changed:2");
    expect(described?.tags).toContainEqual({ key: "slipway:image/web", value: "1.4.3" });
    expect(described?.tags).toContainEqual({ key: "slipway:release", value: "2" });
  });

  it("renders each environment's variables", async () => {
    const { output } = await taskDefinitionStep.run(webStep("per-env"), context(h, { target: { environment: "prod", region: h.region, cluster: "shop-dev", endpoint: h.url } }));
    const described = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: output?.taskDefinitionArn }));
    expect(described.taskDefinition?.memory).toBe("1024");
    const web = described.taskDefinition?.containerDefinitions?.[0];
    expect(web?.environment).toContainEqual({ name: "LOG_LEVEL", value: "warn" });
    expect(web?.secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:shop-prod-db" }]);
  });

  it("takes release-time choices from the command line", async () => {
    const loaded = webStep("overridden");
    const byTag = { ...loaded, input: withImageOverrides(loaded.input, ["web=1.4.0"]) };
    expect((await taskDefinitionStep.run(byTag, context(h))).output?.images[0]).toMatchObject({ tag: "1.4.0", digest: digests["1.4.0"] });
    const byDigest = { ...loaded, input: withImageOverrides(loaded.input, [`web@${digests["1.5.0-rc.1"] ?? ""}`]) };
    const output = (await taskDefinitionStep.run(byDigest, context(h))).output;
    expect(output?.images[0]).toEqual({ container: "web", repository: "shop/web", digest: digests["1.5.0-rc.1"], image: `${uri}/shop/web@${digests["1.5.0-rc.1"]}` });
    expect(() => withImageOverrides(loaded.input, ["wbe=1.4.0"])).toThrow(expect.objectContaining({ hint: 'Did you mean "web"? The containers are: web, log-router.' }));
  });

  it("refuses latest before reading anything, and accepts it with allowMovingTag", async () => {
    const refused = webStep("moving", (i) => ({ images: { ...i.images, web: { kind: "tag", tag: "latest", allowMovingTag: false } } }));
    await expect(taskDefinitionStep.run(refused, context(h))).rejects.toThrow(InputError);
    expect((await callsSince(h)).reads).toEqual({});
    const allowed = webStep("moving", (i) => ({ images: { ...i.images, web: { kind: "tag", tag: "latest", allowMovingTag: true } } }));
    expect((await taskDefinitionStep.run(allowed, context(h))).output?.images[0]).toMatchObject({ tag: "latest", digest: digests["1.4.2"] });
  });

  it("chooses prereleases only when asked, and ignores non-semver tags", async () => {
    const pre = webStep("pre", (i) => ({ images: { ...i.images, web: { kind: "range", range: ">=1.4.0", prerelease: true } } }));
    expect((await taskDefinitionStep.run(pre, context(h))).output?.images[0]?.tag).toBe("1.5.0-rc.1");
    const missing = webStep("pre", (i) => ({ images: { ...i.images, web: { kind: "tag", tag: "1.4.9", allowMovingTag: false } } }));
    const error = await taskDefinitionStep.run(missing, context(h)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).hint).toMatch(/^The nearest tags are: 1\.4\.0, 1\.4\.2, 1\.4\.3\./);
  });

  it("plans without writing on a dry run", async () => {
    const { plan, output } = await taskDefinitionStep.run(webStep("dry"), context(h, { dryRun: true }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["register"]);
    expect(output).toBeUndefined();
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("deregisters only old revisions no service in the cluster uses", async () => {
    const taskDefinitions = new EcsTaskDefinitions(h.clients.ecs);
    // Five revisions of "kept", each with a different log level so each one is a change.
    const withLevel = (level: string) => webStep("kept", (i) => ({ retention: undefined, variables: { ...i.variables, default: { ...i.variables.default, LOG_LEVEL: level } } }));
    for (const level of ["l1", "l2", "l3", "l4", "l5"]) await taskDefinitionStep.run(withLevel(level), context(h));
    await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "shop-dev",
        serviceName: "web",
        taskDefinition: "kept:2",
        desiredCount: 0,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-aaa"], securityGroups: ["sg-ccc"] } },
      }),
    );
    await resetCalls(h);
    const withRetention = webStep("kept", (i) => ({ retention: { keep: 2 }, variables: { ...i.variables, default: { ...i.variables.default, LOG_LEVEL: "l6" } } }));
    const { plan, output } = await taskDefinitionStep.run(withRetention, context(h));
    expect(output?.revision).toBe(6);
    expect(plan.actions.map((a) => a.key)).toEqual([expect.stringMatching(/^register kept@/), "deregister kept:1", "deregister kept:3", "deregister kept:4"]);
    expect(plan.notes).toContain("revision 2 kept beyond retention: service web in shop-dev runs it");
    expect((await taskDefinitions.listRevisions("kept")).map((r) => r.revision)).toEqual([2, 5, 6]);
    const calls = await callsSince(h);
    expect(calls.reads["ecs:ListClusters"]).toBe(1);
    expect(calls.reads["ecs:ListServices"]).toBe(1);
    expect(calls.reads["ecs:DescribeServices"]).toBe(1);
    expect(calls.writes).toEqual({ "ecs:RegisterTaskDefinition": 1, "ecs:DeregisterTaskDefinition": 3 });
  });

  it("re-runs after a newer revision was registered without registering twice", async () => {
    const ctx = context(h);
    const first = await taskDefinitionStep.run(webStep("resumed"), ctx);
    // Someone else registers a different revision; a re-run of the same deployment finds its own by content.
    await taskDefinitionStep.run(webStep("resumed", (i) => ({ variables: { ...i.variables, default: { ...i.variables.default, MEMORY: 1024 } } })), context(h));
    await resetCalls(h);
    const again = await taskDefinitionStep.run(webStep("resumed"), ctx);
    expect(again.output?.taskDefinitionArn).toBe(first.output?.taskDefinitionArn);
    expect((await callsSince(h)).writes).toEqual({});
  });
});
