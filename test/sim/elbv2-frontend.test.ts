import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateServiceCommand, CreateTaskSetCommand, UpdateServicePrimaryTaskSetCommand } from "@aws-sdk/client-ecs";
import { CreateRuleCommand, DeleteListenerCommand, DeleteLoadBalancerCommand, ModifyListenerCommand, type Action, type RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import { pickWeighted, RoundRobin } from "../../src/sim/elbv2/frontend-choice.js";
import { redirectLocation } from "../../src/sim/elbv2/redirect-location.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "./elbv2-world.js";

interface Frontend {
  loadBalancerName: string;
  loadBalancerArn: string;
  listenerArn: string;
  port: number;
  url: string;
}

interface Served {
  loadBalancer: string;
  listenerPort: number;
  rule: number | "default";
  targetGroup: string;
  revision?: string;
  taskSet?: string;
  task?: string;
  image?: string;
  tag?: string;
  error?: string;
  message?: string;
}

interface Pushed {
  repositoryUri: string;
  imageDigest: string;
}

const frontends = (h: SimHarness) => h.control("GET", "elbv2/frontends") as Promise<Frontend[]>;

async function frontendOf(h: SimHarness, listenerArn: string): Promise<string> {
  const found = (await frontends(h)).find((f) => f.listenerArn === listenerArn);
  if (!found) throw new Error(`no frontend for ${listenerArn}`);
  return found.url;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Served }> {
  const res = await fetch(url, { headers, redirect: "manual" });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Served };
}

/** Resolves with the error a request to a closed port fails with; a port that still answers fails the test. */
async function refused(url: string): Promise<Error> {
  return fetch(url).then(
    (res) => {
      throw new Error(`${url} still answers (${res.status})`);
    },
    (error: Error) => error,
  );
}

async function addRule(h: SimHarness, listenerArn: string, priority: number, conditions: RuleCondition[], actions: Action[]): Promise<void> {
  await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: conditions, Actions: actions }));
}

const pathIs = (path: string): RuleCondition[] => [{ Field: "path-pattern", PathPatternConfig: { Values: [path] } }];

