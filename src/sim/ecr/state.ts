import type { EncryptionConfiguration, ImageTagMutabilityExclusionFilter, Tag } from "@aws-sdk/client-ecr";

/** One image in a repository: its content-addressed digest, the manifest it was pushed with and its tags. */
export interface ImageEntry {
  digest: string;
  manifest: string;
  mediaType: string;
  /** Tags in the order they were attached; empty for an UNTAGGED image. */
  tags: string[];
  pushedAt: Date;
  /** Order of pushes within the repository; several pushes can share one simulated instant. */
  sequence: number;
  sizeInBytes: number;
  /** When ECR's basic scan of it completed: pushed to a repository with scan on push. No scan, no findings. */
  scannedAt?: Date;
}

export type TagMutability = "MUTABLE" | "IMMUTABLE" | "IMMUTABLE_WITH_EXCLUSION" | "MUTABLE_WITH_EXCLUSION";

export interface RepositoryRecord {
  arn: string;
  name: string;
  uri: string;
  registryId: string;
  createdAt: Date;
  imageTagMutability: TagMutability;
  /** The tags excluded from imageTagMutability, with an *_WITH_EXCLUSION one only (ecr/tag-mutability.ts). */
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
  scanOnPush: boolean;
  /** CreateRepository's encryptionConfiguration as asked (AES256 when none was); there is no KMS to use a key. */
  encryption: EncryptionConfiguration;
  tags: Tag[];
  /** digest → image. */
  images: Map<string, ImageEntry>;
  /** How many images have been pushed, for ImageEntry.sequence. */
  pushes: number;
  /** PutLifecyclePolicy's JSON text, as given; the simulator stores it and never expires images by it. */
  lifecyclePolicyText?: string;
}

/** The ECR world of one region: the account's private registry there. */
export class EcrRegionState {
  readonly repositories = new Map<string, RepositoryRecord>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  get registryHost(): string {
    return `${this.account}.dkr.ecr.${this.region}.amazonaws.com`;
  }
}
