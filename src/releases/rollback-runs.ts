import { hostname } from "node:os";
import type { Store } from "../engine/store.js";
import { SlipwayError } from "../errors.js";
import type { ServiceStepOutput } from "../../steps/service/deploy.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import { revisionLabel } from "../../steps/service/state.js";
import type { RollbackChange, RollbackRun } from "./deployment-run.js";
import { EventWriter } from "./event-progress.js";
import { Redactor } from "./redactor.js";


/** The run's one output, by the name a step's would have: the service and the revision it now runs. */
const outputName = "rollback";

/**
 * What a rollback keeps in the project's store, so status and history say what runs: its run (kind rollback), its
 * events (what the dashboard streams), and the write in the audit log. Nothing is kept before the rollback's
 * write is made — a rollback refused before it records nothing.
 */
export class RollbackRecording {
  private readonly events: EventWriter;

  constructor(
    private readonly store: Store,
    readonly id: string,
    /** AWS's clock, as the target's clients read it. */
    private readonly clock: { now(): Date },
  ) {
    this.events = new EventWriter(store.events, id, new Redactor(), clock);
  }

  /** A progress sink writing the rollback's events, passing each call on to `also` (the terminal). */
  progress(also?: DeploymentProgress): DeploymentProgress {
    return this.events.progress(also);
  }

  /** Records a rollback whose ECS deployment has started: running in this process since `startedAt`. */
  async started(started: { environment: string; requestedBy: string; change: RollbackChange; serviceArn: string; startedAt: Date }): Promise<RollbackRun> {
    const { environment, requestedBy, change } = started;
    await this.store.runs.create({ kind: "rollback", id: this.id, environment, requestedBy, rollback: change });
    const output = { serviceArn: started.serviceArn, serviceName: change.service, cluster: change.cluster, taskDefinitionArn: change.to.taskDefinition, ecsDeploymentId: change.ecsDeploymentId };
    const run = await this.store.runs.update(this.id, { status: "running", startedAt: started.startedAt.toISOString(), runner: { pid: process.pid, host: hostname() }, outputs: { [outputName]: output } });
    await this.store.audit.record({ actor: requestedBy, action: "deployment.rollback", environment, subject: this.id, detail: { service: change.service, from: change.from, to: change.to } });
    this.events.write("run", `rolling ${change.service} in ${environment} back from ${revisionLabel(change.from.taskDefinition)} to ${revisionLabel(change.to.taskDefinition)}`, { status: "running" });
    return run as RollbackRun;
  }

  /** This process watches the rollback now (`slipway resume`). */
  async watched(): Promise<void> {
    await this.store.runs.update(this.id, { status: "running", runner: { pid: process.pid, host: hostname() } });
  }

  /**
   * Records how it ended: succeeded with the service's output, or failed with what stopped it (message and hint,
   * as a deployment of a release records them). What went wrong is what the person needs to hear, even if
   * recording it fails too.
   */
  async ended(outcome: { output: ServiceStepOutput } | { failure: unknown }): Promise<void> {
    try {
      if ("output" in outcome) {
        await this.store.runs.update(this.id, { status: "succeeded", outputs: { [outputName]: outcome.output }, endedAt: this.clock.now().toISOString() });
        this.events.write("done", `rolled ${outcome.output.serviceName} back to ${revisionLabel(outcome.output.taskDefinitionArn)}`, { status: "succeeded" });
        return;
      }
      const { failure } = outcome;
      const message = failure instanceof Error ? failure.message : String(failure);
      const hint = failure instanceof SlipwayError ? failure.hint : undefined;
      await this.store.runs.update(this.id, { status: "failed", error: { message, ...(hint !== undefined && { hint }) }, endedAt: this.clock.now().toISOString() }).catch(() => undefined);
      this.events.write("done", `failed: ${message}`, { status: "failed", message, ...(hint !== undefined && { hint }) });
    } finally {
      await this.events.flush();
    }
  }
}
