import { hostname } from "node:os";
import type { AwsClients } from "../aws/clients.js";
import type { HeldLock, LockKey } from "../engine/deployment-lock.js";
import { Interrupted, InterruptibleJournal } from "../engine/interruption.js";
import type { Store } from "../engine/store.js";
import { InterruptedError, SlipwayError } from "../errors.js";
import type { Target } from "../../targets/target.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import type { TaskSetRunOptions } from "../../steps/service/task-sets/index.js";
import type { DeploymentRun } from "./deployment-run.js";
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
  const say = options.say ?? (() => undefined);
  const redactor = new Redactor();
  const writer = new EventWriter(store.events, options.run.id, redactor);
  const tell = (line: string) => {
    const safe = redactor.text(line);
    writer.write("note", safe);
    say(safe);
  };
  const locks = options.locks ?? (await lockAll(store, lockKeysOf(release, target.environment), options.run.id, tell));
  const releaseAll = () => Promise.all(locks.map((l) => l.release())).catch(() => undefined);
  let variables: ReturnType<typeof resolveVariables>;
  try {
    variables = resolveVariables(release.snapshot.variables, { project: release.project, environment: target.environment }, options.env ?? process.env, redactor);
  } catch (error) {
    // This process cannot run it (a secret is missing here); the run stays as it was, for a process that can.
    await releaseAll();
    throw error;
  }
  const controller = new AbortController();
  const stopWith = () => controller.abort();
  options.signal?.addEventListener("abort", stopWith, { once: true });
  // A lease taken by another holder (this process was thought dead) means someone else deploys now: stop writing.
  let leaseLost = locks.some((l) => l.lost.aborted);
  for (const lock of locks) lock.lost.addEventListener("abort", () => ((leaseLost = true), controller.abort()), { once: true });
  const abortWatch = setInterval(() => {
    void store.runs.abortRequested(options.run.id).then((asked) => asked && controller.abort(), () => undefined);
  }, options.abortPollMs ?? 1000);
  abortWatch.unref();
  let run = options.run;
  const outputs: Record<string, unknown> = { ...run.outputs };
  try {
    run = await store.runs.update(run.id, { status: "running", startedAt: options.run.startedAt ?? new Date().toISOString(), runner: { pid: process.pid, host: hostname() } });
    writer.write("run", `deploying release ${release.version} to ${target.environment}`, { status: "running" });
    const steps = release.snapshot.steps;
    for (const step of steps) {
      if (!runsIn(step, target.environment)) continue;
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
        journal: new RedactingJournal(new InterruptibleJournal(store.journal, controller.signal), redactor),
        approvals: new EventedApprovals(store.approvals, writer),
        records: store.records,
        progress: writer.progress(options.progress),
        variables: variables.variables,
        secrets: variables.secrets,
        secretVariables: secretVariableNames(release.snapshot.variables),
        releaseRevisions: () => revisionsReleasesHold(store),
        signal: controller.signal,
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
    run = await store.runs.update(run.id, { status: "succeeded", outputs });
    writer.write("done", `release ${release.version} is deployed to ${target.environment}`, { status: "succeeded" });
    return run;
  } catch (caught) {
    const stopped = caught instanceof Interrupted || (caught instanceof SlipwayError && caught.kind === "interrupted");
    const error = leaseLost && stopped
      ? new InterruptedError(`deployment ${run.id} stopped: another process took over its lock (this one was thought dead), so it changes nothing more`, "Check `slipway status`: the other deployment is the one running now.")
      : caught instanceof Interrupted
        ? new InterruptedError(`deployment ${run.id} stopped before its next write${caught.where ? ` (${caught.where})` : ""}`, `\`slipway resume ${run.id}\` continues it.`)
        : caught;
    const aborted = await store.runs.abortRequested(run.id).catch(() => undefined);
    // A person who aborted at a gate stopped the deployment (it rolled back, or stopped before its next step).
    const abortedAtGate = !stopped && (await store.approvals.list().catch(() => [])).some((g) => g.deploymentId === run.id && g.decision?.outcome === "aborted");
    const status = stopped ? (aborted && !leaseLost ? "aborted" : "interrupted") : abortedAtGate ? "aborted" : "failed";
    const message = redactor.text(error instanceof Error ? error.message : String(error));
    const hint = error instanceof SlipwayError && error.hint ? redactor.text(error.hint) : undefined;
    await releaseAll();
    // What stopped it is what the person needs to hear, even if recording it fails too.
    await store.runs.update(run.id, { status, outputs, error: { message, ...(hint !== undefined && { hint }) } }).catch(() => undefined);
    writer.write("done", `${status}: ${message}`, { status, message, ...(hint !== undefined && { hint }) });
    throw redacted(error, redactor);
  } finally {
    clearInterval(abortWatch);
    options.signal?.removeEventListener("abort", stopWith);
    await writer.flush();
    await releaseAll();
  }
}

/** The error as people will read it (the CLI prints message and hint): every known secret value masked. */
function redacted(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  error.message = redactor.text(error.message);
  if (error instanceof SlipwayError && error.hint !== undefined) (error as unknown as { hint: string }).hint = redactor.text(error.hint);
  return error;
}
