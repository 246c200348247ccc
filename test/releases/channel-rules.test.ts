import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/config/process-model.js";
import { InputError, NotFoundError } from "../../src/errors.js";
import { channelFor, checkChannelTags, narrowedRule, refuseVersion } from "../../src/releases/channel-rules.js";
import type { ChosenImage } from "../../src/releases/release.js";
import type { ImageRule } from "../../steps/task-definition/input.js";

const stable: Channel = { name: "stable", isDefault: true, releaseVersions: ">=1.0.0 <2.0.0", imageTags: { web: "^1.2.0" } };
const hotfix: Channel = { name: "hotfix", isDefault: false, imageTags: {} };
/** The error a call throws, to look at its message and hint. */
function thrown(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    return error as InputError;
  }
  throw new Error("expected an error");
}
const image = (tag?: string): ChosenImage => ({ container: "web", repository: "shop/web", repositoryUri: "0.dkr.ecr/shop/web", ...(tag !== undefined && { tag }), digest: `sha256:${"a".repeat(64)}` });

describe("channels", () => {
  it("picks the default channel, or the one named, with a suggestion for a typo", () => {
    expect(channelFor([hotfix, stable], undefined).name).toBe("stable");
    expect(channelFor([hotfix, stable], "hotfix").name).toBe("hotfix");
    expect(() => channelFor([hotfix, stable], "hotfx")).toThrow(NotFoundError);
    try {
      channelFor([hotfix, stable], "hotfx");
    } catch (error) {
      expect((error as NotFoundError).hint).toContain('Did you mean "hotfix"?');
    }
  });

  it("refuses a version that is not semver or outside the channel's range", () => {
    expect(() => refuseVersion("v1.0.0", stable)).toThrow(InputError);
    expect(() => refuseVersion("latest", stable)).toThrow(/not a release version/);
    expect(() => refuseVersion("2.0.0", stable)).toThrow(/does not belong in channel "stable"/);
    expect(() => refuseVersion("1.5.0", stable)).not.toThrow();
    expect(() => refuseVersion("9.9.9", hotfix)).not.toThrow();
    expect(() => refuseVersion("9.9.9-rc.1", hotfix)).not.toThrow();
  });

  it("refuses a prerelease its range does not name, by semver's own rule, and names the fixes", () => {
    const error = thrown(() => refuseVersion("1.9.0-rc.1", stable));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('Release 1.9.0-rc.1 is a prerelease, and channel "stable" does not count prereleases: its versions match ">=1.0.0 <2.0.0", which names no prerelease of 1.9.0.');
    expect(error.hint).toMatch(/add prerelease: true to channel "stable"/);
    expect(error.hint).toMatch(/names a prerelease of 1\.9\.0/);
    expect(error.hint).toMatch(/another channel with --channel/);
    // Outside the range anyway: the plain refusal, not the prerelease one.
    expect(thrown(() => refuseVersion("2.1.0-rc.1", stable)).message).toMatch(/does not belong in channel "stable"/);
  });

  it("admits a prerelease the range names, or any prerelease inside the range with prerelease: true", () => {
    expect(() => refuseVersion("1.9.0-rc.1", { ...stable, releaseVersions: ">=1.9.0-rc.0 <2.0.0" })).not.toThrow();
    expect(() => refuseVersion("1.8.0-rc.1", { ...stable, releaseVersions: ">=1.9.0-rc.0 <2.0.0" })).toThrow(/does not belong in channel "stable"/);
    expect(() => refuseVersion("1.9.0-rc.1", { ...stable, prerelease: true })).not.toThrow();
    expect(() => refuseVersion("1.9.0", { ...stable, prerelease: true })).not.toThrow();
    expect(() => refuseVersion("2.0.0", { ...stable, prerelease: true })).toThrow(/does not belong in channel "stable"/);
  });

  it("narrows a step's range by the channel's so the newest tag satisfying both is chosen", () => {
    expect(narrowedRule({ kind: "range", range: "^1", prerelease: false }, stable, "web")).toEqual({ kind: "range", range: "^1 ^1.2.0", prerelease: false });
    expect(narrowedRule({ kind: "tag", tag: "1.0.0", allowMovingTag: false }, stable, "web")).toEqual({ kind: "tag", tag: "1.0.0", allowMovingTag: false });
    expect(narrowedRule({ kind: "range", range: "^1 || ^2", prerelease: false }, stable, "web").kind).toBe("range");
    expect(narrowedRule({ kind: "range", range: "^1", prerelease: true }, stable, "log-router")).toEqual({ kind: "range", range: "^1", prerelease: true });
  });

  it("chooses prerelease tags only when both the step and the channel count them", () => {
    const step: ImageRule = { kind: "range", range: "^1", prerelease: true };
    expect(narrowedRule(step, stable, "web")).toMatchObject({ prerelease: false });
    expect(narrowedRule(step, { ...stable, prerelease: true }, "web")).toMatchObject({ prerelease: true });
    // A channel range that names a prerelease lets semver's rule admit some: they are chosen, then checked.
    expect(narrowedRule(step, { ...stable, imageTags: { web: ">=1.3.0-rc.0 <2.0.0" } }, "web")).toMatchObject({ prerelease: true });
    expect(narrowedRule({ ...step, prerelease: false }, { ...stable, prerelease: true }, "web")).toMatchObject({ prerelease: false });
  });

  it("refuses a chosen tag outside the channel's image range", () => {
    expect(() => checkChannelTags([image("1.2.3")], stable)).not.toThrow();
    expect(() => checkChannelTags([image("1.1.0")], stable)).toThrow(/allows web images tagged "\^1.2.0", but the tag "1.1.0" was chosen/);
    expect(() => checkChannelTags([image()], stable)).toThrow(/the digest/);
    expect(() => checkChannelTags([image("1.1.0")], hotfix)).not.toThrow();
    expect(() => checkChannelTags([image("1.3.0-rc.1")], hotfix)).not.toThrow();
  });

  it("refuses a prerelease tag the channel's range does not name, and names the fixes", () => {
    const error = thrown(() => checkChannelTags([image("1.3.0-rc.1")], stable));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/allows web images tagged "\^1\.2\.0", but the tag "1\.3\.0-rc\.1" was chosen: a prerelease, and the channel does not count prereleases/);
    expect(error.hint).toMatch(/add prerelease: true to channel "stable"/);
    expect(error.hint).toMatch(/names a prerelease of 1\.3\.0/);
    expect(error.hint).toMatch(/--image web=<tag>/);
  });

  it("admits a prerelease tag the range names, or any inside the range with prerelease: true", () => {
    expect(() => checkChannelTags([image("1.3.0-rc.1")], { ...stable, imageTags: { web: ">=1.3.0-rc.0 <2.0.0" } })).not.toThrow();
    expect(() => checkChannelTags([image("1.3.0-rc.1")], { ...stable, prerelease: true })).not.toThrow();
    expect(() => checkChannelTags([image("1.3.0")], { ...stable, prerelease: true })).not.toThrow();
    expect(() => checkChannelTags([image("1.1.0-rc.1")], { ...stable, prerelease: true })).toThrow(/but the tag "1\.1\.0-rc\.1" was chosen\.$/);
  });
});
