import type { Store } from "../engine/store.js";
import { SlipwayError } from "../errors.js";
import type { DeploymentRun } from "../releases/deployment-run.js";
import type { RunDeploymentOptions } from "../releases/run-deployment.js";

/** What the server passes to every run it starts or resumes; the rest comes from the run itself. */
export type RunOptions = Omit<RunDeploymentOptions, "store" | "release" | "run" | "target" | "clients" | "locks">;

export interface BackgroundRuns {
  /** Aborted when the server stops: every run stops at its next safe point and becomes interrupted. */
  signal?: AbortSignal;
  /** Pacing, poll intervals, where secrets are read from. */
  runOptions?: RunOptions;
  log: (line: string) => void;
  /** Told of each run the server starts or resumes, with a promise of how it ended (it never rejects). */
  onRunStarted?: (run: DeploymentRun, settled: Promise<DeploymentRun | undefined>) => void;
}

/**
 * Runs a deployment in this process with nobody waiting on it. How it ended is in the store (status, error,
 * events); the log gets one line, taken from what the run recorded — the recorded error is redacted, the thrown
 * one may not be.
 */
export function runInBackground(store: Store, run: DeploymentRun, work: (options: RunOptions) => Promise<DeploymentRun>, background: BackgroundRuns): Promise<DeploymentRun | undefined> {
  const options: RunOptions = { ...background.runOptions, ...(background.signal && { signal: background.signal }) };
  const label = `deployment ${run.id} (release ${run.release} to ${run.environment})`;
  const settled = work(options).then(
    (final) => {
      background.log(`${label}: ${final.status}`);
      return final;
    },
    async (error: unknown) => {
      const recorded = await store.runs.get(run.id).catch(() => undefined);
      if (recorded && recorded.status !== "queued" && recorded.status !== "running") {
        background.log(`${label}: ${recorded.status}${recorded.error ? `: ${recorded.error.message}` : ""}`);
      } else if (error instanceof SlipwayError && (error.kind === "conflict" || error.kind === "input")) {
        // Refused before it ran (another process holds its lock, a secret is missing): these messages name no secret.
        background.log(`${label}: not run: ${error.message}`);
      } else {
        background.log(`${label}: stopped unexpectedly before recording why (the journal has what it did)`);
      }
      return recorded;
    },
  );
  background.onRunStarted?.(run, settled);
  return settled;
}
