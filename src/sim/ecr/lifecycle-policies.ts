import type { DeleteLifecyclePolicyRequest, GetLifecyclePolicyRequest, PutLifecyclePolicyRequest } from "@aws-sdk/client-ecr";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { constraintFailed, invalidParameter } from "./errors.js";
import { ecrState, requireRepository } from "./repositories.js";
import type { RepositoryRecord } from "./state.js";

/**
 * A repository's lifecycle policy: PutLifecyclePolicy checks the text against the rules ECR documents for lifecycle
 * policies and stores it as given; GetLifecyclePolicy and DeleteLifecyclePolicy answer with it. The simulator
 * never evaluates a policy (no image expires, no lastEvaluatedAt).
 *
 * AWS wraps every rule broken in "Lifecycle policy validation failure: …"; what follows it is the simulator's own
 * wording of the documented rule.
 */
const failure = (detail: string) => constraintFailed("LifecyclePolicyText", `Lifecycle policy validation failure: ${detail}`);

const policyNotFound = (repository: RepositoryRecord) =>
  new AwsError(
    "LifecyclePolicyNotFoundException",
    `Lifecycle policy does not exist for the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
  );

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const positiveInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;

const TAG_STATUSES = ["tagged", "untagged", "any"];
const COUNT_TYPES = ["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"];
const ACTIONS = ["expire", "transition"];

/** ECR's documented lifecycle policy rules (Amazon ECR User Guide, "Lifecycle policy properties"). */
export function validateLifecyclePolicy(text: string): void {
  // The model's length limits on LifecyclePolicyText.
  if (text.length < 100 || text.length > 30720) {
    throw constraintFailed("LifecyclePolicyText", "Member must have length between 100 and 30720");
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw failure("the policy is not valid JSON");
  }
  if (!isObject(policy) || !Array.isArray(policy.rules) || policy.rules.length === 0) throw failure("the policy must have a non-empty rules array");
  const priorities = new Set<number>();
  let anyPriority: number | undefined;
  for (const rule of policy.rules as unknown[]) {
    if (!isObject(rule)) throw failure("each rule must be an object");
    if (!positiveInteger(rule.rulePriority)) throw failure("rulePriority must be a positive integer");
    if (priorities.has(rule.rulePriority)) throw failure(`rulePriority ${rule.rulePriority} is used by more than one rule`);
    priorities.add(rule.rulePriority);
    const selection = rule.selection;
    if (!isObject(selection)) throw failure("each rule must have a selection");
    const { tagStatus, countType, countUnit, countNumber, tagPrefixList, tagPatternList } = selection;
    if (typeof tagStatus !== "string" || !TAG_STATUSES.includes(tagStatus)) throw failure("tagStatus must be tagged, untagged or any");
    const lists = [tagPrefixList, tagPatternList].filter((l) => l !== undefined);
    if (tagStatus === "tagged") {
      if (lists.length !== 1 || !Array.isArray(lists[0]) || lists[0].length === 0) throw failure("a tagged rule must have either a tagPrefixList or a tagPatternList, not both");
    } else if (lists.length > 0) {
      throw failure("tagPrefixList and tagPatternList are only for tagStatus tagged");
    }
    if (tagStatus === "any") anyPriority = rule.rulePriority;
    if (typeof countType !== "string" || !COUNT_TYPES.includes(countType)) throw failure(`countType must be one of ${COUNT_TYPES.join(", ")}`);
    if (countType === "imageCountMoreThan" ? countUnit !== undefined : countUnit !== "days") {
      throw failure(countType === "imageCountMoreThan" ? "countUnit is not allowed with imageCountMoreThan" : `countUnit must be days with ${countType}`);
    }
    if (!positiveInteger(countNumber)) throw failure("countNumber must be a positive integer");
    const action = rule.action;
    if (!isObject(action) || typeof action.type !== "string" || !ACTIONS.includes(action.type)) throw failure("each rule must have an action of type expire or transition");
  }
  // "A rule with a tagStatus value of any must have the highest value for rulePriority and be evaluated last."
  if (anyPriority !== undefined && anyPriority !== Math.max(...priorities)) throw failure("a rule with tagStatus any must have the highest rulePriority");
}

export const lifecyclePolicyOperations: Record<string, Handler> = {
  PutLifecyclePolicy(input: PutLifecyclePolicyRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    if (typeof input.lifecyclePolicyText !== "string") throw invalidParameter("lifecyclePolicyText must be specified.");
    validateLifecyclePolicy(input.lifecyclePolicyText);
    repository.lifecyclePolicyText = input.lifecyclePolicyText;
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicyText };
  },

  GetLifecyclePolicy(input: GetLifecyclePolicyRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    if (repository.lifecyclePolicyText === undefined) throw policyNotFound(repository);
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicyText };
  },

  DeleteLifecyclePolicy(input: DeleteLifecyclePolicyRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const text = repository.lifecyclePolicyText;
    if (text === undefined) throw policyNotFound(repository);
    delete repository.lifecyclePolicyText;
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText: text };
  },
};
