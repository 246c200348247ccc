import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  type ServiceRevision,
} from "@aws-sdk/client-ecs";
import { AwsCallError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

/**
 * ECS's own record of a service's deployments and revisions (seed 002). Not every endpoint has it: moto and
 * older emulators answer "unknown operation", so every answer says whether the endpoint offers it at all.
 */
export type Offered<T> = { offered: true; value: T } | { offered: false; reason: string };

export interface ServiceDeploymentHistory {
  /** The service's deployments, newest first, in full (source and target revisions, circuit breaker, rollback). */
  deployments(cluster: string, service: string, options?: { limit?: number; status?: ServiceDeploymentStatus[] }): Promise<Offered<ServiceDeployment[]>>;
  /** Service deployments by ARN (DescribeServiceDeployments). */
  describe(arns: string[]): Promise<Offered<ServiceDeployment[]>>;
  /** Service revisions by ARN: the task definition (and workload) each deployed. */
  revisions(arns: string[]): Promise<Offered<ServiceRevision[]>>;
}

/** Describe calls take at most 20 ARNs. */
const describeBatch = 20;

/**
 * "This endpoint does not have the operation": AWS's UnknownOperationException, ELBv2's InvalidAction, or
 * moto's answer — an HTTP 500 HTML page about a NotImplementedError, which the SDK can only fail to parse.
 */
export function isNotOffered(error: unknown): boolean {
  const name = awsErrorName(error) ?? "";
  if (/UnknownOperation|NotImplemented|InvalidAction/.test(name)) return true;
  const cause = error instanceof AwsCallError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : "";
  if (/not (been |yet )?implemented/i.test(message)) return true;
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return name === "SyntaxError" && status !== undefined && status >= 500 && /<!doctype|<html/i.test(message);
}

function notOfferedReason(operation: string, error: unknown): string {
  const name = awsErrorName(error) ?? "an answer the SDK could not read";
  return `the endpoint does not offer ecs:${operation} (it answered ${name})`;
}

export class EcsServiceDeploymentHistory implements ServiceDeploymentHistory {
  constructor(private readonly ecs: ECSClient) {}

  async deployments(cluster: string, service: string, options: { limit?: number; status?: ServiceDeploymentStatus[] } = {}): Promise<Offered<ServiceDeployment[]>> {
    const limit = options.limit ?? 20;
    const resource = `${cluster}/${service}`;
    let arns: string[];
    try {
      arns = await callAws("ListServiceDeployments", resource, async () => {
        // The SDK has no paginator for this operation yet: nextToken by hand, stopping once `limit` are found.
        const found: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await this.ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: Math.min(limit, 100), ...(nextToken && { nextToken }), ...(options.status && { status: options.status }) }));
          for (const d of page.serviceDeployments ?? []) if (d.serviceDeploymentArn) found.push(d.serviceDeploymentArn);
          nextToken = page.nextToken;
        } while (nextToken && found.length < limit);
        return found.slice(0, limit);
      });
    } catch (error) {
      if (isNotOffered(error)) return { offered: false, reason: notOfferedReason("ListServiceDeployments", error) };
      throw error;
    }
    const described = await this.describeAll(arns, resource);
    // Describe answers in no promised order; the listing's order (newest first) is the one people read.
    const order = new Map(arns.map((arn, i) => [arn, i]));
    return { offered: true, value: described.sort((a, b) => (order.get(a.serviceDeploymentArn ?? "") ?? 0) - (order.get(b.serviceDeploymentArn ?? "") ?? 0)) };
  }

  async describe(arns: string[]): Promise<Offered<ServiceDeployment[]>> {
    try {
      return { offered: true, value: await this.describeAll(arns, arns[0] ?? "") };
    } catch (error) {
      if (isNotOffered(error)) return { offered: false, reason: notOfferedReason("DescribeServiceDeployments", error) };
      throw error;
    }
  }

  /** DescribeServiceDeployments in batches of what one call takes, in no promised order. */
  private async describeAll(arns: readonly string[], resource: string): Promise<ServiceDeployment[]> {
    const described: ServiceDeployment[] = [];
    for (let i = 0; i < arns.length; i += describeBatch) {
      const batch = arns.slice(i, i + describeBatch);
      const out = await callAws("DescribeServiceDeployments", resource, () => this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })));
      described.push(...(out.serviceDeployments ?? []));
    }
    return described;
  }

  async revisions(arns: string[]): Promise<Offered<ServiceRevision[]>> {
    const unique = [...new Set(arns)];
    const found: ServiceRevision[] = [];
    try {
      for (let i = 0; i < unique.length; i += describeBatch) {
        const batch = unique.slice(i, i + describeBatch);
        const out = await callAws("DescribeServiceRevisions", batch[0] ?? "", () => this.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch })));
        found.push(...(out.serviceRevisions ?? []));
      }
    } catch (error) {
      if (isNotOffered(error)) return { offered: false, reason: notOfferedReason("DescribeServiceRevisions", error) };
      throw error;
    }
    return { offered: true, value: found };
  }
}
