import { randomBytes } from "node:crypto";
import type { AuthorizationData, GetAuthorizationTokenRequest, GetAuthorizationTokenResponse } from "@aws-sdk/client-ecr";
import type { CallContext, Handler } from "../module.js";
import { constraintFailed, invalidParameter } from "./errors.js";
import { ecrState } from "./repositories.js";

/**
 * GetAuthorizationToken: what `docker login` and `aws ecr get-login-password` use. AWS answers a base64 "AWS:<password>"
 * valid for 12 hours (the model's documentation) and the registry's https endpoint; one per registry id asked for
 * (a deprecated parameter), else one for the caller's own registry. The simulator runs no registry, so the password
 * opens nothing; it is random, as AWS's is opaque.
 */
const VALID_FOR_MS = 12 * 60 * 60 * 1000;

/** The model's RegistryId pattern, and 1 to 10 of them. */
const registryIdPattern = /^[0-9]{12}$/;

function getAuthorizationToken(input: GetAuthorizationTokenRequest, ctx: CallContext): GetAuthorizationTokenResponse {
  const state = ecrState(ctx);
  const ids = input.registryIds ?? [state.account];
  if (ids.length < 1 || ids.length > 10) throw invalidParameter("registryIds must contain between 1 and 10 registry ids.");
  for (const id of ids) {
    if (!registryIdPattern.test(id)) throw constraintFailed("registryIds", "Member must satisfy regular expression pattern: [0-9]{12}");
  }
  const expiresAt = new Date(ctx.now.getTime() + VALID_FOR_MS);
  const authorizationData: AuthorizationData[] = ids.map((id) => ({
    authorizationToken: Buffer.from(`AWS:${randomBytes(48).toString("base64")}`).toString("base64"),
    expiresAt,
    proxyEndpoint: `https://${id}.dkr.ecr.${state.region}.amazonaws.com`,
  }));
  return { authorizationData };
}

export const registryAuthOperations: Record<string, Handler> = {
  GetAuthorizationToken: getAuthorizationToken,
};
