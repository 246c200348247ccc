import type http from "node:http";
import { AwsError } from "../aws-error.js";
import { ownEntry } from "../own.js";
import type { ServiceName } from "../module.js";
import { jsonTargetPrefixes, parseJsonInput } from "./json.js";
import { elbv2Namespace, parseQueryParams } from "./query.js";

/**
 * Which service and operation a request is for. AWS routes by endpoint host; the simulator has one endpoint for
 * all, so it reads the service from the request's SigV4 signature, whose credential scope names it
 * (Credential=AKID/20261125/us-east-1/iam/aws4_request). The operation comes from the protocol: X-Amz-Target for
 * JSON 1.1, the Action parameter for the query protocol. An unsigned request falls back to the protocol alone:
 * a known X-Amz-Target prefix, otherwise the query protocol's ELBv2.
 */
export type Protocol = "json" | "query" | "rest";

export interface Route {
  /** The service as the call ledger counts it: a simulated service's name, else the signature's service name. */
  service: string;
  operation: string;
  protocol: Protocol;
  /** The simulated service that answers; undefined when the simulator has none for the request. */
  module?: ServiceName;
  input: Record<string, unknown>;
  /** The input could not be read (bad JSON, no Action): answered with this error, and still counted. */
  rejection?: AwsError;
  /** Query protocol: the XML namespace of the answer (the API's own, by its Version). */
  xmlNamespace: string;
}

/** SigV4 signing names of the services the simulator serves (each API model's signingName). */
const signingNames: Record<string, ServiceName> = {
  ecs: "ecs",
  ecr: "ecr",
  elasticloadbalancing: "elbv2",
  secretsmanager: "secretsmanager",
  ssm: "ssm",
  "application-autoscaling": "application-autoscaling",
};

/** Classic ELB signs as "elasticloadbalancing" too; its query calls are told apart by their Version. */
const CLASSIC_ELB_VERSION = "2012-06-01";

export interface CredentialScope {
  region: string;
  service: string;
}

/** The credential scope of a SigV4 Authorization header, or of a presigned URL's X-Amz-Credential. */
export function credentialScope(req: http.IncomingMessage, url: URL): CredentialScope | undefined {
  const credential = /Credential=([^,\s]+)/.exec(req.headers.authorization ?? "")?.[1] ?? url.searchParams.get("X-Amz-Credential") ?? "";
  const match = /^[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request$/.exec(credential);
  return match ? { region: match[1]!, service: match[2]! } : undefined;
}

/** AWS's error for an operation the service does not have, in the route's protocol. */
export function notImplemented(route: Pick<Route, "protocol" | "service" | "operation">): AwsError {
  const code = route.protocol === "query" ? "InvalidAction" : "UnknownOperationException";
  return new AwsError(code, `The simulator does not implement ${route.service}:${route.operation}.`);
}

export function routeRequest(req: http.IncomingMessage, url: URL, body: string): Route {
  const signed = credentialScope(req, url)?.service;
  const signedAs = signed !== undefined ? ownEntry(signingNames, signed) : undefined;
  // Where the operation cannot be read from the request, the ledger shows what was asked for instead.
  const asked = `${req.method ?? "GET"} ${url.pathname}`;
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") {
    const dot = target.indexOf(".");
    const prefix = dot >= 0 ? target.slice(0, dot) : target;
    const operation = dot >= 0 ? target.slice(dot + 1) : "";
    const byTarget = ownEntry(jsonTargetPrefixes, prefix);
    const service = signed !== undefined ? (signedAs ?? signed) : (byTarget ?? prefix);
    // A target of another service than the one signed for is no operation of the signed one.
    const module = byTarget && (signed === undefined || signedAs === byTarget) ? byTarget : undefined;
    const route: Route = { service, operation: operation || asked, protocol: "json", input: {}, xmlNamespace: "", ...(module && { module }) };
    if (!operation) return { ...route, rejection: new AwsError("UnknownOperationException", `Unknown target ${target}`) };
    try {
      return { ...route, input: parseJsonInput(body) };
    } catch (error) {
      return { ...route, rejection: error as AwsError };
    }
  }
  // The query protocol: form parameters in the body (what SDKs send), or in the URL of a GET.
  const params = new URLSearchParams(body.trim() !== "" ? body : url.search);
  const action = params.get("Action");
  const version = params.get("Version") ?? "";
  if (action !== null || signed === undefined || signedAs === "elbv2") {
    const classic = version === CLASSIC_ELB_VERSION && (signed === undefined || signed === "elasticloadbalancing");
    const service = classic ? "elb" : signed === undefined ? "elbv2" : (signedAs ?? signed);
    const module = service === "elbv2" ? ("elbv2" as const) : undefined;
    const host = signed ?? "elasticloadbalancing";
    const xmlNamespace = module ? elbv2Namespace : `https://${host}.amazonaws.com/doc/${version || "unknown"}/`;
    const route: Route = { service, operation: action ?? asked, protocol: "query", input: {}, xmlNamespace, ...(module && { module }) };
    if (action === null) return { ...route, rejection: new AwsError("MissingAction", "The request names no Action.") };
    try {
      return { ...route, input: parseQueryParams(params) };
    } catch (error) {
      return { ...route, rejection: error as AwsError };
    }
  }
  // A signed request in neither protocol: a REST API (S3, Lambda, …), none of which the simulator serves.
  return { service: signedAs ?? signed, operation: asked, protocol: "rest", input: {}, xmlNamespace: "" };
}
