import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type ContainerDefinition, type ECSClient } from "@aws-sdk/client-ecs";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli/capture.js";
import { sampleTargetLines, webServiceStep } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import { normalise } from "../../steps/task-definition/normalise.js";
import { EcrImageCatalog } from "../../src/aws/images.js";
import type { Release } from "../../src/releases/release.js";

/**
 * Seed 004's second workflow in an estate where task definitions are registered outside slipway (a pipeline
 * calling RegisterTaskDefinition): dev and test share one account and region, prod has an account of its own.
 * The service step takes shop-web as a package; the release chooses a revision in dev and every environment
 * runs exactly that content.
 */

const sidecar = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0";
const parameter = "/shop/api-key";

/** A revision as a pipeline registers it: two containers, a secret by parameter name (portable across accounts), no slipway tags. */
function definition(web: string, extra: Partial<ContainerDefinition> = {}, tags: { key: string; value: string }[] = []) {
  return {
    family: "shop-web",
    networkMode: "awsvpc" as const,
    requiresCompatibilities: ["FARGATE" as const],
    cpu: "512",
    memory: "1024",
    executionRoleArn: "arn:aws:iam::000000000000:role/shop-execution",
    containerDefinitions: [
      { name: "web", image: web, portMappings: [{ containerPort: 8080 }], environment: [{ name: "LOG_LEVEL", value: "info" }], secrets: [{ name: "API_KEY", valueFrom: parameter }], ...extra },
      { name: "otel", image: sidecar, essential: false },
    ],
    tags: [{ key: "team", value: "shop" }, ...tags],
  };
}

async function register(ecs: ECSClient, input: ReturnType<typeof definition>): Promise<number> {
  const out = await ecs.send(new RegisterTaskDefinitionCommand(input));
  return out.taskDefinition?.revision ?? 0;
}

async function runningDefinition(h: SimHarness, cluster: string): Promise<{ arn: string; normalised: Record<string, unknown>; tags: Record<string, string> }> {
  const service = await h.clients.ecs.send(new DescribeServicesCommand({ cluster, services: ["shop-web"] }));
  const arn = service.services?.[0]?.taskDefinition ?? "";
  const described = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
  return { arn, normalised: normalise(described.taskDefinition ?? {}), tags: Object.fromEntries((described.tags ?? []).map((t) => [t.key, t.value])) };
}

