import { createHash } from "node:crypto";
import { expect } from "vitest";
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ListImagesCommand,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise } from "./normalise.js";

const region = "ap-northeast-1";

/** A Docker image manifest; what a registry stores for an image, and what its digest is the hash of. */
function manifest(layerSeed: string): string {
  const layer = createHash("sha256").update(layerSeed).digest("hex");
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1470, digest: `sha256:${createHash("sha256").update(`config-${layerSeed}`).digest("hex")}` },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 2811478, digest: `sha256:${layer}` }],
  });
}
const digestOf = (body: string) => `sha256:${createHash("sha256").update(body).digest("hex")}`;

async function pushImage(b: Backend, body: string, tag?: string) {
  const { image } = await b.clients.ecr.send(new PutImageCommand({ repositoryName: "web", imageManifest: body, ...(tag && { imageTag: tag }) }));
  return image;
}

/** Pushes and returns the digest the registry gave the image (moto computes it differently from AWS). */
async function pushDigest(b: Backend, body: string, tag?: string): Promise<string> {
  const digest = (await pushImage(b, body, tag))?.imageId?.imageDigest;
  if (!digest) throw new Error("PutImage returned no digest");
  return digest;
}

async function createRepository(b: Backend) {
  const { repository } = await b.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "web" }));
  return repository;
}

fidelitySuite("ECR images", region, ({ both, compared, simOnly }) => {
  compared("creates a repository with its ARN and pull URI", async (b) => {
    const repository = await createRepository(b);
    expect(repository).toMatchObject({
      repositoryName: "web",
      repositoryArn: `arn:aws:ecr:${region}:${b.account}:repository/web`,
      repositoryUri: `${b.account}.dkr.ecr.${region}.amazonaws.com/web`,
      registryId: b.account,
    });
    const described = await b.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["web"] }));
    expect(described.repositories?.[0]?.repositoryArn).toBe(repository?.repositoryArn);
    return normalise({ repositoryName: repository?.repositoryName, repositoryArn: repository?.repositoryArn, repositoryUri: repository?.repositoryUri }, b);
  });

  both("refuses to describe a repository that does not exist", async (b) => {
    const failed = await b.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["ghost"] })).catch((e: Error) => e);
    expect((failed as Error).name).toBe("RepositoryNotFoundException");
  });

  // A registry names a manifest by the sha256 of its bytes; that is how `repo@sha256:…` pulls are checked.
  simOnly("moto differs: hashes the layer digests, not the manifest", "stores a pushed manifest under the sha256 of its bytes", async (b) => {
    await createRepository(b);
    const body = manifest("v1");
    expect(await pushDigest(b, body, "1.0.0")).toBe(digestOf(body));
  });

  compared("a second tag pushed with the same manifest names the same image", async (b) => {
    await createRepository(b);
    const body = manifest("v1");
    const digest = await pushDigest(b, body, "1.0.0");
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await pushDigest(b, body, "stable")).toBe(digest);

    const { imageDetails } = await b.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "web", imageIds: [{ imageTag: "1.0.0" }] }));
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails?.[0]?.imageDigest).toBe(digest);
    expect(imageDetails?.[0]?.imageTags?.slice().sort()).toEqual(["1.0.0", "stable"]);
    return normalise({ imageTags: imageDetails?.[0]?.imageTags?.slice().sort(), repositoryName: imageDetails?.[0]?.repositoryName, registryId: imageDetails?.[0]?.registryId }, b);
  });

  both("lists images with one entry per tag, filtered by tag status", async (b) => {
    await createRepository(b);
    const tagged = await pushDigest(b, manifest("v1"), "1.0.0");
    await pushImage(b, manifest("v1"), "stable");
    const untagged = await pushDigest(b, manifest("v0"));

    const all = await b.clients.ecr.send(new ListImagesCommand({ repositoryName: "web" }));
    const key = (id: { imageDigest?: string; imageTag?: string }) => `${id.imageDigest}:${id.imageTag ?? "-"}`;
    expect(all.imageIds?.map(key).sort()).toEqual([`${tagged}:1.0.0`, `${tagged}:stable`, `${untagged}:-`].sort());

    const onlyTagged = await b.clients.ecr.send(new ListImagesCommand({ repositoryName: "web", filter: { tagStatus: "TAGGED" } }));
    expect(onlyTagged.imageIds?.map((id) => id.imageTag).sort()).toEqual(["1.0.0", "stable"]);
    const onlyUntagged = await b.clients.ecr.send(new ListImagesCommand({ repositoryName: "web", filter: { tagStatus: "UNTAGGED" } }));
    expect(onlyUntagged.imageIds).toEqual([{ imageDigest: untagged }]);
  });

  simOnly("moto differs: DescribeImages ignores filter.tagStatus", "describes images filtered by tag status", async (b) => {
    await createRepository(b);
    const v1 = await pushDigest(b, manifest("v1"), "1.0.0");
    const v0 = await pushDigest(b, manifest("v0"));
    const tagged = await b.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "web", filter: { tagStatus: "TAGGED" } }));
    expect(tagged.imageDetails?.map((d) => d.imageDigest)).toEqual([v1]);
    const untagged = await b.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "web", filter: { tagStatus: "UNTAGGED" } }));
    expect(untagged.imageDetails?.map((d) => d.imageDigest)).toEqual([v0]);
  });

  both("BatchGetImage returns the manifest for a tag and names the tags it cannot find", async (b) => {
    await createRepository(b);
    const body = manifest("v1");
    const digest = await pushDigest(b, body, "1.0.0");
    const out = await b.clients.ecr.send(new BatchGetImageCommand({ repositoryName: "web", imageIds: [{ imageTag: "1.0.0" }, { imageTag: "9.9.9" }] }));
    expect(out.images).toHaveLength(1);
    expect(out.images?.[0]?.imageManifest).toBe(body);
    expect(out.images?.[0]?.imageId).toEqual({ imageDigest: digest, imageTag: "1.0.0" });
    expect(out.failures).toEqual([expect.objectContaining({ imageId: { imageTag: "9.9.9" }, failureCode: "ImageNotFound" })]);
  });

  both("BatchDeleteImage by tag removes only that tag while the image has others", async (b) => {
    await createRepository(b);
    const body = manifest("v1");
    const digest = await pushDigest(b, body, "1.0.0");
    await pushImage(b, body, "stable");
    const out = await b.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: "web", imageIds: [{ imageTag: "stable" }] }));
    expect(out.imageIds).toEqual([{ imageDigest: digest, imageTag: "stable" }]);
    const { imageDetails } = await b.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "web" }));
    expect(imageDetails?.map((d) => d.imageTags)).toEqual([["1.0.0"]]);
  });

  both("BatchDeleteImage by digest deletes the image and all its tags", async (b) => {
    await createRepository(b);
    const body = manifest("v1");
    const digest = await pushDigest(b, body, "1.0.0");
    await pushImage(b, body, "stable");
    await b.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: "web", imageIds: [{ imageDigest: digest }] }));
    const listed = await b.clients.ecr.send(new ListImagesCommand({ repositoryName: "web" }));
    expect(listed.imageIds).toEqual([]);
  });
});
