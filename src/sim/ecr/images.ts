import type {
  BatchDeleteImageRequest,
  BatchGetImageRequest,
  Image,
  ImageFailure,
  ImageIdentifier,
  PutImageRequest,
} from "@aws-sdk/client-ecr";
import type { Handler } from "../module.js";
import { invalidParameter } from "./errors.js";
import { findImage, identifiersOf, pushImage } from "./image-store.js";
import { ecrState, requireRepository } from "./repositories.js";
import type { ImageEntry, RepositoryRecord } from "./state.js";

const digestPattern = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;

/** Why an identifier names no image, as the Batch* operations report it in `failures`; undefined when it does. */
function identifierProblem(id: ImageIdentifier): ImageFailure | undefined {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { imageId: id, failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: both tag and digest cannot be null" };
  }
  if (id.imageDigest !== undefined && !digestPattern.test(id.imageDigest)) {
    return { imageId: id, failureCode: "InvalidImageDigest", failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'" };
  }
  return undefined;
}

const notFound = (id: ImageIdentifier): ImageFailure => ({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });

function describeImage(repository: RepositoryRecord, image: ImageEntry, tag: string | undefined): Image {
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(tag !== undefined && { imageTag: tag }) },
    imageManifest: image.manifest,
    imageManifestMediaType: image.mediaType,
  };
}

function requireIds(ids: ImageIdentifier[] | undefined): ImageIdentifier[] {
  if (!ids || ids.length === 0) throw invalidParameter("imageIds must contain at least 1 item.");
  if (ids.length > 100) throw invalidParameter("imageIds can contain at most 100 items.");
  return ids;
}

/** Removing a tag unties just that tag — except the last one, whose removal deletes the image, as ECR does. */
/**
 * Visits each requested image in order, collecting a failure for a malformed or unknown id. In order, not
 * found-then-acted: an earlier delete in the same batch can make a later id not found, as in ECR.
 */
function eachImage(repository: RepositoryRecord, ids: ImageIdentifier[] | undefined, visit: (id: ImageIdentifier, image: ImageEntry) => void): ImageFailure[] {
  const failures: ImageFailure[] = [];
  for (const id of requireIds(ids)) {
    const problem = identifierProblem(id);
    const image = problem ? undefined : findImage(repository, id);
    if (problem) failures.push(problem);
    else if (!image) failures.push(notFound(id));
    else visit(id, image);
  }
  return failures;
}

function deleteOne(repository: RepositoryRecord, id: ImageIdentifier, image: ImageEntry): ImageIdentifier[] {
  if (id.imageTag !== undefined) {
    image.tags = image.tags.filter((t) => t !== id.imageTag);
    if (image.tags.length === 0) repository.images.delete(image.digest);
    return [{ imageDigest: image.digest, imageTag: id.imageTag }];
  }
  repository.images.delete(image.digest);
  return identifiersOf(image);
}

export const imageOperations: Record<string, Handler> = {
  PutImage(input: PutImageRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const image = pushImage(
      repository,
      { manifest: input.imageManifest ?? "", mediaType: input.imageManifestMediaType, tag: input.imageTag, digest: input.imageDigest },
      ctx.now,
    );
    return { image: describeImage(repository, image, input.imageTag) };
  },

  BatchGetImage(input: BatchGetImageRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const images: Image[] = [];
    const failures = eachImage(repository, input.imageIds, (id, image) => images.push(describeImage(repository, image, id.imageTag)));
    return { images, failures };
  },

  BatchDeleteImage(input: BatchDeleteImageRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const imageIds: ImageIdentifier[] = [];
    const failures = eachImage(repository, input.imageIds, (id, image) => imageIds.push(...deleteOne(repository, id, image)));
    return { imageIds, failures };
  },
};
