import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DeploymentFailedError, InputError, NotFoundError } from "../../../src/errors.js";
import type { StepContext } from "../../../steps/step.js";
import { verificationStep, type VerificationStepOutput } from "../../../steps/verification/index.js";
import type { LoadedVerificationStep } from "../../../steps/verification/load.js";
import { loadVerificationStep } from "../../../steps/verification/load.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { journal, servedBy, shopListener } from "./world.js";

/** The new stack behind the load balancer's URL: version 2 when asked with the verification header or query. */
function newStack(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const verifying = req.headers["x-slipway-verify"] === "tester-7f3a" || new URL(req.url ?? "/", "http://x").searchParams.get("slipway-verify") === "tester-7f3a";
    res.end(JSON.stringify({ version: verifying ? "2.0.0" : "1.0.0" }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe("the verification step run from the registry against the simulator", () => {
  let h: SimHarness;
  let stack: { server: Server; url: string };
  beforeAll(async () => {
    h = await startSim();
    stack = await newStack();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => stack.server.close(() => resolve()));
    await h.close();
  });

  function step(bodyContains: string): LoadedVerificationStep {
    const loaded = loadVerificationStep("test/fixtures/steps/verification/shop-web.step.yaml");
    const checks = [{ path: "/health", bodyContains, expectStatus: 200, timeoutSeconds: 2, attempts: 2, intervalSeconds: 0.01 }];
    return { ...loaded, input: { ...loaded.input, probes: { baseUrl: stack.url, checks } } };
  }

  function context(name: string, deploymentId: string, loadBalancer = true): StepContext {
    return {
      target: {
        environment: "prod",
        region: h.region,
        cluster: "shop-prod",
        endpoint: h.url,
        ...(loadBalancer && { loadBalancer: { listener: { loadBalancer: name, port: 80 }, targetGroups: { primary: `${name}-blue`, canary: `${name}-green` } } }),
      },
      deploymentId,
      journal: journal(),
      clients: h.clients,
    };
  }

  it("resolves the target's listener and groups by name, opens the rules and records passing probes", async () => {
    const shop = await shopListener(h, "step-pass");
    const run = await verificationStep.run(step('"version":"2.0.0"'), context("step-pass", "dep-1"));
    const output = run.output as VerificationStepOutput;
    expect(output.listenerArn).toBe(shop.listenerArn);
    expect(output.rules.map((r) => [r.kind, r.priority])).toEqual([["header", 8], ["query", 9]]);
    expect(output.probes?.passed).toBe(true);
    expect(output.probes?.results).toHaveLength(2);
    expect(await servedBy(h, shop.listenerArn, { headers: { "X-Slipway-Verify": "tester-7f3a" } })).toBe(shop.canary);
  });

  it("failing probes remove the rules and fail the deployment", async () => {
    const shop = await shopListener(h, "step-fail");
    const failure = verificationStep.run(step('"version":"3.0.0"'), context("step-fail", "dep-1"));
    await expect(failure).rejects.toBeInstanceOf(DeploymentFailedError);
    await expect(failure).rejects.toThrow(/^Verification of shop-web failed: \/health with header X-Slipway-Verify: tester-7f3a answered 200 without/);
    const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: shop.listenerArn }));
    expect(rules.Rules?.map((r) => r.Priority)).toEqual(["5", "10", "default"]);
  });

  it("a dry run plans without writing; a target without a listener or with a wrong port is a clear error", async () => {
    await shopListener(h, "step-dry");
    const dry = await verificationStep.run(step("x"), { ...context("step-dry", "dep-1"), dryRun: true });
    expect(dry.output).toBeUndefined();
    expect(dry.plan.actions.map((a) => a.summary)).toEqual([
      "add a verification rule at priority 8: header X-Slipway-Verify → the new stack",
      "add a verification rule at priority 9: query ?slipway-verify= → the new stack",
    ]);
    await expect(verificationStep.run(step("x"), context("step-dry", "dep-1", false))).rejects.toBeInstanceOf(InputError);
    const wrongPort = context("step-dry", "dep-1");
    if (wrongPort.target.loadBalancer) wrongPort.target.loadBalancer.listener = { loadBalancer: "step-dry", port: 443 };
    const missing = verificationStep.run(step("x"), wrongPort);
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(missing).rejects.toThrow('The load balancer "step-dry" has no listener on port 443.');
  });
});
