import { repositoriesOnce, type ImageCatalog } from "../../src/aws/images.js";
import type { TaskDefinitionStepInput } from "./input.js";
import type { PinnedImage } from "./render.js";
import { refuseMovingTag, selectImage } from "./select-images.js";

/**
 * Each container's image chosen by its rule from what ECR holds now, pinned to its digest. Moving tags are
 * refused before any AWS call; each repository is read once however many containers use it.
 */
export async function resolveImages(input: Pick<TaskDefinitionStepInput, "containers" | "images">, catalog: ImageCatalog): Promise<PinnedImage[]> {
  for (const { name } of input.containers) {
    const rule = input.images[name];
    if (rule) refuseMovingTag(rule, name);
  }
  const read = repositoriesOnce(catalog);
  const pinned: PinnedImage[] = [];
  for (const { name, repository } of input.containers) {
    const rule = input.images[name];
    if (!rule) throw new Error(`no image rule for container ${name}: load() should have refused the step`);
    const [repo, images] = await read(repository);
    const chosen = selectImage(rule, images, { container: name, repository });
    pinned.push({ container: name, repository, ...(chosen.tag !== undefined && { tag: chosen.tag }), digest: chosen.digest, image: `${repo.uri}@${chosen.digest}` });
  }
  return pinned;
}
