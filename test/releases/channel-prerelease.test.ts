import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * release create over the simulator: a step that counts prerelease tags, a default channel that does not
 * (semver's own rule) and a beta channel with prerelease: true. The sample repository has 1.0.0 … 1.3.0; 1.4.0-rc.1
 * is pushed on top, so the newest tag the step's range allows is a prerelease.
 */
describe("prereleases in channels, through release create", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project);
  const chosenTag = (out: string[]) => (JSON.parse(out.join("\n")) as { snapshot: { steps: { images?: { tag?: string }[] }[] } }).snapshot.steps[0]?.images?.[0]?.tag;

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h, {
      imageRule: '{ range: "^1.0.0", prerelease: true }',
      extra: [
        "channels:",
        "  - { name: stable, default: true, releaseVersions: \">=1.0.0 <2.0.0\", imageTags: { web: \"^1.0.0\" } }",
        "  - { name: beta, releaseVersions: \">=1.0.0 <2.0.0\", imageTags: { web: \"^1.0.0\" }, prerelease: true }",
      ].join("\n"),
    });
    await h.control("POST", "ecr/push", { repository: "shop/web", tags: ["1.4.0-rc.1"] });
  });
  afterAll(() => h.close());

  it("refuses a prerelease version in a channel whose range names none, with the fixes in the hint", async () => {
    const refused = await cli("release", "create", "1.9.0-rc.1");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('Release 1.9.0-rc.1 is a prerelease, and channel "stable" does not count prereleases');
    expect(refused.err).toContain('add prerelease: true to channel "stable"');
    expect((await cli("release", "show", "1.9.0-rc.1")).code).not.toBe(0);
  });

  it("chooses no prerelease tag for a channel that does not count them, though the step does", async () => {
    const created = await cli("release", "create", "1.0.0", "--json");
    expect(created.err).toBe("");
    expect(chosenTag(created.out)).toBe("1.3.0");
  });

  it("refuses a prerelease tag given with --image in that channel, naming the fixes", async () => {
    const refused = await cli("release", "create", "1.0.1", "--image", "web=1.4.0-rc.1");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('the tag "1.4.0-rc.1" was chosen: a prerelease, and the channel does not count prereleases');
    expect(refused.err).toContain('add prerelease: true to channel "stable"');
  });

  it("accepts the prerelease version, and chooses the prerelease tag, in a channel with prerelease: true", async () => {
    const created = await cli("release", "create", "1.9.0-rc.1", "--channel", "beta", "--json");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(chosenTag(created.out)).toBe("1.4.0-rc.1");
  });
});
