import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, type Problem } from "../../../src/errors.js";
import { settingsFor } from "../../../steps/service/input.js";
import { loadServiceStep, type LoadedServiceStep } from "../../../steps/service/load.js";
import { unusedNativeSettings } from "../../../steps/service/native/load-checks.js";

/**
 * ECS's own blue/green, linear and canary deployments as a step file writes them: each written to a file and read
 * as the CLI reads it, for a project with dev and prod.
 */
const dir = mkdtempSync(join(tmpdir(), "slipway-native-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A step's lines after the common ones: a two-task service on Fargate bound to the target's groups. */
function stepFile(lines: readonly string[], bound = true): string {
  const file = join(dir, `web-${++files}.service.yaml`);
  const common = ["service: shop-web", "taskDefinition: shop-web", "desiredCount: 2", "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }", ...(bound ? ["loadBalancer: { containerName: web, containerPort: 8080 }"] : [])];
  writeFileSync(file, [...common, ...lines, ""].join("\n"));
  return file;
}

function load(lines: readonly string[], bound = true): LoadedServiceStep {
  return loadServiceStep(stepFile(lines, bound), { environments: ["dev", "prod"] });
}

/** The InputError loading the lines throws, and its problems. */
function refused(lines: readonly string[], bound = true): { file: string; error: InputError; problems: Problem[] } {
  const file = stepFile(lines, bound);
  try {
    loadServiceStep(file, { environments: ["dev", "prod"] });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { file, error: e, problems: e.problems };
  }
  throw new Error(`${lines.join("; ")} was accepted`);
}

/** The one problem loading the lines reports, checked to name the file, a place in it and a fix. */
function onlyProblem(lines: readonly string[], bound = true): Problem {
  const { file, error, problems } = refused(lines, bound);
  expect(problems.map((p) => `${p.path} ${p.message}`)).toHaveLength(1);
  const [problem] = problems as [Problem];
  expect(error.message).toContain(file);
  expect(problem.file).toBe(file);
  expect(problem.line).toBeGreaterThan(0);
  expect(problem.hint).not.toBe("");
  return problem;
}

describe("ECS's deployment strategies in a service step", () => {
  it("loads each mode with ECS's defaults filled in", () => {
    const common = { bakeTimeInMinutes: 5, loadBalancerRole: "ecsInfrastructureRoleForLoadBalancers", approvals: [] };
    expect(settingsFor(load(["mode: ecs-blue-green"]).raw, "dev").native).toEqual({ strategy: "BLUE_GREEN", ...common });
    expect(settingsFor(load(["mode: ecs-linear"]).raw, "dev").native).toEqual({ strategy: "LINEAR", ...common, linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 6 } });
    expect(settingsFor(load(["mode: ecs-canary"]).raw, "prod").native).toEqual({ strategy: "CANARY", ...common, canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } });
    const verified = settingsFor(load(["mode: ecs-blue-green", "verification:", "  header: { name: X-Slipway-Verify, values: [green] }", "approvals:", "  - at: POST_TEST_TRAFFIC_SHIFT"]).raw, "dev").native;
    expect(verified?.verification).toEqual({ matches: { header: { name: "X-Slipway-Verify", values: ["green"] } }, scope: { hosts: [], paths: [] }, timeoutMinutes: 60 });
    expect(verified?.approvals).toEqual([{ at: "POST_TEST_TRAFFIC_SHIFT", timeoutMinutes: 1440, onTimeout: "ROLLBACK" }]);
  });

  it("lets each environment have its own mode and settings: dev rolling, prod ecs-canary with its own canaryConfiguration", () => {
    const { raw } = load([
      "mode: rolling",
      "deployment:",
      "  bakeTimeInMinutes: 15",
      "  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }",
      "approvals:",
      "  - { at: PRE_PRODUCTION_TRAFFIC_SHIFT, environments: [prod] }",
      "environments:",
      "  prod:",
      "    mode: ecs-canary",
      "    loadBalancerRole: arn:aws:iam::123456789012:role/shop-ecs-lb",
      "    deployment:",
      "      canaryConfiguration: { canaryPercent: 2.5 }",
    ]);
    const dev = settingsFor(raw, "dev");
    expect(dev.mode).toBe("rolling");
    expect(dev.native).toBeUndefined();
    expect(dev.deployment.circuitBreaker).toEqual({ enable: true, rollback: true });
    // The environment's canaryConfiguration replaces the step's whole (ECS's default fills what it leaves out).
    expect(settingsFor(raw, "prod").native).toEqual({
      strategy: "CANARY",
      bakeTimeInMinutes: 15,
      canaryConfiguration: { canaryPercent: 2.5, canaryBakeTimeInMinutes: 10 },
      loadBalancerRole: "arn:aws:iam::123456789012:role/shop-ecs-lb",
      approvals: [{ at: "PRE_PRODUCTION_TRAFFIC_SHIFT", timeoutMinutes: 1440, onTimeout: "ROLLBACK" }],
    });
  });

  it("holds each value to ECS's range, saying where and what to write", () => {
    const range = (lines: string[]) => {
      const p = onlyProblem(["mode: ecs-linear", ...lines]);
      return `${p.path} ${p.message} ${p.hint}`;
    };
    expect(range(["deployment: { linearConfiguration: { stepPercent: 2.9 } }"])).toMatch(/^\/deployment\/linearConfiguration\/stepPercent "stepPercent" is 2\.9, but must be at least 3\. Use a number from 3 to 100\./);
    expect(range(["deployment: { linearConfiguration: { stepPercent: 100.1 } }"])).toMatch(/^\/deployment\/linearConfiguration\/stepPercent /);
    expect(range(["deployment: { linearConfiguration: { stepBakeTimeInMinutes: 1441 } }"])).toMatch(/^\/deployment\/linearConfiguration\/stepBakeTimeInMinutes .*from 0 to 1440/);
    expect(range(["deployment: { bakeTimeInMinutes: -1 }"])).toMatch(/^\/deployment\/bakeTimeInMinutes .*from 0 to 1440/);
    expect(range(["deployment: { bakeTimeInMinutes: 1441 }"])).toMatch(/^\/deployment\/bakeTimeInMinutes /);
    expect(range(["approvals: [{ at: POST_SCALE_UP, timeoutMinutes: 0 }]"])).toMatch(/^\/approvals\/0\/timeoutMinutes .*from 1 to 20160/);
    expect(range(["approvals: [{ at: POST_SCALE_UP, timeoutMinutes: 20161 }]"])).toMatch(/^\/approvals\/0\/timeoutMinutes /);
    expect(range(["verification: { header: { name: X-V, values: [g] }, timeoutMinutes: 20161 }"])).toMatch(/^\/verification\/timeoutMinutes .*from 1 to 20160/);
    const canary = (lines: string[]) => onlyProblem(["mode: ecs-canary", ...lines]);
    expect(canary(["deployment: { canaryConfiguration: { canaryPercent: 0 } }"])).toMatchObject({ path: "/deployment/canaryConfiguration/canaryPercent", hint: expect.stringMatching(/from 0\.1 to 100/) });
    expect(canary(["deployment: { canaryConfiguration: { canaryPercent: 101 } }"]).path).toBe("/deployment/canaryConfiguration/canaryPercent");
    expect(canary(["deployment: { canaryConfiguration: { canaryBakeTimeInMinutes: 1441 } }"]).path).toBe("/deployment/canaryConfiguration/canaryBakeTimeInMinutes");
    // The edges themselves are ECS's to take.
    expect(() => load(["mode: ecs-linear", "deployment: { bakeTimeInMinutes: 1440, linearConfiguration: { stepPercent: 3, stepBakeTimeInMinutes: 0 } }", "approvals: [{ at: PRE_SCALE_UP, timeoutMinutes: 20160 }]"])).not.toThrow();
    expect(() => load(["mode: ecs-canary", "deployment: { bakeTimeInMinutes: 0, canaryConfiguration: { canaryPercent: 0.1, canaryBakeTimeInMinutes: 1440 } }"])).not.toThrow();
    expect(() => load(["mode: ecs-canary", "deployment: { canaryConfiguration: { canaryPercent: 100 } }"])).not.toThrow();
  });

  it("pauses only at the five stages ECS allows a pause hook at", () => {
    for (const at of ["PRE_SCALE_UP", "POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"]) {
      expect(settingsFor(load(["mode: ecs-blue-green", `approvals: [{ at: ${at} }]`]).raw, "dev").native?.approvals[0]?.at).toBe(at);
    }
    const test = onlyProblem(["mode: ecs-blue-green", "approvals:", "  - at: TEST_TRAFFIC_SHIFT"]);
    expect(test).toMatchObject({ path: "/approvals/0/at", line: 8, hint: "Did you mean at: POST_TEST_TRAFFIC_SHIFT?" });
    expect(test.message).toMatch(/"TEST_TRAFFIC_SHIFT" is not one of the values allowed for "at": PRE_SCALE_UP, POST_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT/);
    expect(onlyProblem(["mode: ecs-blue-green", "approvals: [{ at: PRODUCTION_TRAFFIC_SHIFT }]"]).path).toBe("/approvals/0/at");
    expect(onlyProblem(["mode: ecs-blue-green", "approvals: [{ at: RECONCILE_SERVICE }]"]).path).toBe("/approvals/0/at");
  });

  it("takes percentages in tenths, as ECS does, and says which tenth to write", () => {
    expect(settingsFor(load(["mode: ecs-linear", "deployment: { linearConfiguration: { stepPercent: 3.3 } }"]).raw, "dev").native?.linearConfiguration?.stepPercent).toBe(3.3);
    expect(() => load(["mode: ecs-canary", "deployment: { canaryConfiguration: { canaryPercent: 0.7 } }"])).not.toThrow();
    expect(onlyProblem(["mode: ecs-linear", "deployment:", "  linearConfiguration: { stepPercent: 33.33 }"])).toMatchObject({
      path: "/deployment/linearConfiguration/stepPercent",
      line: 8,
      message: "stepPercent 33.33 is not a multiple of 0.1: ECS takes 3.0 to 100.0 in tenths.",
      hint: "Write 33.3.",
    });
    expect(onlyProblem(["mode: ecs-canary", "environments:", "  prod:", "    deployment: { canaryConfiguration: { canaryPercent: 0.15 } }"])).toMatchObject({ path: "/environments/prod/deployment/canaryConfiguration/canaryPercent", hint: "Write 0.2." });
    // A step-level value no environment uses yet is checked too: switching an environment's mode must not reveal it.
    expect(onlyProblem(["mode: rolling", "deployment: { canaryConfiguration: { canaryPercent: 12.34 } }"])).toMatchObject({ path: "/deployment/canaryConfiguration/canaryPercent", hint: "Write 12.3." });
  });

  it("refuses a strategy's configuration under another strategy, where it is written", () => {
    const linear = onlyProblem(["mode: ecs-canary", "deployment:", "  linearConfiguration: { stepPercent: 20 }"]);
    expect(linear).toMatchObject({ path: "/deployment/linearConfiguration", line: 8, message: "deployment.linearConfiguration only applies to mode: ecs-linear; the step deploys with mode: ecs-canary, and no environment that sets its own mode uses it." });
    expect(linear.hint).toMatch(/^Remove it, or set mode: ecs-linear/);
    const own = onlyProblem(["mode: ecs-linear", "environments:", "  prod:", "    mode: ecs-canary", "    deployment:", "      linearConfiguration: { stepPercent: 20 }"]);
    expect(own).toMatchObject({ path: "/environments/prod/deployment/linearConfiguration", message: "deployment.linearConfiguration only applies to mode: ecs-linear; prod deploys with mode: ecs-canary.", hint: "Remove it, or set mode: ecs-linear under environments: prod:." });
    const rolling = onlyProblem(["mode: rolling", "environments:", "  dev:", "    deployment: { canaryConfiguration: { canaryPercent: 10 } }", "  prod:", "    mode: ecs-canary"]);
    expect(rolling).toMatchObject({ path: "/environments/dev/deployment/canaryConfiguration", message: "deployment.canaryConfiguration only applies to mode: ecs-canary; dev deploys with mode: rolling." });
    const verification = onlyProblem(["mode: canary", "environments:", "  dev:", "    verification: { query: { key: verify, value: green } }"]);
    expect(verification).toMatchObject({ path: "/environments/dev/verification", message: "verification only applies to mode: ecs-blue-green, ecs-linear or ecs-canary; dev deploys with mode: canary." });
    expect(verification.hint).toMatch(/Under mode: canary, verification and approval are stages\.$/);
    // A step-level configuration for one strategy is the default for the environments that use it.
    const mixed = settingsFor(load(["mode: ecs-linear", "deployment: { linearConfiguration: { stepPercent: 20 } }", "environments:", "  prod: { mode: ecs-canary }"]).raw, "dev");
    expect(mixed.native?.linearConfiguration).toEqual({ stepPercent: 20, stepBakeTimeInMinutes: 6 });
  });

  it("takes one test listener rule: a header or a query parameter, not both", () => {
    expect(settingsFor(load(["mode: ecs-linear", "verification: { query: { key: verify, value: green } }"]).raw, "dev").native?.verification?.matches).toEqual({ query: { key: "verify", value: "green" } });
    const both = onlyProblem(["mode: ecs-linear", "verification:", "  header: { name: X-Slipway-Verify, values: [green] }", "  query: { key: verify, value: green }"]);
    expect(both).toMatchObject({ path: "/verification/query", line: 9, hint: "Keep one of header: and query:." });
    expect(both.message).toMatch(/^verification gives both a header and a query parameter: ECS takes one test listener rule/);
    expect(onlyProblem(["mode: ecs-linear", "verification: { scope: { paths: [/api/*] } }"])).toMatchObject({ path: "/verification", message: '"verification" needs one of: header, query.', hint: "Add one of them. For example: header: { name: X-Slipway-Verify, values: [ green ] }" });
  });

  it("takes one approval per lifecycle stage and environment", () => {
    const twice = onlyProblem(["mode: ecs-blue-green", "approvals:", "  - { at: POST_TEST_TRAFFIC_SHIFT, instructions: Check the dashboard }", "  - { at: POST_SCALE_UP }", "  - { at: POST_TEST_TRAFFIC_SHIFT, approvers: [alice] }"]);
    expect(twice).toMatchObject({ path: "/approvals/2/at", line: 10, message: "A second approval at POST_TEST_TRAFFIC_SHIFT (item 1 is one): ECS pauses once per lifecycle stage, so one person's go-ahead is asked there." });
    expect(twice.hint).toMatch(/^Keep one approval per at:/);
    expect(onlyProblem(["mode: ecs-blue-green", "approvals:", "  - { at: POST_SCALE_UP, environments: [prod] }", "  - { at: POST_SCALE_UP }"]).path).toBe("/approvals/1/at");
    // At one stage in different environments: one each.
    const split = load(["mode: ecs-blue-green", "approvals:", "  - { at: POST_SCALE_UP, environments: [dev], timeoutMinutes: 30 }", "  - { at: POST_SCALE_UP, environments: [prod] }"]).raw;
    expect(settingsFor(split, "dev").native?.approvals).toEqual([{ at: "POST_SCALE_UP", timeoutMinutes: 30, onTimeout: "ROLLBACK" }]);
    expect(settingsFor(split, "prod").native?.approvals).toEqual([{ at: "POST_SCALE_UP", timeoutMinutes: 1440, onTimeout: "ROLLBACK" }]);
    expect(onlyProblem(["mode: ecs-blue-green", "approvals: [{ at: POST_SCALE_UP, environments: [prdo] }]"])).toMatchObject({ path: "/approvals/0/environments/0", hint: 'Did you mean "prod"? The environments are: dev, prod.' });
    expect(onlyProblem(["mode: ecs-blue-green", "approvals: [{ at: POST_SCALE_UP }, { at: POST_SCALE_UP }, { at: PRE_SCALE_UP }, { at: POST_TEST_TRAFFIC_SHIFT }, { at: PRE_PRODUCTION_TRAFFIC_SHIFT }, { at: POST_PRODUCTION_TRAFFIC_SHIFT }]"]).path).toBe("/approvals");
  });

  it("needs the step's loadBalancer and no other target group", () => {
    const unbound = onlyProblem(["mode: ecs-canary"], false);
    expect(unbound).toMatchObject({ path: "/mode", line: 5, message: "mode: ecs-canary has ECS move production traffic between the target's two target groups, so the step needs a loadBalancer (in dev, prod): the container and port ECS registers in them." });
    expect(unbound.hint).toBe("Add loadBalancer: { containerName: web, containerPort: 8080 } (to the step, or under the environment).");
    expect(onlyProblem(["environments:", "  prod: { mode: ecs-linear }"], false)).toMatchObject({ path: "/environments/prod/mode", message: expect.stringMatching(/needs a loadBalancer \(in prod\)/) });
    expect(() => load(["environments:", "  prod: { mode: ecs-linear, loadBalancer: { containerName: web, containerPort: 8080 } }"], false)).not.toThrow();
    const extra = ["loadBalancers:", "  - { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-nlb/0a1b2c3d4e5f6a7b', containerName: web, containerPort: 8080 }"];
    const own = onlyProblem(["environments:", "  prod:", "    mode: ecs-blue-green", ...extra.map((l) => `    ${l}`)]);
    expect(own).toMatchObject({ path: "/environments/prod/loadBalancers", message: expect.stringMatching(/^loadBalancers: cannot be used with mode: ecs-blue-green \(in prod\): ECS's blue\/green, linear and canary deployments support one target group per service/) });
    expect(own.hint).toBe("Remove loadBalancers: here, or deploy this environment with mode: rolling.");
    // The step's, which prod inherits: the fix is to give it to the environments that deploy rolling.
    expect(onlyProblem([...extra, "environments:", "  prod: { mode: ecs-blue-green }"]).hint).toBe("Remove loadBalancers:, or move it under environments: dev: (they deploy with mode: rolling).");
  });

  it("refuses what ECS keeps for rolling updates: the circuit breaker and daemon services", () => {
    const breaker = onlyProblem(["mode: ecs-linear", "deployment:", "  circuitBreaker: { enable: true, rollback: true }"]);
    expect(breaker).toMatchObject({ path: "/deployment/circuitBreaker/enable", line: 8 });
    expect(breaker.message).toMatch(/^ECS's deployment circuit breaker is for rolling updates only \(in dev, prod\): ECS refuses it with mode: ecs-linear, which rolls back through its lifecycle/);
    expect(breaker.hint).toMatch(/^Remove circuitBreaker: \(mode: rolling has it on, with rollback, by default\)/);
    // Off (as slipway sends it for an ecs-* mode) is fine, and so is a rolling environment's own.
    expect(() => load(["mode: ecs-linear", "deployment: { circuitBreaker: { enable: false } }"])).not.toThrow();
    expect(() => load(["mode: ecs-linear", "environments:", "  dev: { mode: rolling, deployment: { circuitBreaker: { enable: true } } }"])).not.toThrow();
    expect(onlyProblem(["deployment: { circuitBreaker: { enable: true } }", "environments:", "  prod: { mode: ecs-canary }"]).hint).toMatch(/or move it under environments: dev: \(they deploy with mode: rolling\)\.$/);
    const daemon = refused(["mode: ecs-blue-green", "schedulingStrategy: DAEMON", "launchType: EC2"]).problems.find((p) => p.path === "/schedulingStrategy" && /mode: ecs-blue-green/.test(p.message));
    expect(daemon).toMatchObject({ message: expect.stringMatching(/^schedulingStrategy: DAEMON cannot be used with mode: ecs-blue-green \(in dev, prod\): ECS shifts traffic between revisions of a REPLICA service only/), hint: expect.stringMatching(/^Use mode: rolling for a daemon service/) });
  });

  it("refuses stages under an ecs-* mode, pointing to approvals and verification", () => {
    const stages = onlyProblem(["environments:", "  prod:", "    mode: ecs-canary", "    stages:", "      - approval: {}"]);
    expect(stages).toMatchObject({ path: "/environments/prod/stages", message: "stages: do not apply to mode: ecs-canary: ECS walks its deployment's lifecycle itself, and slipway waits at its stages." });
    expect(stages.hint).toMatch(/^Remove stages:\. For a person's go-ahead write approvals: \[ \{ at: POST_TEST_TRAFFIC_SHIFT \} \].*verification:/);
    expect(onlyProblem(["mode: ecs-linear", "stages: [{ approval: {} }]"]).path).toBe("/stages");
  });

  it("accepts the step's own native settings while no environment uses them, and says so in a warning", () => {
    const settings = ["deployment:", "  bakeTimeInMinutes: 30", "  linearConfiguration: { stepPercent: 20 }", "  canaryConfiguration: { canaryPercent: 10 }", "loadBalancerRole: shop-ecs-lb", "verification: { header: { name: X-Slipway-Verify, values: [green] } }", "approvals: [{ at: POST_TEST_TRAFFIC_SHIFT }]"];
    const { raw } = load(["mode: rolling", ...settings]);
    expect(settingsFor(raw, "prod").native).toBeUndefined();
    expect(unusedNativeSettings(raw, ["dev", "prod"])).toEqual([
      "deployment.bakeTimeInMinutes, deployment.linearConfiguration, deployment.canaryConfiguration, loadBalancerRole, verification and approvals apply to no environment (dev: rolling, prod: rolling): no environment deploys with an ecs-* mode. They take effect where an environment is given mode: ecs-linear (one line under environments: <name>:); remove them if none will be.",
    ]);
    // One line switches prod: every setting is prod's but the other strategy's configuration.
    const switched = load(["mode: rolling", ...settings, "environments:", "  prod: { mode: ecs-canary }"]).raw;
    expect(settingsFor(switched, "prod").native).toMatchObject({ strategy: "CANARY", bakeTimeInMinutes: 30, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 }, loadBalancerRole: "shop-ecs-lb", approvals: [{ at: "POST_TEST_TRAFFIC_SHIFT" }] });
    expect(unusedNativeSettings(switched, ["dev", "prod"])).toEqual([expect.stringMatching(/^deployment\.linearConfiguration applies to no environment \(dev: rolling, prod: ecs-canary\): no environment deploys with mode: ecs-linear\./)]);
    // Settings every native environment replaces with its own, and an approval limited to a rolling environment, reach none either.
    const replaced = load(["mode: rolling", "loadBalancerRole: shop-ecs-lb", "approvals: [{ at: POST_SCALE_UP }, { at: PRE_SCALE_UP, environments: [dev] }]", "environments:", "  prod: { mode: ecs-blue-green, loadBalancerRole: shop-prod-lb }"]).raw;
    expect(unusedNativeSettings(replaced, ["dev", "prod"])).toEqual([
      expect.stringMatching(/^loadBalancerRole applies to no environment \(dev: rolling, prod: ecs-blue-green\): every environment that deploys with mode: ecs-blue-green, ecs-linear or ecs-canary sets its own\./),
      expect.stringMatching(/^approvals item 2 \(at PRE_SCALE_UP, only in dev\) applies to no environment .*: none of its environments deploys with mode: ecs-blue-green, ecs-linear or ecs-canary\./),
    ]);
    expect(unusedNativeSettings(load(["mode: ecs-blue-green", "verification: { query: { key: v, value: g } }"]).raw, ["dev", "prod"])).toEqual([]);
  });
});
