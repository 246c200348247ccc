import { AwsError } from "../aws-error.js";

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
