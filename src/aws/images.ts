import { DescribeRepositoriesCommand, paginateDescribeImages, type ECRClient } from "@aws-sdk/client-ecr";
import { NotFoundError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

export interface RepositoryInfo {
  name: string;
  /** "<account>.dkr.ecr.<region>.amazonaws.com/<name>" — what a task definition's image starts with. */
  uri: string;
}

export interface ImageInfo {
  digest: string;
  tags: string[];
  pushedAt?: Date;
}

/** What choosing an image at release time needs from a registry. */
export interface ImageCatalog {
  repository(name: string): Promise<RepositoryInfo>;
  /** Every image in the repository, tagged or not. */
  images(repository: string): Promise<ImageInfo[]>;
}

/** A repository and its images, each repository read once however many containers ask (one choice's reads). */
export function repositoriesOnce(catalog: ImageCatalog): (name: string) => Promise<[RepositoryInfo, ImageInfo[]]> {
  const repositories = new Map<string, Promise<[RepositoryInfo, ImageInfo[]]>>();
  return (name) => {
    let found = repositories.get(name);
    if (!found) {
      found = Promise.all([catalog.repository(name), catalog.images(name)]);
      repositories.set(name, found);
    }
    return found;
  };
}

export class EcrImageCatalog implements ImageCatalog {
  constructor(private readonly ecr: ECRClient) {}

  async repository(name: string): Promise<RepositoryInfo> {
    try {
      const out = await callAws("DescribeRepositories", name, () => this.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })));
      const repo = out.repositories?.[0];
      if (!repo?.repositoryUri) throw new NotFoundError(`ECR repository "${name}" was not found.`);
      return { name, uri: repo.repositoryUri };
    } catch (error) {
      if (awsErrorName(error) === "RepositoryNotFoundException") {
        throw new NotFoundError(`ECR repository "${name}" was not found in the target's account and region.`, "Check the repository name in the step, or push an image to it first.");
      }
      throw error;
    }
  }

  async images(repository: string): Promise<ImageInfo[]> {
    return callAws("DescribeImages", repository, async () => {
      const images: ImageInfo[] = [];
      for await (const page of paginateDescribeImages({ client: this.ecr, pageSize: 1000 }, { repositoryName: repository, filter: { tagStatus: "ANY" } })) {
        for (const detail of page.imageDetails ?? []) {
          if (!detail.imageDigest) continue;
          images.push({ digest: detail.imageDigest, tags: detail.imageTags ?? [], ...(detail.imagePushedAt && { pushedAt: detail.imagePushedAt }) });
        }
      }
      return images;
    });
  }
}
