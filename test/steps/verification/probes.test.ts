import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeDefaults, type ProbeSpec } from "../../../steps/verification/input.js";
import { runProbes } from "../../../steps/verification/probes.js";
import type { VerificationRoute } from "../../../steps/verification/desired.js";
import { execution, journal } from "./world.js";

/**
 * A tiny server playing the load balancer in front of both stacks: with the verification header or query it
 * answers as the new stack (version 2), without as production (version 1). /slow never answers in time and
 * /flaky fails its first request.
 */
function stacks(): Promise<{ server: Server; url: string }> {
  let flaky = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const verifying = req.headers["x-slipway-verify"] === "tester-7f3a" || url.searchParams.get("slipway-verify") === "tester-7f3a";
    if (url.pathname === "/slow") return void setTimeout(() => res.end("late"), 2000);
    if (url.pathname === "/flaky" && (flaky += 1) === 1) return void res.writeHead(503).end("warming up");
    if (url.pathname === "/broken" && verifying) return void res.writeHead(500).end("boom");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version: verifying ? "2.0.0" : "1.0.0" }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const routes: VerificationRoute[] = [
  { kind: "header", name: "X-Slipway-Verify", value: "tester-7f3a" },
  { kind: "query", key: "slipway-verify", value: "tester-7f3a" },
];
const check = (path: string, more: Partial<ProbeSpec["checks"][number]> = {}) => ({ ...probeDefaults, intervalSeconds: 0.01, path, ...more });

describe("verification probes against a local stack", () => {
  let s: { server: Server; url: string };
  beforeAll(async () => {
    s = await stacks();
  });
  afterAll(() => new Promise<void>((resolve) => s.server.close(() => resolve())));

  it("passes when the new stack answers through both the header and the query route, and records the results", async () => {
    const j = journal();
    const report = await runProbes("verification-probes:shop-web", { baseUrl: s.url, checks: [check("/health", { bodyContains: '"version":"2.0.0"' })] }, routes, execution("dep-1", j));
    expect(report.passed).toBe(true);
    expect(report.results.map((r) => [r.route, r.passed, r.status, r.attempts])).toEqual([
      ["header X-Slipway-Verify: tester-7f3a", true, 200, 1],
      ["query ?slipway-verify=tester-7f3a", true, 200, 1],
    ]);
    const recorded = (await j.entries("dep-1")).filter((e) => e.phase === "succeeded").map((e) => e.result);
    expect(recorded).toEqual(report.results);
  });

  it("fails when the body is production's: the route did not reach the new stack", async () => {
    const noRoute: VerificationRoute[] = [{ kind: "header", name: "X-Other", value: "x" }];
    const report = await runProbes("p", { baseUrl: s.url, checks: [check("/health", { bodyContains: '"version":"2.0.0"', attempts: 2 })] }, noRoute, execution("dep-2"));
    expect(report.passed).toBe(false);
    expect(report.results[0]?.reason).toBe('/health with header X-Other: x answered 200 without ""version":"2.0.0"" in the body (after 2 attempts)');
  });

  it("fails on the wrong status and on a timeout, and retries until a flaky check passes", async () => {
    const report = await runProbes(
      "p",
      { baseUrl: s.url, checks: [check("/broken", { attempts: 1 }), check("/slow", { timeoutSeconds: 0.1, attempts: 1 }), check("/flaky", { attempts: 3 })] },
      routes.slice(0, 1),
      execution("dep-3"),
    );
    expect(report.passed).toBe(false);
    expect(report.results.map((r) => r.reason)).toEqual([
      "/broken with header X-Slipway-Verify: tester-7f3a answered 500, expected 200",
      "/slow with header X-Slipway-Verify: tester-7f3a no answer within 0.1s",
      "/flaky with header X-Slipway-Verify: tester-7f3a answered 200 (after 2 attempts)",
    ]);
    expect(report.results.map((r) => r.passed)).toEqual([false, false, true]);
  });

  it("reports a stack that is not there as a failed check, not a crash", async () => {
    const gone = await stacks();
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    const report = await runProbes("p", { baseUrl: gone.url, checks: [check("/health", { attempts: 1 })] }, routes.slice(1), execution("dep-4"));
    expect(report.passed).toBe(false);
    expect(report.results[0]?.reason).toMatch(/^\/health with query \?slipway-verify=tester-7f3a request failed: .*ECONNREFUSED/);
  });
});
