import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { ImageBehaviour } from "../faults.js";
import type { ContainerCheck, HealthStatus, TaskContainerRecord } from "./service-model.js";

/**
 * Container health checks (a container definition's `healthCheck`) on the simulated clock. The command is never run:
 * the container's image behaviour (the faults control) says whether each check passes, and it does not change for
 * the life of a task, so a container's whole history is known when it starts — one timeline entry per checked
 * container (task-lifecycle.ts) says when its status changes, and a task without health checks schedules nothing.
 *
 * Timing is Docker's HEALTHCHECK, which the check maps to (AWS: HealthCheck in the API reference, "This configuration
 * maps to the HEALTHCHECK parameter of docker run"). Docker's Dockerfile reference: the check "will first run interval
 * seconds after the container is started, and then again interval seconds after each previous check completes";
 * "It takes retries consecutive failures … to be considered unhealthy"; failures during the start period "will not be
 * counted towards the maximum number of retries", while a success in it makes the container healthy. So:
 *   passing: UNKNOWN until the first check, `interval` s after the container started, then HEALTHY;
 *   failing: checks at k × interval; those begun before `startPeriod` do not count; UNHEALTHY at the `retries`-th
 *            counted failure.
 * A failing check fails at once (a command exiting non-zero): `timeout` is not waited out.
 */

/** AWS (the model's HealthCheck documentation; its BoxedInteger members carry no range): interval 30 s (5–300), timeout 5 s (2–60), retries 3 (1–10), startPeriod off (0–300). */
export const HEALTH_CHECK_LIMITS = {
  interval: { default: 30, min: 5, max: 300 },
  timeout: { default: 5, min: 2, max: 60 },
  retries: { default: 3, min: 1, max: 10 },
  startPeriod: { default: 0, min: 0, max: 300 },
} as const;

/**
 * Which image behaviours pass a container health check. `healthy` does; so does `exit` while it runs (a one-off job
 * that does its work, then ends). `unhealthy` (the app that fails its load balancer health check) fails this check
 * too, and `crash` (an app that is down until it exits) fails it.
 */
export function passesHealthCheck(behaviour: ImageBehaviour): boolean {
  return behaviour === "healthy" || behaviour === "exit";
}

/** The container's check with AWS's defaults filled in; none when its definition has no health check. */
export function containerCheck(definition: ContainerDefinition, behaviour: ImageBehaviour): ContainerCheck | undefined {
  const check = definition.healthCheck;
  if (!check) return undefined;
  return {
    intervalSeconds: check.interval ?? HEALTH_CHECK_LIMITS.interval.default,
    retries: check.retries ?? HEALTH_CHECK_LIMITS.retries.default,
    startPeriodSeconds: check.startPeriod ?? HEALTH_CHECK_LIMITS.startPeriod.default,
    passes: passesHealthCheck(behaviour),
  };
}

/** When, in seconds after the container started, its health status leaves UNKNOWN, and for what. */
export function verdictOf(check: ContainerCheck): { afterSeconds: number; status: "HEALTHY" | "UNHEALTHY" } {
  const interval = check.intervalSeconds;
  if (check.passes) return { afterSeconds: interval, status: "HEALTHY" };
  // The first check that counts is the first one begun at or after the start period (Docker does not count a failure
  // whose check started less than startPeriod after the container did).
  const firstCounted = Math.max(1, Math.ceil(check.startPeriodSeconds / interval));
  return { afterSeconds: (firstCounted + check.retries - 1) * interval, status: "UNHEALTHY" };
}

/**
 * A task's health from its containers' (AWS: the Task shape's healthStatus and HealthCheck in the model, in priority
 * order): UNHEALTHY when an essential container is, else UNKNOWN while an essential one is still UNKNOWN, else
 * HEALTHY; non-essential containers never count. An essential container without a health check does not hold the task
 * at UNKNOWN: the docs' wording would have it so, but ECS reports such a task HEALTHY once its checked containers are
 * (aws/amazon-ecs-agent#4094), as a service scheduler that waits for a HEALTHY task must (minimumHealthyPercent in the
 * model). Without any essential container with a health check the task is UNKNOWN.
 */
export function taskHealthOf(containers: readonly TaskContainerRecord[]): HealthStatus {
  const checked = containers.filter((c) => c.essential && c.healthCheck);
  if (checked.length === 0) return "UNKNOWN";
  if (checked.some((c) => c.healthStatus === "UNHEALTHY")) return "UNHEALTHY";
  if (checked.some((c) => c.healthStatus === "UNKNOWN")) return "UNKNOWN";
  return "HEALTHY";
}

/** True when the task's health comes from health checks: one of its essential containers has one. */
export const hasEssentialCheck = (containers: readonly TaskContainerRecord[]): boolean => containers.some((c) => c.essential && c.healthCheck !== undefined);
