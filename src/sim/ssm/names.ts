import { reservedName, validationError } from "./errors.js";
import type { SsmRegionState } from "./state.js";

/**
 * Parameter names and the ways a call can refer to a parameter. A name is either a top-level name ("token") or
 * a path ("/app/db/password"); "/token" is the same parameter as "token". Reads also take the parameter's ARN,
 * and a ":<version>" selector after either.
 */
const pathHint =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/** The key a parameter is stored under. */
export function parameterKey(name: string): string {
  const bare = name.startsWith("/") ? name.slice(1) : name;
  return bare.includes("/") ? name : bare;
}

export function parameterArn(state: SsmRegionState, name: string): string {
  return `${state.arnPrefix}${name.startsWith("/") ? name.slice(1) : name}`;
}

/** PutParameter's rules for a new name, with AWS's messages. */
export function validName(name: string | undefined): string {
  if (!name) throw validationError("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  if (name.length > 2048) throw validationError("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048");
  const isPath = name.includes("/");
  if (isPath && !name.startsWith("/")) throw validationError("Parameter name must be a fully qualified name.");
  const head = (isPath ? name.slice(1) : name).toLowerCase();
  if (isPath && head.startsWith("aws/")) throw reservedName(name);
  if (!isPath && (head.startsWith("aws") || head.startsWith("ssm"))) throw validationError('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  if (head.startsWith("ssm") || !/^[A-Za-z0-9_.\-/]+$/.test(name) || name.includes("//") || name.endsWith("/")) throw validationError(pathHint);
  return name;
}

interface ParameterReference {
  /** The name referred to, from the ARN when one was given. */
  name: string;
  /** "3" in "/app/db:3". */
  selector?: string;
}

/** A name or ARN with an optional selector; undefined for an ARN of another region, account or service. */
export function parseReference(state: SsmRegionState, ref: string): ParameterReference | undefined {
  let rest = ref;
  if (ref.startsWith("arn:")) {
    if (!ref.startsWith(state.arnPrefix)) return undefined;
    const tail = ref.slice(state.arnPrefix.length);
    rest = tail.includes("/") ? `/${tail}` : tail;
  }
  const colon = rest.indexOf(":");
  if (colon < 0) return { name: rest };
  return { name: rest.slice(0, colon), selector: rest.slice(colon + 1) };
}
