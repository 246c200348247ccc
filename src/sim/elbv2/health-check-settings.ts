import { optionalBool, optionalInt, optionalString } from "./coerce.js";
import { constraintViolation, invalidConfiguration, validation } from "./errors.js";
import type { HealthCheckSettings, TargetGroupRecord } from "./state.js";

/** A target group's health check: AWS's defaults per target type, and its limits on every setting. */
export interface HealthCheckInput {
  HealthCheckEnabled?: unknown;
  HealthCheckProtocol?: unknown;
  HealthCheckPort?: unknown;
  HealthCheckPath?: unknown;
  HealthCheckIntervalSeconds?: unknown;
  HealthCheckTimeoutSeconds?: unknown;
  HealthyThresholdCount?: unknown;
  UnhealthyThresholdCount?: unknown;
  Matcher?: unknown;
}

/** AWS's defaults: 30 s interval, 5 s timeout, 5 healthy / 2 unhealthy checks, path "/", code 200; lambda differs. */
export function defaultHealthCheck(targetType: TargetGroupRecord["targetType"], protocol: string | undefined): HealthCheckSettings {
  const lambda = targetType === "lambda";
  return {
    enabled: !lambda,
    protocol: protocol === "HTTPS" ? "HTTPS" : "HTTP",
    port: "traffic-port",
    path: "/",
    intervalSeconds: lambda ? 35 : 30,
    timeoutSeconds: lambda ? 30 : 5,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    matcher: "200",
  };
}

function ranged(value: unknown, name: string, wire: string, min: number, max: number): number | undefined {
  const n = optionalInt(value, name);
  if (n === undefined) return undefined;
  if (n < min) throw constraintViolation(n, wire, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw constraintViolation(n, wire, `Member must have value less than or equal to ${max}`);
  return n;
}

/** Applies the health check parameters present in `input` over `base`, checking each as AWS does. */
export function applyHealthCheck(base: HealthCheckSettings, input: HealthCheckInput): HealthCheckSettings {
  const next = { ...base };
  next.enabled = optionalBool(input.HealthCheckEnabled) ?? next.enabled;
  const protocol = optionalString(input.HealthCheckProtocol);
  if (protocol !== undefined) {
    if (protocol !== "HTTP" && protocol !== "HTTPS") throw invalidConfiguration(`Health check protocol '${protocol}' is not supported for application load balancer target groups`);
    next.protocol = protocol;
  }
  const port = optionalString(input.HealthCheckPort);
  if (port !== undefined) {
    const n = Number(port);
    if (port !== "traffic-port" && !(Number.isInteger(n) && n >= 1 && n <= 65535)) throw validation(`Health check port '${port}' must be 'traffic-port' or a port from 1 to 65535`);
    next.port = port;
  }
  const path = optionalString(input.HealthCheckPath);
  if (path !== undefined) {
    if (!path.startsWith("/") || path.length > 1024) throw validation(`Health check path '${path}' must begin with '/' and be at most 1024 characters`);
    next.path = path;
  }
  next.intervalSeconds = ranged(input.HealthCheckIntervalSeconds, "HealthCheckIntervalSeconds", "healthCheckIntervalSeconds", 5, 300) ?? next.intervalSeconds;
  next.timeoutSeconds = ranged(input.HealthCheckTimeoutSeconds, "HealthCheckTimeoutSeconds", "healthCheckTimeoutSeconds", 2, 120) ?? next.timeoutSeconds;
  next.healthyThreshold = ranged(input.HealthyThresholdCount, "HealthyThresholdCount", "healthyThresholdCount", 2, 10) ?? next.healthyThreshold;
  next.unhealthyThreshold = ranged(input.UnhealthyThresholdCount, "UnhealthyThresholdCount", "unhealthyThresholdCount", 2, 10) ?? next.unhealthyThreshold;
  const matcher = (input.Matcher ?? {}) as { HttpCode?: unknown };
  const code = optionalString(matcher.HttpCode);
  if (code !== undefined) {
    if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(code)) throw validation(`Health check matcher HTTP code '${code}' must be codes like 200, 200,202 or 200-299`);
    next.matcher = code;
  }
  if (next.timeoutSeconds >= next.intervalSeconds) {
    throw invalidConfiguration("Health check timeout must be smaller than the interval");
  }
  return next;
}
