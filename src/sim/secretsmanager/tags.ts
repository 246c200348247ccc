import type { Tag, TagResourceRequest, UntagResourceRequest } from "@aws-sdk/client-secrets-manager";
import type { Handler } from "../module.js";
import { invalidParameter } from "./errors.js";
import { requireSecret, secretsState } from "./lookup.js";

/** TagResource merges (a key given again takes the new value) and UntagResource removes keys; both answer nothing. */
const maxTags = 50;

export function validTags(tags: Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  for (const tag of list) {
    if (!tag.Key || tag.Key.length > 128) throw invalidParameter("Tag keys must be between 1 and 128 characters long.");
    if ((tag.Value ?? "").length > 256) throw invalidParameter("Tag values must be at most 256 characters long.");
  }
  return list.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
}

export const tagOperations: Record<string, Handler> = {
  TagResource(input: TagResourceRequest, ctx) {
    const secret = requireSecret(secretsState(ctx), input.SecretId);
    const merged = new Map(secret.tags.map((t) => [t.Key ?? "", t.Value ?? ""]));
    for (const tag of validTags(input.Tags)) merged.set(tag.Key ?? "", tag.Value ?? "");
    if (merged.size > maxTags) throw invalidParameter(`A secret can have at most ${maxTags} tags.`);
    secret.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    secret.lastChangedAt = ctx.now;
    return {};
  },

  UntagResource(input: UntagResourceRequest, ctx) {
    const secret = requireSecret(secretsState(ctx), input.SecretId);
    const keys = input.TagKeys ?? [];
    secret.tags = secret.tags.filter((t) => !keys.includes(t.Key ?? ""));
    secret.lastChangedAt = ctx.now;
    return {};
  },
};
