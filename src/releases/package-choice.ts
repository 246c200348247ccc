import type { Channel } from "../config/process-model.js";
import { InputError, NotFoundError } from "../errors.js";
import type { TaskDefinitionReader } from "../aws/task-definitions.js";
import { registeredOutside, type RevisionFacts } from "../../steps/task-definition/ownership.js";
import type { RevisionIndex } from "../../steps/task-definition/revision-index.js";
import type { PackageRule } from "../../steps/service/input.js";
import { bothRanges, revisionRange, revisionRangeHint, type RevisionRange } from "./revision-range.js";

/**
 * Choosing a service step's package revision at release time, in the first environment's account and region:
 * among the ACTIVE revisions no environment owns, registered outside slipway (ownership.ts registeredOutside) —
 * the view the feed gives with `?unowned=true`, so an outside tool choosing with the same channel makes the same
 * choice.
 */

export interface PackageChoiceRequest {
  /** The service step's name, for messages. */
  step: string;
  rule: PackageRule;
  channel: Channel;
  /** --package family=N: this revision, whatever the step's rule says; the channel's rule still applies. */
  override?: number;
  environment: string;
  /** How many allowed revisions to list, newest first (the chosen one is the first). */
  limit: number;
}

/** A revision a package may take: one registered outside slipway (its owner is no environment). */
export interface PackageCandidate {
  revision: number;
  arn: string;
}

export interface PackageChoice {
  family: string;
  /** How the revision was chosen, for people: the rules applied, or the --package flag. */
  chosenBy: string;
  /** Revisions the rules allow, newest first, at most `limit` (just the override's when there is one). */
  candidates: PackageCandidate[];
  chosen: RevisionFacts;
}

export interface ChoicePorts {
  reader: TaskDefinitionReader;
  index: RevisionIndex;
}

function parsed(text: string, what: string): RevisionRange {
  const range = revisionRange(text);
  // The schemas refuse what does not parse; reaching here means a check was skipped.
  if (!range) throw new InputError(`${what} "${text}" is not a revision range.`, revisionRangeHint);
  return range;
}

/** "newest", written or by default: the step's rule allows every revision. */
const takesNewest = (rule: PackageRule) => rule.version === undefined || rule.version === "newest";

/** The step's own rule: undefined for "newest" (every revision). */
export function stepRange(rule: PackageRule): RevisionRange | undefined {
  if (takesNewest(rule)) return undefined;
  return parsed(String(rule.version), `The package version of ${rule.family}`);
}

/** The channel's `revisions` rule for the family; undefined when it names none. */
export function channelRange(channel: Channel, family: string): RevisionRange | undefined {
  const text = channel.revisions?.[family];
  return text === undefined ? undefined : parsed(text, `Channel "${channel.name}"'s revisions rule for ${family}`);
}

function describeRules(request: PackageChoiceRequest): string {
  const step = takesNewest(request.rule) ? "newest" : `"${String(request.rule.version)}"`;
  const channel = request.channel.revisions?.[request.rule.family];
  return `the step's version ${step}${channel === undefined ? "" : ` and channel "${request.channel.name}"'s "${channel}"`}`;
}

/**
 * How many of the allowed revisions, newest first, are described in search of ones registered outside slipway:
 * each costs one DescribeTaskDefinition (ECS reads about 20 a second per account), and a family environments fill
 * with their own copies should not cost a thousand of them per plan.
 */
export const choiceWindow = 200;

const candidateOf = (facts: RevisionFacts): PackageCandidate => ({ revision: facts.revision, arn: facts.arn });

