import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";

/**
 * What a package's definition names in another account or region than the environment it is about to run in: a
 * definition registered by a pipeline in dev's account names dev's roles, secrets and registry. ECS registers it
 * anywhere, and the tasks then need cross-account access (a role trust, a resource policy, a repository policy) or
 * fail to start. Shown in the plan, so the team sees it before the tasks fail — not refused: cross-account access
 * is a legitimate set-up.
 */

export interface Place {
  region: string;
  /** Unknown when the target does not say (no account:, no roleArn). */
  account?: string;
}

/** arn:partition:service:region:account:… → its region and account (either may be empty, as IAM's region is). */
function placeOfArn(arn: string): { region: string; account: string } | undefined {
  const parts = arn.split(":");
  return parts[0] === "arn" && parts.length >= 6 ? { region: parts[3] ?? "", account: parts[4] ?? "" } : undefined;
}

function elsewhere(found: { region: string; account: string }, here: Place): string | undefined {
  if (here.account !== undefined && found.account !== "" && found.account !== here.account) return `account ${found.account}`;
  if (found.region !== "" && found.region !== here.region) return `region ${found.region}`;
  return undefined;
}

function containerReferences(container: ContainerDefinition): [string, string][] {
  const name = container.name ?? "";
  const refs: [string, string][] = [];
  for (const s of [...(container.secrets ?? []), ...(container.logConfiguration?.secretOptions ?? [])]) refs.push([`${name} secret ${s.name ?? ""}`, s.valueFrom ?? ""]);
  if (container.repositoryCredentials?.credentialsParameter) refs.push([`${name} repositoryCredentials`, container.repositoryCredentials.credentialsParameter]);
  return refs;
}

const ecrImage = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/;

/** One line per reference to another account or region, for the plan's notes. */
export function referencesElsewhere(definition: RegisterTaskDefinitionCommandInput, here: Place): string[] {
  const arns: [string, string][] = [
    ["executionRoleArn", definition.executionRoleArn ?? ""],
    ["taskRoleArn", definition.taskRoleArn ?? ""],
    ...(definition.containerDefinitions ?? []).flatMap(containerReferences),
  ];
  const notes = arns.flatMap(([what, arn]) => {
    const place = placeOfArn(arn);
    const where = place && elsewhere(place, here);
    return where ? [`${what} is in ${where}: ${arn}`] : [];
  });
  for (const container of definition.containerDefinitions ?? []) {
    const image = ecrImage.exec(container.image ?? "");
    const where = image && elsewhere({ account: image[1] ?? "", region: image[2] ?? "" }, here);
    if (where) notes.push(`${container.name ?? ""} image is in ECR of ${where}: ${container.image ?? ""}`);
    const logs = container.logConfiguration?.options?.["awslogs-region"];
    if (logs !== undefined && logs !== here.region) notes.push(`${container.name ?? ""} logs go to region ${logs} (awslogs-region)`);
  }
  return notes.map((n) => `names another place than this environment's (${here.account !== undefined ? `account ${here.account}, ` : ""}region ${here.region}): ${n} — its tasks need access there`);
}
