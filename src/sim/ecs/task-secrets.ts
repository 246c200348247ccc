import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { Simulator } from "../simulator.js";

/**
 * What the ECS agent does before it pulls a task's images: fetch every secret the containers name, in
 * `secrets` and in `logConfiguration.secretOptions`, with the task execution role. A `valueFrom` is a Secrets
 * Manager ARN (optionally followed by `:json-key:version-stage:version-id`), or a Parameter Store parameter's ARN
 * or, in the task's region, its name. Anything that cannot be fetched stops the task before it starts, with the
 * reason Fargate gives, e.g.
 *
 *   ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:
 *   unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret <arn>
 *   from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.
 */
const failed = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ";
const retried = "service call has been retried 1 time(s)";

type Reference =
  | { service: "asm"; region: string; secretId: string; jsonKey?: string; versionStage?: string; versionId?: string }
  | { service: "ssm"; region: string; name: string };

/** arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]; empty parts are unset. */
function parse(valueFrom: string, taskRegion: string): Reference {
  const parts = valueFrom.split(":");
  const region = parts[3] || taskRegion;
  if (parts[0] === "arn" && parts[2] === "secretsmanager") {
    const [jsonKey, versionStage, versionId] = parts.slice(7);
    return {
      service: "asm",
      region,
      secretId: parts.slice(0, 7).join(":"),
      ...(jsonKey && { jsonKey }),
      ...(versionStage && { versionStage }),
      ...(versionId && { versionId }),
    };
  }
  return { service: "ssm", region: parts[0] === "arn" ? region : taskRegion, name: valueFrom };
}

/** The agent reads a json-key out of a JSON object; Go's decoder words the ways that can go wrong. */
function jsonKeyProblem(value: string, key: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Go names the offending character; the simulator does not, as it would be a piece of the secret.
    return "invalid character looking for beginning of value";
  }
  if (Array.isArray(parsed)) return "json: cannot unmarshal array into Go value of type map[string]interface {}";
  if (parsed !== null && typeof parsed !== "object") return `json: cannot unmarshal ${typeof parsed === "boolean" ? "bool" : typeof parsed} into Go value of type map[string]interface {}`;
  if (parsed === null || !(key in parsed)) return `retrieved secret from Secrets Manager did not contain json key ${key}`;
  return undefined;
}

function secretProblem(sim: Simulator, ref: Extract<Reference, { service: "asm" }>, at: Date): string | undefined {
  const fetched = sim.secretsmanager.fetchSecretString(ref.region, ref, at);
  if ("error" in fetched) return `failed to fetch secret ${ref.secretId} from secrets manager: ${fetched.error.code}: ${fetched.error.message}`;
  return ref.jsonKey ? jsonKeyProblem(fetched.value, ref.jsonKey) : undefined;
}

function secretReferences(containers: ContainerDefinition[]): string[] {
  return containers.flatMap((c) => [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])].map((s) => s.valueFrom ?? ""));
}

/**
 * Why the task's secrets cannot be fetched at `at`, or undefined when they all can. Parameters are fetched a
 * region at a time with GetParameters, so one failure names every missing parameter of that region.
 */
export function secretsFailure(sim: Simulator, containers: ContainerDefinition[], taskRegion: string, at: Date): string | undefined {
  const refs = secretReferences(containers).map((valueFrom) => parse(valueFrom, taskRegion));
  for (const ref of refs) {
    if (ref.service === "asm") {
      const problem = secretProblem(sim, ref, at);
      if (problem) return `${failed}unable to retrieve secret from asm: ${retried}: ${problem}`;
      continue;
    }
    const sameRegion = refs.flatMap((r) => (r.service === "ssm" && r.region === ref.region ? [r.name] : []));
    const invalid = sim.ssm.invalidParameters(ref.region, [...new Set(sameRegion)]);
    if (invalid.length > 0) return `${failed}unable to retrieve secrets from ssm: ${retried}: invalid ssm parameters: ${invalid.join(",")}`;
  }
  return undefined;
}
