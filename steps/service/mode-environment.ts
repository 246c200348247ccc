import type { StepContext } from "../step.js";
import type { ServiceRunOptions } from "./deploy.js";
import type { ModeEnvironment } from "./mode.js";
import { createServicePorts } from "./ports.js";
import { silentProgress } from "./progress.js";

/** Poll pacing in wall-clock seconds when the caller gives none: 5 s backing off to 15 s. */
export const defaultPacing = { minDelaySeconds: 5, maxDelaySeconds: 15 };

/** What a mode's effects run with for one step in one context; kept apart from deploy.ts so modes can use it without a cycle. */
export function modeEnvironment(ctx: StepContext, options: ServiceRunOptions, timeoutSeconds: number): ModeEnvironment {
  return {
    ports: options.ports ?? createServicePorts(ctx.clients),
    execution: { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) },
    progress: options.progress ?? silentProgress,
    watch: { ...defaultPacing, ...options.pacing, timeoutSeconds },
    ...(options.signal && { signal: options.signal }),
  };
}
