import { hostname } from "node:os";
import { readAwsClock, type AwsClients } from "../aws/clients.js";
import type { HeldLock, LockKey } from "../engine/deployment-lock.js";
import { Interrupted, InterruptibleJournal } from "../engine/interruption.js";
import type { AbortRequest, Store } from "../engine/store.js";
import { DeploymentFailedError, InterruptedError, SlipwayError } from "../errors.js";
import type { Target } from "../../targets/target.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import type { TaskSetRunOptions } from "../../steps/service/task-sets/index.js";
import type { DeploymentRun } from "./deployment-run.js";
import { abortProcess } from "./abort-process.js";
import { EventedApprovals, EventWriter } from "./event-progress.js";
import { runProcessStep, runsIn } from "./process-steps.js";
import { Redactor } from "./redactor.js";
import type { Release } from "./release.js";
import { resolveVariables } from "./secrets.js";
import { RedactingJournal } from "./redacting-journal.js";
import { revisionsReleasesHold } from "./held-revisions.js";
import { secretVariableNames } from "./secret-diff.js";

export interface RunDeploymentOptions {
  store: Store;
  release: Release;
  run: DeploymentRun;
  target: Target;
  clients: AwsClients;
  /** Where a person watching in a terminal sees progress; events go to the store either way. */
  progress?: DeploymentProgress;
  /** Told each step's plan and each step as it starts and ends. */
  say?: (line: string) => void;
  /** Aborted by Ctrl-C or a server shutting down: stop at the next safe point, resumable. */
  signal?: AbortSignal;
  pacing?: TaskSetRunOptions["pacing"];
  approvalPollMs?: number;
  /** How often to look for an abort asked through the API. Default 1000 ms. */
  abortPollMs?: number;
  /** Where secrets are read from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Locks startDeployment already took for a new run; a resumed run takes its own. */
  locks?: HeldLock[];
}

/** The services (or, without any, the task definition families) a deployment of the release changes in one environment. */
export function lockKeysOf(release: Release, environment: string): LockKey[] {
  const steps = release.snapshot.steps.filter((s) => runsIn(s, environment));
  const services = steps.flatMap((s) => (s.uses === "service" ? [s.raw.service] : []));
  const families = steps.flatMap((s) => (s.uses === "task-definition" ? [`task-definition/${s.input.family}`] : []));
  // A process of gates and rules alone still runs once at a time per environment.
  const names = services.length > 0 ? services : families.length > 0 ? families : ["process"];
  return [...new Set(names)].sort().map((service) => ({ environment, service }));
}

/** Takes every lock in a fixed order (so two runs cannot each hold one the other wants), or none. */
export async function lockAll(store: Store, keys: LockKey[], deploymentId: string, say: (line: string) => void): Promise<HeldLock[]> {
  const held: HeldLock[] = [];
  try {
    for (const key of keys) {
      const lock = await store.locks.acquire(key, deploymentId);
      if (lock.takenOverFrom) say(`took over the lock of ${key.service} in ${key.environment} from deployment ${lock.takenOverFrom.deploymentId}: its process is gone`);
      held.push(lock);
    }
    return held;
  } catch (error) {
    await Promise.all(held.map((l) => l.release()));
    throw error;
  }
}

/**
 * Runs (or resumes) one deployment of a release to an environment: holds the locks of what it changes, runs the
 * process's steps in order — skipping those a previous attempt finished — and records status, outputs and events
 * as it goes. Throws what stopped it (DeploymentFailedError, InterruptedError, …) after recording it.
 */
