import type {
  DeleteTaskDefinitionsRequest,
  DeregisterTaskDefinitionRequest,
  DescribeTaskDefinitionRequest,
  Failure,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionsRequest,
  RegisterTaskDefinitionRequest,
  TaskDefinition,
} from "@aws-sdk/client-ecs";
import { clientException, invalidParameter } from "../aws-error.js";
import type { Handler } from "../module.js";
import { ecsState, findTaskDefinition } from "./lookup.js";
import { paginate } from "../paging.js";
import type { EcsRegionState, TaskDefinitionRecord } from "./state.js";
import { buildTaskDefinition } from "./taskdef-register.js";
import { putTags, tagsOf } from "./tags.js";

const listLimits = { max: 100, defaultSize: 100 };
const notFound = "Unable to describe task definition.";

/** "family:revision" or an ARN naming one revision, whatever its status; a bare family names none. */
function findRevision(state: EcsRegionState, ref: string): TaskDefinitionRecord | undefined {
  const bare = ref.replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:task-definition\//, "");
  const [family, revisionText] = bare.split(":");
  const revision = Number(revisionText);
  if (!family || revisionText === undefined || !Number.isInteger(revision)) return undefined;
  return state.taskDefinitions.get(family)?.[revision - 1];
}

/** Describe sees what AWS lets it: the newest ACTIVE revision of a family, or any named revision, even one being deleted. */
function describable(state: EcsRegionState, ref: string): TaskDefinitionRecord | undefined {
  return findRevision(state, ref) ?? findTaskDefinition(state, ref);
}

/** Orders revisions by family name, then revision number, and gives each a key that sorts the same way. */
const revisionKey = (r: TaskDefinitionRecord) => `${r.family}\u0000${String(r.revision).padStart(10, "0")}`;

const statuses = ["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"];

export const taskDefinitionOperations: Record<string, Handler> = {
  RegisterTaskDefinition(input: RegisterTaskDefinitionRequest, ctx) {
    const state = ecsState(ctx);
    const existing = input.family ? state.taskDefinitions.get(input.family) : undefined;
    // Revisions are never reused: a deleted revision keeps its number, so the next one counts past it.
    const revision = (existing?.length ?? 0) + 1;
    const arn = state.arn(`task-definition/${input.family ?? ""}:${revision}`);
    const definition = buildTaskDefinition(input, { arn, revision, registeredAt: ctx.now, registeredBy: `arn:aws:iam::${ctx.account}:root` });
    const record: TaskDefinitionRecord = { arn, family: definition.family ?? "", revision, definition };
    putTags(state, arn, input.tags);
    if (existing) existing.push(record);
    else state.taskDefinitions.set(record.family, [record]);
    return { taskDefinition: definition, tags: tagsOf(state, arn) };
  },

  DescribeTaskDefinition(input: DescribeTaskDefinitionRequest, ctx) {
    const state = ecsState(ctx);
    if (!input.taskDefinition) throw clientException(notFound);
    const record = describable(state, input.taskDefinition);
    if (!record) throw clientException(notFound);
    const withTags = (input.include ?? []).includes("TAGS");
    return { taskDefinition: record.definition, tags: withTags ? tagsOf(state, record.arn) : [] };
  },

  DeregisterTaskDefinition(input: DeregisterTaskDefinitionRequest, ctx) {
    const state = ecsState(ctx);
    const ref = input.taskDefinition ?? "";
    const record = findRevision(state, ref);
    if (!record || record.definition.status === "DELETE_IN_PROGRESS") {
      // A bare family is refused: deregistering always names one revision.
      throw clientException(ref.includes(":") ? "The specified task definition does not exist." : "A revision must be specified to deregister a task definition.");
    }
    if (record.definition.status === "ACTIVE") {
      record.definition = { ...record.definition, status: "INACTIVE", deregisteredAt: ctx.now };
    }
    return { taskDefinition: record.definition };
  },

  DeleteTaskDefinitions(input: DeleteTaskDefinitionsRequest, ctx) {
    const state = ecsState(ctx);
    const refs = input.taskDefinitions ?? [];
    if (refs.length === 0) throw invalidParameter("taskDefinitions must contain at least one task definition.");
    if (refs.length > 10) throw invalidParameter("taskDefinitions can have at most 10 items.");
    const taskDefinitions: TaskDefinition[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const record = findRevision(state, ref);
      if (!record) {
        failures.push({ arn: ref, reason: "The specified task definition does not exist. Specify a valid account, family, revision and try again." });
      } else if (record.definition.status === "ACTIVE") {
        failures.push({ arn: record.arn, reason: "The specified task definition is still in ACTIVE status. Please deregister the target and try again." });
      } else {
        // AWS answers with the revision turned DELETE_IN_PROGRESS and the time the deletion was asked for (kept on a repeat).
        if (record.definition.status === "INACTIVE") record.definition = { ...record.definition, status: "DELETE_IN_PROGRESS", deleteRequestedAt: ctx.now };
        taskDefinitions.push(record.definition);
      }
    }
    return { taskDefinitions, failures };
  },

  ListTaskDefinitions(input: ListTaskDefinitionsRequest, ctx) {
    const state = ecsState(ctx);
    const status = input.status ?? "ACTIVE";
    if (!statuses.includes(status)) throw invalidParameter(`status must be one of ${statuses.join(", ")}.`);
    if (input.sort !== undefined && input.sort !== "ASC" && input.sort !== "DESC") throw invalidParameter("sort must be ASC or DESC.");
    const descending = input.sort === "DESC";
    // familyPrefix is, despite its name, the full family name: it filters to that one family.
    const families = input.familyPrefix !== undefined ? [input.familyPrefix] : [...state.taskDefinitions.keys()];
    const matching = families
      .flatMap((family) => state.taskDefinitions.get(family) ?? [])
      .filter((r) => r.definition.status === status)
      .sort((a, b) => compareKeys(revisionKey(a), revisionKey(b)) * (descending ? -1 : 1));
    const page = paginate(matching, revisionKey, input, listLimits, descending);
    return { taskDefinitionArns: page.items.map((r) => r.arn), ...(page.nextToken && { nextToken: page.nextToken }) };
  },

  ListTaskDefinitionFamilies(input: ListTaskDefinitionFamiliesRequest, ctx) {
    const state = ecsState(ctx);
    const status = input.status ?? "ALL";
    if (status !== "ACTIVE" && status !== "INACTIVE" && status !== "ALL") throw invalidParameter("status must be one of ACTIVE, INACTIVE, ALL.");
    const prefix = input.familyPrefix ?? "";
    // A family is ACTIVE while it has at least one ACTIVE revision, INACTIVE once it has none.
    const families = [...state.taskDefinitions.entries()]
      .filter(([family]) => family.startsWith(prefix))
      .filter(([, revisions]) => {
        if (status === "ALL") return true;
        const active = revisions.some((r) => r.definition.status === "ACTIVE");
        return status === "ACTIVE" ? active : !active;
      })
      .map(([family]) => family)
      .sort(compareKeys);
    const page = paginate(families, (f) => f, input, listLimits);
    return { families: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
  },
};

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
