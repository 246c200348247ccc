import type { ContainerDefinition } from "@aws-sdk/client-ecs";

/** One container's image, taken apart: where it comes from and which build it is. */
export interface ContainerImage {
  container: string;
  /** As the task definition gives it. */
  image: string;
  /** The registry host, when the image names one (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com). */
  registry?: string;
  repository: string;
  tag?: string;
  /** sha256:…, when the image is pinned by digest (repo@sha256:… or repo:tag@sha256:…). */
  digest?: string;
}

/** A first path segment is a registry host when it looks like one: a dot, a port, or localhost (Docker's rule). */
function looksLikeRegistry(segment: string): boolean {
  return segment.includes(".") || segment.includes(":") || segment === "localhost";
}

/** Splits an image reference the way Docker reads it: [registry/]repository[:tag][@digest]. */
export function parseImage(container: string, image: string): ContainerImage {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = name.indexOf("/");
  const registry = slash >= 0 && looksLikeRegistry(name.slice(0, slash)) ? name.slice(0, slash) : undefined;
  const path = registry === undefined ? name : name.slice(slash + 1);
  // A colon after the last slash starts the tag; one before it belongs to a registry port.
  const colon = path.lastIndexOf(":");
  const tag = colon > path.lastIndexOf("/") ? path.slice(colon + 1) : undefined;
  const repository = tag === undefined ? path : path.slice(0, colon);
  return {
    container,
    image,
    ...(registry !== undefined && { registry }),
    repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

export function imagesOf(containers: readonly ContainerDefinition[] | undefined): ContainerImage[] {
  return (containers ?? []).map((c) => parseImage(c.name ?? "", c.image ?? ""));
}