export async function runDeployment(options: RunDeploymentOptions): Promise<DeploymentRun> {
  const { store, release, target } = options;
  await readAwsClock(options.clients);
  const say = options.say ?? (() => undefined);
  const redactor = new Redactor();
  const writer = new EventWriter(store.events, options.run.id, redactor, options.clients.clock);
  const tell = (line: string) => {
    const safe = redactor.text(line);
    writer.write("note", safe);
    say(safe);
  };
  const locks = options.locks ?? (await lockAll(store, lockKeysOf(release, target.environment), options.run.id, tell));
  const releaseAll = () => Promise.all(locks.map((l) => l.release())).catch(() => undefined);
  let variables: ReturnType<typeof resolveVariables>;
  try {
    // Carrying out an abort renders nothing, so it needs no secret: whoever aborts an interrupted run may hold none.
    const aborting = (await store.runs.abortRequested(options.run.id)) !== undefined;
    variables = aborting ? { variables: {}, secrets: [] } : resolveVariables(release.snapshot.variables, { project: release.project, environment: target.environment }, options.env ?? process.env, redactor);
  } catch (error) {
    // This process cannot run it (a secret is missing here); the run stays as it was, for a process that can.
    await releaseAll();
    throw error;
  }
  // Two ways to stop. `halt`: Ctrl-C, a server shutting down, a lost lock — stop writing, resumable, and it
  // stops an abort's rollback too. `controller`: that, or a person's abort — the steps stop at their next safe
  // point and the rollback then runs under `halt` alone.
  const halt = new AbortController();
  const controller = new AbortController();
  const haltWith = () => (halt.abort(), controller.abort());
  if (options.signal?.aborted) haltWith();
  options.signal?.addEventListener("abort", haltWith, { once: true });
  // A lease taken by another holder (this process was thought dead) means someone else deploys now: stop writing.
  let leaseLost = locks.some((l) => l.lost.aborted);
  if (leaseLost) haltWith();
  for (const lock of locks) lock.lost.addEventListener("abort", () => ((leaseLost = true), haltWith()), { once: true });
  const abortWatch = setInterval(() => {
    void store.runs.abortRequested(options.run.id).then((asked) => asked && controller.abort(), () => undefined);
  }, options.abortPollMs ?? 1000);
  abortWatch.unref();
  let run = options.run;
  const outputs: Record<string, unknown> = { ...run.outputs };
  try {
    run = await store.runs.update(run.id, { status: "running", startedAt: options.run.startedAt ?? options.clients.clock.now().toISOString(), runner: { pid: process.pid, host: hostname() } });
    writer.write("run", `deploying release ${release.version} to ${target.environment}`, { status: "running" });
    const steps = release.snapshot.steps;
    for (const step of steps) {
      if (!runsIn(step, target.environment)) continue;
      // Aborted while no process ran it (interrupted, then `slipway abort`): nothing more runs; the rollback does.
      if (await store.runs.abortRequested(run.id)) throw new Interrupted();
      if (step.name in outputs) {
        tell(`step "${step.name}": already done`);
        continue;
      }
      writer.write("step", `step "${step.name}" (${step.uses}) started`, { step: step.name, uses: step.uses, status: "started" });
      say(`step "${step.name}" (${step.uses})`);
      const output = await runProcessStep(step, steps, outputs, {
        target,
        clients: options.clients,
        deploymentId: run.id,
        release: release.version,
        journal: new RedactingJournal(new InterruptibleJournal(store.journal, controller.signal, async () => (await store.runs.abortRequested(run.id)) !== undefined), redactor),
        approvals: new EventedApprovals(store.approvals, writer),
        records: store.records,
        progress: writer.progress(options.progress),
        variables: variables.variables,
        secrets: variables.secrets,
        secretVariables: secretVariableNames(release.snapshot.variables),
        releaseRevisions: () => revisionsReleasesHold(store),
        signal: controller.signal,
        ...(run.kind === "deploy" && run.replaces !== undefined && { rollingBack: true }),
        ...(options.pacing && { pacing: options.pacing }),
        ...(options.approvalPollMs !== undefined && { approvalPollMs: options.approvalPollMs }),
        onPlan: (name, lines) => lines.forEach((line) => tell(`${name}: ${line}`)),
      });
      outputs[step.name] = redactor.value(output ?? null);
      run = await store.runs.update(run.id, { status: "running", outputs });
      writer.write("step", `step "${step.name}" succeeded`, { step: step.name, uses: step.uses, status: "succeeded" });
    }
    // Locks go first: whoever sees the run finished may deploy again at once.
    await releaseAll();
    run = await store.runs.update(run.id, { status: "succeeded", outputs, endedAt: options.clients.clock.now().toISOString() });
    writer.write("done", `release ${release.version} is deployed to ${target.environment}`, { status: "succeeded" });
    return run;
  } catch (caught) {
    const stopped = caught instanceof Interrupted || (caught instanceof SlipwayError && caught.kind === "interrupted");
    const error = leaseLost && stopped
      ? new InterruptedError(`deployment ${run.id} stopped: another process took over its lock (this one was thought dead), so it changes nothing more`, "Check `slipway status`: the other deployment is the one running now.")
      : caught instanceof Interrupted
        ? new InterruptedError(`deployment ${run.id} stopped before its next write${caught.where ? ` (${caught.where})` : ""}`, `\`slipway resume ${run.id}\` continues it.`)
        : caught;
    // A person's abort — asked for while it ran, or decided at one of its gates — is carried out here, under the
    // locks still held: what the run changed goes back. Ctrl-C and a lost lock are not aborts.
    const abort = halt.signal.aborted ? undefined : await abortOf(store, run.id, stopped);
    let status: DeploymentRun["status"] = stopped ? "interrupted" : "failed";
    let ended: unknown = error;
    if (abort) {
      await closeGates(store, writer, run.id, abort);
      const said = `aborted by ${abort.by}${abort.reason ? ` (${abort.reason})` : ""}`;
      try {
        const outcomes = await abortProcess(
          {
            release,
            target,
            clients: options.clients,
            deploymentId: run.id,
            journal: new RedactingJournal(new InterruptibleJournal(store.journal, halt.signal), redactor),
            records: store.records,
            progress: writer.progress(options.progress),
            signal: halt.signal,
            ...(options.pacing && { pacing: options.pacing }),
          },
          said,
        );
        const touched = outcomes.filter((o) => o.touched);
        status = touched.length > 0 ? "rolled-back" : "aborted";
        const what = touched.length > 0 ? `rolled back: ${touched.map((o) => o.summary).join("; ")}` : "nothing had been changed yet";
        ended = new DeploymentFailedError(`Deployment ${run.id} was ${said}; ${what}.`, `Deploy release ${release.version} (or another) to ${target.environment} again when it is ready.`);
      } catch (undoing) {
        const halted = undoing instanceof Interrupted;
        status = halted ? "interrupted" : "failed";
        ended = halted
          ? new InterruptedError(`deployment ${run.id} was ${said} and stopped while rolling back`, `\`slipway resume ${run.id}\` (or \`slipway abort ${run.id}\`) finishes the rollback.`)
          : new DeploymentFailedError(`Deployment ${run.id} was ${said}, but rolling back did not finish: ${undoing instanceof Error ? undoing.message : String(undoing)}`, undoing instanceof SlipwayError && undoing.hint ? undoing.hint : `\`slipway resume ${run.id}\` tries the rollback again.`);
      }
    }
    const message = redactor.text(ended instanceof Error ? ended.message : String(ended));
    const hint = ended instanceof SlipwayError && ended.hint ? redactor.text(ended.hint) : undefined;
    await releaseAll();
    // What stopped it is what the person needs to hear, even if recording it fails too.
    await store.runs.update(run.id, { status, outputs, error: { message, ...(hint !== undefined && { hint }) }, ...(status !== "interrupted" && { endedAt: options.clients.clock.now().toISOString() }) }).catch(() => undefined);
    writer.write("done", `${status}: ${message}`, { status, message, ...(hint !== undefined && { hint }) });
    throw redacted(ended, redactor);
  } finally {
    clearInterval(abortWatch);
    options.signal?.removeEventListener("abort", haltWith);
    await writer.flush();
    await releaseAll();
  }
}

