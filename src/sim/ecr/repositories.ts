import type {
  CreateRepositoryRequest,
  DeleteRepositoryRequest,
  DescribeRepositoriesRequest,
  Repository,
} from "@aws-sdk/client-ecr";
import type { CallContext, Handler } from "../module.js";
import { paginate } from "../paging.js";
import { constraintFailed, invalidParameter, repositoryAlreadyExists, repositoryNotEmpty, repositoryNotFound } from "./errors.js";
import type { EcrRegionState, RepositoryRecord } from "./state.js";
import { tagMutabilitySetting } from "./tag-mutability.js";
import { encryptionConfiguration } from "./encryption.js";

/** Lowercase path segments separated by "/", each made of alphanumeric runs joined by ".", "_" or "-". */
const repositoryNamePattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function ecrState(ctx: CallContext): EcrRegionState {
  return ctx.sim.ecr.regions.get(ctx.region);
}

export function requireRepository(state: EcrRegionState, name: string | undefined): RepositoryRecord {
  if (!name) throw invalidParameter("repositoryName must be specified.");
  const repository = state.repositories.get(name);
  if (!repository) throw repositoryNotFound(name, state.account);
  return repository;
}

export function describeRepository(repository: RepositoryRecord): Repository {
  return {
    repositoryArn: repository.arn,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: repository.uri,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    ...(repository.imageTagMutabilityExclusionFilters && { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters.map((f) => ({ ...f })) }),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { ...repository.encryption },
  };
}

export function createRepository(state: EcrRegionState, input: CreateRepositoryRequest, now: Date): RepositoryRecord {
  const name = input.repositoryName ?? "";
  if (name.length < 2 || name.length > 256 || !repositoryNamePattern.test(name)) {
    throw constraintFailed("repositoryName", "must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' and have a length between 2 and 256");
  }
  const { mutability, exclusionFilters } = tagMutabilitySetting(input.imageTagMutability, input.imageTagMutabilityExclusionFilters);
  const encryption = encryptionConfiguration(input.encryptionConfiguration);
  if (state.repositories.has(name)) throw repositoryAlreadyExists(name, state.account);
  const repository: RepositoryRecord = {
    arn: `arn:aws:ecr:${state.region}:${state.account}:repository/${name}`,
    name,
    uri: `${state.registryHost}/${name}`,
    registryId: state.account,
    createdAt: now,
    imageTagMutability: mutability,
    ...(exclusionFilters && { imageTagMutabilityExclusionFilters: exclusionFilters }),
    scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
    encryption,
    tags: input.tags ?? [],
    images: new Map(),
    pushes: 0,
  };
  state.repositories.set(name, repository);
  return repository;
}

export const repositoryOperations: Record<string, Handler> = {
  CreateRepository(input: CreateRepositoryRequest, ctx) {
    return { repository: describeRepository(createRepository(ecrState(ctx), input, ctx.now)) };
  },

  DescribeRepositories(input: DescribeRepositoriesRequest, ctx) {
    const state = ecrState(ctx);
    const names = input.repositoryNames ?? [];
    if (names.length > 0) {
      // Naming repositories and paging are exclusive, as in AWS.
      if (input.maxResults !== undefined || input.nextToken !== undefined) {
        throw invalidParameter("maxResults and nextToken cannot be used when repositoryNames are specified.");
      }
      return { repositories: names.map((n) => describeRepository(requireRepository(state, n))) };
    }
    const sorted = [...state.repositories.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(sorted, (r) => r.name, input, { max: 1000, defaultSize: 100 });
    return { repositories: page.items.map(describeRepository), ...(page.nextToken && { nextToken: page.nextToken }) };
  },

  DeleteRepository(input: DeleteRepositoryRequest, ctx) {
    const state = ecrState(ctx);
    const repository = requireRepository(state, input.repositoryName);
    if (repository.images.size > 0 && !input.force) throw repositoryNotEmpty(repository.name, state.account);
    state.repositories.delete(repository.name);
    return { repository: describeRepository(repository) };
  },
};
