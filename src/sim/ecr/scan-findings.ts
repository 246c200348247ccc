import type { DescribeImageScanFindingsRequest, DescribeImageScanFindingsResponse, ImageIdentifier } from "@aws-sdk/client-ecr";
import { AwsError } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { pageSize } from "../paging.js";
import { imageNotFound, invalidParameter } from "./errors.js";
import { findImage } from "./image-store.js";
import { ecrState, requireRepository } from "./repositories.js";

/**
 * DescribeImageScanFindings under basic scanning. An image pushed to a repository with scan on push has a scan:
 * COMPLETE, at the push, with no findings (the simulator's images have no packages to find vulnerabilities in).
 * Any other image was never scanned — the simulator serves no StartImageScan — and AWS answers
 * ScanNotFoundException for an image without a scan, as it does for one pushed with scan on push off.
 */
const scanNotFound = (id: ImageIdentifier, name: string, registryId: string) =>
  new AwsError(
    "ScanNotFoundException",
    `Image scan does not exist for the image with '{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}' in the repository with name '${name}' in the registry with id '${registryId}'`,
  );

function describeImageScanFindings(input: DescribeImageScanFindingsRequest, ctx: CallContext): DescribeImageScanFindingsResponse {
  const repository = requireRepository(ecrState(ctx), input.repositoryName);
  const id = input.imageId;
  if (!id || (!id.imageDigest && !id.imageTag)) throw invalidParameter("imageId must name an image by imageDigest or imageTag.");
  // The model's range for maxResults (1 to 1000); a single empty page whatever it is.
  pageSize(input.maxResults, { max: 1000, defaultSize: 100 });
  const image = findImage(repository, id);
  if (!image) throw imageNotFound(id, repository.name, repository.registryId);
  if (!image.scannedAt) throw scanNotFound(id, repository.name, repository.registryId);
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(id.imageTag !== undefined && { imageTag: id.imageTag }) },
    imageScanStatus: { status: "COMPLETE", description: "The scan was completed successfully." },
    imageScanFindings: { imageScanCompletedAt: image.scannedAt, vulnerabilitySourceUpdatedAt: image.scannedAt, findingSeverityCounts: {}, findings: [] },
  };
}

export const scanFindingOperations: Record<string, Handler> = {
  DescribeImageScanFindings: describeImageScanFindings,
};