describe("ALB frontends: real HTTP routed like ELBv2, answered with the revision that served it", () => {
  let h: SimHarness;
  let listener: string;
  let url: string;
  let primary: string;
  let canary: string;
  let green: Pushed;
  let blueImage: string;
  const taskSets: Record<string, string> = {};

  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "fe");
    const blue = (await h.control("POST", "ecr/push", { repository: "fe/web", tags: ["1.0.0"], create: true })) as Pushed;
    green = (await h.control("POST", "ecr/push", { repository: "fe/web", tags: ["2.0.0", "latest"] })) as Pushed;
    blueImage = `${blue.repositoryUri}:1.0.0`;
    const v1 = await registerWeb(h, "fe-web", blueImage);
    // The canary's image is pinned by digest, as slipway registers it; the reply names its tag from ECR.
    const v2 = await registerWeb(h, "fe-web", `${green.repositoryUri}@${green.imageDigest}`);

    const lb = await createAlb(h, "fe");
    primary = await createTargetGroup(h, "fe-blue");
    canary = await createTargetGroup(h, "fe-green");
    const empty = await createTargetGroup(h, "fe-empty");
    listener = await createListener(h, lb, 80, forwardTo([primary, 100], [canary, 0]));
    await addRule(h, listener, 1, [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Slipway-Verify", Values: ["tester"] } }], forwardTo([canary, 1]));
    await addRule(h, listener, 2, pathIs("/empty"), forwardTo([empty, 1]));
    await addRule(h, listener, 3, pathIs("/old"), [{ Type: "redirect", RedirectConfig: { Path: "/new", StatusCode: "HTTP_301" } }]);
    await addRule(h, listener, 4, pathIs("/teapot"), [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "418", ContentType: "text/plain", MessageBody: "short and stout" } }]);

    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "fe", serviceName: "web", desiredCount: 2, deploymentController: { type: "EXTERNAL" } }));
    const taskSet = async (taskDefinition: string, targetGroupArn: string, value: number) => {
      const out = await h.clients.ecs.send(
        new CreateTaskSetCommand({
          cluster: "fe",
          service: "web",
          taskDefinition,
          launchType: "FARGATE",
          networkConfiguration: network,
          loadBalancers: [{ targetGroupArn, containerName: "web", containerPort: 8080 }],
          scale: { unit: "PERCENT", value },
        }),
      );
      return out.taskSet?.id ?? "";
    };
    taskSets.blue = await taskSet(v1, primary, 100);
    await h.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "fe", service: "web", primaryTaskSet: taskSets.blue }));
    taskSets.green = await taskSet(v2, canary, 50);
    // Far past start-up and five 30 s health checks: every target is healthy and stays so.
    await advance(h, 400);
    url = await frontendOf(h, listener);
  });
  afterAll(() => h.close());

  it("lists each HTTP listener's frontend with the listener's port and a local URL", async () => {
    expect(await frontends(h)).toEqual([{ loadBalancerName: "fe", loadBalancerArn: expect.stringContaining(":loadbalancer/app/fe/") as string, listenerArn: listener, port: 80, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string }]);
  });

  it("serves the default action from the primary group, round robin over its healthy tasks", async () => {
    const replies = await Promise.all([1, 2, 3, 4].map(() => get(`${url}/`)));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ loadBalancer: "fe", listenerPort: 80, rule: "default", targetGroup: "fe-blue", revision: "fe-web:1", taskSet: taskSets.blue, image: blueImage });
      expect(reply.body.tag).toBeUndefined();
      expect(reply.headers.get("x-slipway-revision")).toBe("fe-web:1");
      expect(reply.headers.get("x-slipway-target-group")).toBe("fe-blue");
    }
    const blueTasks = (await serviceTasks(h, "fe", "web")).filter((t) => t.startedBy === taskSets.blue).map((t) => t.taskArn?.split("/").at(-1));
    expect(new Set(replies.map((r) => r.body.task))).toEqual(new Set(blueTasks));
    expect(blueTasks).toHaveLength(2);
  });

  it("sends a request with the verification header to the canary group, whose reply names the canary revision", async () => {
    const verified = await get(`${url}/anything?x=1`, { "X-Slipway-Verify": "tester" });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ rule: 1, targetGroup: "fe-green", revision: "fe-web:2", taskSet: taskSets.green, image: `${green.repositoryUri}@${green.imageDigest}`, tag: "2.0.0" });
    expect(verified.headers.get("x-slipway-revision")).toBe("fe-web:2");
    const other = await get(`${url}/anything`, { "X-Slipway-Verify": "someone-else" });
    expect(other.body).toMatchObject({ rule: "default", revision: "fe-web:1" });
    // The route control, which shares the routing, agrees on who serves it.
    const route = (await h.control("POST", "elbv2/route", { listenerArn: listener, path: "/anything", headers: { "x-slipway-verify": "tester" } })) as { targetGroups: { targets: { taskArn?: string; image?: string }[] }[] };
    expect(route.targetGroups[0]?.targets.map((t) => t.taskArn?.split("/").at(-1))).toEqual([verified.body.task]);
  });

  it("splits a 90/10 weighted forward roughly 90/10 over 400 requests", async () => {
    await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([primary, 90], [canary, 10]) }));
    const counts: Record<string, number> = {};
    for (let batch = 0; batch < 20; batch++) {
      const replies = await Promise.all(Array.from({ length: 20 }, () => get(`${url}/`)));
      for (const reply of replies) counts[reply.body.targetGroup] = (counts[reply.body.targetGroup] ?? 0) + 1;
    }
    await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([primary, 100], [canary, 0]) }));
    expect((counts["fe-blue"] ?? 0) + (counts["fe-green"] ?? 0)).toBe(400);
    // 10 % of 400 is 40; the bounds are far outside chance (σ ≈ 6).
    expect(counts["fe-green"]).toBeGreaterThanOrEqual(16);
    expect(counts["fe-green"]).toBeLessThanOrEqual(72);
  });

  it("answers 503 when the chosen group has no healthy target", async () => {
    const reply = await get(`${url}/empty`);
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ error: "ServiceUnavailable", rule: 2, targetGroup: "fe-empty" });
    expect(reply.body.message).toMatch(/no healthy targets/);
  });

  it("answers redirect and fixed-response actions as an ALB does", async () => {
    const moved = await fetch(`${url}/old?x=1`, { redirect: "manual" });
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("http://127.0.0.1:80/new?x=1");
    const teapot = await fetch(`${url}/teapot`);
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get("content-type")).toBe("text/plain");
    expect(await teapot.text()).toBe("short and stout");
  });

  it("closes a listener's port when the listener is deleted, and with its load balancer", async () => {
    const lb = await createAlb(h, "fe-gone");
    const group = await createTargetGroup(h, "fe-gone-tg");
    const first = await createListener(h, lb, 8081, forwardTo([group, 1]));
    const second = await createListener(h, lb, 8082, [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", MessageBody: "up" } }]);
    const firstUrl = await frontendOf(h, first);
    const secondUrl = await frontendOf(h, second);
    expect((await fetch(firstUrl)).status).toBe(503);
    expect(await (await fetch(secondUrl)).text()).toBe("up");

    await h.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: first }));
    await refused(firstUrl);
    expect((await frontends(h)).map((f) => f.listenerArn)).toEqual([listener, second]);

    await h.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
    await refused(secondUrl);
    expect((await frontends(h)).map((f) => f.listenerArn)).toEqual([listener]);
  });
});

