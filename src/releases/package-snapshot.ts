import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag } from "@aws-sdk/client-ecs";
import { InputError, NotFoundError } from "../errors.js";
import { repositoriesOnce, type ImageCatalog, type ImageInfo } from "../aws/images.js";
import { parseImage } from "../aws/image-reference.js";
import { normalise } from "../../steps/task-definition/normalise.js";
import { contentHash, type RevisionFacts } from "../../steps/task-definition/ownership.js";
import type { PackageImage, SnapshotPackage } from "./release.js";

/**
 * A chosen revision made into what a release keeps: its whole definition as RegisterTaskDefinition takes it, each
 * ECR image pinned by digest, so that every environment registers (or finds) exactly this content.
 */

/**
 * RegisterTaskDefinition's members. A description holds more (revision, status, requiresAttributes, …): AWS's
 * facts about a revision, which a registration refuses or recomputes. Named, not subtracted, so that a member AWS
 * adds to descriptions later is not sent back to it.
 */
const registerMembers = [
  "family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities",
  "cpu", "memory", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage", "runtimePlatform", "enableFaultInjection",
] as const;

/** Tags slipway writes (its own, per environment) and AWS reserves are not the definition's to carry along. */
const carriedTag = (t: Tag) => t.key !== undefined && !t.key.startsWith("slipway:") && !t.key.startsWith("aws:");

const ecrRegistry = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export interface PackageSnapshotRequest {
  facts: RevisionFacts;
  chosenBy: string;
  environment: string;
  /** The first environment's registry, where tags are pinned to digests. */
  catalog: ImageCatalog;
  /** Environment entries that carry secrets in this project (secret-names.ts): refused in plain text. */
  secretNames: ReadonlySet<string>;
}

/** Pins one container's image, or says why it stays as registered. */
async function pinned(container: ContainerDefinition, request: PackageSnapshotRequest, read: (repository: string) => Promise<{ uri: string; images: ImageInfo[] } | undefined>): Promise<PackageImage> {
  const name = container.name ?? "";
  const registered = container.image ?? "";
  const ref = parseImage(name, registered);
  const base = { container: name, registered, ...(ref.tag !== undefined && { tag: ref.tag }) };
  if (ref.digest !== undefined) return { ...base, image: registered, digest: ref.digest };
  const stays = (why: string): PackageImage => ({ ...base, image: registered, unpinned: why });
  if (ref.registry === undefined || !ecrRegistry.test(ref.registry)) return stays("not an ECR image: ECS resolves its tag when each task starts");
  const repository = await read(ref.repository);
  if (!repository || repository.uri !== `${ref.registry}/${ref.repository}`) return stays(`not in an ECR repository of ${request.environment}'s account and region`);
  const tag = ref.tag ?? "latest";
  const image = repository.images.find((i) => i.tags.includes(tag));
  if (!image) {
    throw new InputError(
      `${request.facts.family}:${request.facts.revision} runs ${registered} in its container "${name}", and ECR holds no image tagged "${tag}" in ${ref.repository}: no task of it could start.`,
      `Push that image, or choose another revision with --package ${request.facts.family}=<revision>.`,
    );
  }
  return { ...base, image: `${repository.uri}@${image.digest}`, digest: image.digest };
}

/** A revision whose plain environment holds a secret's value: the release would store the value. */
function refusePlainSecrets(containers: readonly ContainerDefinition[], request: PackageSnapshotRequest): void {
  for (const container of containers) {
    const plain = (container.environment ?? []).filter((e) => e.name !== undefined && request.secretNames.has(e.name));
    if (plain.length === 0) continue;
    const names = plain.map((e) => e.name).join(", ");
    throw new InputError(
      `${request.facts.family}:${request.facts.revision} passes ${names} to its container "${container.name ?? ""}" as plain environment, and this project keeps ${names} secret: a release would store the value.`,
      `Register a revision that passes ${names} under secrets: (valueFrom a Secrets Manager secret or an SSM parameter), or choose another revision with --package ${request.facts.family}=<revision>.`,
    );
  }
}

export async function snapshotPackage(request: PackageSnapshotRequest): Promise<SnapshotPackage> {
  const { facts } = request;
  const source = facts.described as Record<string, unknown>;
  const containers = (source.containerDefinitions ?? []) as ContainerDefinition[];
  refusePlainSecrets(containers, request);
  const once = repositoriesOnce(request.catalog);
  // A repository the first environment's ECR lacks leaves its images as registered (pinned() says why).
  const read = (repository: string) =>
    once(repository).then(
      ([info, images]) => ({ uri: info.uri, images }),
      (error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      },
    );
  const images: PackageImage[] = [];
  for (const container of containers) images.push(await pinned(container, request, read));
  const definition = Object.fromEntries(registerMembers.flatMap((key) => (source[key] === undefined ? [] : [[key, source[key]]]))) as unknown as RegisterTaskDefinitionCommandInput;
  definition.containerDefinitions = containers.map((c, i) => ({ ...c, image: (images[i] as PackageImage).image }));
  const tags = facts.tags.filter(carriedTag);
  if (tags.length > 0) definition.tags = tags;
  return { family: facts.family, revision: facts.revision, arn: facts.arn, chosenIn: request.environment, chosenBy: request.chosenBy, definition, content: contentHash(normalise(definition)), images };
}
