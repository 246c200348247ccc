import { loadDeployableProject, type DeployableProject } from "../../config/load.js";
import { InputError } from "../../errors.js";
import { buildInfrastructure, type BuiltInfrastructure } from "../../seed/build.js";
import { planProjectSeed, projectRepositories, projectSecrets } from "../../seed/from-project.js";
import { notSimulators } from "../../seed/probe.js";
import type { WantedImage } from "../../seed/wanted.js";
import type { Output } from "../output.js";

export interface SeedOptions {
  project: string;
  image?: string[];
}

/** `--image shop/web:1.0.0`, checked against the repositories the project's task definition steps name. */
export function parseImages(values: readonly string[], repositories: readonly string[]): WantedImage[] {
  return values.map((value) => {
    const colon = value.lastIndexOf(":");
    const repository = colon > 0 ? value.slice(0, colon) : "";
    const tag = colon > 0 ? value.slice(colon + 1) : "";
    if (!repository || !tag || tag.includes("/") || !/^[\w][\w.-]{0,127}$/.test(tag)) {
      throw new InputError(`--image ${value} is not <repository>:<tag>.`, `For example: --image ${repositories[0] ?? "shop/web"}:1.0.0 (one tag per --image; repeat it for more).`);
    }
    if (!repositories.includes(repository)) {
      throw new InputError(`--image ${value} names the repository "${repository}", which no task definition step of the project uses.`, `The project's repositories: ${repositories.join(", ") || "none"}.`);
    }
    return { repository, tag };
  });
}

/** What a first deployment still needs that seeding did not make: images, secrets' values, and what it could not create. */
function notes(project: DeployableProject, built: BuiltInfrastructure): string[] {
  const lines = [...built.notes.map((n) => `note: ${n}`), ...built.emptyRepositories.map((r) => `note: ECR repository ${r} has no image, so no release can be created yet: add --image ${r}:<tag>.`)];
  const fromEnv = new Map<string, { names: Set<string>; environments: string[] }>();
  for (const { environment, name, secret } of projectSecrets(project)) {
    if ("fromEnv" in secret) {
      const found = fromEnv.get(secret.fromEnv) ?? { names: new Set<string>(), environments: [] };
      found.names.add(name);
      found.environments.push(environment);
      fromEnv.set(secret.fromEnv, found);
    }
  }
  for (const [env, { names, environments }] of fromEnv) {
    const set = process.env[env] !== undefined ? "set in this shell" : "not set in this shell";
    lines.push(`note: slipway deploy reads ${[...names].join(", ")} (${[...new Set(environments)].join(", ")}) from $${env} (${set}; on the simulator any value of 8 characters or more does) and keeps it in Secrets Manager itself.`);
  }
  return lines;
}

/**
 * `slipway sim seed`: creates in each environment's simulator what the project's targets and step files name and
 * is missing. Refuses, before any write, a project any of whose targets is not a slipway simulator.
 */
export async function seedProject(options: SeedOptions, io: Output): Promise<BuiltInfrastructure> {
  const project = loadDeployableProject(options.project);
  const images = parseImages(options.image ?? [], projectRepositories(project));
  const refused = await notSimulators(project);
  if (refused.length > 0) {
    throw new InputError(
      `refusing to seed: ${refused.length === 1 ? "a target is" : `${refused.length} targets are`} not a slipway simulator; nothing was created.`,
      "slipway sim seed only ever writes to slipway's simulator, never to AWS.",
      refused,
    );
  }
  const plan = planProjectSeed(project, images);
  if (plan.problems.length > 0) throw new InputError("the simulator cannot create what these targets name; nothing was created.", "Name the resources in the targets file the simulator uses.", plan.problems);
  const built = await buildInfrastructure(plan.wanted);
  let created = 0;
  for (const env of built.environments) {
    io.out(`${env.environment} (${env.connection.region} at ${env.connection.endpoint}):`);
    for (const line of env.created) io.out(`  created ${line}`);
    if (env.created.length === 0) io.out("  nothing to create: everything is there");
    created += env.created.length;
  }
  for (const line of notes(project, built)) io.err(line);
  io.out(created === 0 ? "Nothing created: the simulator already has everything the project names." : `Created ${created} resource(s). Next: slipway release create <version> --project ${options.project}`);
  return built;
}

export function seedAction(io: Output): (options: SeedOptions) => Promise<void> {
  return async (options) => {
    await seedProject(options, io);
  };
}