describe("ALB frontend ports", () => {
  /** A port that was free a moment ago: the OS hands out ports it has not just used. */
  async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it("numbers frontends from the base port in creation order, and closes them all with the simulator", async () => {
    const base = await freePort();
    const h = await startSim({ frontendPorts: { base } });
    try {
      const lb = await createAlb(h, "ports");
      const fixed: Action[] = [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", MessageBody: "ok" } }];
      await createListener(h, lb, 80, fixed);
      await createListener(h, lb, 81, fixed);
      const urls = (await frontends(h)).map((f) => [f.port, Number(new URL(f.url).port)]);
      expect(urls[0]).toEqual([80, base]);
      // base + 1 unless something else took it meanwhile; a taken port is skipped, never shared.
      expect(urls[1]?.[0]).toBe(81);
      expect(urls[1]?.[1]).toBeGreaterThan(base);
    } finally {
      await h.close();
    }
    await refused(`http://127.0.0.1:${base}/`);
  });
});

describe("frontend choices (pure)", () => {
  it("picks target groups in proportion to their weights, never one weighted 0", () => {
    const groups = [{ name: "a", weight: 3 }, { name: "zero", weight: 0 }, { name: "b", weight: 1 }];
    const at = (point: number) => pickWeighted(groups, () => point)?.name;
    expect([0, 0.5, 0.74, 0.75, 0.99].map(at)).toEqual(["a", "a", "a", "b", "b"]);
    expect(pickWeighted([{ weight: 0 }], () => 0)).toBeUndefined();
    expect(pickWeighted([], () => 0)).toBeUndefined();
  });

  it("rotates through targets per group", () => {
    const rotation = new RoundRobin();
    expect([1, 2, 3].map(() => rotation.pick("g", ["x", "y"]))).toEqual(["x", "y", "x"]);
    expect(rotation.pick("other", ["z"])).toBe("z");
    expect(rotation.pick("empty", [])).toBeUndefined();
  });

  it("builds redirect locations from the request's parts and the listener's protocol and port", () => {
    const source = { protocol: "HTTP", port: 80, request: { host: "shop.example.com:8080", path: "/cart", query: { a: "1" } } };
    expect(redirectLocation({ StatusCode: "HTTP_301" }, source)).toBe("http://shop.example.com:80/cart?a=1");
    expect(redirectLocation({ StatusCode: "HTTP_301", Protocol: "HTTPS", Port: "443" }, source)).toBe("https://shop.example.com:443/cart?a=1");
    expect(redirectLocation({ StatusCode: "HTTP_302", Host: "new.#{host}", Path: "/v2/#{path}", Query: "" }, source)).toBe("http://new.shop.example.com:80/v2/cart");
  });
});
