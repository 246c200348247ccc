import { BatchGetImageCommand, CreateRepositoryCommand, DescribeRepositoriesCommand, ListImagesCommand, PutImageCommand, type ECRClient, type Image } from "@aws-sdk/client-ecr";
import { awsErrorName, callAws } from "../aws/call.js";
import { simControl } from "./sim-control.js";
import type { SimConnection, WantedImage } from "./wanted.js";

/** One account and region's ECR, with where to report what was made in it. */
export interface Registry {
  connection: SimConnection;
  ecr: ECRClient;
  created: string[];
}

async function ensureRepository(registry: Registry, name: string): Promise<void> {
  try {
    await callAws("DescribeRepositories", name, () => registry.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })));
  } catch (error) {
    if (awsErrorName(error) !== "RepositoryNotFoundException") throw error;
    await callAws("CreateRepository", name, () => registry.ecr.send(new CreateRepositoryCommand({ repositoryName: name })));
    registry.created.push(`ECR repository ${name}`);
  }
}

async function imageTagged(registry: Registry, { repository, tag }: WantedImage): Promise<Image | undefined> {
  const out = await callAws("BatchGetImage", `${repository}:${tag}`, () => registry.ecr.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })));
  return out.images?.[0];
}

/**
 * The repositories in every registry, and each image: pushed where releases choose images (the first registry,
 * through the simulator's stand-in for `docker push`, a new digest each), then copied with its manifest into the
 * others, as ECR replication or a `docker pull`/`push` would, so every environment's registry has the same digest.
 * A tag a registry holds already is left on the image it names. Returns the repositories still without any image
 * where releases choose them: a release could not be created from those.
 */
export async function ensureImages(registries: readonly Registry[], repositories: readonly string[], images: readonly WantedImage[]): Promise<string[]> {
  const [source, ...others] = registries;
  if (!source) return [];
  for (const registry of registries) for (const name of repositories) await ensureRepository(registry, name);
  for (const image of images) {
    const name = `${image.repository}:${image.tag}`;
    let pushed = await imageTagged(source, image);
    if (!pushed) {
      await simControl(source.connection.endpoint, source.connection.region, "POST", "ecr/push", { repository: image.repository, tags: [image.tag] });
      pushed = await imageTagged(source, image);
      source.created.push(`image ${name}`);
    }
    for (const registry of others) {
      if (await imageTagged(registry, image)) continue;
      const manifest = pushed?.imageManifest ?? "";
      await callAws("PutImage", name, () =>
        registry.ecr.send(new PutImageCommand({ repositoryName: image.repository, imageTag: image.tag, imageManifest: manifest, ...(pushed?.imageManifestMediaType && { imageManifestMediaType: pushed.imageManifestMediaType }) })),
      );
      registry.created.push(`image ${name} (copied from ${source.connection.region} at ${source.connection.endpoint})`);
    }
  }
  const empty: string[] = [];
  for (const name of repositories) {
    const listed = await callAws("ListImages", name, () => source.ecr.send(new ListImagesCommand({ repositoryName: name, maxResults: 1 })));
    if ((listed.imageIds ?? []).length === 0) empty.push(name);
  }
  return empty;
}
