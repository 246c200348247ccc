import type { Problem } from "../../src/errors.js";
import { joinPointer } from "../../src/config/pointer.js";
import type { SourceDocument } from "../../src/config/source.js";
import { problemAt } from "../step-file.js";
import { definitionFields, fieldRules } from "./definition.js";
import { runsOnFargate, settingsFor, type RawServiceStep } from "./input.js";
import { isReservedTag } from "./service-tags.js";

/** Where the value an environment uses is written: its own entry, else the step's. */
function writtenAt(raw: RawServiceStep, environment: string | undefined, field: string): string {
  const own = environment === undefined ? undefined : (raw.environments?.[environment] as Record<string, unknown> | undefined);
  return own?.[field] !== undefined && environment !== undefined ? joinPointer("/environments", environment, field) : joinPointer("", field);
}

/** The rules one environment's settings break (or the step's own, with no environment named). */
function scopeProblems(doc: SourceDocument, raw: RawServiceStep, environment: string | undefined): Problem[] {
  const settings = settingsFor(raw, environment ?? "");
  const where = environment === undefined ? "" : ` (in ${environment})`;
  const at = (field: string) => writtenAt(raw, environment, field);
  const problems: Problem[] = [];
  if (settings.mode === "canary" || settings.mode === "blue-green") {
    for (const field of definitionFields) {
      const rule = fieldRules[field].taskSets;
      if (settings.definition[field] === undefined || !("refused" in rule)) continue;
      problems.push(problemAt(doc, at(field), `${field}: cannot be used with mode: ${settings.mode}${where}. ${rule.refused}.`, `Remove ${field}:, or deploy this environment with mode: rolling.`, "key"));
    }
    if ((settings.loadBalancers?.length ?? 0) > 0) problems.push(problemAt(doc, at("loadBalancers"), `loadBalancers: cannot be used with mode: ${settings.mode}${where}: its task sets' load balancers are slipway's (the target's primary and canary target groups, bound through loadBalancer:).`, "Remove loadBalancers:, or deploy this environment with mode: rolling.", "key"));
    if (settings.deployment.alarms) problems.push(problemAt(doc, joinPointer(at("deployment"), "alarms"), `deployment.alarms cannot be used with mode: ${settings.mode}${where}: ECS watches alarms only in its own rolling deployments; slipway's stages decide a canary's fate.`, "Remove alarms:, or deploy this environment with mode: rolling.", "key"));
    if (settings.schedulingStrategy === "DAEMON") problems.push(problemAt(doc, at("schedulingStrategy"), `schedulingStrategy: DAEMON cannot be used with mode: ${settings.mode}${where}: an EXTERNAL service supports only REPLICA.`, "Use mode: rolling for a daemon service.", "value"));
  }
  if (settings.schedulingStrategy === "DAEMON") {
    if (raw.desiredCount !== undefined || (environment !== undefined && raw.environments?.[environment]?.desiredCount !== undefined)) problems.push(problemAt(doc, at("desiredCount"), `A DAEMON service has no desired count${where}: ECS runs one task on each container instance.`, "Remove desiredCount: here; when other environments are REPLICA services, give each of them its own under environments:.", "key"));
    if (runsOnFargate({ ...(settings.launchType && { launchType: settings.launchType }), ...settings.definition })) problems.push(problemAt(doc, at("schedulingStrategy"), `A DAEMON service cannot run on Fargate${where}: it places one task on each EC2 container instance.`, "Set launchType: EC2, or a capacity provider strategy of your Auto Scaling group's capacity provider.", "value"));
    if (settings.deployment.maximumPercent > 100) problems.push(problemAt(doc, joinPointer(at("deployment"), "maximumPercent"), `A DAEMON service deploys at most 100 %${where}: ECS refuses a higher maximumPercent, since each instance runs one task.`, "Set maximumPercent: 100 (the default for a daemon), or remove it.", "value"));
  } else if (raw.desiredCount === undefined && (environment === undefined || raw.environments?.[environment]?.desiredCount === undefined)) {
    problems.push(problemAt(doc, "", `The service needs a desiredCount${where}: how many tasks it runs.`, "Add desiredCount: 2 (or one under each environment).", "key"));
  }
  const reserved = settings.tags.filter(isReservedTag);
  if (reserved.length > 0) problems.push(problemAt(doc, at("tags"), `tags: ${reserved.map((t) => t.key).join(", ")} ${reserved.length === 1 ? "is" : "are"} not yours to set${where}: aws: tags are AWS's own, slipway: tags slipway's (slipway:environment says which environment owns what).`, "Use another prefix for the key.", "value"));
  return problems;
}

/** The same value given a launch type and a strategy at one level: ECS takes one or the other. */
function bothPlacements(doc: SourceDocument, raw: RawServiceStep): Problem[] {
  const levels: [string, { launchType?: unknown; capacityProviderStrategy?: unknown }][] = [["", raw], ...Object.entries(raw.environments ?? {}).map(([name, own]): [string, typeof own] => [joinPointer("/environments", name), own])];
  return levels
    .filter(([, level]) => level.launchType !== undefined && level.capacityProviderStrategy !== undefined)
    .map(([at]) => problemAt(doc, joinPointer(at, "capacityProviderStrategy"), "launchType and capacityProviderStrategy are both set: ECS runs a service on one or the other.", "Keep capacityProviderStrategy (FARGATE and FARGATE_SPOT are capacity providers too) and remove launchType, or the reverse.", "key"));
}

/**
 * Rules about ECS's service members that a schema cannot state, for each environment's settings: what an EXTERNAL
 * service (mode canary and blue-green) cannot take, daemon services, the desired count, one placement choice.
 */
export function definitionProblems(doc: SourceDocument, raw: RawServiceStep, environments: readonly string[] | undefined): Problem[] {
  const scopes = environments ?? [...Object.keys(raw.environments ?? {})];
  const all = [...bothPlacements(doc, raw), ...(scopes.length > 0 ? scopes.flatMap((e) => scopeProblems(doc, raw, e)) : scopeProblems(doc, raw, undefined))];
  const seen = new Set<string>();
  return all.filter((p) => {
    const key = `${p.path} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
