import type { DeploymentRecords } from "../../src/engine/deployment-records.js";
import { NotFoundError } from "../../src/errors.js";
import { ecsDeployments, notOffered } from "./ecs-deployments.js";
import type { ServicePorts } from "./ports.js";
import { revisionLabel, type ObservedService } from "./state.js";

export interface RollbackTarget {
  taskDefinitionArn: string;
  /** Where it was found, for telling people. */
  source: string;
}

/**
 * The revision a rollback returns to: the newest one that deployed successfully and is not what the service
 * runs now. ECS's own service deployments are asked first (they also know deployments slipway did not make);
 * where they cannot answer — an endpoint without them, an EXTERNAL service, none recorded — slipway's records
 * are read, and the answer says why.
 */
export async function previousRevision(current: ObservedService, ports: ServicePorts, records: DeploymentRecords | undefined, environment: string): Promise<RollbackTarget> {
  const running = current.taskDefinitionArn;
  const asked = await ecsDeployments(ports, { ...current, controllerOf: () => Promise.resolve(current.controller) }, { status: ["SUCCESSFUL"], limit: 20 });
  let whyRecords: string;
  if ("deployments" in asked) {
    const revisionArns = asked.deployments.map((d) => d.targetServiceRevision?.arn).filter((arn): arn is string => arn !== undefined);
    const revisions = revisionArns.length > 0 ? await ports.history.revisions(revisionArns) : { offered: true as const, value: [] };
    if (revisions.offered) {
      const taskDefinitionOf = new Map(revisions.value.map((r) => [r.serviceRevisionArn, r.taskDefinition]));
      for (const arn of revisionArns) {
        const taskDefinition = taskDefinitionOf.get(arn);
        if (taskDefinition && taskDefinition !== running) return { taskDefinitionArn: taskDefinition, source: "ECS service deployments" };
      }
      throw new NotFoundError(`ECS has no earlier successful deployment of ${current.name} than ${revisionLabel(running)}.`, "Deploy a known-good release with slipway service deploy --task-definition family:revision instead.");
    }
    whyRecords = notOffered(revisions.reason);
  } else {
    whyRecords = asked.whyRecords;
  }
  const own = records ? await records.list({ environment, cluster: current.cluster, service: current.name }) : [];
  const found = own.find((r) => r.status === "SUCCESSFUL" && r.targetTaskDefinition !== running);
  if (found) return { taskDefinitionArn: found.targetTaskDefinition, source: `slipway's records: ${whyRecords}` };
  throw new NotFoundError(
    `No earlier successful deployment of ${current.name} than ${revisionLabel(running)} is known: ${whyRecords}, and slipway's records${records ? ` in ${records.location}` : ""} have none.`,
    "Deploy a known-good release with slipway service deploy --task-definition family:revision instead.",
  );
}
