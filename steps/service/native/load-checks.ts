import { exampleEntry } from "../../../src/config/example.js";
import { joinPointer } from "../../../src/config/pointer.js";
import type { SourceDocument } from "../../../src/config/source.js";
import { nearest } from "../../../src/config/suggest.js";
import type { Problem } from "../../../src/errors.js";
import { problemAt } from "../../step-file.js";
import { settingsFor, type ModeName, type RawEnvironmentValues, type RawServiceStep } from "../input.js";
import { isNativeMode, nativeModes, type NativeModeName, type RawNativeApproval } from "./settings.js";

const allNative = Object.keys(nativeModes) as NativeModeName[];

/** The settings only ecs-* modes use, where an entry (the step's, or an environment's) writes them, and which modes use them. */
const nativeOnly: readonly { name: string; path: readonly string[]; usedBy: readonly NativeModeName[] }[] = [
  { name: "deployment.bakeTimeInMinutes", path: ["deployment", "bakeTimeInMinutes"], usedBy: allNative },
  { name: "deployment.linearConfiguration", path: ["deployment", "linearConfiguration"], usedBy: ["ecs-linear"] },
  { name: "deployment.canaryConfiguration", path: ["deployment", "canaryConfiguration"], usedBy: ["ecs-canary"] },
  { name: "loadBalancerRole", path: ["loadBalancerRole"], usedBy: allNative },
  { name: "verification", path: ["verification"], usedBy: allNative },
  { name: "approvals", path: ["approvals"], usedBy: allNative },
];

