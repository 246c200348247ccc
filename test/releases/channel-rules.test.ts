import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/config/process-model.js";
import { InputError, NotFoundError } from "../../src/errors.js";
import { channelFor, checkChannelTags, narrowedRule, refuseVersion } from "../../src/releases/channel-rules.js";
import type { ChosenImage } from "../../src/releases/release.js";

const stable: Channel = { name: "stable", isDefault: true, releaseVersions: ">=1.0.0 <2.0.0", imageTags: { web: "^1.2.0" } };
const hotfix: Channel = { name: "hotfix", isDefault: false, imageTags: {} };
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
    expect(() => refuseVersion("1.5.0-rc.1", stable)).not.toThrow();
    expect(() => refuseVersion("9.9.9", hotfix)).not.toThrow();
  });

  it("narrows a step's range by the channel's so the newest tag satisfying both is chosen", () => {
    expect(narrowedRule({ kind: "range", range: "^1", prerelease: false }, "^1.2.0")).toEqual({ kind: "range", range: "^1 ^1.2.0", prerelease: false });
    expect(narrowedRule({ kind: "tag", tag: "1.0.0", allowMovingTag: false }, "^1.2.0")).toEqual({ kind: "tag", tag: "1.0.0", allowMovingTag: false });
    expect(narrowedRule({ kind: "range", range: "^1 || ^2", prerelease: false }, "^1.2.0").kind).toBe("range");
  });

  it("refuses a chosen tag outside the channel's image range", () => {
    expect(() => checkChannelTags([image("1.2.3")], stable)).not.toThrow();
    expect(() => checkChannelTags([image("1.1.0")], stable)).toThrow(/allows web images tagged "\^1.2.0", but the tag "1.1.0" was chosen/);
    expect(() => checkChannelTags([image()], stable)).toThrow(/the digest/);
    expect(() => checkChannelTags([image("1.1.0")], hotfix)).not.toThrow();
  });
});
