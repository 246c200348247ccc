import type { Channel } from "../config/process-model.js";
import { channelFor } from "./channel-rules.js";
import type { ReleaseProject } from "./create-release.js";
import { choosePackage, type PackageCandidate } from "./package-choice.js";
import type { ChosenImage } from "./release.js";
import type { ReleaseSources } from "./release-sources.js";
import { chooseImages, keepPackage, readProcess } from "./snapshot.js";
import { projectSecretEnvironmentNames } from "./secret-names.js";
import { InputError, NotFoundError } from "../errors.js";
import type { LoadedServiceStep } from "../../steps/service/load.js";

/**
 * `slipway release plan` (and the dashboard's Create release page): what a release created now would choose, and
 * what else each package could take under the channel — Octopus's create-release screen. Reads, writes nothing.
 */

/** How many revisions a package's list shows, newest first. */
export const planCandidates = 10;

export interface PlannedPackage {
  step: string;
  family: string;
  /** The rules applied, or the --package flag. */
  chosenBy: string;
  chosen: number;
  /** Why a release could not take the chosen revision (a secret in plain text, a missing port, …): create refuses it. */
  refused?: { message: string; hint?: string };
  /** Revisions the rules allow in the first environment's view, newest first (at most planCandidates). */
  candidates: PackageCandidate[];
}

export interface PlannedImages {
  step: string;
  images: ChosenImage[];
}

export interface ReleasePlan {
  channel: string;
  /** The environment choices are made in: the lifecycle's first. */
  environment: string;
  packages: PlannedPackage[];
  images: PlannedImages[];
}

export interface ReleasePlanRequest {
  channel?: string;
  images?: readonly string[];
  packages?: readonly string[];
}

/** What `create` would refuse the choice with; undefined when it would take it. AWS failures are not refusals: they are the plan's. */
async function refusalOf(keep: () => Promise<unknown>): Promise<{ message: string; hint?: string } | undefined> {
  try {
    await keep();
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError) && !(error instanceof NotFoundError)) throw error;
    return { message: error.message, ...(error.hint !== undefined && { hint: error.hint }) };
  }
}

export async function planRelease(project: ReleaseProject, sources: ReleaseSources, request: ReleasePlanRequest): Promise<ReleasePlan> {
  const channel: Channel = channelFor(project.process.channels, request.channel);
  const environments = project.lifecycle.names;
  const environment = environments[0] as string;
  const read = readProcess({ process: project.process, environments, images: request.images ?? [], packages: request.packages ?? [] });
  const secretNames = projectSecretEnvironmentNames(project.process);
  const packages: PlannedPackage[] = [];
  const images: PlannedImages[] = [];
  for (const step of project.process.steps) {
    const input = read.taskDefinitions.get(step);
    if (input) images.push({ step: step.name, images: await chooseImages(input, { channel, catalog: sources.images }, read.overrides.images) });
    const rule = read.services.get(step)?.raw.package;
    if (!rule) continue;
    const override = read.overrides.packages.get(rule.family);
    const choice = await choosePackage({ step: step.name, rule, channel, environment, limit: planCandidates, ...(override !== undefined && { override }) }, sources.taskDefinitions);
    const refused = await refusalOf(() => keepPackage(choice, step.file, read.services.get(step) as LoadedServiceStep, { catalog: sources.images, secretNames, environment }));
    packages.push({ step: step.name, family: rule.family, chosenBy: choice.chosenBy, chosen: choice.chosen.revision, ...(refused && { refused }), candidates: choice.candidates });
  }
  return { channel: channel.name, environment, packages, images };
}
