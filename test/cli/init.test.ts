import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { CreateServiceCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type Service } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConflictError } from "../../src/errors.js";
import { stepFromService } from "../../steps/service/adopt.js";
import { deployService } from "../../steps/service/index.js";
import { taskDefinitionStepFrom } from "../../steps/task-definition/adopt.js";
import { createCluster, loadBalancedGroups } from "../sim/ecs-fixtures.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { context, options, webStep } from "../steps/service/world.js";
import { canaryFixture, context as taskSetContext, runOptions, shop, step, type Shop } from "../steps/service/task-sets/world.js";
import { nativeShop, type NativeShop } from "../steps/service/native/world.js";
import { runCli } from "./capture.js";

const namespace = "arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-0orders000000000";
const secretValue = "s3cr3t-never-in-a-file";

/**
 * A team's running service, set up the way a team would have (not by slipway's steps): slipway init writes a
 * project that reproduces it, and a dry run of its service step against each environment changes nothing.
 */
describe("slipway init from a live service", () => {
  let h: SimHarness;
  let revision = "";
  let prod: Shop;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    for (const cluster of ["shop-dev", "shop-prod"]) await createCluster(h, cluster);
    const pushed = (await h.control("POST", "ecr/push", { repository: "orders/web", tags: ["1.4.2"], create: true })) as { repositoryUri: string };
    const secret = await h.clients.secretsManager.send(new CreateSecretCommand({ Name: "orders/db", SecretString: secretValue }));
    const registered = await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "orders",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        executionRoleArn: "arn:aws:iam::000000000000:role/orders-execution",
        containerDefinitions: [
          {
            name: "web",
            image: `${pushed.repositoryUri}:1.4.2`,
            portMappings: [{ containerPort: 8080, protocol: "tcp", name: "http" }],
            environment: [{ name: "LOG_LEVEL", value: "info" }, { name: "FEATURE_X", value: "on" }],
            secrets: [{ name: "DB_PASSWORD", valueFrom: secret.ARN ?? "" }],
          },
        ],
      }),
    );
    revision = registered.taskDefinition?.taskDefinitionArn ?? "";
    const [alb, nlb] = await loadBalancedGroups(h, "orders", 2);
    // Created as another tool would: every member set explicitly (slipway's step is only the way to create it here).
    const live = (cluster: string, environment: string, change: object) =>
      deployService(
        webStep({
          service: "orders",
          desiredCount: 2,
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }],
          enableExecuteCommand: true,
          propagateTags: "SERVICE",
          serviceConnectConfiguration: { enabled: true, namespace, services: [{ portName: "http", clientAliases: [{ port: 80, dnsName: "orders" }] }] },
          deployment: { alarms: { alarmNames: ["orders-5xx"], enable: true, rollback: true } },
          loadBalancers: [{ targetGroupArn: alb ?? "", containerName: "web", containerPort: 8080 }, { targetGroupArn: nlb ?? "", containerName: "web", containerPort: 8080 }],
          tags: [{ key: "team", value: "orders" }, { key: "environment", value: environment }],
          launchType: undefined,
          loadBalancer: undefined,
          ...change,
        }),
        context(h, { target: { environment, region: h.region, cluster, endpoint: h.url } }),
        options({ override: revision }),
      );
    await live("shop-dev", "dev", {});
    // prod walks canaries: an EXTERNAL service whose primary task set runs on FARGATE_SPOT behind a weighted pair of groups.
    prod = await shop(h, "orders-prod", "shop-prod");
    const { launchType: _replaced, ...canaryStep } = step(canaryFixture).raw;
    const deployed = await deployService(
      { file: canaryFixture, raw: { ...canaryStep, service: "orders", desiredCount: 4, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], propagateTags: "SERVICE", tags: [{ key: "team", value: "orders" }, { key: "environment", value: "prod" }] } },
      taskSetContext(h, prod, { target: { ...prod.target, environment: "prod" } }),
      runOptions({ override: revision }),
    );
    expect(deployed.output?.status).toBe("SUCCESSFUL");
  });
  afterAll(() => h.close());

  it("writes the project, the task definition step and the service step, and checks a dry run of each environment changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-init-"));
    const result = await runCli("init", "--service", "orders", "--env", "dev=shop-dev", "--env", "prod=shop-prod", "--endpoint", h.url, "--region", h.region, "--dir", dir);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out.filter((l) => l.startsWith("checked:"))).toEqual([
      expect.stringMatching(/against dev with orders:1 changes nothing$/),
      expect.stringMatching(/against prod with orders:1 changes nothing$/),
    ]);

    // What both environments share sits at the step's level; each one's own under environments: — dev rolls, prod walks canaries.
    const service = parse(readFileSync(join(dir, "steps/orders.service.yaml"), "utf8")) as { environments: Record<string, Record<string, unknown>> } & Record<string, unknown>;
    expect(service).toMatchObject({ service: "orders", propagateTags: "SERVICE", network: { subnets: ["subnet-aaa", "subnet-bbb"] } });
    expect(service.environments.dev).toMatchObject({ desiredCount: 2, enableExecuteCommand: true, serviceConnectConfiguration: { enabled: true, namespace }, deployment: { alarms: { alarmNames: ["orders-5xx"] } }, capacityProviderStrategy: [{ capacityProvider: "FARGATE" }, { capacityProvider: "FARGATE_SPOT" }] });
    expect(service.environments.dev?.loadBalancers).toHaveLength(2);
    expect(service.environments.prod).toEqual({
      mode: "canary",
      desiredCount: 4,
      loadBalancer: { containerName: "web", containerPort: 8080 },
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      tags: [{ key: "team", value: "orders" }, { key: "environment", value: "prod" }],
    });
    const targets = parse(readFileSync(join(dir, "targets.yaml"), "utf8")) as { targets: Record<string, Record<string, unknown>> };
    expect(targets.targets.prod?.loadBalancer).toEqual({ listener: prod.listenerArn, targetGroups: { primary: prod.primary, canary: prod.canary } });
    expect(targets.targets.dev?.loadBalancer).toBeUndefined();

    const taskdef = parse(readFileSync(join(dir, "steps/orders.taskdef.yaml"), "utf8")) as { family: string; images: object; variables: object; definition: { containerDefinitions: { image: string; environment: object[]; secrets: object[] }[] } };
    expect(taskdef.family).toBe("orders");
    expect(taskdef.images).toEqual({ web: { tag: "1.4.2" } });
    expect(taskdef.variables).toEqual({ default: { LOG_LEVEL: "info", FEATURE_X: "on" } });
    expect(taskdef.definition.containerDefinitions[0]?.image).toBe("orders/web");
    expect(taskdef.definition.containerDefinitions[0]?.secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: expect.stringContaining(":secret:orders/db") }]);
    for (const file of ["slipway.yaml", "targets.yaml", "steps/orders.taskdef.yaml", "steps/orders.service.yaml"]) expect(readFileSync(join(dir, file), "utf8")).not.toContain(secretValue);

    const validated = await runCli("validate", join(dir, "slipway.yaml"));
    expect(validated.err).toBe("");
    expect(validated.code).toBe(0);

    // A release's first dry run: the one change is slipway's own — the running image pinned by its digest, in a
    // revision slipway registers for the environment; every other line of the definition is as it runs.
    expect((await runCli("release", "create", "1.0.0", "--project", join(dir, "slipway.yaml"))).code).toBe(0);
    const dry = await runCli("deploy", "1.0.0", "--to", "dev", "--dry-run", "--project", join(dir, "slipway.yaml"));
    expect(dry.code).toBe(0);
    const serviceDiff = dry.out.slice(dry.out.findIndex((l) => l.startsWith("step \"orders service\"")));
    expect(serviceDiff.filter((l) => /^ {2}[-+] /.test(l))).toEqual([expect.stringMatching(/^ {2}- +"image": ".*\/orders\/web:1\.4\.2",$/), expect.stringMatching(/^ {2}\+ +"image": ".*\/orders\/web@sha256:[0-9a-f]{64}",$/)]);
  });

  it("refuses to overwrite a project, and names the files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-init-"));
    const args = ["init", "--service", "orders", "--cluster", "shop-dev", "--env", "dev", "--endpoint", h.url, "--region", h.region, "--dir", dir];
    expect((await runCli(...args)).code).toBe(0);
    const again = await runCli(...args);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/would overwrite .*slipway\.yaml.*--force/s);
    expect(existsSync(join(dir, "steps/orders.service.yaml"))).toBe(true);
  });

  it("says which service is missing, and where", async () => {
    const result = await runCli("init", "--service", "nope", "--cluster", "shop-dev", "--env", "dev", "--endpoint", h.url, "--region", h.region, "--dir", mkdtempSync(join(tmpdir(), "slipway-init-")));
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/The dev cluster "shop-dev" has no service "nope"/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});

