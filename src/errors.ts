/**
 * The small closed set of errors slipway reports to people. Each carries a message saying what is wrong and a
 * hint saying how to fix it; the CLI's top-level handler (and later the HTTP error middleware) are the only
 * places that turn them into output.
 */
export type ErrorKind = "input" | "not-found" | "conflict" | "aws" | "deployment" | "interrupted" | "server";

export class SlipwayError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One problem found in a file the user wrote: where (file, JSON path, line and column), what, and how to fix it. */
export interface Problem {
  file: string;
  /** A JSON pointer into the file's content, "/" for the whole file: /targets/prod/region. */
  path: string;
  /** 1-based; absent when the problem is about the file as a whole. */
  line?: number;
  column?: number;
  message: string;
  hint: string;
}

/** Bad input: a file, flag or value the user can correct. May carry every problem found at once. */
export class InputError extends SlipwayError {
  constructor(
    message: string,
    hint?: string,
    readonly problems: Problem[] = [],
  ) {
    super("input", message, hint);
  }
}

export class NotFoundError extends SlipwayError {
  constructor(message: string, hint?: string) {
    super("not-found", message, hint);
  }
}

export class ConflictError extends SlipwayError {
  constructor(message: string, hint?: string) {
    super("conflict", message, hint);
  }
}

/** An AWS call that failed, naming the operation and the resource it was about. */
export class AwsCallError extends SlipwayError {
  constructor(
    readonly operation: string,
    readonly resource: string,
    cause: unknown,
    hint?: string,
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("aws", `${operation} on ${resource} failed: ${reason}`, hint, { cause });
  }
}

/**
 * A deployment that ran and failed: ECS's circuit breaker tripped, or it did not reach a steady state in time.
 * Not a bad input nor a failed call — the calls worked and the release did not. The CLI exits 3 for it.
 */
export class DeploymentFailedError extends SlipwayError {
  constructor(message: string, hint?: string) {
    super("deployment", message, hint);
  }
}

/**
 * A run a person stopped (Ctrl-C, SIGTERM) at a safe point: the message says where it stood and what it left (the
 * traffic split), the hint how to continue or roll back. Not a failure of anything; the CLI exits 130 for it.
 */
export class InterruptedError extends SlipwayError {
  constructor(message: string, hint?: string) {
    super("interrupted", message, hint);
  }
}

/**
 * The slipway server a command works through (`--server`, SLIPWAY_SERVER) could not be reached, or refused the
 * key: not a fault of the command's input, of AWS, or of a deployment. The CLI exits 7 for it.
 */
export class ServerError extends SlipwayError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super("server", message, hint, options);
  }
}