/** The newest ACTIVE revision the step's rule and the channel's allow in the environment's view, or the one --package names. */
export async function choosePackage(request: PackageChoiceRequest, ports: ChoicePorts): Promise<PackageChoice> {
  const { family } = request.rule;
  const refs = await ports.reader.listRevisions(family, "ACTIVE");
  if (refs.length === 0) {
    throw new NotFoundError(`The service step "${request.step}" takes the package ${family}, which has no ACTIVE revision in ${request.environment}'s account and region.`, `Register a revision of ${family} there (the release chooses from ${request.environment}, the lifecycle's first environment), or check the family name in the step file's package:.`);
  }
  const channel = channelRange(request.channel, family);
  if (request.override !== undefined) return await chosenByFlag(request, ports, refs, channel);
  const range = bothRanges(stepRange(request.rule), channel);
  const matching = range ? refs.filter((r) => range.includes(r.revision)) : refs;
  const found: RevisionFacts[] = [];
  let described = 0;
  for await (const facts of ports.index.newestFirst(matching)) {
    described++;
    if (facts.status === "ACTIVE" && registeredOutside(facts.environment)) found.push(facts);
    if (found.length >= request.limit || described >= choiceWindow) break;
  }
  const [chosen] = found;
  if (!chosen) {
    const newest = refs.at(-1)?.revision;
    throw new NotFoundError(
      `No revision of ${family} that ${describeRules(request)} allow is ACTIVE in ${request.environment}'s account and region among those registered outside slipway (no slipway:environment tag; the newest ${Math.min(described, choiceWindow)} allowed were looked at; the newest ACTIVE revision of the family is ${newest}).`,
      `Register a matching revision, widen the rule, or name one with --package ${family}=<revision>; slipway release plan lists what each package could take.`,
    );
  }
  return { family, chosenBy: describeRules(request), candidates: found.map(candidateOf), chosen };
}

async function chosenByFlag(request: PackageChoiceRequest, ports: ChoicePorts, refs: readonly { arn: string; revision: number }[], channel: RevisionRange | undefined): Promise<PackageChoice> {
  const { family } = request.rule;
  const revision = request.override as number;
  const flag = `--package ${family}=${revision}`;
  const ref = refs.find((r) => r.revision === revision);
  if (!ref) throw new NotFoundError(`${flag}: ${family}:${revision} is not an ACTIVE revision in ${request.environment}'s account and region.`, `The newest ACTIVE revision is ${refs.at(-1)?.revision}; slipway release plan lists what the channel allows.`);
  if (channel && !channel.includes(revision)) {
    throw new InputError(`${flag}: channel "${request.channel.name}" allows revisions "${request.channel.revisions?.[family] ?? ""}" of ${family}, and ${revision} is not one.`, "Choose a revision the channel allows, or create the release in another channel with --channel.");
  }
  const facts = await ports.index.facts(ref.arn);
  if (!facts) throw new NotFoundError(`${flag}: ${family}:${revision} was deregistered while it was read.`, "Choose another revision.");
  if (!registeredOutside(facts.environment)) {
    throw new InputError(
      `${flag}: ${family}:${revision} belongs to the ${facts.environment ?? ""} environment (its slipway:environment tag): slipway registered it, for a task definition step or as a copy of a package.`,
      "A release takes a package revision registered outside slipway (no slipway:environment tag); name the one it was registered from.",
    );
  }
  return { family, chosenBy: flag, candidates: [candidateOf(facts)], chosen: facts };
}

/** `--package shop-web=42` flags, by family; each family must be a package of some service step. */
export function packageOverrides(flags: readonly string[], families: ReadonlySet<string>): Map<string, number> {
  const byFamily = new Map<string, number>();
  for (const flag of flags) {
    const match = /^([A-Za-z0-9_-]{1,255})=([1-9][0-9]{0,8})$/.exec(flag);
    if (!match) throw new InputError(`--package ${flag} is not a package choice.`, "Write --package family=revision, e.g. --package shop-web=42.");
    const family = match[1] as string;
    if (!families.has(family)) {
      const known = families.size > 0 ? `The packages are: ${[...families].join(", ")}.` : "No service step of the process takes a package (package: in its step file).";
      throw new NotFoundError(`--package ${flag} names the family "${family}", which no service step of the process takes as its package.`, known);
    }
    if (byFamily.has(family)) throw new InputError(`--package is given twice for ${family}.`, "Give one revision per package.");
    byFamily.set(family, Number(match[2]));
  }
  return byFamily;
}
