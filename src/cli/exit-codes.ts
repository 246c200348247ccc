import type { ErrorKind } from "../errors.js";

/**
 * How a slipway command ends: one code per kind of outcome, the same for every command, so a script or a CI step
 * can tell "fix your input" from "the deployment failed" from "try again later" without reading the text. Printed
 * by `slipway --help` and in the README, from this one table.
 */
export interface ExitCode {
  code: number;
  meaning: string;
}

export const exitCodes = {
  ok: { code: 0, meaning: "done" },
  unexpected: { code: 1, meaning: "an unexpected failure: a bug in slipway (SLIPWAY_DEBUG=1 shows the details to report)" },
  input: { code: 2, meaning: "bad input: a flag, file or value to correct, or a command used wrongly" },
  deployment: { code: 3, meaning: "a deployment ran and failed, or was rolled back (ECS's circuit breaker, a timeout, a failed verification, an abort)" },
  refused: { code: 4, meaning: "refused as things stand: the lifecycle, another deployment's lock, a release that exists, a gate decided already" },
  notFound: { code: 5, meaning: "something named does not exist: a release, deployment, environment, channel, gate or AWS resource" },
  aws: { code: 6, meaning: "an AWS call failed: credentials, permissions, a request AWS refused, throttling past the retries" },
  server: { code: 7, meaning: "the slipway server (--server, SLIPWAY_SERVER) could not be reached, or refused the key: unknown, revoked, or lacking the scope" },
  interrupted: { code: 130, meaning: "stopped by Ctrl-C or SIGTERM at a safe point: resume it, or roll back" },
} as const satisfies Record<string, ExitCode>;

const byKind: Record<ErrorKind, ExitCode> = {
  input: exitCodes.input,
  deployment: exitCodes.deployment,
  conflict: exitCodes.refused,
  "not-found": exitCodes.notFound,
  aws: exitCodes.aws,
  interrupted: exitCodes.interrupted,
  server: exitCodes.server,
};

/** The exit code of a command that ended with one of slipway's errors. */
export function exitCodeOf(kind: ErrorKind): number {
  return byKind[kind].code;
}

/** The table as `slipway --help` prints it. */
export function exitCodeTable(): string {
  const rows = Object.values(exitCodes).map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`);
  return ["Exit codes:", ...rows].join("\n");
}