/** A service a team put on ECS's own CANARY strategy with its own calls: init writes mode: ecs-canary, and a dry run changes nothing. */
describe("slipway init from a service on ECS's canary strategy", () => {
  let s: NativeShop;
  beforeAll(async () => {
    s = await nativeShop();
    const advancedConfiguration = { alternateTargetGroupArn: s.green, productionListenerRule: s.productionRuleArn, roleArn: "arn:aws:iam::000000000000:role/shop-ecs-lb" };
    await s.h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "shop-dev",
        serviceName: "shop-web",
        taskDefinition: s.v1,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-aaa"], securityGroups: ["sg-ccc"], assignPublicIp: "DISABLED" } },
        deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: 15, canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 }, deploymentCircuitBreaker: { enable: false, rollback: false } },
        loadBalancers: [{ targetGroupArn: s.blue, containerName: "web", containerPort: 8080, advancedConfiguration }],
      }),
    );
    // Its approval, a pause hook added later (UpdateService's deployment configuration starts no deployment).
    await s.h.clients.ecs.send(
      new UpdateServiceCommand({
        cluster: "shop-dev",
        service: "shop-web",
        deploymentConfiguration: {
          strategy: "CANARY",
          bakeTimeInMinutes: 15,
          canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 },
          deploymentCircuitBreaker: { enable: false, rollback: false },
          lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"], timeoutConfiguration: { timeoutInMinutes: 90, action: "CONTINUE" } }],
        },
      }),
    );
  });
  afterAll(() => s.close());

  it("writes mode: ecs-canary with the strategy's settings, its role and its pause hook as an approval, the groups and listener in the target", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-init-native-"));
    const result = await runCli("init", "--service", "shop-web", "--env", "dev=shop-dev", "--endpoint", s.h.url, "--region", s.h.region, "--dir", dir);
    expect(result.code, result.err).toBe(0);
    expect(result.out.filter((l) => l.startsWith("checked:"))).toEqual([expect.stringMatching(/against dev with shop-web:1 changes nothing$/)]);
    const service = parse(readFileSync(join(dir, "steps/shop-web.service.yaml"), "utf8")) as Record<string, unknown>;
    expect(service).toMatchObject({
      service: "shop-web",
      mode: "ecs-canary",
      desiredCount: 2,
      loadBalancer: { containerName: "web", containerPort: 8080 },
      deployment: { bakeTimeInMinutes: 15, canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 } },
      loadBalancerRole: "shop-ecs-lb",
      approvals: [{ at: "POST_TEST_TRAFFIC_SHIFT", timeoutMinutes: 90, onTimeout: "CONTINUE" }],
    });
    expect(service.loadBalancers).toBeUndefined();
    expect((service.deployment as Record<string, unknown>).circuitBreaker).toBeUndefined();
    const targets = parse(readFileSync(join(dir, "targets.yaml"), "utf8")) as { targets: Record<string, Record<string, unknown>> };
    expect(targets.targets.dev?.loadBalancer).toEqual({ listener: s.listenerArn, targetGroups: { primary: s.blue, canary: s.green } });
    const validated = await runCli("validate", join(dir, "slipway.yaml"));
    expect(validated).toMatchObject({ code: 0, err: "" });
  });
});