function valueAt(entry: unknown, path: readonly string[]): unknown {
  let value = entry;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Where the value an environment uses is written: its own entry, else the step's. */
function writtenAt(raw: RawServiceStep, environment: string, ...path: string[]): string {
  return valueAt(raw.environments?.[environment], path) !== undefined && environment !== "" ? joinPointer("/environments", environment, ...path) : joinPointer("", ...path);
}

/** The modes that use a setting, as a step file writes them: "mode: ecs-linear", "mode: ecs-blue-green, ecs-linear or ecs-canary". */
function modesText(modes: readonly NativeModeName[]): string {
  return modes.length === 1 ? `mode: ${modes[0] ?? ""}` : `mode: ${modes.slice(0, -1).join(", ")} or ${modes.at(-1) ?? ""}`;
}

/** "e.g. mode: ecs-canary": the mode to write to use a setting. */
const modeToUse = (modes: readonly NativeModeName[]) => (modes.length === 1 ? (modes[0] ?? "ecs-canary") : "ecs-canary");

/** A multiple of 0.1, as ECS takes percentages (3.3 yes, 3.33 no), without float noise deciding. */
const inTenths = (n: number) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;

/** The environments a step is checked for: the project's, else those its file names and the step itself (""). */
function scopesOf(raw: RawServiceStep, environments: readonly string[] | undefined): string[] {
  return environments && environments.length > 0 ? [...environments] : [...Object.keys(raw.environments ?? {}), ""];
}

/** Whether two approvals of one list can meet in one environment (no environments: every one). */
function overlap(a: RawNativeApproval, b: RawNativeApproval): boolean {
  return a.environments === undefined || b.environments === undefined || a.environments.some((e) => b.environments?.includes(e));
}

/** A step-level native setting and the environments it reaches: those whose mode uses it and whose own entry does not replace it. */
export interface StepSettingUse {
  name: string;
  pointer: string;
  usedBy: readonly NativeModeName[];
  appliesTo: string[];
  /** One approval limited to environments, rather than a whole setting. */
  item?: true;
}

/**
 * Where the step's own (top-level) native settings apply. They are accepted whatever the modes — a project switches
 * an environment to a native mode with one line, `mode: ecs-canary` under its entry — so a setting that reaches no
 * environment is a warning (slipway validate), not an error. An approval limited to environments counts on its own.
 */
export function stepNativeSettingUses(raw: RawServiceStep, environments: readonly string[] | undefined): StepSettingUse[] {
  const scopes = scopesOf(raw, environments);
  const modeOf = (environment: string) => settingsFor(raw, environment).mode;
  const uses: StepSettingUse[] = [];
  for (const setting of nativeOnly) {
    if (valueAt(raw, setting.path) === undefined) continue;
    const reaches = (environment: string) => (setting.usedBy as readonly ModeName[]).includes(modeOf(environment)) && valueAt(raw.environments?.[environment], setting.path) === undefined;
    const appliesTo = scopes.filter(reaches);
    uses.push({ name: setting.name, pointer: joinPointer("", ...setting.path), usedBy: setting.usedBy, appliesTo });
    if (setting.name !== "approvals" || appliesTo.length === 0 || !Array.isArray(raw.approvals)) continue;
    raw.approvals.forEach((approval, index) => {
      if (approval.environments === undefined) return;
      const only = approval.environments;
      uses.push({ name: `approvals item ${index + 1} (at ${approval.at}, only in ${only.join(", ")})`, pointer: joinPointer("/approvals", index), usedBy: allNative, appliesTo: appliesTo.filter((e) => only.includes(e)), item: true });
    });
  }
  return uses;
}

/**
 * What `slipway validate` warns about a step's own native settings that no environment uses: one line per reason,
 * naming every setting it covers (a project that keeps them ready for a one-line switch reads one line, not four).
 */
export function unusedNativeSettings(raw: RawServiceStep, environments: readonly string[]): string[] {
  if (environments.length === 0) return [];
  const modes = environments.map((e) => `${e}: ${settingsFor(raw, e).mode}`).join(", ");
  const anyNative = environments.some((e) => isNativeMode(settingsFor(raw, e).mode));
  const groups = new Map<string, StepSettingUse[]>();
  for (const use of stepNativeSettingUses(raw, environments).filter((u) => u.appliesTo.length === 0)) {
    const why = use.item ? `none of its environments deploys with ${modesText(use.usedBy)}` : environments.some((e) => (use.usedBy as readonly ModeName[]).includes(settingsFor(raw, e).mode)) ? `every environment that deploys with ${modesText(use.usedBy)} sets its own` : anyNative ? `no environment deploys with ${modesText(use.usedBy)}` : "no environment deploys with an ecs-* mode";
    groups.set(why, [...(groups.get(why) ?? []), use]);
  }
  return [...groups].map(([why, uses]) => {
    const names = uses.map((u) => u.name);
    const list = names.length === 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
    const narrowest = uses.reduce((a, b) => (b.usedBy.length < a.usedBy.length ? b : a));
    return `${list} ${names.length === 1 ? "applies" : "apply"} to no environment (${modes}): ${why}. ${names.length === 1 ? "It takes" : "They take"} effect where an environment is given mode: ${modeToUse(narrowest.usedBy)} (one line under environments: <name>:); remove ${names.length === 1 ? "it" : "them"} if none will be.`;
  });
}

interface Found {
  path: string;
  part: "key" | "value";
  environments: string[];
  build(where: string): { message: string; hint: string };
}

/**
 * The rules of ECS's blue/green, linear and canary deployments that a schema cannot state, per environment (each
 * may have its own mode): what ECS refuses at CreateService/UpdateService, found before anything is written. A rule
 * several environments break at one place is one problem naming them.
 */
export function nativeProblems(doc: SourceDocument, raw: RawServiceStep, environments: readonly string[] | undefined): Problem[] {
  const scopes = scopesOf(raw, environments);
  const found = new Map<string, Found>();
  const report = (id: string, path: string, part: "key" | "value", environment: string, build: Found["build"]) => {
    const key = `${id} ${path}`;
    const entry = found.get(key) ?? { path, part, environments: [], build };
    if (environment !== "" && !entry.environments.includes(environment)) entry.environments.push(environment);
    found.set(key, entry);
  };
  const modeOf = (environment: string) => settingsFor(raw, environment).mode;
  const rolling = scopes.filter((e) => e !== "" && modeOf(e) === "rolling");
  const moveTo = (field: string) => (rolling.length > 0 ? `move ${field} under environments: ${rolling.join(", ")}: (they deploy with mode: rolling)` : `deploy these environments with mode: rolling`);

  // Settings an environment's own entry writes are checked against that environment's mode.
  for (const environment of scopes) {
    const own = raw.environments?.[environment];
    if (environment === "" || own === undefined) continue;
    const mode = modeOf(environment);
    for (const setting of nativeOnly) {
      if (valueAt(own, setting.path) === undefined || (setting.usedBy as readonly ModeName[]).includes(mode)) continue;
      const stages = (setting.name === "verification" || setting.name === "approvals") && (mode === "canary" || mode === "blue-green") ? ` Under mode: ${mode}, verification and approval are stages.` : "";
      report("mode", joinPointer("/environments", environment, ...setting.path), "key", environment, () => ({
        message: `${setting.name} only applies to ${modesText(setting.usedBy)}; ${environment} deploys with mode: ${mode}.`,
        hint: `Remove it, or set ${modesText(setting.usedBy)} under environments: ${environment}:.${stages}`,
      }));
    }
  }
  // The step's own linear or canary configuration beside a step-level ecs-* mode that takes the other, used nowhere.
  const stepMode = raw.mode ?? "rolling";
  if (isNativeMode(stepMode)) {
    for (const use of stepNativeSettingUses(raw, environments)) {
      if (use.appliesTo.length > 0 || use.usedBy.includes(stepMode) || use.item) continue;
      report("step-mode", use.pointer, "key", "", () => ({
        message: `${use.name} only applies to ${modesText(use.usedBy)}; the step deploys with mode: ${stepMode}${scopes.some((e) => e !== "") ? ", and no environment that sets its own mode uses it" : ""}.`,
        hint: `Remove it, or set mode: ${modeToUse(use.usedBy)} (for the step, or under environments: <name>: for one environment).`,
      }));
    }
  }

  // Each environment deploying with an ecs-* mode: what ECS refuses with it.
  for (const environment of scopes) {
    const settings = settingsFor(raw, environment);
    const mode = settings.mode;
    if (!isNativeMode(mode)) continue;
    const at = (...path: string[]) => writtenAt(raw, environment, ...path);
    if (!settings.loadBalancer) {
      report("loadBalancer", at("mode"), "value", environment, (where) => ({
        message: `mode: ${mode} has ECS move production traffic between the target's two target groups, so the step needs a loadBalancer${where}: the container and port ECS registers in them.`,
        hint: `Add ${exampleEntry(doc.syntax, "loadBalancer", { containerName: "web", containerPort: 8080 })} (to the step, or under the environment).`,
      }));
    }
    if ((settings.loadBalancers?.length ?? 0) > 0) {
      const fromStep = at("loadBalancers") === "/loadBalancers";
      report("loadBalancers", at("loadBalancers"), "key", environment, (where) => ({
        message: `loadBalancers: cannot be used with mode: ${mode}${where}: ECS's blue/green, linear and canary deployments support one target group per service (the target's primary, with its alternate).`,
        hint: fromStep ? `Remove loadBalancers:, or ${moveTo("it")}.` : "Remove loadBalancers: here, or deploy this environment with mode: rolling.",
      }));
    }
    if (settings.schedulingStrategy === "DAEMON") {
      report("daemon", at("schedulingStrategy"), "value", environment, (where) => ({
        message: `schedulingStrategy: DAEMON cannot be used with mode: ${mode}${where}: ECS shifts traffic between revisions of a REPLICA service only.`,
        hint: "Use mode: rolling for a daemon service, or schedulingStrategy: REPLICA with a desiredCount.",
      }));
    }
    if ((raw.environments?.[environment]?.deployment?.circuitBreaker?.enable ?? raw.deployment?.circuitBreaker?.enable) === true) {
      const path = at("deployment", "circuitBreaker", "enable");
      report("circuitBreaker", path, "value", environment, (where) => ({
        message: `ECS's deployment circuit breaker is for rolling updates only${where}: ECS refuses it with mode: ${mode}, which rolls back through its lifecycle instead (a failed verification, an approval refused or timed out, an abort).`,
        hint: path.startsWith("/environments/") ? "Remove circuitBreaker: here, or deploy this environment with mode: rolling." : `Remove circuitBreaker: (mode: rolling has it on, with rollback, by default), or ${moveTo("it")}.`,
      }));
    }
  }

  // Values ECS refuses whatever the mode, checked wherever they are written (a step-level value waiting for its mode too).
  const entries: [string, RawEnvironmentValues][] = [["", raw], ...Object.entries(raw.environments ?? {}).map(([name, own]): [string, RawEnvironmentValues] => [joinPointer("/environments", name), own])];
  const problems: Problem[] = [];
  for (const [base, entry] of entries) {
    const step = entry.deployment?.linearConfiguration?.stepPercent;
    if (step !== undefined && !inTenths(step)) problems.push(problemAt(doc, joinPointer(base, "deployment", "linearConfiguration", "stepPercent"), `stepPercent ${step} is not a multiple of 0.1: ECS takes 3.0 to 100.0 in tenths.`, `Write ${Math.round(step * 10) / 10}.`, "value"));
    const canary = entry.deployment?.canaryConfiguration?.canaryPercent;
    if (canary !== undefined && !inTenths(canary)) problems.push(problemAt(doc, joinPointer(base, "deployment", "canaryConfiguration", "canaryPercent"), `canaryPercent ${canary} is not a multiple of 0.1: ECS takes 0.1 to 100.0 in tenths.`, `Write ${Math.round(canary * 10) / 10}.`, "value"));
    if (entry.verification?.header && entry.verification.query) {
      problems.push(problemAt(doc, joinPointer(base, "verification", "query"), "verification gives both a header and a query parameter: ECS takes one test listener rule, and a rule's conditions must all match, so testers would have to send both.", "Keep one of header: and query:.", "key"));
    }
    const approvals = entry.approvals ?? [];
    approvals.forEach((approval, index) => {
      const earlier = approvals.slice(0, index).findIndex((other) => other.at === approval.at && overlap(other, approval));
      if (earlier >= 0) problems.push(problemAt(doc, joinPointer(base, "approvals", index, "at"), `A second approval at ${approval.at} (item ${earlier + 1} is one): ECS pauses once per lifecycle stage, so one person's go-ahead is asked there.`, "Keep one approval per at: (give it the instructions and approvers of both), or limit each to other environments: with environments:.", "value"));
      (approval.environments ?? []).forEach((name, i) => {
        if (!environments || environments.includes(name)) return;
        const guess = nearest(name, environments);
        problems.push(problemAt(doc, joinPointer(base, "approvals", index, "environments", i), `The approval at ${approval.at} is limited to "${name}", which is not an environment of the project.`, `${guess ? `Did you mean "${guess}"? ` : ""}The environments are: ${environments.join(", ")}.`));
      });
    });
  }
  for (const entry of found.values()) {
    const where = entry.environments.length > 0 ? ` (in ${entry.environments.join(", ")})` : "";
    const { message, hint } = entry.build(where);
    problems.push(problemAt(doc, entry.path, message, hint, entry.part));
  }
  return problems;
}
