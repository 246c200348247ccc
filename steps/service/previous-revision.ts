import type { DeploymentRecords } from "../../src/engine/deployment-records.js";
import { NotFoundError } from "../../src/errors.js";
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
 * an endpoint without them falls back to slipway's records.
 */
export async function previousRevision(current: ObservedService, ports: ServicePorts, records: DeploymentRecords | undefined, environment: string): Promise<RollbackTarget> {
  const running = current.taskDefinitionArn;
  const history = await ports.history.deployments(current.cluster, current.name, { status: ["SUCCESSFUL"], limit: 20 });
  let notOffered: string | undefined;
  if (history.offered) {
    const revisionArns = history.value.map((d) => d.targetServiceRevision?.arn).filter((arn): arn is string => arn !== undefined);
    const revisions = revisionArns.length > 0 ? await ports.history.revisions(revisionArns) : { offered: true as const, value: [] };
    if (revisions.offered) {
      const taskDefinitionOf = new Map(revisions.value.map((r) => [r.serviceRevisionArn, r.taskDefinition]));
      for (const arn of revisionArns) {
        const taskDefinition = taskDefinitionOf.get(arn);
        if (taskDefinition && taskDefinition !== running) return { taskDefinitionArn: taskDefinition, source: "ECS service deployments" };
      }
      throw new NotFoundError(`ECS has no earlier successful deployment of ${current.name} than ${revisionLabel(running)}.`, "Deploy a known-good release with slipway service deploy --task-definition family:revision instead.");
    }
    notOffered = revisions.reason;
  } else {
    notOffered = history.reason;
  }
  const own = records ? await records.list({ environment, cluster: current.cluster, service: current.name }) : [];
  const found = own.find((r) => r.status === "SUCCESSFUL" && r.targetTaskDefinition !== running);
  if (found) return { taskDefinitionArn: found.targetTaskDefinition, source: `slipway's records (${notOffered})` };
  throw new NotFoundError(
    `No earlier successful deployment of ${current.name} than ${revisionLabel(running)} is known: ${notOffered}, and slipway's records${records ? ` in ${records.location}` : ""} have none.`,
    "Deploy a known-good release with slipway service deploy --task-definition family:revision instead.",
  );
}
