import { createHash } from "node:crypto";
import type { Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import { canonicalJson, normalise, type NormalisedDefinition } from "./normalise.js";

/**
 * Which revisions of a family belong to an environment: the one rule the feed, register-if-changed, retention and
 * rollback all use, so that environments sharing an AWS account and region (and a family) never read, reuse or
 * deregister each other's revisions.
 *
 * A revision belongs to the environment named by its `slipway:environment` tag, which slipway writes when it
 * registers the revision and never changes. A revision without the tag (registered by another tool, or by hand)
 * belongs to no environment: slipway neither reuses nor deregisters it. Two revisions are the same definition
 * when their content — the normalised definition, tags and AWS's revision facts left out — hashes alike; the
 * hash is also written as the `slipway:content` tag so people and other tools can see it, but slipway computes
 * it from the definition itself (a tag can be edited; the definition cannot).
 */
export const environmentTag = "slipway:environment";
export const contentTag = "slipway:content";
/** The release whose deployment registered a revision (or tagged a task set): for people and `history`. */
export const releaseTag = "slipway:release";

/** The environment a revision belongs to, from its tags; undefined for a revision slipway did not register. */
export function ownerOf(tags: readonly Tag[]): string | undefined {
  return tags.find((t) => t.key === environmentTag)?.value;
}

export function belongsTo(tags: readonly Tag[], environment: string): boolean {
  return ownerOf(tags) === environment;
}

/**
 * Whether a release may take a revision as a service step's package: only one that belongs to no environment,
 * registered outside slipway (Terraform, CDK, a pipeline, by hand). An environment's revisions are slipway's own
 * — a task definition step's, or the copy of a package it registered there — so choosing them would hand a
 * release slipway's copy of an older choice as the newest, and another environment's is that environment's to
 * reuse and retain.
 */
export function registeredOutside(owner: string | null | undefined): boolean {
  return owner === undefined || owner === null;
}

/** SHA-256 of the canonical JSON of a normalised definition: equal content, equal hash. */
export function contentHash(definition: NormalisedDefinition): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}

/** What the ownership rule needs of one revision, read once (revisions are immutable). */
export interface RevisionFacts {
  arn: string;
  family: string;
  revision: number;
  status: string;
  /** Undefined when no environment owns it. */
  environment?: string;
  content: string;
  definition: NormalisedDefinition;
  tags: Tag[];
  /** As DescribeTaskDefinition answered: what a release keeps of a package, without describing it again. */
  described: TaskDefinition;
}

export function factsOf(taskDefinition: TaskDefinition, tags: readonly Tag[]): RevisionFacts {
  const definition = normalise(taskDefinition);
  const environment = ownerOf(tags);
  return {
    arn: taskDefinition.taskDefinitionArn ?? "",
    family: taskDefinition.family ?? "",
    revision: taskDefinition.revision ?? 0,
    status: taskDefinition.status ?? "ACTIVE",
    ...(environment !== undefined && { environment }),
    content: contentHash(definition),
    definition,
    described: taskDefinition,
    tags: [...tags],
  };
}
