import type { AwsClients } from "../aws/clients.js";
import type { Approvals } from "../engine/approvals.js";
import type { DeploymentRecords } from "../engine/deployment-records.js";
import { interruptedBy } from "../engine/interruption.js";
import type { Journal } from "../engine/journal.js";
import { describePlan, type Plan } from "../engine/plan.js";
import { parseSource } from "../config/source.js";
import { InputError } from "../errors.js";
import { accountOfTarget, type Target } from "../../targets/target.js";
import { describeGate, runManualIntervention } from "../../steps/manual-intervention/index.js";
import { deployService, type ServiceStepOutput } from "../../steps/service/index.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import type { TaskSetRunOptions } from "../../steps/service/task-sets/index.js";
import type { NativeRunOptions } from "../../steps/service/native/deploy.js";
import { rollbackStages } from "../../steps/service/task-sets/stages.js";
import { runPackageRevision } from "../../steps/service/package-revision.js";
import { createTaskDefinitionPorts } from "../../steps/task-definition/ports.js";
import { settingsFor } from "../../steps/service/input.js";
import { taskDefinitionStep, type PlannedTaskDefinition, type TaskDefinitionStepOutput } from "../../steps/task-definition/index.js";
import type { ImageRule, VariableMap } from "../../steps/task-definition/input.js";
import type { SecretSource } from "../../steps/task-definition/secret-sources.js";
import { verificationStep } from "../../steps/verification/index.js";
import type { SnapshotStep } from "./release.js";
import { maskSecretEnvironment, secretEnvironmentNames } from "./secret-diff.js";
import { mergeVariables } from "./secrets.js";

/** What every step of a release's process runs with in one deployment. */
export interface ProcessStepContext {
  target: Target;
  clients: AwsClients;
  deploymentId: string;
  release: string;
  journal: Journal;
  approvals: Approvals;
  records: DeploymentRecords;
  progress: DeploymentProgress;
  /** The release's plain variables for this deployment ("default" and the environment's scope). */
  variables: Record<string, VariableMap>;
  /** The environment's secret variables: what their placeholders become is the task definition step's to decide. */
  secrets?: readonly SecretSource[];
  signal?: AbortSignal;
  pacing?: TaskSetRunOptions["pacing"];
  approvalPollMs?: number;
  /** Each step's plan, before its first write. */
  onPlan?: (step: string, lines: string[]) => void;
  /** The release's secret variables: environment entries they feed are masked in task definition diffs. */
  secretVariables?: readonly string[];
  /** Revisions releases still hold (release-revisions.ts), read when a task definition step runs: retention keeps them. */
  releaseRevisions?: () => Promise<ReadonlyMap<string, string>>;
  /**
   * Plan every step and write nothing: plans go to onPlan, and a task definition step hands the service step
   * after it what it would register or reuse (a DryRunOutput) instead of a revision.
   */
  dryRun?: boolean;
  /**
   * The run returns the environment to an earlier release (`slipway rollback --env`): task-set services move at
   * once (rollbackStages), gates and verification steps are passed by — a rollback waits for nobody.
   */
  rollingBack?: boolean;
}

/** What a task definition step hands on in a dry run. */
export interface DryRunOutput {
  planned: PlannedTaskDefinition;
}

const isDryRunOutput = (output: unknown): output is DryRunOutput => typeof output === "object" && output !== null && "planned" in output;

/** The digests the release chose, as rules: every environment runs exactly these images. */
function pinnedRules(step: Extract<SnapshotStep, { uses: "task-definition" }>): Record<string, ImageRule> {
  return Object.fromEntries(step.images.map((i) => [i.container, { kind: "digest", digest: i.digest } satisfies ImageRule]));
}

/** The task-definition step a service step runs the output of: the one it names, else the nearest before it. */
function taskDefinitionSource(steps: readonly SnapshotStep[], service: Extract<SnapshotStep, { uses: "service" }>): string | undefined {
  if (service.package !== undefined) return undefined;
  if (service.taskDefinitionFrom !== undefined) return service.taskDefinitionFrom;
  const before = steps.slice(0, steps.indexOf(service));
  return [...before].reverse().find((s) => s.uses === "task-definition")?.name;
}

/**
 * Environment entries whose values a plan's diff masks: those a task definition step's template feeds from a
 * secret variable; for a package, the secret variables' own names and every name its definition passes as an ECS
 * secret — the running revision, registered before, may hold any of them in plain text.
 */
function secretNamesOf(step: SnapshotStep, secretVariables: readonly string[]): string[] {
  if (step.uses === "task-definition") return [...secretEnvironmentNames(step.input.template, secretVariables)];
  if (step.uses !== "service" || !step.package) return [];
  const passed = (step.package.definition.containerDefinitions ?? []).flatMap((c) => (c.secrets ?? []).flatMap((s) => (s.name !== undefined ? [s.name] : [])));
  return [...secretVariables, ...passed];
}

