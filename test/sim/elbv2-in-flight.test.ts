import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateServiceCommand, DescribeTasksCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import {
  CreateRuleCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { Simulator } from "../../src/sim/simulator.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, imageBehaves, loadBalancedGroups, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "./elbv2-world.js";

/**
 * Requests that take simulated time on the simulated ALB: what cuts one in flight (502) and what does not, ECS
 * waiting for draining before it stops a task, and weight changes that take a while to reach the load balancer.
 * The clock is frozen throughout and moved by hand, so nothing here depends on how fast the machine is.
 */
interface Traffic {
  requestSeconds: number;
  weightPropagationSeconds: number;
  inFlight: number;
}

interface Reply {
  status: number;
  targetGroup: string | null;
  body: { error?: string; message?: string; target?: string; task?: string; targetGroup?: string };
}

const traffic = (h: SimHarness, body?: Partial<Traffic>) => h.control(body ? "PUT" : "GET", "elbv2/traffic", body) as Promise<Traffic>;
const advance = (h: SimHarness, seconds: number) => h.control("POST", "clock", { advanceSeconds: seconds });

async function frontendUrl(h: SimHarness, listenerArn: string): Promise<string> {
  const all = (await h.control("GET", "elbv2/frontends")) as { listenerArn: string; url: string }[];
  const found = all.find((f) => f.listenerArn === listenerArn);
  if (!found) throw new Error(`no frontend for ${listenerArn}`);
  return found.url;
}

async function get(url: string): Promise<Reply> {
  const res = await fetch(url);
  return { status: res.status, targetGroup: res.headers.get("x-slipway-target-group"), body: (await res.json()) as Reply["body"] };
}

/**
 * Starts a request and resolves once the simulator holds it in flight, so what the test does next happens after it
 * arrived. The reply comes wrapped: an async function returning a promise would wait for it.
 */
async function inFlight(h: SimHarness, url: string): Promise<{ reply: Promise<Reply> }> {
  const before = (await traffic(h)).inFlight;
  const reply = get(url);
  for (;;) {
    if ((await traffic(h)).inFlight > before) return { reply };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function deregistrationDelay(h: SimHarness, group: string, seconds: number): Promise<void> {
  await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: String(seconds) }] }));
}

