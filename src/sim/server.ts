import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { AwsError } from "./aws-error.js";
import { jsonBody, jsonErrorBody, parseJsonCall } from "./protocols/json.js";
import { parseQueryCall, queryBody, queryErrorBody } from "./protocols/query.js";
import { handleControl } from "./control.js";
import type { CallContext, ServiceName } from "./module.js";
import type { Simulator } from "./simulator.js";

/** SigV4 puts the region in the credential scope: Credential=AKID/20261125/eu-west-1/ecs/aws4_request. */
export function regionOf(req: http.IncomingMessage): string {
  const auth = req.headers.authorization ?? "";
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth);
  return match?.[1] ?? "us-east-1";
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

function reply(service: ServiceName, operation: string, requestId: string, result: { ok: unknown } | { error: AwsError }): Reply {
  const json = service !== "elbv2";
  const headers: Record<string, string> = {
    "x-amzn-requestid": requestId,
    "content-type": json ? "application/x-amz-json-1.1" : "text/xml",
  };
  if ("error" in result) {
    if (json) headers["x-amzn-errortype"] = result.error.code;
    return {
      status: result.error.status,
      headers,
      body: json ? jsonErrorBody(result.error) : queryErrorBody(result.error, requestId),
    };
  }
  return { status: 200, headers, body: json ? jsonBody(result.ok) : queryBody(operation, result.ok, requestId) };
}

type Outcome = { ok: unknown } | { error: AwsError };

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
  const handler = sim.module(service).operations[operation];
  if (!handler) {
    return { error: new AwsError(service === "elbv2" ? "InvalidAction" : "UnknownOperationException", `The simulator does not implement ${service}:${operation}.`) };
  }
  const ctx: CallContext = { sim, region, account: sim.account, now: sim.advance(), requestId };
  try {
    return { ok: await handler(input, ctx) };
  } catch (error) {
    if (error instanceof AwsError) return { error };
    const message = error instanceof Error ? error.message : String(error);
    return { error: new AwsError(serverErrorCode[service], `Simulator failure: ${message}`, 500) };
  }
}

async function handle(sim: Simulator, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const body = await readBody(req);
  const url = new URL(req.url ?? "/", "http://sim");
  const region = regionOf(req);
  if (url.pathname.startsWith("/_sim/")) {
    const out = await handleControl(sim, req.method ?? "GET", url, body, region, requestId);
    res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body));
    return;
  }
  const target = req.headers["x-amz-target"];
  let out: Reply;
  try {
    if (typeof target === "string") {
      const call = parseJsonCall(target, body);
      if (!call) throw new AwsError("UnknownOperationException", `Unknown target ${target}`);
      out = reply(call.service, call.operation, requestId, await callOperation(sim, call.service, call.operation, call.input, region, requestId));
    } else {
      const call = parseQueryCall(body);
      if (!call) throw new AwsError("MissingAction", "The request names no Action.");
      out = reply("elbv2", call.operation, requestId, await callOperation(sim, "elbv2", call.operation, call.input, region, requestId));
    }
  } catch (error) {
    const awsError = error instanceof AwsError ? error : new AwsError("InternalFailure", String(error), 500);
    out = reply(typeof target === "string" ? "ecs" : "elbv2", "", requestId, { error: awsError });
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