describe("what slipway init cannot reproduce", () => {
  it("refuses a CodeDeploy service, saying why and how to move it", () => {
    const service: Service = { serviceName: "legacy", deploymentController: { type: "CODE_DEPLOY" } };
    expect(() => stepFromService(service)).toThrow(ConflictError);
    expect(() => stepFromService(service)).toThrow(/CODE_DEPLOY .* CodeDeploy, which slipway does not drive/);
  });

  it("writes a step for ECS's own strategies only as slipway would keep them, and refuses a service behind a Classic Load Balancer", () => {
    const group = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0a1b2c3d4e5f6a7b`;
    const advancedConfiguration = { alternateTargetGroupArn: group("green"), productionListenerRule: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/3", roleArn: "arn:aws:iam::210987654321:role/ecs-lb" };
    const linear: Service = {
      serviceName: "web",
      desiredCount: 3,
      deploymentController: { type: "ECS" },
      deploymentConfiguration: { strategy: "LINEAR", minimumHealthyPercent: 100, maximumPercent: 200, bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 1 } },
      loadBalancers: [{ targetGroupArn: group("blue"), containerName: "web", containerPort: 80, advancedConfiguration }],
    };
    // A role in another account stays an ARN.
    expect(stepFromService(linear)).toEqual({ service: "web", mode: "ecs-linear", desiredCount: 3, loadBalancer: { containerName: "web", containerPort: 80 }, deployment: { minimumHealthyPercent: 100, maximumPercent: 200, bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 1 } }, loadBalancerRole: "arn:aws:iam::210987654321:role/ecs-lb" });
    const bg = (change: Partial<Service>): Service => ({ ...linear, ...change, deploymentConfiguration: { strategy: "BLUE_GREEN", ...change.deploymentConfiguration } });
    expect(() => stepFromService(bg({ loadBalancers: [] }))).toThrow(/deploys with ECS's BLUE_GREEN strategy, but not behind one target group with an alternate/);
    expect(() => stepFromService(bg({ loadBalancers: [{ ...linear.loadBalancers?.[0], advancedConfiguration: { ...advancedConfiguration, testListenerRule: "arn:test" } }] }))).toThrow(/with the test listener rule arn:test, which slipway would replace/);
    expect(() => stepFromService(bg({ deploymentConfiguration: { lifecycleHooks: [{ targetType: "AWS_LAMBDA", hookTargetArn: "arn:aws:lambda:us-east-1:123456789012:function:check", lifecycleStages: ["POST_SCALE_UP"] }] } }))).toThrow(/a lifecycle hook slipway cannot write \(AWS_LAMBDA at POST_SCALE_UP\)/);
    expect(() => stepFromService(bg({ deploymentConfiguration: { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRE_SCALE_UP", "POST_SCALE_UP"] }] } }))).toThrow(/PAUSE at PRE_SCALE_UP, POST_SCALE_UP/);
    expect(() => stepFromService({ serviceName: "old", deploymentController: { type: "ECS" }, loadBalancers: [{ loadBalancerName: "old-elb", containerName: "web", containerPort: 80 }] })).toThrow(/Classic Load Balancer old-elb/);
  });

  it("writes no task definition step for an image outside the account's ECR", () => {
    const adopted = taskDefinitionStepFrom({ family: "x", containerDefinitions: [{ name: "proxy", image: "public.ecr.aws/nginx/nginx:1.27" }] }, { account: "000000000000", region: "us-east-1" });
    expect(adopted).toEqual({ refused: expect.stringMatching(/"proxy" runs public\.ecr\.aws\/nginx\/nginx:1\.27, which is not in this account's ECR/) });
  });
});
