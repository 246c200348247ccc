import type { StepDefinition } from "../step.js";
import { deployService, type ServiceStepOutput } from "./deploy.js";
import { loadServiceStep, serviceSchemaId, type LoadedServiceStep } from "./load.js";

/**
 * The service step: deploys a task definition revision to an ECS service with the step's mode (rolling for
 * now), creating the service on first deploy, and waits for ECS to report it steady. Run from the registry it
 * records nothing and reports no progress; `slipway service deploy` (src/cli/commands/service.ts) does both.
 */
export const serviceStep: StepDefinition<LoadedServiceStep, ServiceStepOutput> = {
  name: "service",
  description: "Create or update an ECS service to run a task definition revision (rolling updates with the circuit breaker), wait for a steady state, and explain a failure.",
  schema: serviceSchemaId,
  load: loadServiceStep,
  run: (loaded, ctx) => deployService(loaded, ctx),
};

export { deployService, type ServiceRunOptions, type ServiceStepOutput } from "./deploy.js";
export { continueRollback, planRollback, type PlannedRollback, type StartedRollback } from "./rollback.js";
export { serviceHistory, type ServiceHistory, type HistoryEntry } from "./history.js";
export type { LoadedServiceStep } from "./load.js";
