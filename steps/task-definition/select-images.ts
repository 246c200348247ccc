import semver from "semver";
import { InputError, NotFoundError } from "../../src/errors.js";
import { editDistance } from "../../src/config/suggest.js";
import type { ImageInfo } from "../../src/aws/images.js";
import type { ImageRule } from "./input.js";

/** The image a rule chose: its digest, and the tag it was chosen by (none for a digest rule). */
export interface SelectedImage {
  tag?: string;
  digest: string;
}

/**
 * Tags that by convention move to newer images. Deploying one is refused unless allowed: see why below.
 * A name list, not "anything that is not semver": build numbers and commit hashes are fine pins.
 */
const movingTags = new Set(["latest", "stable", "edge", "nightly", "main", "master", "trunk", "develop", "dev", "current", "prod", "production", "staging"]);

export function isMovingTag(tag: string): boolean {
  return movingTags.has(tag.toLowerCase());
}

/** Refuses a moving tag the step did not explicitly allow; called before any AWS read. */
export function refuseMovingTag(rule: ImageRule, container: string): void {
  if (rule.kind !== "tag" || rule.allowMovingTag || !isMovingTag(rule.tag)) return;
  throw new InputError(
    `The image tag "${rule.tag}" for container "${container}" moves to newer images, so slipway refuses it: a release built from it is not reproducible (dev and prod could get different images), a rollback cannot find the old image by it, and ECS does not pull a tag again once it has it.`,
    `Pin a version instead (tag: 1.4.2, range: "^1.4" or digest: sha256:…; on the command line --image ${container}=1.4.2), or add allowMovingTag: true to the rule to accept it — slipway still pins the digest "${rule.tag}" points at now.`,
  );
}

/** Up to three tags nearest to the one asked for, for "did you mean". */
export function nearestTags(wanted: string, images: ImageInfo[]): string[] {
  const tags = [...new Set(images.flatMap((i) => i.tags))];
  return tags
    .map((tag) => ({ tag, distance: editDistance(wanted, tag) }))
    .sort((a, b) => a.distance - b.distance || a.tag.localeCompare(b.tag))
    .slice(0, 3)
    .map((t) => t.tag);
}

/** Tags that are semantic versions (a leading v allowed), newest first. Other tags are not versions: ignored. */
function semverTags(images: ImageInfo[]): { tag: string; version: string; digest: string }[] {
  return images
    .flatMap((i) => i.tags.map((tag) => ({ tag, version: semver.valid(tag), digest: i.digest })))
    .filter((t): t is { tag: string; version: string; digest: string } => t.version !== null)
    .sort((a, b) => semver.rcompare(a.version, b.version) || a.tag.localeCompare(b.tag));
}

function listed(tags: string[]): string {
  return tags.length === 0 ? "none" : tags.join(", ");
}

/** The image a rule picks from a repository's images; a typed error naming the repository when none fits. Pure. */
export function selectImage(rule: ImageRule, images: ImageInfo[], where: { container: string; repository: string }): SelectedImage {
  refuseMovingTag(rule, where.container);
  const subject = `the repository ${where.repository} (container "${where.container}")`;
  switch (rule.kind) {
    case "tag": {
      const image = images.find((i) => i.tags.includes(rule.tag));
      if (image) return { tag: rule.tag, digest: image.digest };
      throw new NotFoundError(`No image is tagged "${rule.tag}" in ${subject}.`, `The nearest tags are: ${listed(nearestTags(rule.tag, images))}. Push the image, or choose one with --image ${where.container}=<tag>.`);
    }
    case "range": {
      const options = { includePrerelease: rule.prerelease };
      const candidates = semverTags(images).filter((t) => rule.prerelease || semver.prerelease(t.version) === null);
      const chosen = candidates.find((t) => semver.satisfies(t.version, rule.range, options));
      if (chosen) return { tag: chosen.tag, digest: chosen.digest };
      const newest = candidates.slice(0, 5).map((t) => t.tag);
      throw new NotFoundError(
        `No tag in ${subject} is a version matching "${rule.range}"${rule.prerelease ? "" : " (prereleases not counted)"}.`,
        `The newest versions there are: ${listed(newest)}. Widen the range, push a matching version${rule.prerelease ? "" : ", or add prerelease: true"}.`,
      );
    }
    case "digest": {
      const image = images.find((i) => i.digest === rule.digest);
      if (image) return { digest: image.digest };
      throw new NotFoundError(`No image has the digest ${rule.digest} in ${subject}.`, "Check the digest (docker inspect shows it as RepoDigests), or push the image to this repository first.");
    }
  }
}