describe("a service step's task definition from the feed, chosen at release time", () => {
  let dev: SimHarness; // dev and test: one account and region
  let prod: SimHarness; // an account of its own
  let project: string;
  let digests: Map<string, string>;
  const cli = (...argv: string[]) => runCli(...argv, "--project", project);
  const deploy = async (version: string, env: string) => {
    const ran = await cli("deploy", version, "--to", env, "--poll-interval", "0.02");
    if (ran.code !== 0) console.log(ran.out.join("\n"), ran.err);
    return ran;
  };
  const webImage = (tag: string) => `000000000000.dkr.ecr.${dev.region}.amazonaws.com/shop/web:${tag}`;

  beforeAll(async () => {
    // The project's secret variable is read at deploy time, whether or not a step uses it.
    vi.stubEnv("SHOP_DB_PASSWORD", "not-a-real-password");
    dev = await startSim({ speed: 200 });
    prod = await startSim({ speed: 200, account: "111111111111", region: "eu-west-1" });
    await createSampleInfrastructure(dev.url, dev.region);
    await createSampleInfrastructure(prod.url, prod.region);
    for (const h of [dev, prod]) {
      const ssm = new SSMClient({ region: h.region, endpoint: h.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      await ssm.send(new PutParameterCommand({ Name: parameter, Value: "not-a-real-key", Type: "SecureString" }));
      ssm.destroy();
    }
    digests = new Map((await new EcrImageCatalog(dev.clients.ecr).images("shop/web")).flatMap((i) => i.tags.map((t) => [t, i.digest] as const)));
    const dir = mkdtempSync(join(tmpdir(), "slipway-packages-"));
    mkdirSync(join(dir, "steps"));
    project = join(dir, "slipway.yaml");
    writeFileSync(
      project,
      [
        "apiVersion: slipway/v1",
        "kind: Project",
        `name: shop-${Math.random().toString(36).slice(2, 8)}`,
        "environments: [{ name: dev }, { name: test }, { name: prod }]",
        "targets:",
        ...sampleTargetLines(dev, ["dev", "test"]),
        ...sampleTargetLines(prod, ["prod"]).map((line) => line.replace("    region:", '    account: "111111111111"\n    region:')),
        "channels:",
        '  - { name: stable, default: true, revisions: { shop-web: "[2,10)" } }',
        "process:",
        "  - name: web service",
        "    uses: service",
        "    file: steps/web.service.yaml",
        "variables:",
        "  default:",
        "    DB_PASSWORD: { secret: true, fromEnv: SHOP_DB_PASSWORD }",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "steps", "web.service.yaml"), webServiceStep("rolling", ["package: { family: shop-web }"]));
    // The pipeline's history in dev's account: 1 is outside the channel; 3 pins its web image by digest; 4 is test's own.
    await register(dev.clients.ecs, definition(webImage("1.0.0")));
    await register(dev.clients.ecs, definition(webImage("1.1.0")));
    await register(dev.clients.ecs, definition(`000000000000.dkr.ecr.${dev.region}.amazonaws.com/shop/web@${digests.get("1.2.0") ?? ""}`));
    await register(dev.clients.ecs, definition(webImage("1.2.0"), { environment: [{ name: "LOG_LEVEL", value: "debug" }] }, [{ key: "slipway:environment", value: "test" }]));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await dev?.close();
    await prod?.close();
  });

  it("chooses the newest revision dev may take under the channel, and keeps its whole definition", async () => {
    const created = await cli("release", "create", "1.0.0", "--json");
    expect(created.err).toBe("");
    const release = JSON.parse(created.out.join("\n")) as Release;
    const step = release.snapshot.steps[0];
    if (step?.uses !== "service" || !step.package) throw new Error("no package in the release");
    // 4 is newer and allowed by the channel, but belongs to test: never dev's to take.
    expect(step.package).toMatchObject({ family: "shop-web", revision: 3, chosenIn: "dev", chosenBy: 'the step\'s version newest and channel "stable"\'s "[2,10)"' });
    expect(step.package.definition).toMatchObject({ family: "shop-web", cpu: "512", executionRoleArn: "arn:aws:iam::000000000000:role/shop-execution", tags: [{ key: "team", value: "shop" }] });
    expect(step.package.images).toEqual([
      { container: "web", registered: expect.stringContaining("@sha256:") as unknown, image: expect.stringContaining("@sha256:") as unknown, digest: digests.get("1.2.0") },
      { container: "otel", registered: sidecar, image: sidecar, tag: "v0.40.0", unpinned: "not an ECR image: ECS resolves its tag when each task starts" },
    ]);
  });

  it("runs the chosen revision itself where it is (dev, then test in the same account), and registers identical content in prod's account", async () => {
    expect((await deploy("1.0.0", "dev")).code).toBe(0);
    const inDev = await runningDefinition(dev, "shop-dev");
    expect(inDev.arn).toMatch(/:task-definition\/shop-web:3$/);
    expect((await deploy("1.0.0", "test")).code).toBe(0);
    expect((await runningDefinition(dev, "shop-test")).arn).toBe(inDev.arn);

    const toProd = await deploy("1.0.0", "prod");
    expect(toProd.code).toBe(0);
    const shown = toProd.out.join("\n");
    expect(shown).toContain("register a new revision of shop-web for prod");
    // ECS passes only a role of its own account: dev's role becomes prod's of the same name, and the plan says so.
    expect(shown).toContain("executionRoleArn arn:aws:iam::000000000000:role/shop-execution → arn:aws:iam::111111111111:role/shop-execution");
    // dev's registry stays, named by the pipeline's definition: prod's tasks need access to it.
    expect(shown).toContain("names another place than this environment's (account 111111111111, region eu-west-1): web image is in ECR of account 000000000000");
    const inProd = await runningDefinition(prod, "shop-prod");
    expect(inProd.arn).toMatch(/^arn:aws:ecs:eu-west-1:111111111111:task-definition\/shop-web:1$/);
    // The same content, but for the account its role is in.
    expect(inProd.normalised).toEqual({ ...inDev.normalised, executionRoleArn: "arn:aws:iam::111111111111:role/shop-execution" });
    expect(inProd.tags).toMatchObject({ team: "shop", "slipway:environment": "prod", "slipway:release": "1.0.0" });
  });

  it("keeps deploying the same content after a newer revision is registered, and registers nothing twice", async () => {
    const newer = await register(dev.clients.ecs, definition(webImage("1.1.0"), { environment: [{ name: "LOG_LEVEL", value: "warn" }] }));
    expect(newer).toBe(5);
    const plan = await cli("release", "plan", "--json");
    expect(JSON.parse(plan.out.join("\n"))).toMatchObject({ channel: "stable", packages: [{ step: "web service", family: "shop-web", chosen: 5, candidates: [{ revision: 5 }, { revision: 3 }, { revision: 2 }] }] });

    expect((await cli("release", "plan")).out).toEqual([
      "a release in channel stable would choose, in dev:",
      '  web service: package shop-web:5 (the step\'s version newest and channel "stable"\'s "[2,10)")',
      "    could take, newest first: 5, 3, 2",
    ]);
    // What the release holds is what it chose then.
    expect((await cli("release", "show", "1.0.0")).out.join("\n")).toContain('package shop-web:3 from dev (the step\'s version newest and channel "stable"\'s "[2,10)")');

    const again = await deploy("1.0.0", "prod");
    expect(again.code).toBe(0);
    expect(again.out.join("\n")).toContain("revision 1 reused: prod has one with this exact content");
    expect((await runningDefinition(prod, "shop-prod")).arn).toMatch(/shop-web:1$/);
    expect((await deploy("1.0.0", "dev")).code).toBe(0);
    expect((await runningDefinition(dev, "shop-dev")).arn).toMatch(/shop-web:3$/);
  });

  it("pins a revision's image tags to digests when --package names it, and registers that content in dev as dev's", async () => {
    const created = await cli("release", "create", "1.1.0", "--package", "shop-web=2", "--json");
    expect(created.err).toBe("");
    const release = JSON.parse(created.out.join("\n")) as Release;
    const step = release.snapshot.steps[0];
    if (step?.uses !== "service" || !step.package) throw new Error("no package in the release");
    expect(step.package).toMatchObject({ revision: 2, chosenBy: "--package shop-web=2" });
    expect(step.package.images[0]).toEqual({ container: "web", registered: webImage("1.1.0"), image: `000000000000.dkr.ecr.${dev.region}.amazonaws.com/shop/web@${digests.get("1.1.0") ?? ""}`, tag: "1.1.0", digest: digests.get("1.1.0") });
    // A dry run shows the registration and the service's change to it, and registers nothing.
    const preview = await cli("deploy", "1.1.0", "--to", "dev", "--dry-run");
    expect(preview.code).toBe(0);
    expect(preview.out.join("\n")).toContain(`register a new revision of shop-web for dev (content ${step.package.content.slice(0, 12)})`);
    expect(preview.out.join("\n")).toContain("shop-web:3 → shop-web:(new)");
    expect((await runningDefinition(dev, "shop-dev")).arn).toMatch(/shop-web:3$/);
    expect((await deploy("1.1.0", "dev")).code).toBe(0);
    const inDev = await runningDefinition(dev, "shop-dev");
    expect(inDev.arn).toMatch(/shop-web:6$/);
    expect(inDev.tags).toMatchObject({ "slipway:environment": "dev", "slipway:content": step.package.content });
    // That copy is dev's, slipway's own: never a package revision a release chooses, as newest or by name.
    expect(JSON.parse((await cli("release", "plan", "--json")).out.join("\n"))).toMatchObject({ packages: [{ chosen: 5, candidates: [{ revision: 5 }, { revision: 3 }, { revision: 2 }] }] });
    const copy = await cli("release", "create", "1.2.0", "--package", "shop-web=6");
    expect(copy.code).toBe(2);
    expect(copy.err).toContain("shop-web:6 belongs to the dev environment (its slipway:environment tag): slipway registered it");
  });

  it("refuses a --package the channel does not allow, another environment's revision, and a revision holding a secret in plain text", async () => {
    const outside = await cli("release", "create", "2.0.0", "--package", "shop-web=1");
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('--package shop-web=1: channel "stable" allows revisions "[2,10)" of shop-web, and 1 is not one.');
    const tests = await cli("release", "create", "2.0.0", "--package", "shop-web=4");
    expect(tests.code).toBe(2);
    expect(tests.err).toContain("shop-web:4 belongs to the test environment");
    const leaky = await register(dev.clients.ecs, definition(webImage("1.2.0"), { environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }));
    const secret = await cli("release", "create", "2.0.0", "--package", `shop-web=${leaky}`);
    expect(secret.code).toBe(2);
    expect(secret.err).toContain(`shop-web:${leaky} passes DB_PASSWORD to its container "web" as plain environment`);
    expect(secret.err).not.toContain("hunter2");
    // Run by hand in dev, that revision is what a plan's diff compares against: the value stays out of it.
    await dev.clients.ecs.send(new UpdateServiceCommand({ cluster: "shop-dev", service: "shop-web", taskDefinition: `shop-web:${leaky}` }));
    const preview = await cli("deploy", "1.0.0", "--to", "dev", "--dry-run");
    expect(preview.code).toBe(0);
    expect(preview.out.join("\n")).toContain("DB_PASSWORD");
    expect(preview.out.join("\n")).not.toContain("hunter2");
    // A revision without the port the load balancer routes to: ECS would refuse the service after registering it.
    const portless = await register(dev.clients.ecs, definition(webImage("1.2.0"), { portMappings: [{ containerPort: 9090 }] }));
    const unfit = await cli("release", "create", "2.0.0", "--package", `shop-web=${portless}`);
    expect(unfit.code).toBe(2);
    expect(unfit.err).toContain(`shop-web:${portless}'s container "web" maps ports 9090, and loadBalancer in`);
    // The plan says so before anyone tries: it would choose that revision, and a release would refuse it.
    const plan = JSON.parse((await cli("release", "plan", "--json")).out.join("\n")) as { packages: { chosen: number; refused?: { message: string } }[] };
    expect(plan.packages[0]).toMatchObject({ chosen: portless, refused: { message: expect.stringContaining('container "web" maps ports 9090') as unknown } });
    const unknown = await cli("release", "create", "2.0.0", "--package", "shop-api=3");
    expect(unknown.code).toBe(5);
    expect(unknown.err).toContain('names the family "shop-api", which no service step of the process takes as its package');
    expect((await cli("release", "show", "2.0.0")).code).not.toBe(0);
  });
});
