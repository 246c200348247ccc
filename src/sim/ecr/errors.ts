import type { ImageIdentifier } from "@aws-sdk/client-ecr";
import { AwsError } from "../aws-error.js";

/** ECR's errors, with the wording AWS uses for them. */
export const repositoryNotFound = (name: string, registryId: string) =>
  new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);

export const repositoryAlreadyExists = (name: string, registryId: string) =>
  new AwsError("RepositoryAlreadyExistsException", `The repository with name '${name}' already exists in the registry with id '${registryId}'`);

export const repositoryNotEmpty = (name: string, registryId: string) =>
  new AwsError(
    "RepositoryNotEmptyException",
    `The repository with name '${name}' in registry with id '${registryId}' cannot be deleted because it still contains images`,
  );

export const imageNotFound = (id: ImageIdentifier, name: string, registryId: string) =>
  new AwsError(
    "ImageNotFoundException",
    `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${name}' in the registry with id '${registryId}'`,
  );

export const imageAlreadyExists = (digest: string, tag: string | undefined, name: string, registryId: string) =>
  new AwsError(
    "ImageAlreadyExistsException",
    `Image with digest '${digest}' and tag '${tag ?? "null"}' already exists in the repository with name '${name}' in registry with id '${registryId}'`,
  );

export const imageTagAlreadyExists = (tag: string, name: string) =>
  new AwsError(
    "ImageTagAlreadyExistsException",
    `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
  );

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);

/** A member that breaks its constraint, in the frame ECR's request validation answers with. */
export const constraintFailed = (at: string, constraint: string) => invalidParameter(`Invalid parameter at '${at}' failed to satisfy constraint: '${constraint}'`);

/** A value of the wrong JSON type, as a JSON 1.1 service answers one it cannot read into the model's shape. */
export const unreadable = (at: string, shape: string) => new AwsError("SerializationException", `${at} must be ${shape}`);
