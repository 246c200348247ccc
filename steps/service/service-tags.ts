import type { Tag } from "@aws-sdk/client-ecs";
import type { Action } from "../../src/engine/plan.js";

/** TagResource on the service: UpdateService cannot change tags. Both modes plan it. */
export type TagServiceAction = Action<"tag-service", { serviceArn: string; tags: Tag[] }>;

/**
 * The step's tags the service lacks or has with another value: what a TagResource must add. Tags the step does not
 * name stay as they are — other tools (CloudFormation, cost allocation) put tags on services too. Pure.
 */
export function tagsToAdd(desired: readonly Tag[], current: readonly Tag[] | undefined): Tag[] {
  const have = new Map((current ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
  return desired.filter((t) => have.get(t.key ?? "") !== (t.value ?? ""));
}

/** aws: keys are AWS's own (CloudFormation's, for one), slipway: keys slipway's (slipway:environment): a step sets neither. */
export const isReservedTag = (tag: Tag) => /^(aws|slipway):/.test(tag.key ?? "");

export const showTags = (tags: readonly Tag[]) => tags.map((t) => `${t.key ?? ""}=${t.value ?? ""}`).join(", ");
