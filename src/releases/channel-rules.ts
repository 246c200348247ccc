import semver from "semver";
import { InputError, NotFoundError } from "../errors.js";
import { nearest } from "../config/suggest.js";
import type { Channel } from "../config/process-model.js";
import type { ImageRule } from "../../steps/task-definition/input.js";
import type { ChosenImage } from "./release.js";

/** The channel a release goes into: the one named, else the project's default. */
export function channelFor(channels: readonly Channel[], name: string | undefined): Channel {
  if (name === undefined) return channels.find((c) => c.isDefault) ?? (channels[0] as Channel);
  const found = channels.find((c) => c.name === name);
  if (found) return found;
  const names = channels.map((c) => c.name);
  const guess = nearest(name, names);
  throw new NotFoundError(`There is no channel "${name}" in this project.`, `${guess ? `Did you mean "${guess}"? ` : ""}The channels are: ${names.join(", ")}.`);
}

/** Release versions are semver, and a channel may narrow which ones belong to it. */
export function refuseVersion(version: string, channel: Channel): void {
  if (semver.valid(version) === null || semver.clean(version) !== version) {
    throw new InputError(`"${version}" is not a release version.`, "A release version is semver, e.g. 1.4.0 or 1.5.0-rc.1 (no leading v).");
  }
  if (channel.releaseVersions !== undefined && !semver.satisfies(version, channel.releaseVersions, { includePrerelease: true })) {
    throw new InputError(`Release ${version} does not belong in channel "${channel.name}", whose versions match "${channel.releaseVersions}".`, `Choose a version matching "${channel.releaseVersions}", or another channel with --channel.`);
  }
}

/**
 * The step's rule narrowed by the channel: a range rule gets the channel's range as well, so the newest tag
 * satisfying both is chosen. Other rules are checked after the choice (checkChannelTags).
 */
export function narrowedRule(rule: ImageRule, channelRange: string | undefined): ImageRule {
  if (channelRange === undefined || rule.kind !== "range") return rule;
  // Two ranges joined by a space must both hold; a union (||) cannot be joined that way, so it is checked after.
  if (rule.range.includes("||") || channelRange.includes("||")) return rule;
  return { ...rule, range: `${rule.range} ${channelRange}` };
}

/** Every chosen tag satisfies its channel range; a digest has no tag to check, so a channel rule refuses it. */
export function checkChannelTags(images: readonly ChosenImage[], channel: Channel): void {
  for (const image of images) {
    const range = channel.imageTags[image.container];
    if (range === undefined) continue;
    const version = image.tag === undefined ? null : semver.valid(image.tag);
    if (version !== null && semver.satisfies(version, range, { includePrerelease: true })) continue;
    const chosen = image.tag === undefined ? `the digest ${image.digest} (no tag)` : `the tag "${image.tag}"`;
    throw new InputError(
      `Channel "${channel.name}" allows ${image.container} images tagged "${range}", but ${chosen} was chosen.`,
      `Choose a matching tag with --image ${image.container}=<tag>, or create the release in another channel with --channel.`,
    );
  }
}
