import { loadDeployableProject, validatedKind, validateFile } from "../../config/load.js";
import { projectSecretEnvironmentNames } from "../../releases/secret-names.js";
import { loadTaskDefinitionStep } from "../../../steps/task-definition/load.js";
import { toAwsConnection } from "../../../targets/connection.js";
import type { Output } from "../output.js";
import { settingsFor } from "../../../steps/service/input.js";
import { loadServiceStep } from "../../../steps/service/load.js";
import { unusedNativeSettings } from "../../../steps/service/native/load-checks.js";
import { trafficBeyondCapacity } from "../../../steps/service/task-sets/capacity.js";
import { stageName, toStage } from "../../../steps/service/task-sets/stages.js";

/**
 * Reads each distinct account and region the project's targets reach (environments sharing one are read once) for
 * revisions of its families that hold a secret's value in plain text, and warns about each: nothing is changed.
 */
async function warnAboutRevisions(file: string, io: Output): Promise<void> {
  // Only --revisions calls AWS: the SDK's clients are imported here, not by every validate (about 0.3 s).
  const [{ createAwsClients }, { EcsTaskDefinitions }, { plainSecretRevisions }] = await Promise.all([import("../../aws/clients.js"), import("../../aws/task-definitions.js"), import("../../releases/plain-secret-revisions.js")]);
  const project = loadDeployableProject(file);
  const names = projectSecretEnvironmentNames(project.process);
  const families = [...new Set(project.process.steps.flatMap((s) => (s.uses === "task-definition" ? [loadTaskDefinitionStep(s.file).input.family] : [])))];
  if (names.size === 0 || families.length === 0) return;
  const seen = new Set<string>();
  let warnings = 0;
  for (const target of project.targets.values()) {
    const connection = toAwsConnection(target);
    const where = JSON.stringify([connection.endpoint, connection.region, target.account, connection.roleArn, connection.profile]);
    if (seen.has(where)) continue;
    seen.add(where);
    const clients = createAwsClients(connection);
    try {
      for (const found of await plainSecretRevisions(new EcsTaskDefinitions(clients.ecs), families, names)) {
        warnings++;
        const owner = found.environment ?? "no environment";
        io.err(`warning: ${found.family}:${found.revision} (${owner}, ${target.region}) holds a secret in a plain environment entry (${found.entries.join(", ")}): anyone who may describe it can read the value.`);
        io.err(`  fix: deploy a release to ${found.environment ?? "the environment that runs it"} (it registers a revision that passes the secret through ECS secrets), rotate the secret, then deregister ${found.family}:${found.revision}.`);
      }
    } finally {
      clients.destroy();
    }
  }
  io.out(warnings === 0 ? "OK no revision holds a secret in plain text" : `${warnings} revision(s) hold a secret in plain text (see the warnings)`);
}

/**
 * Warnings a valid project may still deserve, per service step: a canary stage sending more traffic than the canary
 * has capacity for (per environment), and the step's own ecs-* settings that no environment's mode uses (accepted,
 * so one line switches an environment to an ecs-* mode). Reads the files only.
 */
export function projectWarnings(file: string): string[] {
  const { project, process: steps } = loadDeployableProject(file);
  const warnings: string[] = [];
  for (const step of steps.steps.filter((s) => s.uses === "service")) {
    const loaded = loadServiceStep(step.file, { environments: project.lifecycle.names });
    const deployedTo = project.lifecycle.names.filter((e) => !step.environments || step.environments.includes(e));
    warnings.push(...unusedNativeSettings(loaded.raw, deployedTo).map((w) => `${step.file}: ${w}`));
    for (const environment of deployedTo) {
      const settings = settingsFor(loaded.raw, environment);
      if (settings.mode !== "canary" && settings.mode !== "blue-green") continue;
      const strategy = settings.mode;
      const stages = settings.stages.map(toStage);
      warnings.push(...trafficBeyondCapacity(stages, settings.desiredCount, (stage, index) => `${step.file} in ${environment}: stage ${index + 1} ${stageName(stage, strategy)}`));
    }
  }
  return warnings;
}

/** `slipway validate [file]`: checks a project (with its targets file) or a targets file, reporting every problem at once. */
export async function validate(file: string, opts: { revisions?: boolean }, io: Output): Promise<void> {
  // Problems are thrown as one InputError and printed by report(), which exits 2.
  const valid = validateFile(file);
  for (const checked of valid) io.out(`OK ${checked}`);
  if (validatedKind(file) === "Project") for (const warning of projectWarnings(file)) io.err(warning);
  if (opts.revisions) await warnAboutRevisions(file, io);
}
