import { readFileSync, writeFileSync } from "node:fs";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { openProjectStore } from "../../src/cli/commands/project-store.js";

/** The image each environment's service runs now: its task definition's web container image (repo@digest). */
async function imageIn(h: SimHarness, env: string): Promise<string | undefined> {
  const described = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: `shop-${env}`, services: ["shop-web"] }));
  const arn = described.services?.[0]?.taskDefinition;
  if (!arn) return undefined;
  const td = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return td.taskDefinition?.containerDefinitions?.find((c) => c.name === "web")?.image;
}

describe("releases promoted through the lifecycle", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project);
  const deploy = (...argv: string[]) => cli(...argv, "--poll-interval", "0.02");

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
  });
  afterAll(() => h.close());

  it("creates a release that pins every image to a digest, chosen once", async () => {
    const created = await cli("release", "create", "1.0.0", "--notes", "first", "--json");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const release = JSON.parse(created.out.join("\n")) as { snapshot: { steps: { uses: string; images?: { tag: string; digest: string }[] }[] } };
    const images = release.snapshot.steps.find((s) => s.uses === "task-definition")?.images ?? [];
    expect(images).toHaveLength(1);
    expect(images[0]?.tag).toBe("1.2.0");
    expect(images[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await cli("release", "create", "1.0.0");
    expect(again.code).toBe(4);
    expect(again.err).toContain("Release 1.0.0 already exists");
  });

  it("refuses prod before the release succeeded in dev, and records nothing", async () => {
    const refused = await deploy("deploy", "1.0.0", "--to", "prod");
    expect(refused.code).toBe(4);
    expect(refused.err).toContain("has not succeeded in dev");
    expect(refused.err).toContain("slipway deploy 1.0.0 --to dev");
    const status = JSON.parse((await cli("status", "--json")).out.join("\n")) as { environments: { name: string; inProgress: unknown[] }[]; releases: { environments: object }[] };
    expect(status.releases[0]?.environments).toEqual({});
    expect(await imageIn(h, "prod")).toBeUndefined();
  });

  it("keeps release notes to the API's limit, and refuses a NUL character in them, before reading any image", async () => {
    const long = await cli("release", "create", "9.0.0", "--notes", "n".repeat(10_001));
    expect(long.code).toBe(2);
    expect(long.err).toContain("The release notes are 10001 characters long; at most 10000 are kept.");
    const nul = await cli("release", "create", "9.0.0", "--notes", "a\u0000b");
    expect(nul.code).toBe(2);
    expect((await cli("release", "show", "9.0.0")).code).not.toBe(0);
  });

  it("refuses a bad flag before anything is recorded, so no run is left to block the environment", async () => {
    for (const bad of ["-1", "abc"]) {
      const refused = await cli("deploy", "1.0.0", "--to", "dev", "--poll-interval", bad);
      expect(refused.code).toBe(2);
      expect(refused.out).toEqual([]);
      expect(refused.err).toContain(`--poll-interval ${bad} is not a number of seconds.`);
    }
    const status = JSON.parse((await cli("status", "--json")).out.join("\n")) as { environments: { name: string; inProgress: unknown[] }[] };
    expect(status.environments.find((e) => e.name === "dev")?.inProgress).toEqual([]);
  });

  it("deploys the exact same digests to dev, then test, then prod — whatever happened to the tags and files since", async () => {
    const release = JSON.parse((await cli("release", "show", "1.0.0", "--json")).out.join("\n")) as { snapshot: { steps: { images?: { digest: string; repositoryUri: string }[] }[] } };
    const pinned = release.snapshot.steps[0]?.images?.[0];
    const dev = await deploy("deploy", "1.0.0", "--to", "dev");
    expect(dev.err).toBe("");
    expect(dev.code).toBe(0);
    expect(dev.out.at(-1)).toMatch(/^release 1.0.0 is deployed to dev \(deployment release-dev-1\.0\.0-/);

    // A newer matching tag and an edited step file must not change what 1.0.0 deploys.
    await h.control("POST", "ecr/push", { repository: "shop/web", tags: ["1.2.9"] });
    writeFileSync(p.taskdefStep, readFileSync(p.taskdefStep, "utf8").replace('memory: "512"', 'memory: "1024"'));

    expect((await deploy("promote", "1.0.0")).code).toBe(0);
    expect((await deploy("promote", "1.0.0")).code).toBe(0);
    const expected = `${pinned?.repositoryUri}@${pinned?.digest}`;
    expect(await imageIn(h, "dev")).toBe(expected);
    expect(await imageIn(h, "test")).toBe(expected);
    expect(await imageIn(h, "prod")).toBe(expected);

    const status = await cli("status");
    expect(status.out.join("\n")).toMatch(/prod\s+runs 1\.0\.0/);
    const promoteAgain = await deploy("promote", "1.0.0");
    expect(promoteAgain.code).toBe(4);
    expect(promoteAgain.err).toContain("has already reached prod");
  });

  it("lets a release skip the optional test environment but not dev", async () => {
    const created = await cli("release", "create", "1.1.0", "--image", "web=1.1.0");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const dev = await deploy("deploy", "1.1.0", "--to", "dev");
    expect(dev.err).toBe("");
    expect(dev.code).toBe(0);
    const prod = await deploy("deploy", "1.1.0", "--to", "prod");
    expect(prod.err).toBe("");
    expect(prod.code).toBe(0);
    expect(await imageIn(h, "prod")).toContain("@sha256:");
    const list = await cli("release", "list");
    expect(list.out.map((l) => l.split(/\s+/)[0])).toEqual(["1.1.0", "1.0.0"]);
  });
});

describe("a deployment left unfinished in an environment", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
  });
  afterAll(() => h.close());

  it("blocks a new deployment there until it is resumed, so it cannot later roll back over a newer release", async () => {
    const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");
    expect((await runCli("release", "create", "1.0.0", "--project", p.project)).code).toBe(0);
    // What a Ctrl-C'd deploy leaves: a run marked interrupted, its locks let go.
    const store = await openProjectStore(p.project, JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")).project as string);
    try {
      await store.runs.create({ id: "release-dev-1.0.0-left", release: "1.0.0", environment: "dev", requestedBy: "cli:tester" });
      await store.runs.update("release-dev-1.0.0-left", { status: "interrupted" });
    } finally {
      await store.close();
    }
    const refused = await cli("deploy", "1.0.0", "--to", "dev");
    expect(refused.code).toBe(4);
    expect(refused.err).toContain("Deployment release-dev-1.0.0-left of release 1.0.0 is interrupted in dev");
    expect(refused.err).toContain("slipway resume release-dev-1.0.0-left");
    const resumed = await cli("resume", "release-dev-1.0.0-left");
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect((await cli("deploy", "1.0.0", "--to", "dev")).code).toBe(0);
  });
});
