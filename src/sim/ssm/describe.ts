import type { DescribeParametersRequest } from "@aws-sdk/client-ssm";
import type { Handler } from "../module.js";
import { paginate } from "../paging.js";
import { ssmPaging } from "./errors.js";
import { filtersOf } from "./filters.js";
import { ssmState } from "./lookup.js";
import { metadataView } from "./parameter-view.js";

/** DescribeParameters: metadata (never values) of the parameters every filter matches, by name, 10 to a page. */
export const describeOperations: Record<string, Handler> = {
  DescribeParameters(input: DescribeParametersRequest, ctx) {
    const predicates = filtersOf(input.Filters, input.ParameterFilters);
    const matching = [...ssmState(ctx).parameters.values()]
      .filter((record) => predicates.every((matches) => matches(record)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(matching, (r) => r.name, { maxResults: input.MaxResults, nextToken: input.NextToken }, { max: 50, defaultSize: 10, errors: ssmPaging });
    return { Parameters: page.items.map((r) => metadataView(r, ctx.account)), ...(page.nextToken && { NextToken: page.nextToken }) };
  },
};
