import semver from "semver";
import type { Problem } from "../errors.js";
import { problemAt } from "../../steps/step-file.js";
import { exampleEntry } from "./example.js";
import { joinPointer } from "./pointer.js";
import type { Channel } from "./process-model.js";
import { revisionRange, revisionRangeHint } from "../releases/revision-range.js";
import { isRecord } from "./raw.js";
import type { SourceDocument } from "./source.js";
import { nearest } from "./suggest.js";

export interface ChannelsCheck {
  /** Never empty: without channels: in the file, one default channel with no rules. */
  channels: Channel[];
  problems: Problem[];
}

/** What a project without channels: has: every release goes to it, with any version and any image tag. */
export const defaultChannel: Channel = { name: "default", isDefault: true, imageTags: {} };

const rangeHint = 'Write a semver range such as "^1.2.0", "~1.4.2" or ">=1.0.0 <2.0.0"; add prerelease: true to the channel to let pre-releases in.';

function rangeProblem(doc: SourceDocument, path: string, value: unknown): Problem[] {
  if (typeof value !== "string" || semver.validRange(value) !== null) return [];
  return [problemAt(doc, path, `"${value}" is not a semver range.`, rangeHint)];
}

function imageTagProblems(doc: SourceDocument, index: number, imageTags: Record<string, unknown>, containers: readonly string[] | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const [container, range] of Object.entries(imageTags)) {
    const path = joinPointer("/channels", index, "imageTags", container);
    problems.push(...rangeProblem(doc, path, range));
    if (containers === undefined || containers.includes(container)) continue;
    const guess = nearest(container, containers);
    const known = containers.length > 0 ? `The containers of the process's task-definition steps are: ${containers.join(", ")}.` : "The process has no task-definition step, so no image to choose.";
    problems.push(problemAt(doc, path, `imageTags names "${container}", which is not a container of any task-definition step.`, guess ? `Did you mean "${guess}"? ${known}` : known, "key"));
  }
  return problems;
}

/** A range that is not one, or one no revision can satisfy ("9 - 3": well formed, and empty — a typo, never a rule). */
function revisionProblems(doc: SourceDocument, index: number, revisions: Record<string, unknown>): Problem[] {
  return Object.entries(revisions).flatMap(([family, text]) => {
    if (typeof text !== "string") return [];
    const range = revisionRange(text);
    const path = joinPointer("/channels", index, "revisions", family);
    if (!range) return [problemAt(doc, path, `"${text}" is not a revision range.`, revisionRangeHint)];
    if (semver.minVersion(range.semver) === null) return [problemAt(doc, path, `"${text}" matches no revision.`, `Check the ends: the lower one first. ${revisionRangeHint}`)];
    return [];
  });
}

/** Exactly one default when several channels are given; a single channel is the default on its own. */
function defaultProblems(doc: SourceDocument, list: Record<string, unknown>[]): Problem[] {
  const defaults = list.flatMap((c, i) => (c.default === true ? [i] : []));
  const first = defaults[0];
  if (first === undefined) {
    if (list.length < 2) return [];
    const name = typeof list[0]?.name === "string" ? list[0].name : "stable";
    return [problemAt(doc, "/channels", `None of the ${list.length} channels is the default.`, `Mark the one release create uses without --channel with ${exampleEntry(doc.syntax, "default", true)}, for example on "${name}".`)];
  }
  const firstName = String(list[first]?.name);
  return defaults.slice(1).map((i) => problemAt(doc, joinPointer("/channels", i, "default"), `"${String(list[i]?.name)}" is marked default, but "${firstName}" already is.`, "Only one channel can be the default: remove default: true from all but one."));
}

/** A map's string values: what the schema refused otherwise is left out (its problem is already reported). */
const stringsOf = (record: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === "string"));

/** The channels: of a project document and the rules a schema cannot state. Reads leniently, like the steps. */
export function checkChannels(doc: SourceDocument, containers: readonly string[] | undefined): ChannelsCheck {
  const value = isRecord(doc.value) ? doc.value.channels : undefined;
  if (!Array.isArray(value)) return { channels: [defaultChannel], problems: [] };
  // Items the schema rejected keep their index, so positions stay right.
  const list = (value as unknown[]).map((c) => (isRecord(c) ? c : {}));
  const problems: Problem[] = [...defaultProblems(doc, list)];
  const seen = new Map<string, number>();
  list.forEach((channel, i) => {
    if (typeof channel.name === "string") {
      const earlier = seen.get(channel.name);
      if (earlier === undefined) seen.set(channel.name, i);
      else problems.push(problemAt(doc, joinPointer("/channels", i, "name"), `The channel "${channel.name}" is listed twice (also channel ${earlier + 1}).`, "Each channel needs its own name; rename or remove one."));
    }
    problems.push(...rangeProblem(doc, joinPointer("/channels", i, "releaseVersions"), channel.releaseVersions));
    if (isRecord(channel.imageTags)) problems.push(...imageTagProblems(doc, i, channel.imageTags, containers));
    if (isRecord(channel.revisions)) problems.push(...revisionProblems(doc, i, channel.revisions));
  });
  const channels = list.map((c) => ({
    name: String(c.name),
    isDefault: c.default === true || list.length === 1,
    ...(typeof c.releaseVersions === "string" && { releaseVersions: c.releaseVersions }),
    imageTags: isRecord(c.imageTags) ? stringsOf(c.imageTags) : {},
    ...(isRecord(c.revisions) && { revisions: stringsOf(c.revisions) }),
    ...(c.prerelease === true && { prerelease: true }),
  }));
  return { channels, problems };
}
