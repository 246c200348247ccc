import { randomUUID } from "node:crypto";
import { AwsError } from "../aws-error.js";
import type { ControlHandler } from "../module.js";
import { defaultManifestMediaType, digestOf, pushImage } from "./image-store.js";
import { createRepository, ecrState } from "./repositories.js";

/**
 * POST /_sim/ecr/push {repository, tags, create?}: a demo's stand-in for `docker push`. It makes up a manifest
 * that no earlier push had (so every push is a new digest) and puts it under each tag through the same rules
 * PutImage applies — a repository still refuses to move a tag that is immutable there.
 */
let pushes = 0;

function fabricatedManifest(): string {
  pushes += 1;
  const layerSize = 1_000_000 + pushes * 4_096;
  const fake = () => digestOf(randomUUID());
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: defaultManifestMediaType,
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1_469, digest: fake() },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layerSize, digest: fake() }],
  });
}

export const pushControl: ControlHandler = (body: { repository?: unknown; tags?: unknown; create?: unknown }, ctx) => {
  const state = ecrState(ctx);
  if (typeof body.repository !== "string" || body.repository === "") throw new AwsError("BadRequest", "repository must name an ECR repository");
  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string" && t !== "")) throw new AwsError("BadRequest", "tags must be a list of tag names");
  let repository = state.repositories.get(body.repository);
  if (!repository) {
    if (body.create !== true) throw new AwsError("RepositoryNotFoundException", `The repository with name '${body.repository}' does not exist in the registry with id '${state.account}'`, 404);
    repository = createRepository(state, { repositoryName: body.repository }, ctx.now);
  }
  const manifest = fabricatedManifest();
  const list = tags as string[];
  let image = pushImage(repository, { manifest, tag: list[0] }, ctx.now);
  for (const tag of list.slice(1)) image = pushImage(repository, { manifest, tag }, ctx.now);
  return {
    repository: repository.name,
    repositoryUri: repository.uri,
    imageDigest: image.digest,
    imageTags: [...image.tags],
    imageUris: image.tags.map((t) => `${repository.uri}:${t}`),
  };
};