describe("requests in flight on the simulated ALB", () => {
  let h: SimHarness;
  let group: string;
  let listener: string;
  let url: string;
  let next = 1;

  beforeAll(async () => {
    h = await startSim({ speed: 0 });
    const lb = await createAlb(h, "inflight");
    group = await createTargetGroup(h, "inflight-tg");
    listener = await createListener(h, lb, 80, forwardTo([group, 1]));
    url = await frontendUrl(h, listener);
    await traffic(h, { requestSeconds: 2 });
  });
  afterAll(() => h.close());

  /** Registers a fresh target and lets it turn healthy (5 health checks of 30 s); the group has no other healthy one. */
  async function healthyTarget(): Promise<string> {
    const id = `10.0.9.${next++}`;
    await h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: id }] }));
    await advance(h, 155);
    return id;
  }

  it("answers a request when its duration has passed in simulated time, not before", async () => {
    const id = await healthyTarget();
    const { reply } = await inFlight(h, url);
    await advance(h, 1.5);
    expect((await traffic(h)).inFlight).toBe(1);
    await advance(h, 0.5);
    expect(await reply).toMatchObject({ status: 200, targetGroup: "inflight-tg", body: { target: `${id}:8080` } });
    expect((await traffic(h)).inFlight).toBe(0);
    await h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: id }] }));
    await advance(h, 300);
  });

  it("lets a request to a draining target finish when it completes before the deregistration delay ends", async () => {
    await deregistrationDelay(h, group, 10);
    const id = await healthyTarget();
    const { reply } = await inFlight(h, url);
    await h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: id }] }));
    // Draining: no new requests for the target (it was the only one), the one in flight carries on.
    expect((await get(url)).status).toBe(503);
    await advance(h, 2);
    expect(await reply).toMatchObject({ status: 200, body: { target: `${id}:8080` } });
    await advance(h, 10);
  });

  it("answers 502 when the deregistration delay ends while the target still handles the request", async () => {
    await deregistrationDelay(h, group, 1);
    const id = await healthyTarget();
    const { reply } = await inFlight(h, url);
    await h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: id }] }));
    await advance(h, 5);
    const { status, body } = await reply;
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: "BadGateway", targetGroup: "inflight-tg", target: `${id}:8080` });
    expect(body.message).toContain("deregistration delay");
  });

  it("answers 502 when a target with no deregistration delay is deregistered with a request open", async () => {
    await deregistrationDelay(h, group, 0);
    const id = await healthyTarget();
    const { reply } = await inFlight(h, url);
    await h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: id }] }));
    await advance(h, 2);
    expect(await reply).toMatchObject({ status: 502, body: { error: "BadGateway", target: `${id}:8080` } });
  });

  it("is not cut by a weight change: the request keeps the target it was routed to", async () => {
    await deregistrationDelay(h, group, 300);
    const id = await healthyTarget();
    const other = await createTargetGroup(h, "inflight-other");
    const { reply } = await inFlight(h, url);
    await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([group, 0], [other, 1]) }));
    await advance(h, 2);
    expect(await reply).toMatchObject({ status: 200, targetGroup: "inflight-tg", body: { target: `${id}:8080` } });
    await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([group, 1]) }));
  });

  it("checks its traffic settings", async () => {
    for (const bad of [{ requestSeconds: -1 }, { requestSeconds: "2" }, { weightPropagationSeconds: null }, { requestSecond: 1 }]) {
      const res = await fetch(`${h.url}/_sim/elbv2/traffic`, { method: "PUT", body: JSON.stringify(bad) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("BadRequest");
    }
    expect(await traffic(h)).toEqual({ requestSeconds: 2, weightPropagationSeconds: 0, inFlight: 0 });
    const sim = new Simulator({ requestSeconds: 3, weightPropagationSeconds: 45 });
    expect(sim.elbv2.traffic).toEqual({ requestSeconds: 3, weightPropagationSeconds: 45 });
    expect(() => new Simulator({ requestSeconds: -1 })).toThrow(/requestSeconds/);
    expect(new Simulator().elbv2.traffic).toEqual({ requestSeconds: 0, weightPropagationSeconds: 0 });
  });
});

