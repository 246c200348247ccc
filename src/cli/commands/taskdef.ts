import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { loadEnvironmentTarget } from "../../config/load.js";
import { loadProjectProcess } from "../../config/load-process.js";
import { newDeploymentId } from "../../engine/deployment-id.js";
import { describePlan } from "../../engine/plan.js";
import { dryRunJournal, type Journal } from "../../engine/journal.js";
import { withStore } from "./project-store.js";
import { revisionsReleasesHold } from "../../releases/held-revisions.js";
import { mergeVariables, plainVariables } from "../../releases/secrets.js";
import { toAwsConnection } from "../../../targets/connection.js";
import type { Target } from "../../../targets/target.js";
import { taskDefinitionStep, type LoadedTaskDefinitionStep, type TaskDefinitionStepOutput } from "../../../steps/task-definition/index.js";
import { diffDefinitions } from "../../../steps/task-definition/diff.js";
import { normalise } from "../../../steps/task-definition/normalise.js";
import { withImageOverrides } from "../../../steps/task-definition/overrides.js";
import { createTaskDefinitionPorts } from "../../../steps/task-definition/ports.js";
import { readEnvironment, renderStep } from "../../../steps/task-definition/prepare.js";
import type { Output } from "../output.js";

interface CommonOptions {
  env: string;
  project: string;
  image: string[];
  release?: string;
}

interface RegisterOptions extends CommonOptions {
  dryRun?: boolean;
  json?: boolean;
  deployment?: string;
}

interface Prepared {
  loaded: LoadedTaskDefinitionStep;
  target: Target;
  clients: AwsClients;
  projectFile: string;
}

/**
 * Reads the project and the step, finds the environment's target and builds its clients; the caller destroys them.
 * The step renders with the project's variables under its own, as a deployment of a release does (mergeVariables:
 * the step's value over the project's in each scope, an environment's scope over "default"). Secret variables are
 * left out: only a deployment reads and stores their values.
 */
function prepare(stepFile: string, opts: CommonOptions): Prepared {
  const projectFiles = loadEnvironmentTarget(opts.project, opts.env);
  const { project, target } = projectFiles;
  const projectVariables = plainVariables(loadProjectProcess(opts.project, projectFiles).variables);
  const loaded = taskDefinitionStep.load(stepFile, { environments: project.lifecycle.names });
  const input = { ...loaded.input, variables: mergeVariables(projectVariables, loaded.input.variables) };
  const withOverrides = { ...loaded, input: withImageOverrides(input, opts.image) };
  return { loaded: withOverrides, target, clients: createAwsClients(toAwsConnection(target)), projectFile: opts.project };
}

async function withPrepared<T>(stepFile: string, opts: CommonOptions, use: (p: Prepared) => Promise<T>): Promise<T> {
  const prepared = prepare(stepFile, opts);
  try {
    return await use(prepared);
  } finally {
    prepared.clients.destroy();
  }
}

function renderOptions(p: Prepared, opts: CommonOptions) {
  return { environment: p.target.environment, ...(opts.release !== undefined && { release: opts.release }) };
}

/** A fresh id per run unless one is given: a run resumes only when asked to, with the id it printed. */
function outputLines(output: TaskDefinitionStepOutput): string[] {
  const verb = output.registered ? "registered" : "reused";
  return [`${verb} ${output.family}:${output.revision} ${output.taskDefinitionArn}`, ...output.images.map((i) => `  ${i.container}: ${i.repository}${i.tag ? `:${i.tag}` : ""} → ${i.image}`)];
}



/** The action of `render` (its definition, loaded at start, is in taskdef-command.ts). */
export const renderAction = (io: Output) =>
  (stepFile: string, opts: CommonOptions) =>
    withPrepared(stepFile, opts, async (p) => {
      const { images } = createTaskDefinitionPorts(p.clients);
      const rendered = await renderStep(p.loaded, images, renderOptions(p, opts));
      io.out(JSON.stringify(rendered.input, null, 2));
    });

/** The action of `diff` (its definition, loaded at start, is in taskdef-command.ts). */
export const diffAction = (io: Output) =>
  (stepFile: string, opts: CommonOptions) =>
    withPrepared(stepFile, opts, async (p) => {
      const ports = createTaskDefinitionPorts(p.clients);
      const rendered = await renderStep(p.loaded, ports.images, renderOptions(p, opts));
      const family = p.loaded.input.family;
      const { current } = await readEnvironment(ports.reader, ports.index, family, opts.env, undefined, false);
      const lines = diffDefinitions(
        { label: current ? `${family}:${current.revision} (newest in ${opts.env})` : `${family} (no ACTIVE revision in ${opts.env})`, ...(current && { definition: current.definition }) },
        { label: `${family} (rendered for ${opts.env})`, definition: normalise(rendered.input) },
      );
      if (lines.length === 0) io.out(`no changes: ${family}:${current?.revision ?? "?"} is what the step renders for ${opts.env}`);
      for (const line of lines) io.out(line);
    });

/** The action of `register` (its definition, loaded at start, is in taskdef-command.ts). */
export const registerAction = (io: Output) =>
  (stepFile: string, opts: RegisterOptions) =>
    withPrepared(stepFile, opts, async (p) => {
      const deploymentId = opts.deployment ?? newDeploymentId("taskdef", p.target.environment, p.loaded.input.family);
      // A dry run writes nothing, so it needs no store; a register is journalled in the project's store.
      const run = (journal: Journal, releaseRevisions?: ReadonlyMap<string, string>) =>
        taskDefinitionStep.run(p.loaded, { target: p.target, deploymentId, journal, clients: p.clients, dryRun: opts.dryRun ?? false, ...(opts.release !== undefined && { release: opts.release }), ...(releaseRevisions && { releaseRevisions }) });
      const { plan, output } = opts.dryRun ? await run(dryRunJournal) : await withStore(p.projectFile, async (store) => run(store.journal, await revisionsReleasesHold(store)));
      if (opts.json) {
        const actions = plan.actions.map(({ kind, key, summary }) => ({ kind, key, summary }));
        io.out(JSON.stringify({ deploymentId, dryRun: opts.dryRun ?? false, plan: { actions, notes: plan.notes, diff: plan.diff }, ...(output && { output }) }, null, 2));
        return;
      }
      for (const line of describePlan(plan)) io.out(line);
      for (const line of plan.diff) io.out(line);
      if (opts.dryRun) {
        io.out("dry run: nothing was changed");
        return;
      }
      io.out(`deployment ${deploymentId}`);
      if (output) for (const line of outputLines(output)) io.out(line);
    });
