import type { Response } from "express";
import type { AwsClients } from "../aws/clients.js";
import type { TaskDefinitionReader } from "../aws/task-definitions.js";
import type { ProjectProcess } from "../config/process-model.js";
import type { Store } from "../engine/store.js";
import type { DeployingProject } from "../releases/deployments.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import type { Target } from "../../targets/target.js";
import type { ApiAuth } from "./auth.js";
import type { BackgroundRuns, RunOptions } from "./background.js";
import type { AnswerRedactor } from "./redaction.js";

/** The project as the API serves it: its lifecycle, targets and deployment process (as the project file has it now). */
export interface ApiProject {
  name: string;
  lifecycle: Lifecycle;
  targets: ReadonlyMap<string, Target>;
  process: ProjectProcess;
}

/** Everything the API is built from, injected so tests and `slipway serve` differ only in what they pass. */
export interface ApiDeps {
  store: Store;
  project: ApiProject;
  /** Fresh clients for a target; whoever asks destroys them. */
  clientsFor(target: Target): AwsClients;
  auth: ApiAuth;
  /** Told of each deployment the API starts, with a promise of how it ended (it never rejects). */
  onRunStarted?: BackgroundRuns["onRunStarted"];
  /** Aborting it stops every deployment the API started at its next safe point (they become interrupted). */
  signal?: AbortSignal;
  /** Pacing and poll intervals for the deployments it runs, and where their secrets are read (default process.env). */
  runOptions?: RunOptions;
  /** The feed's task definition readers by environment. Default: made from clientsFor when the app is made, kept for its life. */
  feedSources?: ReadonlyMap<string, TaskDefinitionReader>;
  /** How often an event stream looks for new events. Default 250 ms. */
  eventPollMs?: number;
  /** How often an idle event stream sends a comment, so proxies keep it open. Default 15 s. */
  heartbeatMs?: number;
  /** How long one reading of a deployment's live state is shared by everyone asking (routes/live.ts). Default 1 s. */
  liveSharedForMs?: number;
  /** Where unexpected failures and the end of each deployment are logged. Default stderr. */
  log?: (line: string) => void;
}

/** What the routers share. */
export interface ApiContext {
  store: Store;
  project: ApiProject;
  deploying: DeployingProject;
  clientsFor(target: Target): AwsClients;
  background: BackgroundRuns;
  /** Where the deployments the API runs read their secrets: what the answers are redacted of. */
  env: NodeJS.ProcessEnv;
  redactor: AnswerRedactor;
  eventPollMs: number;
  heartbeatMs: number;
  liveSharedForMs: number;
  /** Sends a JSON answer with every known secret value replaced by "***". */
  send(res: Response, status: number, body: unknown): void;
}
