import type { ImageRecord } from "../links.js";
import type { EcrRegionState } from "./state.js";

/**
 * An image URI → the repository and image it names. Accepts "<host>/<repo>:<tag>", "<host>/<repo>@sha256:…"
 * and the host-less "<repo>:<tag>"; a URI without tag or digest means ":latest", as Docker reads it.
 */
export interface ImageReference {
  repositoryName: string;
  tag?: string;
  digest?: string;
}

export function parseImageUri(uri: string): ImageReference | undefined {
  let rest = uri.trim();
  const slash = rest.indexOf("/");
  const head = slash >= 0 ? rest.slice(0, slash) : "";
  // A first segment with a dot or a port, or "localhost", is a registry host, not part of the repository name.
  if (slash >= 0 && (head.includes(".") || head.includes(":") || head === "localhost")) rest = rest.slice(slash + 1);
  const at = rest.indexOf("@");
  if (at >= 0) {
    const repositoryName = rest.slice(0, at);
    const digest = rest.slice(at + 1);
    return repositoryName && digest ? { repositoryName, digest } : undefined;
  }
  const colon = rest.lastIndexOf(":");
  const lastSlash = rest.lastIndexOf("/");
  if (colon > lastSlash) {
    const repositoryName = rest.slice(0, colon);
    const tag = rest.slice(colon + 1);
    return repositoryName && tag ? { repositoryName, tag } : undefined;
  }
  return rest ? { repositoryName: rest, tag: "latest" } : undefined;
}

export function resolveImage(state: EcrRegionState, uri: string): ImageRecord | undefined {
  const ref = parseImageUri(uri);
  const repository = ref ? state.repositories.get(ref.repositoryName) : undefined;
  if (!ref || !repository) return undefined;
  const image = ref.digest ? repository.images.get(ref.digest) : [...repository.images.values()].find((i) => i.tags.includes(ref.tag ?? ""));
  return image ? { repositoryName: repository.name, imageDigest: image.digest, imageTags: [...image.tags] } : undefined;
}
