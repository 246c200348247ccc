import { createHash } from "node:crypto";
import { releaseTag } from "../../task-definition/ownership.js";

/**
 * Which part a task set plays in a deployment, written into its external id ("slipway/<deployment>/<role>"). The
 * external id comes back in every DescribeServices answer, so a run that was killed between CreateTaskSet and
 * its journal entry still recognises the set it made — and a later deployment recognises what an earlier one left.
 */
export type Role = "canary" | "primary" | "initial" | "restore";

const prefix = "slipway/";

export function externalIdOf(deploymentId: string, role: Role): string {
  return `${prefix}${deploymentId}/${role}`;
}

export function roleOf(externalId: string | undefined): { deploymentId: string; role: Role } | undefined {
  if (!externalId?.startsWith(prefix)) return undefined;
  const rest = externalId.slice(prefix.length);
  const cut = rest.lastIndexOf("/");
  const role = rest.slice(cut + 1);
  if (cut <= 0 || !["canary", "primary", "initial", "restore"].includes(role)) return undefined;
  return { deploymentId: rest.slice(0, cut), role: role as Role };
}

/** CreateTaskSet's idempotency token (at most 36 characters): the same deployment and role never make two sets. */
export function clientTokenOf(deploymentId: string, role: Role): string {
  return createHash("sha256").update(externalIdOf(deploymentId, role)).digest("hex").slice(0, 32);
}

/** ECS does not propagate tags to task sets (seed 000), so slipway writes its own on each. */
export function taskSetTags(facts: { deploymentId: string; environment: string; release?: string }, role: Role): { key: string; value: string }[] {
  return [
    { key: "slipway:deployment", value: facts.deploymentId },
    { key: "slipway:environment", value: facts.environment },
    { key: "slipway:role", value: role },
    ...(facts.release !== undefined ? [{ key: releaseTag, value: facts.release }] : []),
  ];
}
