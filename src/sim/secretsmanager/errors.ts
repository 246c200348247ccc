import { AwsError } from "../aws-error.js";
import { maxResultsViolation, type PageErrors } from "../paging.js";

/**
 * Secrets Manager's errors, in the words AWS uses. None of them ever quotes a secret's value: error messages
 * end up in logs, and so does anything the simulator would echo back.
 */
export const secretNotFound = () => new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

export const valueNotFoundForStage = (stage: string) =>
  new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for staging label: ${stage}`);

export const valueNotFoundForVersion = (versionId: string) =>
  new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);

export const stageNotOnVersion = () => new AwsError("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.");

export const markedForDeletion = () => new AwsError("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");

export const nameScheduledForDeletion = () =>
  new AwsError("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.");

export const secretExists = (name: string) => new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);

export const tokenInUse = (token: string, arn: string) =>
  new AwsError("ResourceExistsException", `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`);

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);

export const validationError = (message: string) => new AwsError("ValidationException", message);

/**
 * Paging, as ListSecrets and ListSecretVersionIds declare it: a NextToken Secrets Manager did not issue is
 * InvalidNextTokenException (in the words of its API reference's Common Errors), and a MaxResults outside the
 * model's 1–100 fails its constraint (ValidationException), as every other constraint does here.
 */
export const secretsPaging: PageErrors = {
  badToken: () => new AwsError("InvalidNextTokenException", "The NextToken value is invalid."),
  badSize: (maxResults, max) => validationError(maxResultsViolation(maxResults, max)),
};
