import { exampleEntry } from "../../../src/config/example.js";
import { joinPointer } from "../../../src/config/pointer.js";
import type { SourceDocument } from "../../../src/config/source.js";
import type { Problem } from "../../../src/errors.js";
import { problemAt } from "../../step-file.js";
import { settingsFor, type RawServiceStep } from "../input.js";
import { isNativeMode } from "./settings.js";

/** Where the value an environment uses is written: its own entry, else the step's. */
function writtenAt(raw: RawServiceStep, environment: string, ...path: string[]): string {
  let own: unknown = raw.environments?.[environment];
  for (const key of path) own = own !== null && typeof own === "object" ? (own as Record<string, unknown>)[key] : undefined;
  return own !== undefined && environment !== "" ? joinPointer("/environments", environment, ...path) : joinPointer("", ...path);
}

/** A multiple of 0.1, as ECS takes percentages (3.3 yes, 3.33 no), without float noise deciding. */
const inTenths = (n: number) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;

/**
 * The rules of ECS's blue/green, linear and canary deployments that a schema cannot state, per environment (each
 * may have its own mode): what ECS refuses at CreateService/UpdateService, found before anything is written.
 */
export function nativeProblems(doc: SourceDocument, raw: RawServiceStep, environments: readonly string[] | undefined): Problem[] {
  const scopes = environments && environments.length > 0 ? environments : [...Object.keys(raw.environments ?? {}), ""];
  const problems: Problem[] = [];
  const nativeSomewhere = scopes.some((e) => isNativeMode(settingsFor(raw, e).mode));
  for (const environment of scopes) {
    const settings = settingsFor(raw, environment);
    const native = settings.native;
    const where = environment === "" ? "" : ` (in ${environment})`;
    const at = (...path: string[]) => writtenAt(raw, environment, ...path);
    const deployment = { ...raw.deployment, ...raw.environments?.[environment]?.deployment };
    if (!native) {
      if (deployment.linearConfiguration !== undefined && !nativeSomewhere) problems.push(problemAt(doc, at("deployment", "linearConfiguration"), `deployment.linearConfiguration only applies to mode: ecs-linear${where}.`, "Remove it, or set mode: ecs-linear.", "key"));
      if (deployment.canaryConfiguration !== undefined && !nativeSomewhere) problems.push(problemAt(doc, at("deployment", "canaryConfiguration"), `deployment.canaryConfiguration only applies to mode: ecs-canary${where}.`, "Remove it, or set mode: ecs-canary.", "key"));
      continue;
    }
    const mode = settings.mode;
    if (!settings.loadBalancer) problems.push(problemAt(doc, "", `mode: ${mode} has ECS move traffic between the target's two target groups, so the step needs a loadBalancer${where}.`, `Add ${exampleEntry(doc.syntax, "loadBalancer", { containerName: "web", containerPort: 8080 })}.`));
    if ((settings.loadBalancers?.length ?? 0) > 0) problems.push(problemAt(doc, at("loadBalancers"), `loadBalancers: cannot be used with mode: ${mode}${where}: ECS's blue/green, linear and canary deployments support one target group per service (with its alternate).`, "Remove loadBalancers:, or deploy this environment with mode: rolling.", "key"));
    if (settings.schedulingStrategy === "DAEMON") problems.push(problemAt(doc, at("schedulingStrategy"), `schedulingStrategy: DAEMON cannot be used with mode: ${mode}${where}: traffic shifting needs a REPLICA service.`, "Use mode: rolling for a daemon service.", "value"));
    if (deployment.circuitBreaker?.enable === true) problems.push(problemAt(doc, at("deployment", "circuitBreaker", "enable"), `ECS's deployment circuit breaker is for rolling updates only${where}; mode: ${mode} rolls back through its lifecycle (a failed hook, an abort).`, "Remove circuitBreaker:, or deploy this environment with mode: rolling.", "value"));
    if (native.strategy !== "LINEAR" && deployment.linearConfiguration !== undefined) problems.push(problemAt(doc, at("deployment", "linearConfiguration"), `deployment.linearConfiguration only applies to mode: ecs-linear; this environment deploys with mode: ${mode}${where}.`, "Remove it, or set mode: ecs-linear.", "key"));
    if (native.strategy !== "CANARY" && deployment.canaryConfiguration !== undefined) problems.push(problemAt(doc, at("deployment", "canaryConfiguration"), `deployment.canaryConfiguration only applies to mode: ecs-canary; this environment deploys with mode: ${mode}${where}.`, "Remove it, or set mode: ecs-canary.", "key"));
    const step = native.linearConfiguration?.stepPercent;
    if (step !== undefined && !inTenths(step)) problems.push(problemAt(doc, at("deployment", "linearConfiguration", "stepPercent"), `stepPercent ${step} is not a multiple of 0.1${where}: ECS takes 3.0 to 100.0 in tenths.`, `Write ${Math.round(step * 10) / 10}.`, "value"));
    const canary = native.canaryConfiguration?.canaryPercent;
    if (canary !== undefined && !inTenths(canary)) problems.push(problemAt(doc, at("deployment", "canaryConfiguration", "canaryPercent"), `canaryPercent ${canary} is not a multiple of 0.1${where}: ECS takes 0.1 to 100.0 in tenths.`, `Write ${Math.round(canary * 10) / 10}.`, "value"));
    const verification = native.verification;
    if (verification?.matches.header && verification.matches.query) {
      problems.push(problemAt(doc, at("verification"), `verification gives both a header and a query parameter${where}: ECS takes one test listener rule, and a rule's conditions must all match, so testers would need both.`, "Keep one of header: and query:.", "key"));
    }
    const seen = new Set<string>();
    for (const approval of native.approvals) {
      if (seen.has(approval.at)) problems.push(problemAt(doc, at("approvals"), `Two approvals at ${approval.at}${where}: one person's go-ahead per lifecycle stage.`, "Keep one approval per at:, with the instructions of both.", "value"));
      seen.add(approval.at);
    }
  }
  if (!nativeSomewhere) {
    for (const field of ["verification", "approvals", "loadBalancerRole"] as const) {
      if (raw[field] !== undefined) problems.push(problemAt(doc, joinPointer("", field), `${field}: only applies to mode: ecs-blue-green, ecs-linear and ecs-canary.`, field === "loadBalancerRole" ? "Remove it." : "Remove it; under mode: canary and blue-green, verify and approval are stages.", "key"));
    }
  }
  return problems;
}
