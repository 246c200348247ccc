import { Lifecycle } from "../../targets/lifecycle.js";
import type { Target } from "../../targets/target.js";
import type { RawEnvironment, RawTarget } from "./raw.js";

/** A project as slipway works with it, once its files passed every check. */
export interface Project {
  name: string;
  /** The project file it was read from, as given. */
  file: string;
  lifecycle: Lifecycle;
  /** The targets file, as a path from the working directory; undefined when the targets are inline. */
  targetsFile?: string;
}

export function toLifecycle(environments: RawEnvironment[]): Lifecycle {
  return new Lifecycle(
    environments.map((e) => ({ name: e.name, optional: e.optional ?? false, ...(e.description !== undefined && { description: e.description }) })),
  );
}

export function toTarget(environment: string, raw: RawTarget): Target {
  const { loadBalancer, ...connection } = raw;
  return {
    environment,
    ...connection,
    ...(loadBalancer && {
      loadBalancer: {
        listener: typeof loadBalancer.listener === "string" ? { arn: loadBalancer.listener } : { loadBalancer: loadBalancer.listener.loadBalancer, port: loadBalancer.listener.port },
        targetGroups: { primary: loadBalancer.targetGroups.primary, canary: loadBalancer.targetGroups.canary },
      },
    }),
  };
}

/** Targets keyed by environment, in the order the file lists them. */
export function toTargets(raw: Record<string, RawTarget>): Map<string, Target> {
  return new Map(Object.entries(raw).map(([environment, target]) => [environment, toTarget(environment, target)]));
}
