import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { AwsError, SimulatorFailure } from "./aws-error.js";
import { jsonBody, jsonErrorBody } from "./protocols/json.js";
import { queryBody, queryErrorBody } from "./protocols/query.js";
import { credentialScope, notImplemented, routeRequest, type Route } from "./protocols/route.js";
import { handleControl } from "./control.js";
import { notifyTaps, tapping } from "./call-taps.js";
import { ownEntry } from "./own.js";
import type { CallContext, ServiceName } from "./module.js";
import type { Simulator } from "./simulator.js";

/** SigV4 puts the region in the credential scope: Credential=AKID/20261125/eu-west-1/ecs/aws4_request. */
export function regionOf(req: http.IncomingMessage, url = new URL(req.url ?? "/", "http://sim")): string {
  return credentialScope(req, url)?.region ?? "us-east-1";
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const serverErrorCode: Record<ServiceName, string> = {
  ecs: "ServerException",
  ecr: "ServerException",
  elbv2: "InternalFailure",
  secretsmanager: "InternalServiceError",
  ssm: "InternalServerError",
  "application-autoscaling": "InternalServiceException",
};

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The answer in the route's protocol: JSON 1.1, or the query protocol's XML in the API's namespace. A REST call (to
 * a service the simulator does not serve, so always an error) gets a JSON error body with X-Amzn-ErrorType, which
 * REST-JSON clients read and REST-XML ones (S3) still report by status.
 */
function reply(route: Route, requestId: string, result: Outcome): Reply {
  const json = route.protocol !== "query";
  const headers: Record<string, string> = {
    "x-amzn-requestid": requestId,
    "content-type": route.protocol === "json" ? "application/x-amz-json-1.1" : json ? "application/json" : "text/xml",
  };
  if ("error" in result) {
    if (json) headers["x-amzn-errortype"] = result.error.code;
    return {
      status: result.error.status,
      headers,
      body: json ? jsonErrorBody(result.error) : queryErrorBody(result.error, requestId, route.xmlNamespace),
    };
  }
  return { status: 200, headers, body: json ? jsonBody(result.ok) : queryBody(route.operation, result.ok, requestId, route.xmlNamespace) };
}

type Outcome = { ok: unknown } | { error: AwsError };

/** Answers a call and counts it, whatever service it is for and whether or not the simulator serves it. */
async function answer(sim: Simulator, route: Route, region: string, requestId: string): Promise<Outcome> {
  if (route.rejection || !route.module) {
    sim.calls.record(route.service, route.operation, "error");
    return { error: route.rejection ?? notImplemented(route) };
  }
  return callOperation(sim, route.module, route.operation, route.input, region, requestId);
}

async function callOperation(sim: Simulator, service: ServiceName, operation: string, input: Record<string, unknown>, region: string, requestId: string): Promise<Outcome> {
  const latency = sim.faults.latencyFor(service, operation);
  if (latency > 0) await sleep(latency);
  if (!sim.throttler.allow(region, service, operation)) {
    sim.calls.record(service, operation, "throttled");
    return { error: new AwsError(service === "elbv2" ? "Throttling" : "ThrottlingException", "Rate exceeded") };
  }
  if (sim.faults.shouldFail(service, operation)) {
    sim.calls.record(service, operation, "fault");
    return { error: new AwsError(serverErrorCode[service], "Injected fault: the service is temporarily unavailable.", 500) };
  }
  const outcome = await invokeHandler(sim, service, operation, input, region, requestId);
  sim.calls.record(service, operation, "ok" in outcome ? "ok" : "error");
  return outcome;
}

async function invokeHandler(sim: Simulator, service: ServiceName, operation: string, input: Record<string, unknown>, region: string, requestId: string): Promise<Outcome> {
  // Own entries only: an operation named after an inherited property (constructor, toString) is unknown, too.
  const handler = ownEntry(sim.module(service).operations, operation);
  if (!handler) return { error: notImplemented({ protocol: service === "elbv2" ? "query" : "json", service, operation }) };
  const ctx: CallContext = { sim, region, account: sim.account, now: sim.advance(), requestId };
  try {
    return { ok: await handler(input, ctx) };
  } catch (error) {
    if (error instanceof AwsError) return { error };
    const message = error instanceof Error ? error.message : String(error);
    return { error: new SimulatorFailure(serverErrorCode[service], `Simulator failure: ${message}`, 500) };
  }
}

async function handle(sim: Simulator, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const body = await readBody(req);
  const url = new URL(req.url ?? "/", "http://sim");
  const region = regionOf(req, url);
  if (url.pathname.startsWith("/_sim/")) {
    const out = await handleControl(sim, req.method ?? "GET", url, body, region, requestId);
    res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body));
    return;
  }
  const route = routeRequest(req, url, body);
  // A tap sees the request as it was read, whatever the handler then does with its input.
  const asRead = tapping() ? structuredClone(route.input) : route.input;
  const outcome = await answer(sim, route, region, requestId);
  const out = reply(route, requestId, outcome);
  // Taps see the operations a simulated service serves; the others were answered as not implemented.
  if (tapping() && route.module && !route.rejection && route.protocol !== "rest" && ownEntry(sim.module(route.module).operations, route.operation)) {
    notifyTaps({
      service: route.module,
      operation: route.operation,
      protocol: route.protocol,
      input: asRead,
      answer: "ok" in outcome ? { ok: true, body: out.body, value: outcome.ok } : { ok: false, error: outcome.error },
    });
  }
  // AWS dates every answer; the simulator dates it by its own clock, which is how clients learn simulated time.
  res.writeHead(out.status, { ...out.headers, date: sim.clock.now().toUTCString() }).end(out.body);
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** Stops the endpoint and closes the simulator with it (its load balancer frontends included). */
  close(): Promise<void>;
}

/** Starts the simulator's HTTP endpoint on loopback; port 0 picks a free one. */
export function listen(sim: Simulator, port = 0, host = "127.0.0.1"): Promise<RunningSimulator> {
  const server = http.createServer((req, res) => {
    handle(sim, req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        close: async () => {
          await new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          });
          await sim.close();
        },
      });
    });
  });
}
