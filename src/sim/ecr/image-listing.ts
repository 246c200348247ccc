import type { DescribeImagesRequest, ImageDetail, ImageIdentifier, ListImagesRequest, TagStatus } from "@aws-sdk/client-ecr";
import type { Handler } from "../module.js";
import { paginate } from "../paging.js";
import { imageNotFound, invalidParameter } from "./errors.js";
import { findImage, identifiersOf } from "./image-store.js";
import { ecrState, requireRepository } from "./repositories.js";
import type { ImageEntry, RepositoryRecord } from "./state.js";

/** ListImages and DescribeImages: both page over the repository's images in push order (oldest first). */
const limits = { max: 1000, defaultSize: 100 };

const imageKey = (image: ImageEntry) => String(image.sequence).padStart(12, "0");

function tagStatusOf(value: string | undefined): TagStatus {
  const status = value ?? "ANY";
  if (status !== "TAGGED" && status !== "UNTAGGED" && status !== "ANY") throw invalidParameter("tagStatus must be TAGGED, UNTAGGED or ANY.");
  return status;
}

function inPushOrder(repository: RepositoryRecord, status: TagStatus): ImageEntry[] {
  return [...repository.images.values()]
    .filter((i) => status === "ANY" || (status === "TAGGED" ? i.tags.length > 0 : i.tags.length === 0))
    .sort((a, b) => (imageKey(a) < imageKey(b) ? -1 : imageKey(a) > imageKey(b) ? 1 : 0));
}

function detail(repository: RepositoryRecord, image: ImageEntry): ImageDetail {
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    // An untagged image has no imageTags at all in ECR's answer, not an empty list.
    ...(image.tags.length > 0 && { imageTags: [...image.tags] }),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: image.mediaType,
    ...(image.scannedAt && {
      imageScanStatus: { status: "COMPLETE", description: "The scan was completed successfully." },
      imageScanFindingsSummary: { imageScanCompletedAt: image.scannedAt, vulnerabilitySourceUpdatedAt: image.scannedAt, findingSeverityCounts: {} },
    }),
  };
}

export const imageListingOperations: Record<string, Handler> = {
  ListImages(input: ListImagesRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const status = tagStatusOf(input.filter?.tagStatus);
    // One entry per tag, or one bare digest per untagged image; each keyed after its image so pages stay put.
    const entries = inPushOrder(repository, status).flatMap((image) =>
      identifiersOf(image).map((id) => ({ id, key: `${imageKey(image)}|${id.imageTag ?? ""}` })),
    );
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const page = paginate(entries, (e) => e.key, input, limits);
    return { imageIds: page.items.map((e) => e.id), ...(page.nextToken && { nextToken: page.nextToken }) };
  },

  DescribeImages(input: DescribeImagesRequest, ctx) {
    const repository = requireRepository(ecrState(ctx), input.repositoryName);
    const status = tagStatusOf(input.filter?.tagStatus);
    const ids: ImageIdentifier[] = input.imageIds ?? [];
    if (ids.length > 0) {
      // Naming images and paging are exclusive: ECR refuses maxResults or nextToken alongside imageIds.
      if (input.maxResults !== undefined || input.nextToken !== undefined) {
        throw invalidParameter("maxResults and nextToken cannot be used when imageIds are specified.");
      }
      const found = new Map<string, ImageEntry>();
      for (const id of ids) {
        const image = findImage(repository, id);
        if (!image) throw imageNotFound(id, repository.name, repository.registryId);
        found.set(image.digest, image);
      }
      const matching = [...found.values()].filter((i) => inPushOrder(repository, status).includes(i));
      return { imageDetails: matching.map((i) => detail(repository, i)) };
    }
    const page = paginate(inPushOrder(repository, status), imageKey, input, limits);
    return { imageDetails: page.items.map((i) => detail(repository, i)), ...(page.nextToken && { nextToken: page.nextToken }) };
  },
};
