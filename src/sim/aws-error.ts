/**
 * An error the simulator answers with, in AWS's own vocabulary: the error code the SDK turns into an
 * exception class, the message AWS prints, and the HTTP status.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** "Sender" or "Receiver" in query-protocol error bodies. */
    readonly fault: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);
export const clientException = (message: string) => new AwsError("ClientException", message);
export const validationError = (message: string) => new AwsError("ValidationError", message);
