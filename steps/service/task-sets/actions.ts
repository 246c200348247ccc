import type { CreateServiceCommandInput, CreateTaskSetCommandInput } from "@aws-sdk/client-ecs";
import type { TagServiceAction } from "../service-tags.js";
import type { ServiceDefinition } from "../definition.js";
import type { Action as ElbAction } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RuleRef } from "../../../src/aws/listener-weights.js";
import type { Action } from "../../../src/engine/plan.js";
import type { Role } from "./roles.js";

/** The AWS writes a task-set deployment makes; each is one journalled action. */
export type CreateServiceAction = Action<"create-service", { input: CreateServiceCommandInput }>;
export type UpdateDesiredCountAction = Action<"update-desired-count", { desiredCount: number }>;
export type CreateTaskSetAction = Action<"create-task-set", { role: Role; input: CreateTaskSetCommandInput }>;
export type ScaleTaskSetAction = Action<"scale-task-set", { taskSetId: string; percent: number }>;
export type MakePrimaryAction = Action<"make-primary", { taskSetId: string }>;
export type DeleteTaskSetAction = Action<"delete-task-set", { taskSetId: string; why: string }>;
export type SetWeightsAction = Action<"set-weights", { rule: RuleRef; actions: ElbAction[]; percent: number }>;
export type SuspendScaleInAction = Action<"suspend-scale-in", { suspended: boolean }>;
/** The service's own members the step changed (placement, tag propagation, exec…): UpdateService with only those. */
export type UpdateServiceSettingsAction = Action<"update-service-settings", { settings: ServiceDefinition }>;

export type TaskSetAction = CreateServiceAction | UpdateDesiredCountAction | UpdateServiceSettingsAction | TagServiceAction | CreateTaskSetAction | ScaleTaskSetAction | MakePrimaryAction | DeleteTaskSetAction | SetWeightsAction | SuspendScaleInAction;
