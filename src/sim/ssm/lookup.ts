import type { CallContext } from "../module.js";
import { parameterNotFound, versionNotFound } from "./errors.js";
import { parameterKey, parseReference } from "./names.js";
import type { ParameterRecord, ParameterVersion, SsmRegionState } from "./state.js";

export function ssmState(ctx: CallContext): SsmRegionState {
  return ctx.sim.ssm.regions.get(ctx.region);
}

export function findParameter(state: SsmRegionState, ref: string): ParameterRecord | undefined {
  const parsed = parseReference(state, ref);
  return parsed && parsed.selector === undefined ? state.parameters.get(parameterKey(parsed.name)) : undefined;
}

export interface Resolved {
  record: ParameterRecord;
  version: ParameterVersion;
  selector?: string;
}

/**
 * A read's reference → the version it names: the current one, or "name:<n>" for version n. Labels are not
 * simulated, so a label selector names nothing.
 */
export function resolveParameter(state: SsmRegionState, ref: string): Resolved {
  const parsed = parseReference(state, ref);
  const record = parsed ? state.parameters.get(parameterKey(parsed.name)) : undefined;
  const current = record?.history[record.history.length - 1];
  if (!parsed || !record || !current) throw parameterNotFound();
  if (parsed.selector === undefined) return { record, version: current };
  if (!/^\d+$/.test(parsed.selector)) throw parameterNotFound();
  const version = record.history.find((v) => v.version === Number(parsed.selector));
  if (!version) throw versionNotFound(parsed.selector, record.name);
  return { record, version, selector: parsed.selector };
}
