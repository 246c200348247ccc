import type { DescribeScalableTargetsRequest, DescribeScalableTargetsResponse } from "@aws-sdk/client-application-auto-scaling";
import { decodeToken, paginate } from "../paging.js";
import type { CallContext } from "../module.js";
import { constraintViolations, invalidNextToken, validation } from "./errors.js";
import { autoscalingState } from "./lookup.js";
import { idList, oneOf, required, scalableDimensions, serviceNamespaces } from "./model.js";
import { targetView } from "./target-view.js";

/**
 * DescribeScalableTargets: the namespace's targets, narrowed by ResourceIds and ScalableDimension, up to 50 a
 * page (MaxResults 1–50, default 50) and in a steady order (resource id, then dimension) so NextToken holds.
 */
const PAGE = { max: 50, defaultSize: 50 };

function checkRequest(input: DescribeScalableTargetsRequest): void {
  const violations: string[] = [];
  if (required(violations, "serviceNamespace", input.ServiceNamespace)) oneOf(violations, "serviceNamespace", input.ServiceNamespace, serviceNamespaces);
  if (input.ResourceIds !== undefined && input.ResourceIds !== null) idList(violations, "resourceIds", input.ResourceIds);
  if (input.ScalableDimension !== undefined && input.ScalableDimension !== null) oneOf(violations, "scalableDimension", input.ScalableDimension, scalableDimensions);
  const { MaxResults: max } = input;
  if (max !== undefined && max !== null && (!Number.isInteger(max) || max < 1 || max > PAGE.max)) {
    violations.push(`Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${PAGE.max}`);
  }
  const invalid = constraintViolations(violations);
  if (invalid) throw invalid;
  // The API reference: a request that names a scalable dimension must also name resource ids.
  if (input.ScalableDimension && !input.ResourceIds?.length) throw validation("ResourceIds must be specified when ScalableDimension is specified");
  if (input.NextToken) {
    try {
      decodeToken(input.NextToken);
    } catch {
      throw invalidNextToken();
    }
  }
}

export function describeScalableTargets(input: DescribeScalableTargetsRequest, ctx: CallContext): DescribeScalableTargetsResponse {
  checkRequest(input);
  const ids = input.ResourceIds?.length ? new Set(input.ResourceIds) : undefined;
  const matching = [...autoscalingState(ctx).targets.values()]
    .filter((t) => t.namespace === input.ServiceNamespace && (!ids || ids.has(t.resourceId)) && (!input.ScalableDimension || t.dimension === input.ScalableDimension))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = paginate(matching, (t) => t.key, { maxResults: input.MaxResults, nextToken: input.NextToken }, PAGE);
  return { ScalableTargets: page.items.map(targetView), ...(page.nextToken && { NextToken: page.nextToken }) };
}
