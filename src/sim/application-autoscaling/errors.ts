import { AwsError } from "../aws-error.js";

/**
 * Application Auto Scaling's errors. Messages seen in AWS's own answers are kept to the letter, since tools and
 * people match on them; the rest follow AWS's request-validation style. All are client errors (400).
 */
export const validation = (message: string) => new AwsError("ValidationException", message);

/** The service's model constraints, reported as AWS's request validation reports them: all at once, numbered. */
export function constraintViolations(violations: string[]): AwsError | undefined {
  if (violations.length === 0) return undefined;
  const count = violations.length === 1 ? "1 validation error detected" : `${violations.length} validation errors detected`;
  return validation(`${count}: ${violations.join("; ")}`);
}

/** A namespace, dimension and resource id that do not belong together (e.g. an ECS dimension on a table). */
export const unsupportedTarget = () => validation("Unsupported service namespace, resource type or scalable dimension");

/** RegisterScalableTarget for a service ECS does not know. */
export const ecsServiceMissing = (resourceId: string) => validation(`ECS service doesn't exist: ${resourceId}`);

export const maxBelowMin = () => validation("Maximum capacity cannot be less than minimum capacity");

export const tagsOnExistingTarget = () =>
  validation("The scalable target that you tried to tag already exists. To update tags on an existing scalable target, use the TagResource API.");

export const targetNotFound = (namespace: string, resourceId: string, dimension: string) =>
  new AwsError("ObjectNotFoundException", `No scalable target found for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`);

export const invalidNextToken = () => new AwsError("InvalidNextTokenException", "Invalid token");

/** A valid namespace the simulator does not model (DynamoDB tables, Lambda aliases, ...): said plainly, not guessed at. */
export const namespaceNotSimulated = (namespace: string) =>
  validation(`The simulator scales ECS services only (ServiceNamespace ecs); ${namespace} resources are not simulated.`);