/**
 * Who aborted the run and why, when a person did: an abort asked for (the run stopped for it), or a gate of the
 * run decided "aborted" (the step failed for it).
 */
async function abortOf(store: Store, id: string, stopped: boolean): Promise<AbortRequest | undefined> {
  if (stopped) return (await store.runs.abortRequested(id).catch(() => undefined)) ?? undefined;
  const gate = (await store.approvals.list().catch(() => [])).find((g) => g.deploymentId === id && g.decision?.outcome === "aborted");
  return gate?.decision && { by: gate.decision.by, ...(gate.decision.reason !== undefined && { reason: gate.decision.reason }) };
}

/**
 * An abort asked for while the run waited at a gate (`slipway abort` with no gate named, `rollback --env`, the
 * API) leaves the gate undecided: it is decided "aborted" by whoever asked, so no gate of an ended run stays open.
 * One the store refuses (an approvers list that does not name them) stays as it was; the run's status says why.
 */
async function closeGates(store: Store, writer: EventWriter, id: string, abort: AbortRequest): Promise<void> {
  const open = (await store.approvals.list({ open: true }).catch(() => [])).filter((g) => g.deploymentId === id);
  for (const gate of open) {
    const decided = await store.approvals.decide({ deploymentId: id, stage: gate.stage, verdict: "aborted", by: abort.by, ...(abort.reason !== undefined && { reason: abort.reason }) }).catch(() => undefined);
    if (decided) writer.decision(decided);
  }
}

/** The error as people will read it (the CLI prints message and hint): every known secret value masked. */
function redacted(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  error.message = redactor.text(error.message);
  if (error instanceof SlipwayError && error.hint !== undefined) (error as unknown as { hint: string }).hint = redactor.text(error.hint);
  return error;
}
