import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  paginateListTaskDefinitionFamilies,
  paginateListTaskDefinitions,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { awsErrorName, callAws } from "./call.js";

/** A revision as a listing names it: parsed from its ARN, no describe needed. */
export interface RevisionRef {
  arn: string;
  family: string;
  revision: number;
}

export interface DescribedTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** What reading task definitions needs (the feed, the task definition step's plan). */
export interface TaskDefinitionReader {
  listFamilies(options?: { prefix?: string; status?: "ACTIVE" | "INACTIVE" | "ALL" }): Promise<string[]>;
  /** Every revision of one family with the given status, oldest first. */
  listRevisions(family: string, status?: "ACTIVE" | "INACTIVE"): Promise<RevisionRef[]>;
  /**
   * A family's revisions with the given status, newest first, read a page at a time and stopping after the
   * first page that reaches a revision at or below `stopAtOrBelow` (a caller's newest known revision): one
   * call when nothing newer exists. What it returns is complete from its last (lowest) revision up; it holds
   * no revision at or below `stopAtOrBelow` only when it read every page, i.e. it is the whole listing.
   */
  listRevisionsNewestFirst(family: string, status?: "ACTIVE" | "INACTIVE", options?: { stopAtOrBelow?: number }): Promise<RevisionRef[]>;
  /** "family", "family:revision" or an ARN; undefined when ECS has no such task definition. */
  describe(ref: string): Promise<DescribedTaskDefinition | undefined>;
}

/** What changing task definitions needs (the task definition step's executor). */
export interface TaskDefinitionWriter {
  register(input: RegisterTaskDefinitionCommandInput): Promise<DescribedTaskDefinition>;
  deregister(arn: string): Promise<void>;
}

export function parseRevisionArn(arn: string): RevisionRef {
  const match = /task-definition\/([^:]+):(\d+)$/.exec(arn);
  if (!match) throw new Error(`Not a task definition revision ARN: ${arn}`);
  return { arn, family: match[1]!, revision: Number(match[2]) };
}

/** The ECS SDK behind both ports; listings use the SDK's paginators. */
export class EcsTaskDefinitions implements TaskDefinitionReader, TaskDefinitionWriter {
  constructor(private readonly ecs: ECSClient) {}

  async listFamilies(options: { prefix?: string; status?: "ACTIVE" | "INACTIVE" | "ALL" } = {}): Promise<string[]> {
    return callAws("ListTaskDefinitionFamilies", options.prefix ?? "(all families)", async () => {
      const families: string[] = [];
      const pages = paginateListTaskDefinitionFamilies({ client: this.ecs, pageSize: 100 }, { familyPrefix: options.prefix, status: options.status ?? "ACTIVE" });
      for await (const page of pages) families.push(...(page.families ?? []));
      return families;
    });
  }

  async listRevisions(family: string, status: "ACTIVE" | "INACTIVE" = "ACTIVE"): Promise<RevisionRef[]> {
    return callAws("ListTaskDefinitions", family, async () => {
      const refs: RevisionRef[] = [];
      const pages = paginateListTaskDefinitions({ client: this.ecs, pageSize: 100 }, { familyPrefix: family, status, sort: "ASC" });
      for await (const page of pages) for (const arn of page.taskDefinitionArns ?? []) refs.push(parseRevisionArn(arn));
      return refs;
    });
  }

  async listRevisionsNewestFirst(family: string, status: "ACTIVE" | "INACTIVE" = "ACTIVE", options: { stopAtOrBelow?: number } = {}): Promise<RevisionRef[]> {
    const { stopAtOrBelow } = options;
    return callAws("ListTaskDefinitions", family, async () => {
      const refs: RevisionRef[] = [];
      const pages = paginateListTaskDefinitions({ client: this.ecs, pageSize: 100 }, { familyPrefix: family, status, sort: "DESC" });
      for await (const page of pages) {
        for (const arn of page.taskDefinitionArns ?? []) refs.push(parseRevisionArn(arn));
        // Newest first, so the page's last revision is its lowest. Leaving the loop stops the paginator: the
        // pages below hold only revisions the caller already knows.
        const lowest = refs.at(-1);
        if (stopAtOrBelow !== undefined && lowest !== undefined && lowest.revision <= stopAtOrBelow) break;
      }
      return refs;
    });
  }

  async describe(ref: string): Promise<DescribedTaskDefinition | undefined> {
    try {
      const out = await callAws("DescribeTaskDefinition", ref, () => this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ["TAGS"] })));
      return out.taskDefinition ? { taskDefinition: out.taskDefinition, tags: out.tags ?? [] } : undefined;
    } catch (error) {
      // ECS answers an unknown task definition with a ClientException; for a reader that is "none".
      if (awsErrorName(error) === "ClientException") return undefined;
      throw error;
    }
  }

  async register(input: RegisterTaskDefinitionCommandInput): Promise<DescribedTaskDefinition> {
    const out = await callAws("RegisterTaskDefinition", input.family ?? "(no family)", () => this.ecs.send(new RegisterTaskDefinitionCommand(input)));
    if (!out.taskDefinition) throw new Error("RegisterTaskDefinition answered without a task definition");
    return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
  }

  async deregister(arn: string): Promise<void> {
    await callAws("DeregisterTaskDefinition", arn, () => this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
  }
}