/** Runs one step of the release's process and returns its output (what later steps and the record keep). */
export async function runProcessStep(step: SnapshotStep, steps: readonly SnapshotStep[], outputs: Readonly<Record<string, unknown>>, ctx: ProcessStepContext): Promise<unknown> {
  // Task definition diffs appear in the task definition step's plan and in the service step's: both are masked.
  const secretNames = new Set(steps.flatMap((s) => secretNamesOf(s, ctx.secretVariables ?? [])));
  const planLines = (plan: Plan) => maskSecretEnvironment([...describePlan(plan), ...plan.diff], secretNames);
  const stepCtx = { target: ctx.target, clients: ctx.clients, deploymentId: ctx.deploymentId, journal: ctx.journal, release: ctx.release, dryRun: ctx.dryRun ?? false };
  switch (step.uses) {
    case "task-definition": {
      const input = { ...step.input, images: pinnedRules(step), variables: mergeVariables(ctx.variables, step.input.variables) };
      // The template is kept in the release, not read from its file again; problems point into the snapshot.
      const templateSource = { doc: parseSource(`${step.file} (as kept in release ${ctx.release})`, JSON.stringify(step.input.template, null, 2)), pointer: "" };
      const releaseRevisions = input.retention && ctx.releaseRevisions ? await ctx.releaseRevisions() : undefined;
      const { plan, output, planned } = await taskDefinitionStep.run({ file: step.file, input, templateSource, ...(ctx.secrets && { secrets: ctx.secrets }) }, { ...stepCtx, ...(releaseRevisions && { releaseRevisions }) });
      ctx.onPlan?.(step.name, planLines(plan));
      return planned ? ({ planned } satisfies DryRunOutput) : (output as TaskDefinitionStepOutput);
    }
    case "service": {
      const from = taskDefinitionSource(steps, step);
      const source = step.package ? await packageRevision(step, ctx, planLines) : from === undefined ? undefined : (outputs[from] as TaskDefinitionStepOutput | DryRunOutput | undefined);
      if (from !== undefined && source === undefined) {
        throw new InputError(`The service step "${step.name}" runs the revision of "${from}", which did not run in ${ctx.target.environment}.`, `Let "${from}" run in ${ctx.target.environment} too (its environments:), or name the revision in the service step's taskDefinition:.`);
      }
      const options: TaskSetRunOptions & NativeRunOptions = {
        progress: ctx.progress,
        records: ctx.records,
        approvals: ctx.approvals,
        ...(source && (isDryRunOutput(source) ? { planned: source.planned } : { override: source.taskDefinitionArn })),
        ...(ctx.pacing && { pacing: ctx.pacing }),
        ...(ctx.approvalPollMs !== undefined && { approvalPollMs: ctx.approvalPollMs }),
        ...(ctx.signal && { signal: ctx.signal }),
        ...(ctx.rollingBack && { stages: rollbackStages[settingsFor(step.raw, ctx.target.environment).mode === "blue-green" ? "blue-green" : "canary"], noGates: true }),
        onPlan: (plan) => ctx.onPlan?.(step.name, planLines(plan)),
      };
      const { output } = await deployService({ file: step.file, raw: step.raw }, stepCtx, options);
      return output as ServiceStepOutput;
    }
    case "verification": {
      if (ctx.rollingBack) {
        ctx.onPlan?.(step.name, ["passed by: a rollback to a release that ran here before opens no verification"]);
        return undefined;
      }
      const { plan, output } = await verificationStep.run({ file: step.file, input: step.input }, stepCtx);
      ctx.onPlan?.(step.name, planLines(plan));
      return output;
    }
    case "manual-intervention":
      if (ctx.rollingBack) {
        ctx.onPlan?.(step.name, ["passed by: a rollback waits for nobody"]);
        return undefined;
      }
      if (ctx.dryRun) {
        ctx.onPlan?.(step.name, describeGate(step.input));
        return undefined;
      }
      try {
        return await runManualIntervention(step.input, {
          approvals: ctx.approvals,
          deploymentId: ctx.deploymentId,
          ...(ctx.approvalPollMs !== undefined && { pollIntervalMs: ctx.approvalPollMs }),
          ...(ctx.signal && { signal: ctx.signal }),
        });
      } catch (error) {
        // Stopped while waiting (Ctrl-C, a server shutting down): the gate stays open for the resumed run.
        throw interruptedBy(ctx.signal, error);
      }
  }
}

/**
 * The revision a service step's package runs here: the release's definition, reused or registered (its plan is
 * shown as the step's first). Handed to the service as a task definition step's output would be.
 */
async function packageRevision(step: Extract<SnapshotStep, { uses: "service" }>, ctx: ProcessStepContext, planLines: (plan: Plan) => string[]): Promise<TaskDefinitionStepOutput | DryRunOutput> {
  const pkg = step.package as NonNullable<typeof step.package>;
  const ports = createTaskDefinitionPorts(ctx.clients);
  const execution = { deploymentId: ctx.deploymentId, journal: ctx.journal };
  const account = accountOfTarget(ctx.target);
  const place = { region: ctx.target.region, ...(account !== undefined && { account }) };
  const run = await runPackageRevision(pkg, ports, { environment: ctx.target.environment, place, release: ctx.release, dryRun: ctx.dryRun ?? false, execution });
  ctx.onPlan?.(step.name, planLines(run.plan));
  if (run.planned) return { planned: run.planned };
  return run.output as TaskDefinitionStepOutput;
}

// In release.ts, which the read-only views import without this module's step code (and the AWS SDK under it).
export { runsIn } from "./release.js";
