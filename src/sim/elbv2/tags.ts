import type { AddTagsInput, DescribeTagsInput, RemoveTagsInput, Tag } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { stateOf } from "./context.js";
import { list } from "./coerce.js";
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound, validation } from "./errors.js";
import type { ElbRegionState } from "./state.js";

/** AddTags, RemoveTags and DescribeTags on load balancers, target groups, listeners and rules. */
export const maxTagsPerResource = 50;

/** Throws the not-found error that matches the kind of resource the ARN names. */
export function requireTaggable(state: ElbRegionState, arn: string): void {
  const kind = /:(loadbalancer|targetgroup|listener|listener-rule)\//.exec(arn)?.[1];
  const exists =
    kind === "loadbalancer" ? state.loadBalancers.has(arn)
    : kind === "targetgroup" ? state.targetGroups.has(arn)
    : kind === "listener" ? state.listeners.has(arn)
    : kind === "listener-rule" ? state.rules.has(arn)
    : false;
  if (exists) return;
  if (kind === "targetgroup") throw targetGroupNotFound();
  if (kind === "listener") throw listenerNotFound();
  if (kind === "listener-rule") throw ruleNotFound();
  throw loadBalancerNotFound();
}

/** Parses Tags from the wire and merges them into the resource's tags (a key given again replaces its value). */
export function addTags(state: ElbRegionState, arn: string, raw: unknown): void {
  const tags = list<Tag>(raw);
  const keys = tags.map((t) => t.Key ?? "");
  if (keys.some((k) => k === "")) throw validation("A tag key must be specified");
  if (keys.some((k) => k.length > 128)) throw validation("A tag key cannot be longer than 128 characters");
  if (tags.some((t) => (t.Value ?? "").length > 256)) throw validation("A tag value cannot be longer than 256 characters");
  if (keys.some((k) => k.toLowerCase().startsWith("aws:"))) throw validation("Tag keys starting with 'aws:' are reserved for use by AWS");
  if (new Set(keys).size !== keys.length) throw new AwsError("DuplicateTagKeys", `Tag key '${keys.find((k, i) => keys.indexOf(k) !== i) ?? ""}' is duplicated`);
  const current = state.tags.get(arn) ?? [];
  const merged = [...current.filter((t) => !keys.includes(t.Key ?? "")), ...tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }))];
  if (merged.length > maxTagsPerResource) throw new AwsError("TooManyTags", `The resource '${arn}' cannot have more than ${maxTagsPerResource} tags`);
  state.tags.set(arn, merged);
}

export const tagOperations: Record<string, Handler> = {
  AddTags(input: AddTagsInput, ctx) {
    const state = stateOf(ctx);
    const arns = list<string>(input.ResourceArns);
    if (arns.length === 0) throw validation("At least one resource ARN must be specified");
    for (const arn of arns) requireTaggable(state, arn);
    for (const arn of arns) addTags(state, arn, input.Tags);
    return {};
  },
  RemoveTags(input: RemoveTagsInput, ctx) {
    const state = stateOf(ctx);
    const arns = list<string>(input.ResourceArns);
    const keys = list<string>(input.TagKeys);
    for (const arn of arns) requireTaggable(state, arn);
    for (const arn of arns) state.tags.set(arn, (state.tags.get(arn) ?? []).filter((t) => !keys.includes(t.Key ?? "")));
    return {};
  },
  DescribeTags(input: DescribeTagsInput, ctx) {
    const state = stateOf(ctx);
    const arns = list<string>(input.ResourceArns);
    if (arns.length > 20) throw validation("You can describe the tags of at most 20 resources at a time");
    for (const arn of arns) requireTaggable(state, arn);
    return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: state.tags.get(arn) ?? [] })) };
  },
};
