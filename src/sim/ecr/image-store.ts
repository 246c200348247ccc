import { createHash } from "node:crypto";
import type { ImageIdentifier } from "@aws-sdk/client-ecr";
import { constraintFailed, imageAlreadyExists, imageTagAlreadyExists, invalidParameter } from "./errors.js";
import type { ImageEntry, RepositoryRecord } from "./state.js";
import { tagIsImmutable } from "./tag-mutability.js";

/**
 * The rules of a repository's images: content addressing, where a tag points, and what a push or a delete does
 * to them. Shared by the ECR operations and the simulator's push control.
 */
export const defaultManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

/** An image's digest is the SHA-256 of its manifest's bytes, exactly as pushed. */
export function digestOf(manifest: string): string {
  return `sha256:${createHash("sha256").update(manifest, "utf8").digest("hex")}`;
}

interface ManifestShape {
  mediaType?: unknown;
  config?: { size?: unknown };
  layers?: { size?: unknown }[];
}

function parseManifest(manifest: string): ManifestShape | undefined {
  try {
    const value: unknown = JSON.parse(manifest);
    return value && typeof value === "object" ? (value as ManifestShape) : undefined;
  } catch {
    return undefined;
  }
}

/** ECR reports the compressed size of the layers; a manifest without layer sizes counts as its own length. */
function sizeOf(manifest: string, parsed: ManifestShape | undefined): number {
  const layers = Array.isArray(parsed?.layers) ? parsed.layers : [];
  const total = layers.reduce((n, l) => n + (typeof l.size === "number" ? l.size : 0), 0);
  return total > 0 ? total : Buffer.byteLength(manifest, "utf8");
}

export function imageWithTag(repository: RepositoryRecord, tag: string): ImageEntry | undefined {
  for (const image of repository.images.values()) if (image.tags.includes(tag)) return image;
  return undefined;
}

/** The image an identifier names; a tag and a digest together must agree. */
export function findImage(repository: RepositoryRecord, id: ImageIdentifier): ImageEntry | undefined {
  const byDigest = id.imageDigest ? repository.images.get(id.imageDigest) : undefined;
  if (id.imageTag === undefined) return byDigest;
  const byTag = imageWithTag(repository, id.imageTag);
  if (id.imageDigest !== undefined && byTag !== byDigest) return undefined;
  return byTag;
}

export interface PushRequest {
  manifest: string;
  mediaType?: string | undefined;
  tag?: string | undefined;
  /** When given, must equal the manifest's digest. */
  digest?: string | undefined;
}

/**
 * PutImage's semantics. The same manifest is the same image; a tag names one image at a time, so a tag already
 * on another image moves — unless the tag is immutable there (IMMUTABLE, or as an *_WITH_EXCLUSION setting's
 * filters decide), which refuses. Pushing what is already there
 * (same manifest, same tag or no tag) is ImageAlreadyExistsException.
 */
export function pushImage(repository: RepositoryRecord, request: PushRequest, now: Date): ImageEntry {
  const { manifest, tag } = request;
  if (!manifest) throw invalidParameter("imageManifest must be specified.");
  if (tag !== undefined && (tag.length < 1 || tag.length > 300)) throw invalidParameter("imageTag must be between 1 and 300 characters.");
  const parsed = parseManifest(manifest);
  if (!parsed) throw constraintFailed("ImageManifest", "Invalid JSON syntax");
  const digest = digestOf(manifest);
  if (request.digest !== undefined && request.digest !== digest) {
    throw invalidParameter(`The digest '${request.digest}' does not match the digest of the image manifest '${digest}'.`);
  }
  const existing = repository.images.get(digest);
  if (existing && (tag === undefined || existing.tags.includes(tag))) throw imageAlreadyExists(digest, tag, repository.name, repository.registryId);
  const holder = tag !== undefined ? imageWithTag(repository, tag) : undefined;
  if (holder && tag !== undefined) {
    if (tagIsImmutable(repository, tag)) throw imageTagAlreadyExists(tag, repository.name);
    // The tag moves: the old image keeps its other tags, or stays on as an UNTAGGED image.
    holder.tags = holder.tags.filter((t) => t !== tag);
  }
  const image: ImageEntry = existing ?? {
    digest,
    manifest,
    mediaType: request.mediaType ?? (typeof parsed.mediaType === "string" ? parsed.mediaType : defaultManifestMediaType),
    tags: [],
    pushedAt: now,
    sequence: ++repository.pushes,
    sizeInBytes: sizeOf(manifest, parsed),
    // Basic scanning on push: the simulator's scan finishes as the push does and finds nothing.
    ...(repository.scanOnPush && { scannedAt: now }),
  };
  if (tag !== undefined) image.tags.push(tag);
  repository.images.set(digest, image);
  return image;
}

/** One identifier per tag, or the bare digest for an untagged image — how ECR lists an image. */
export function identifiersOf(image: ImageEntry): ImageIdentifier[] {
  return image.tags.length > 0 ? image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })) : [{ imageDigest: image.digest }];
}
