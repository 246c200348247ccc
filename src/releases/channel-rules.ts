import semver from "semver";
import { InputError, NotFoundError } from "../errors.js";
import { nearest } from "../config/suggest.js";
import type { Channel } from "../config/process-model.js";
import type { ImageRule } from "../../steps/task-definition/input.js";
import type { ChosenImage } from "./release.js";
import { isReleaseVersion, maxReleaseVersionLength } from "./release-version.js";

/** The channel a release goes into: the one named, else the project's default. */
export function channelFor(channels: readonly Channel[], name: string | undefined): Channel {
  if (name === undefined) return channels.find((c) => c.isDefault) ?? (channels[0] as Channel);
  const found = channels.find((c) => c.name === name);
  if (found) return found;
  const names = channels.map((c) => c.name);
  const guess = nearest(name, names);
  throw new NotFoundError(`There is no channel "${name}" in this project.`, `${guess ? `Did you mean "${guess}"? ` : ""}The channels are: ${names.join(", ")}.`);
}

/**
 * Whether a version belongs to a channel's range. By default semver's own rule: a prerelease satisfies a range only
 * if the range names a prerelease of the same major.minor.patch (">=1.9.0-rc.0 <2.0.0" admits 1.9.0-rc.1,
 * ">=1.0.0 <2.0.0" does not). A channel with prerelease: true counts any prerelease inside the range. The one rule
 * for release versions and image tags alike.
 */
export function inChannelRange(version: string, range: string, channel: Channel): boolean {
  return semver.satisfies(version, range, { includePrerelease: channel.prerelease === true });
}

/** A prerelease the channel refuses only because it does not count prereleases: the range would hold otherwise. */
function prereleaseNotCounted(version: string, range: string, channel: Channel): boolean {
  return channel.prerelease !== true && semver.prerelease(version) !== null && semver.satisfies(version, range, { includePrerelease: true });
}

/** 1.9.0 for 1.9.0-rc.1: the release a prerelease leads to, whose prereleases a range must name. */
function releaseOf(version: string): string {
  const parsed = semver.parse(version);
  return parsed === null ? version : `${parsed.major}.${parsed.minor}.${parsed.patch}`;
}

/** The ways to let a prerelease into a channel, for a refusal's hint. */
function prereleaseFixes(version: string, range: string, channel: Channel): string {
  return `add prerelease: true to channel "${channel.name}" (any prerelease inside "${range}" then belongs), or write the range so it names a prerelease of ${releaseOf(version)} (a comparator such as ">=${releaseOf(version)}-0")`;
}

/** Release versions are semver, and a channel may narrow which ones belong to it. */
export function refuseVersion(version: string, channel: Channel): void {
  if (!isReleaseVersion(version) || semver.valid(version) === null) {
    throw new InputError(`"${version.slice(0, 140)}" is not a release version.`, `A release version is semver without build metadata, e.g. 1.4.0 or 1.5.0-rc.1 (no leading v), at most ${maxReleaseVersionLength} characters.`);
  }
  const range = channel.releaseVersions;
  if (range === undefined || inChannelRange(version, range, channel)) return;
  if (prereleaseNotCounted(version, range, channel)) {
    throw new InputError(
      `Release ${version} is a prerelease, and channel "${channel.name}" does not count prereleases: its versions match "${range}", which names no prerelease of ${releaseOf(version)}.`,
      `To let it in, ${prereleaseFixes(version, range, channel)}; or create it in another channel with --channel.`,
    );
  }
  throw new InputError(`Release ${version} does not belong in channel "${channel.name}", whose versions match "${range}".`, `Choose a version matching "${range}", or another channel with --channel.`);
}

/**
 * The step's rule narrowed by the channel: a range rule gets the channel's range as well, so the newest tag
 * satisfying both is chosen. Other rules are checked after the choice (checkChannelTags).
 *
 * Prereleases are chosen only if both count them. When the step counts them and the channel does not, the
 * choice leaves them out unless the channel's range names one (then checkChannelTags decides, as one option
 * cannot hold semver's own rule for one range and includePrerelease for the other).
 */
export function narrowedRule(rule: ImageRule, channel: Channel, container: string): ImageRule {
  const channelRange = channel.imageTags[container];
  if (channelRange === undefined || rule.kind !== "range") return rule;
  // Two ranges joined by a space must both hold; a union (||) cannot be joined that way, so it is checked after.
  if (rule.range.includes("||") || channelRange.includes("||")) return rule;
  const prerelease = rule.prerelease && (channel.prerelease === true || namesPrerelease(channelRange));
  return { ...rule, range: `${rule.range} ${channelRange}`, prerelease };
}

/**
 * Whether a range names a prerelease (">=1.9.0-rc.0"), which semver's own rule lets prereleases of that version
 * match. "<2.0.0-0" is no such name: it is how "^1.2.0" ends, and admits no prerelease of 2.0.0.
 */
function namesPrerelease(range: string): boolean {
  if (semver.validRange(range) === null) return false;
  const admitsSome = (c: semver.Comparator) => c.semver.prerelease.length > 0 && !(c.operator === "<" && c.semver.prerelease.join(".") === "0");
  return new semver.Range(range).set.some((set) => set.some(admitsSome));
}

/** Every chosen tag satisfies its channel range; a digest has no tag to check, so a channel rule refuses it. */
export function checkChannelTags(images: readonly ChosenImage[], channel: Channel): void {
  for (const image of images) {
    const range = channel.imageTags[image.container];
    if (range === undefined) continue;
    const version = image.tag === undefined ? null : semver.valid(image.tag);
    if (version !== null && inChannelRange(version, range, channel)) continue;
    const chosen = image.tag === undefined ? `the digest ${image.digest} (no tag)` : `the tag "${image.tag}"`;
    if (version !== null && prereleaseNotCounted(version, range, channel)) {
      throw new InputError(
        `Channel "${channel.name}" allows ${image.container} images tagged "${range}", but ${chosen} was chosen: a prerelease, and the channel does not count prereleases (its range names no prerelease of ${releaseOf(version)}).`,
        `To let it in, ${prereleaseFixes(version, range, channel)}; or choose another tag with --image ${image.container}=<tag>, or create the release in another channel with --channel.`,
      );
    }
    throw new InputError(
      `Channel "${channel.name}" allows ${image.container} images tagged "${range}", but ${chosen} was chosen.`,
      `Choose a matching tag with --image ${image.container}=<tag>, or create the release in another channel with --channel.`,
    );
  }
}
