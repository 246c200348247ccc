import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
  type CreateRepositoryCommandInput,
  type ImageTagMutability,
  type ImageTagMutabilityExclusionFilter,
} from "@aws-sdk/client-ecr";
import { startSim, type SimHarness } from "../support/sim.js";
import { matches } from "../../src/sim/ecr/tag-mutability.js";

/**
 * ECR's tag mutability with exclusions, as the model's ImageTagMutability and ImageTagMutabilityExclusionFilter
 * describe it: IMMUTABLE_WITH_EXCLUSION keeps every tag from moving but those a filter matches, MUTABLE_WITH_EXCLUSION
 * lets every tag move but those a filter matches. A filter is a WILDCARD pattern ("*" any run of characters) of 1–128
 * characters from [0-9a-zA-Z._*-]; a repository has 1 to 5, and only with an *_WITH_EXCLUSION setting.
 */
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);
const wildcard = (...filters: string[]): ImageTagMutabilityExclusionFilter[] => filters.map((filter) => ({ filterType: "WILDCARD", filter }));

function manifest(n: number): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 100, digest: `sha256:${String(n).padStart(64, "0")}` },
    layers: [],
  });
}

describe("ECR: image tag mutability with exclusion filters", () => {
  let h: SimHarness;
  let pushes = 0;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  const create = (input: CreateRepositoryCommandInput) => h.clients.ecr.send(new CreateRepositoryCommand(input));
  /** Pushes a new image under `tag`; the error it was refused with, or undefined. */
  const push = (repositoryName: string, imageTag: string) => errorOf(h.clients.ecr.send(new PutImageCommand({ repositoryName, imageTag, imageManifest: manifest(++pushes) })));
  /** Pushes a tag twice, each time on a new image: whether the second push could move it. */
  const moves = async (repositoryName: string, tag: string) => {
    expect(await push(repositoryName, tag)).toBeUndefined();
    const second = await push(repositoryName, tag);
    if (second) expect(second).toMatchObject({ name: "ImageTagAlreadyExistsException", message: `The image tag '${tag}' already exists in the '${repositoryName}' repository and cannot be overwritten because the repository is immutable.` });
    return second === undefined;
  };

  it("keeps IMMUTABLE_WITH_EXCLUSION and its filters, and answers them back from CreateRepository and DescribeRepositories", async () => {
    const { repository } = await create({ repositoryName: "mostly-frozen", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("latest", "dev-*") });
    const expected = { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("latest", "dev-*") };
    expect(repository).toMatchObject(expected);
    const { repositories } = await h.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["mostly-frozen"] }));
    expect(repositories?.[0]).toMatchObject(expected);
  });

  it("IMMUTABLE_WITH_EXCLUSION: only the tags a filter matches move", async () => {
    expect(await moves("mostly-frozen", "latest")).toBe(true);
    expect(await moves("mostly-frozen", "dev-feature")).toBe(true);
    expect(await moves("mostly-frozen", "dev-")).toBe(true);
    expect(await moves("mostly-frozen", "1.0.0")).toBe(false);
    expect(await moves("mostly-frozen", "dev")).toBe(false);
    expect(await moves("mostly-frozen", "latest-1")).toBe(false);
    expect(await moves("mostly-frozen", "Latest")).toBe(false);
    // The refused push left the tag on its image.
    const { imageDetails } = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "mostly-frozen", imageIds: [{ imageTag: "1.0.0" }] }));
    expect(imageDetails?.[0]?.imageTags).toEqual(["1.0.0"]);
  });

  it("MUTABLE_WITH_EXCLUSION: every tag moves but those a filter matches", async () => {
    const { repository } = await create({ repositoryName: "mostly-mutable", imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("release-*", "v*.*.*") });
    expect(repository).toMatchObject({ imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("release-*", "v*.*.*") });
    expect(await moves("mostly-mutable", "latest")).toBe(true);
    expect(await moves("mostly-mutable", "v1")).toBe(true);
    expect(await moves("mostly-mutable", "release-2026.1")).toBe(false);
    expect(await moves("mostly-mutable", "v1.2.3")).toBe(false);
    expect(await moves("mostly-mutable", "v1.2.3-rc.1")).toBe(false);
  });

  it("applies the filters to the simulator's push control as to PutImage", async () => {
    const pushed = (tags: string[]) => fetch(`${h.url}/_sim/ecr/push`, { method: "POST", body: JSON.stringify({ repository: "mostly-frozen", tags }), headers: { "content-type": "application/json" } });
    expect((await pushed(["dev-control"])).status).toBe(200);
    expect((await pushed(["dev-control"])).status).toBe(200);
    expect((await pushed(["2.0.0"])).status).toBe(200);
    const refused = await pushed(["2.0.0"]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "ImageTagAlreadyExistsException" });
  });

  it("refuses an *_WITH_EXCLUSION setting without filters, in AWS's words", async () => {
    for (const mutability of ["IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"] as const) {
      expect(await errorOf(create({ repositoryName: "no-filters", imageTagMutability: mutability }))).toMatchObject({
        name: "InvalidParameterException",
        message: `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${mutability}'`,
      });
    }
  });

  it("refuses filters with MUTABLE or IMMUTABLE, filters the model's shapes refuse, and a setting outside the enum", async () => {
    const refusals: [CreateRepositoryCommandInput, RegExp][] = [
      [{ repositoryName: "bad", imageTagMutabilityExclusionFilters: wildcard("latest") }, /only allowed when imageTagMutability is set as IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not MUTABLE/],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE", imageTagMutabilityExclusionFilters: wildcard("latest") }, /not IMMUTABLE'$/],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [] }, /^Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Member must have length between 1 and 5'$/],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("a", "b", "c", "d", "e", "f") }, /'Member must have length between 1 and 5'$/],
      [
        { repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filterType: "REGEX" as "WILDCARD", filter: "latest" }] },
        /^Invalid parameter at 'imageTagMutabilityExclusionFilters\.1\.member\.filterType' failed to satisfy constraint: 'Member must satisfy enum value set: \[WILDCARD\]'$/,
      ],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("ok", "feature/x") }, /^Invalid parameter at 'imageTagMutabilityExclusionFilters\.2\.member\.filter' failed to satisfy constraint: 'Member must satisfy regular expression pattern/],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("x".repeat(129)) }, /member\.filter' failed to satisfy constraint/],
      [{ repositoryName: "bad", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("") }, /member\.filter' failed to satisfy constraint/],
      [{ repositoryName: "bad", imageTagMutability: "FROZEN" as ImageTagMutability }, /^Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: \[MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION\]'$/],
    ];
    for (const [input, message] of refusals) {
      const refused = await errorOf(create(input));
      expect(refused, JSON.stringify(input)).toMatchObject({ name: "InvalidParameterException", $metadata: { httpStatusCode: 400 } });
      expect(refused?.message, JSON.stringify(input)).toMatch(message);
    }
    expect(await errorOf(h.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["bad"] })))).toMatchObject({ name: "RepositoryNotFoundException" });
    // A filter of 128 characters, the most the model allows, is fine.
    expect((await create({ repositoryName: "long-filter", imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: wildcard("x".repeat(128)) })).repository?.imageTagMutability).toBe("MUTABLE_WITH_EXCLUSION");
  });
});

describe("an exclusion filter's wildcard", () => {
  it("matches the whole tag, * any run of characters, everything else itself", () => {
    expect(matches("release-*", "release-1.4")).toBe(true);
    expect(matches("release-*", "prerelease-1.4")).toBe(false);
    expect(matches("*-rc*", "1.4-rc2")).toBe(true);
    expect(matches("1.?", "1.4")).toBe(false);
    expect(matches("**", "")).toBe(true);
    expect(matches("a*b", "ab")).toBe(true);
    expect(matches("a*b", "abc")).toBe(false);
  });

  it("decides a filter of many stars against a long tag at once (a RegExp of .* runs never finished)", () => {
    const filter = `${"*a".repeat(40)}*b`;
    expect(matches(filter, "a".repeat(120))).toBe(false);
    expect(matches(filter, `${"a".repeat(120)}b`)).toBe(true);
  });
});
