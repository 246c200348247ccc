import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";

/**
 * What a package's definition names in another account or region than the environment it is about to run in: a
 * definition registered by a pipeline in dev's account names dev's roles, secrets and registry.
 *
 * Roles cannot stay: IAM lets a caller pass only a role of its own account to a service ("Cross-account pass role
 * is not allowed"), so a task or execution role of another account is replaced by the role of the same name in
 * the environment's account — the way per-account infrastructure names them — and the plan says so. Secrets,
 * images and log groups elsewhere are legitimate (resource policies, repository policies) but need that access:
 * they are shown in the plan, so the team sees it before the tasks fail.
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

const roleArn = /^(arn:aws[a-z-]*:iam::)(\d{12})(:role\/.+)$/;

/** The definition with each task and execution role of another account replaced by its namesake in `account`. */
export function rolesIn(definition: RegisterTaskDefinitionCommandInput, account: string | undefined): { definition: RegisterTaskDefinitionCommandInput; moved: string[] } {
  if (account === undefined) return { definition, moved: [] };
  const moved: string[] = [];
  const local = { ...definition };
  for (const key of ["executionRoleArn", "taskRoleArn"] as const) {
    const match = roleArn.exec(local[key] ?? "");
    if (!match || match[2] === account) continue;
    local[key] = `${match[1] ?? ""}${account}${match[3] ?? ""}`;
    moved.push(`${key} ${definition[key] ?? ""} → ${local[key]}: ECS passes only roles of the environment's account, so the role of the same name there runs it`);
  }
  return { definition: local, moved };
}

/** One line per reference to another account or region, for the plan's notes. */
export function referencesElsewhere(definition: RegisterTaskDefinitionCommandInput, here: Place): string[] {
  // Roles are not among them: rolesIn has moved them to the environment's account.
  const arns: [string, string][] = (definition.containerDefinitions ?? []).flatMap(containerReferences);
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