describe("ECS tasks behind the simulated ALB stop only once drained", () => {
  let h: SimHarness;

  beforeAll(async () => {
    h = await startSim({ speed: 0 });
    await createCluster(h, "drain");
    await traffic(h, { requestSeconds: 20 });
  });
  afterAll(() => h.close());

  /** A service of one task behind a load balancer of its own (deregistration delay 30 s); its task RUNNING, and the frontend's URL. */
  async function runningTask(service: string, image: string): Promise<{ task: string; url: string }> {
    const [group] = await loadBalancedGroups(h, service, 1);
    // Health checks off: a target serves as soon as it is registered (state "unavailable"), so a crashing task takes traffic.
    await h.clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: group, HealthCheckEnabled: false }));
    await deregistrationDelay(h, group ?? "", 30);
    await registerWeb(h, service, image);
    await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "drain",
        serviceName: service,
        taskDefinition: service,
        desiredCount: 1,
        launchType: "FARGATE",
        networkConfiguration: network,
        loadBalancers: [{ targetGroupArn: group, containerName: "web", containerPort: 8080 }],
      }),
    );
    await advance(h, 20); // PROVISIONING 5 s, PENDING 15 s: RUNNING and registered.
    const [task] = await serviceTasks(h, "drain", service);
    expect(task?.lastStatus).toBe("RUNNING");
    const frontends = (await h.control("GET", "elbv2/frontends")) as { loadBalancerName: string; url: string }[];
    return { task: task?.taskArn ?? "", url: frontends.find((f) => f.loadBalancerName === `${service}-alb`)?.url ?? "" };
  }

  const lastStatus = async (taskArn: string) => (await h.clients.ecs.send(new DescribeTasksCommand({ cluster: "drain", tasks: [taskArn] }))).tasks?.[0]?.lastStatus;

  it("keeps a stopped task DEACTIVATING for the group's deregistration delay, then sends SIGTERM; a request still open then is a 502", async () => {
    const { task, url } = await runningTask("steady", "shop/web:1.0.0");
    await traffic(h, { requestSeconds: 40 });
    const long = await inFlight(h, url);
    await traffic(h, { requestSeconds: 20 });
    const short = await inFlight(h, url);
    await h.clients.ecs.send(new StopTaskCommand({ cluster: "drain", task }));
    expect(await lastStatus(task)).toBe("DEACTIVATING");
    await advance(h, 20);
    // Done within the delay: answered while the task drains.
    expect(await short.reply).toMatchObject({ status: 200, body: { task: task.replace(/^.*\//, "") } });
    await advance(h, 9);
    expect(await lastStatus(task)).toBe("DEACTIVATING");
    await advance(h, 1);
    expect(await lastStatus(task)).toBe("STOPPING");
    await advance(h, 10);
    const { status, body } = await long.reply;
    expect(status).toBe(502);
    expect(body.message).toContain("deregistration delay");
    expect(await lastStatus(task)).toBe("STOPPED");
  });

  it("answers 502 for a request open when the task's essential container exits", async () => {
    await imageBehaves(h, "shop/web:9.9.9", "crash");
    const { task, url } = await runningTask("crashy", "shop/web:9.9.9");
    const { reply } = await inFlight(h, url);
    await advance(h, 10); // the container exits 10 s after RUNNING; the target drains for 30 s more.
    expect(await lastStatus(task)).toBe("DEACTIVATING");
    await advance(h, 10);
    const { status, body } = await reply;
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: "BadGateway", task: task.replace(/^.*\//, "") });
    expect(body.message).toContain("closed the connection");
  });
});

describe("weight propagation on the simulated ALB", () => {
  let h: SimHarness;
  let blue: string;
  let green: string;
  let listener: string;
  let url: string;

  const route = async (path = "/") => {
    const plan = (await h.control("POST", "elbv2/route", { listenerArn: listener, path })) as { rule: { previousActionsUntil?: string }; targetGroups: { targetGroupName: string; weight: number }[] };
    return { until: plan.rule.previousActionsUntil, weights: Object.fromEntries(plan.targetGroups.map((g) => [g.targetGroupName, g.weight])) };
  };

  beforeAll(async () => {
    h = await startSim({ speed: 0, weightPropagationSeconds: 30 });
    const lb = await createAlb(h, "weights");
    blue = await createTargetGroup(h, "weights-blue");
    green = await createTargetGroup(h, "weights-green");
    listener = await createListener(h, lb, 80, forwardTo([blue, 100], [green, 0]));
    await h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: blue, Targets: [{ Id: "10.0.7.1" }] }));
    await h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: green, Targets: [{ Id: "10.0.7.2" }] }));
    await advance(h, 155);
    url = await frontendUrl(h, listener);
  });
  afterAll(() => h.close());

  it("forwards by a listener's previous weights until the change has propagated; the API and the route control say so", async () => {
    await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([blue, 0], [green, 100]) }));
    const described = (await h.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }))).Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups;
    expect(described?.map((g) => g.Weight)).toEqual([0, 100]);
    for (let i = 0; i < 4; i++) expect((await get(url)).targetGroup).toBe("weights-blue");
    expect(await route()).toMatchObject({ weights: { "weights-blue": 100, "weights-green": 0 } });
    expect((await route()).until).toBeDefined();
    await advance(h, 29);
    expect((await get(url)).targetGroup).toBe("weights-blue");
    await advance(h, 1);
    for (let i = 0; i < 4; i++) expect((await get(url)).targetGroup).toBe("weights-green");
    expect(await route()).toEqual({ weights: { "weights-blue": 0, "weights-green": 100 } });
  });

  it("delays a rule's new actions too, but matches a new rule at once", async () => {
    const created = await h.clients.elbv2.send(
      new CreateRuleCommand({ ListenerArn: listener, Priority: 10, Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/canary*"] } }], Actions: forwardTo([blue, 1]) }),
    );
    // Creation is not a change that propagates: the rule forwards to blue straight away.
    expect((await get(`${url}/canary`)).targetGroup).toBe("weights-blue");
    await h.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: created.Rules?.[0]?.RuleArn ?? "", Actions: forwardTo([green, 1]) }));
    expect((await get(`${url}/canary`)).targetGroup).toBe("weights-blue");
    expect((await route("/canary")).weights).toEqual({ "weights-blue": 1 });
    await advance(h, 30);
    expect((await get(`${url}/canary`)).targetGroup).toBe("weights-green");
    expect(await route("/canary")).toEqual({ weights: { "weights-green": 1 } });
  });
});
