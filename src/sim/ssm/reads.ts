import type { GetParameterHistoryRequest, GetParameterRequest, GetParametersRequest, Parameter } from "@aws-sdk/client-ssm";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { paginate } from "../paging.js";
import { parameterNotFound, ssmPaging, validationError } from "./errors.js";
import { findParameter, resolveParameter, ssmState, type Resolved } from "./lookup.js";
import { historyView, parameterView } from "./parameter-view.js";
import type { SsmRegionState } from "./state.js";

/** GetParameter, GetParameters and GetParameterHistory. */
const view = (found: Resolved, decrypt: boolean) => parameterView(found.record, found.version, decrypt, found.selector);

/** GetParameters' split: what resolves, and the names (as asked) that do not, a missing version included. */
export function getMany(state: SsmRegionState, names: string[]): { found: Resolved[]; invalid: string[] } {
  const found: Resolved[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    try {
      found.push(resolveParameter(state, name));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      invalid.push(name);
    }
  }
  return { found, invalid };
}

export const readOperations: Record<string, Handler> = {
  GetParameter(input: GetParameterRequest, ctx) {
    return { Parameter: view(resolveParameter(ssmState(ctx), input.Name ?? ""), input.WithDecryption === true) };
  },

  GetParameters(input: GetParametersRequest, ctx) {
    const names = input.Names ?? [];
    if (names.length < 1 || names.length > 10) throw validationError("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1");
    const { found, invalid } = getMany(ssmState(ctx), names);
    const parameters: Parameter[] = found.map((f) => view(f, input.WithDecryption === true));
    return { Parameters: parameters, InvalidParameters: invalid };
  },

  GetParameterHistory(input: GetParameterHistoryRequest, ctx) {
    const record = findParameter(ssmState(ctx), input.Name ?? "");
    if (!record) throw parameterNotFound();
    const keyed = record.history.map((version) => ({ version, key: String(version.version).padStart(10, "0") }));
    const page = paginate(keyed, (v) => v.key, { maxResults: input.MaxResults, nextToken: input.NextToken }, { max: 50, defaultSize: 50, errors: ssmPaging });
    return {
      Parameters: page.items.map((v) => historyView(record, v.version, input.WithDecryption === true, ctx.account)),
      ...(page.nextToken && { NextToken: page.nextToken }),
    };
  },
};
