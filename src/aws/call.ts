import { AwsCallError } from "../errors.js";

function hintFor(error: unknown): string | undefined {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : "";
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/.test(name)) return "The credentials in use lack this permission; check the target's roleArn or the deploy role's IAM policy.";
  if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|CredentialsProviderError/.test(name)) return "No valid AWS credentials were found; sign in (aws sso login, or set AWS_PROFILE) or give the target a profile or roleArn.";
  if (/Throttl/.test(name)) return "AWS kept throttling after retries; try again shortly or lower the concurrency.";
  if (/TimeoutError|RequestTimeout/.test(name) || /ETIMEDOUT|timed out|timeout/i.test(message)) return "The endpoint did not answer in time; check the target's endpoint and region, and that this machine can reach AWS (proxy, firewall).";
  if (/ECONNREFUSED|ENOTFOUND|fetch failed/.test(message)) return "The endpoint did not answer; if the target points at the simulator, start it with `slipway sim start`.";
  return undefined;
}

/** Runs one AWS call; a failure becomes an AwsCallError naming the operation and the resource, with a hint. */
export async function callAws<T>(operation: string, resource: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AwsCallError(operation, resource, error, hintFor(error));
  }
}

/** The error's AWS name, for the few places that treat one AWS answer as a normal outcome ("not found"). */
export function awsErrorName(error: unknown): string | undefined {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return cause instanceof Error ? cause.name : undefined;
}
