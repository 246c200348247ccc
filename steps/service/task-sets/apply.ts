import { setTimeout as sleep } from "node:timers/promises";
import { awsErrorName } from "../../../src/aws/call.js";
import { isTransient } from "../rolling/wait.js";
import type { TaskSetAction } from "./actions.js";
import type { DeploymentFacts } from "./facts.js";
import type { TaskSetPorts } from "./ports.js";

/**
 * One write through the ports. Every write here is safe to repeat — CreateTaskSet and CreateService carry a client
 * token, a weight or a primary is set to a value, a delete of a missing set is done — so a write that AWS kept
 * failing transiently past the SDK's own retries is tried again a few times before the stage is given up.
 */
async function applyOnce(action: TaskSetAction, facts: DeploymentFacts, ports: TaskSetPorts): Promise<unknown> {
  const { cluster, service } = facts;
  switch (action.kind) {
    case "create-service": {
      try {
        return { serviceArn: (await ports.services.create(action.params.input)).serviceArn };
      } catch (error) {
        // An earlier attempt whose answer was lost created it: the service that exists is the one asked for.
        const existing = awsErrorName(error) === "InvalidParameterException" ? await ports.services.describe(cluster, service) : undefined;
        if (existing?.deploymentController?.type === "EXTERNAL") return { serviceArn: existing.serviceArn };
        throw error;
      }
    }
    case "update-service-settings":
      await ports.services.update({ cluster, service, ...action.params.settings });
      return { settings: Object.keys(action.params.settings) };
    case "tag-service":
      await ports.services.tag(action.params.serviceArn, action.params.tags);
      return { tagged: action.params.tags.length };
    case "update-desired-count":
      await ports.services.update({ cluster, service, desiredCount: action.params.desiredCount });
      return { desiredCount: action.params.desiredCount };
    case "create-task-set": {
      const created = await ports.taskSets.create(action.params.input);
      return { taskSetId: created.id, role: action.params.role };
    }
    case "scale-task-set":
      await ports.taskSets.scale(cluster, service, action.params.taskSetId, action.params.percent);
      return { taskSetId: action.params.taskSetId, percent: action.params.percent };
    case "make-primary":
      await ports.taskSets.makePrimary(cluster, service, action.params.taskSetId);
      return { taskSetId: action.params.taskSetId };
    case "delete-task-set":
      return { taskSetId: action.params.taskSetId, outcome: await ports.taskSets.delete(cluster, service, action.params.taskSetId) };
    case "set-weights":
      await ports.weights.setActions(action.params.rule, action.params.actions);
      // AWS's time of the change: the traffic settle time before a set that lost traffic goes counts from it.
      return { rule: action.params.rule.arn, percent: action.params.percent, awsAt: ports.clock.now().toISOString() };
    case "suspend-scale-in":
      await ports.scaling.setScaleInSuspended(cluster, service, action.params.suspended);
      return { suspended: action.params.suspended };
  }
}

const attempts = 4;

/**
 * Runs `call` again, a few times with backoff, while it fails transiently (throttling, a 5xx, a dropped
 * connection) after the SDK's own retries: a stage is given up only for a failure that is not passing weather.
 */
export async function retryTransient<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

export function applyAction(action: TaskSetAction, facts: DeploymentFacts, ports: TaskSetPorts): Promise<unknown> {
  return retryTransient(() => applyOnce(action, facts, ports));
}
