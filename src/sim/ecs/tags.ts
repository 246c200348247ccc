import type { ListTagsForResourceRequest, Tag, TagResourceRequest, UntagResourceRequest } from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { Handler } from "../module.js";
import { ecsState } from "./lookup.js";
import { findTaggable } from "./taggable.js";
import type { EcsRegionState } from "./state.js";

/**
 * ECS resource tags, one store for every resource type (state.tags, keyed by ARN) so that clusters, task
 * definitions, services and task sets are tagged and listed the same way. The services module calls
 * `putTags` / `tagsOf` / `dropTags` for its own resources.
 */
const maxTagsPerResource = 50;

/** AWS's tag rules: at most 50, keys 1..128 characters, values up to 256, and the aws: prefix is reserved. */
export function validateTags(tags: Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  for (const tag of list) {
    const key = tag.key ?? "";
    if (key.length < 1 || key.length > 128) throw invalidParameter("Tag keys must be between 1 and 128 characters.");
    if ((tag.value ?? "").length > 256) throw invalidParameter("Tag values must be at most 256 characters.");
    if (key.toLowerCase().startsWith("aws:")) throw invalidParameter("Tag keys cannot start with the reserved prefix 'aws:'.");
  }
  return list;
}

/** Merges `tags` into the resource's tags: a key given again takes the new value, as TagResource does. */
export function putTags(state: EcsRegionState, arn: string, tags: Tag[] | undefined): void {
  const incoming = validateTags(tags);
  if (incoming.length === 0) return;
  const merged = new Map((state.tags.get(arn) ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
  for (const tag of incoming) merged.set(tag.key ?? "", tag.value ?? "");
  if (merged.size > maxTagsPerResource) throw invalidParameter(`A resource can have at most ${maxTagsPerResource} tags.`);
  state.tags.set(arn, [...merged].map(([key, value]) => ({ key, value })));
}

export function removeTags(state: EcsRegionState, arn: string, keys: string[]): void {
  const kept = (state.tags.get(arn) ?? []).filter((t) => !keys.includes(t.key ?? ""));
  if (kept.length > 0) state.tags.set(arn, kept);
  else state.tags.delete(arn);
}

/** The resource's tags in the order they were first set; an empty list when it has none. */
export function tagsOf(state: EcsRegionState, arn: string): Tag[] {
  return (state.tags.get(arn) ?? []).map((t) => ({ ...t }));
}

/** Tags go with the resource: called when a resource is deleted for good. */
export function dropTags(state: EcsRegionState, arn: string): void {
  state.tags.delete(arn);
}

function requireResource(state: EcsRegionState, resourceArn: string | undefined, missing: (message: string) => AwsError): string {
  if (!resourceArn) throw invalidParameter("resourceArn must be specified.");
  const found = findTaggable(state, resourceArn);
  if (found === "malformed") throw invalidParameter("Invalid identifier: the resource ARN is not an Amazon ECS resource ARN.");
  if (found === "cluster-missing") throw new AwsError("ClusterNotFoundException", "Cluster not found.");
  if (found === "missing") throw missing("The specified resource could not be found.");
  return found.arn;
}

const resourceNotFound = (message: string) => new AwsError("ResourceNotFoundException", message);

export const tagOperations: Record<string, Handler> = {
  TagResource(input: TagResourceRequest, ctx) {
    const state = ecsState(ctx);
    const arn = requireResource(state, input.resourceArn, resourceNotFound);
    if (!input.tags || input.tags.length === 0) throw invalidParameter("tags must contain at least one tag.");
    putTags(state, arn, input.tags);
    return {};
  },

  UntagResource(input: UntagResourceRequest, ctx) {
    const state = ecsState(ctx);
    const arn = requireResource(state, input.resourceArn, resourceNotFound);
    removeTags(state, arn, input.tagKeys ?? []);
    return {};
  },

  ListTagsForResource(input: ListTagsForResourceRequest, ctx) {
    const state = ecsState(ctx);
    const arn = requireResource(state, input.resourceArn, invalidParameter);
    return { tags: tagsOf(state, arn) };
  },
};
