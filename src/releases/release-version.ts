/**
 * What a release version may be: semver's major.minor.patch with an optional prerelease, and no build metadata
 * (semver ignores it when comparing, so two releases would differ only in it). Numbers stay within 15 digits, where
 * JavaScript counts exactly. The API's OpenAPI document carries this same pattern (a test holds them equal), so a
 * client learns the rule before it asks.
 */
export const releaseVersionPattern = String.raw`^(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?$`;

/** The longest release version: the API's maxLength, and a bound on every version the store keeps. */
export const maxReleaseVersionLength = 128;

const expression = new RegExp(releaseVersionPattern);

export function isReleaseVersion(text: string): boolean {
  return text.length <= maxReleaseVersionLength && expression.test(text);
}
