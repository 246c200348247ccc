import type { ServiceDeploymentHistory } from "../../../src/aws/service-deployments.js";
import type { Rollout } from "../mode.js";

/** How long before slipway's stamp of a rollout's start ECS may have created its record: the write's own round trip, with room. */
const slackMs = 60_000;

/**
 * ECS's record of a rollout when UpdateService's answer named none (`currentServiceDeployment` is recent in ECS's
 * answers, and not every endpoint gives it): the newest service deployment to the rollout's revision created
 * since the rollout started. Undefined when the endpoint keeps no records or none matches: the verdict then
 * rests on DescribeServices alone.
 */
export async function findServiceDeployment(history: ServiceDeploymentHistory, rollout: Pick<Rollout, "cluster" | "serviceName" | "taskDefinitionArn" | "startedAt">): Promise<string | undefined> {
  const listed = await history.deployments(rollout.cluster, rollout.serviceName, { limit: 5 });
  if (!listed.offered) return undefined;
  const since = rollout.startedAt.getTime() - slackMs;
  const recent = listed.value.filter((d) => (d.createdAt ?? d.startedAt ?? new Date(0)).getTime() >= since);
  const revisionArns = recent.map((d) => d.targetServiceRevision?.arn).filter((a): a is string => a !== undefined);
  if (revisionArns.length === 0) return undefined;
  const revisions = await history.revisions(revisionArns);
  if (!revisions.offered) return undefined;
  const taskDefinitionOf = new Map(revisions.value.map((r) => [r.serviceRevisionArn ?? "", r.taskDefinition]));
  return recent.find((d) => taskDefinitionOf.get(d.targetServiceRevision?.arn ?? "") === rollout.taskDefinitionArn)?.serviceDeploymentArn;
}
