import { AwsError } from "../aws-error.js";
import { maxResultsViolation, type PageErrors } from "../paging.js";

/**
 * Parameter Store's errors, in AWS's words. AWS sends ParameterNotFound with an empty message. None of them
 * quotes a parameter's value.
 */
export const parameterNotFound = () => new AwsError("ParameterNotFound", "");

export const versionNotFound = (version: string, name: string) =>
  new AwsError("ParameterVersionNotFound", `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);

export const parameterExists = () =>
  new AwsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");

export const patternMismatch = (pattern: string) => new AwsError("ParameterPatternMismatchException", `Parameter value, cannot be validated against allowedPattern: ${pattern}`);

export const validationError = (message: string) => new AwsError("ValidationException", message);

export const reservedName = (name: string) => new AwsError("AccessDeniedException", `No access to reserved parameter name: ${name}.`);

export const invalidFilterKey = (message: string) => new AwsError("InvalidFilterKey", message);

export const invalidFilterOption = (message: string) => new AwsError("InvalidFilterOption", message);

/**
 * Paging, as GetParameterHistory and DescribeParameters declare it: a NextToken Parameter Store did not issue is
 * InvalidNextToken (in the words of the model's documentation of it), and a MaxResults outside the model's 1–50
 * fails its constraint (ValidationException). Parameter Store has no InvalidParameterException.
 */
export const ssmPaging: PageErrors = {
  badToken: () => new AwsError("InvalidNextToken", "The specified token isn't valid."),
  badSize: (maxResults, max) => validationError(maxResultsViolation(maxResults, max)),
};
