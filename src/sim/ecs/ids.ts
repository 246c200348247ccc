import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** The identifiers ECS mints, in AWS's own shapes. */

/** "ecs-svc/" and 19 digits: the id of a deployment or a task set (AWS uses one numbering for both). */
export function deploymentId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
}

/** The 19 digits of an ecs-svc id; a service revision is named by them. */
export function revisionNumber(id: string): string {
  return id.replace(/^ecs-svc\//, "");
}

/** A task id: 32 lowercase hex digits. */
export function taskId(): string {
  return randomBytes(16).toString("hex");
}

/** A service deployment id: 21 URL-safe characters, as in the seed (e.g. brooVKavhUZYne-zDRzvK). */
export function serviceDeploymentId(): string {
  return randomBytes(16).toString("base64url").slice(0, 21);
}

export function eventId(): string {
  return randomUUID();
}
