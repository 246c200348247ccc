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

/**
 * The simulator's own failure (a handler threw something other than an AwsError), answered as the service's server
 * error: a client sees what AWS would send, and a test run's conformance check counts it as a fault of the simulator.
 */
export class SimulatorFailure extends AwsError {}

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);
export const clientException = (message: string) => new AwsError("ClientException", message);
export const validationError = (message: string) => new AwsError("ValidationError", message);
