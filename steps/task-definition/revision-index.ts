import type { RevisionRef, TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { factsOf, type RevisionFacts } from "./ownership.js";

/**
 * Revisions' facts (owner, content), each read with one DescribeTaskDefinition and kept for the life of the
 * index: revisions are immutable, and slipway never changes its tags. ECS has no way to list a family's
 * revisions by tag, so finding an environment's revisions means describing them; `newestFirst` describes a few
 * at a time and stops as soon as its caller has what it wanted.
 */
export class RevisionIndex {
  private readonly known = new Map<string, Promise<RevisionFacts | undefined>>();

  constructor(
    private readonly reader: TaskDefinitionReader,
    /** Describes at once: a few keep ECS busy without spending its read budget (~20/s) in one burst. */
    private readonly concurrency = 4,
  ) {}

  /** One revision's facts; undefined when ECS no longer has it. */
  facts(arn: string): Promise<RevisionFacts | undefined> {
    let found = this.known.get(arn);
    if (!found) {
      found = this.reader.describe(arn).then((d) => (d ? factsOf(d.taskDefinition, d.tags) : undefined));
      // A failed read is not a fact: the next caller asks again.
      found.catch(() => this.known.delete(arn));
      this.known.set(arn, found);
    }
    return found;
  }

  /** The revisions' facts, newest first; a caller that stops iterating stops the describing. */
  async *newestFirst(refs: readonly RevisionRef[]): AsyncGenerator<RevisionFacts> {
    const sorted = [...refs].sort((a, b) => b.revision - a.revision);
    for (let i = 0; i < sorted.length; i += this.concurrency) {
      const batch = await Promise.all(sorted.slice(i, i + this.concurrency).map((r) => this.facts(r.arn)));
      for (const facts of batch) if (facts) yield facts;
    }
  }
}
