import { userInfo } from "node:os";
import type { LoadedProject } from "../../config/load.js";
import type { ProjectProcess } from "../../config/process-model.js";
import type { Store } from "../../engine/store.js";
import type { DeployingProject } from "../../releases/deployments.js";
import { openStore, stateDirOf } from "../../storage/open-store.js";
import { toAwsConnection } from "../../../targets/connection.js";
import { projectNameOf } from "./project-name.js";
import { refuseServer } from "../remote/server-option.js";

/** A project with its process read and its store open: what release, deploy, promote and status work on. */
export interface OpenProject {
  loaded: LoadedProject;
  process: ProjectProcess;
  store: Store;
  deploying: DeployingProject;
}

/** Who runs a command with direct access to the store, as the audit log and the run records name them. */
export function cliActor(): string {
  let login = process.env.USER ?? process.env.USERNAME;
  try {
    login = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name is as good as it gets.
  }
  return `cli:${login ?? "unknown"}`;
}

/** The project's store: PGlite in .slipway/ beside the project file, or the PostgreSQL DATABASE_URL names. */
export function openProjectStore(projectFile: string, projectName: string): Promise<Store> {
  // A command that cannot work through a server must not quietly make a store of its own beside it.
  refuseServer();
  return openStore({ stateDir: stateDirOf(projectFile), project: projectName, ...(process.env.DATABASE_URL && { databaseUrl: process.env.DATABASE_URL }) });
}

/** Opens the project's store for the duration of `use`, reading no more of the project than its name. */
export async function withStore<T>(projectFile: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openProjectStore(projectFile, await projectNameOf(projectFile));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Opens the project's store with its process read (every step file checked) for the duration of `use`. */
export async function withProjectStore<T>(projectFile: string, use: (p: OpenProject) => Promise<T>): Promise<T> {
  // One pass over slipway.yaml, its targets and every step file: all their problems are reported together.
  const { loadDeployableProject } = await import("../../config/load.js");
  const { process: process_, ...loaded } = loadDeployableProject(projectFile);
  // Imported here, not at the top: status, release list and the other commands that only read the store open it
  // with withStore, and need none of the AWS SDK (about 0.35 s and 30 MB to import).
  const { createAwsClients } = await import("../../aws/clients.js");
  const store = await openProjectStore(projectFile, loaded.project.name);
  try {
    const deploying: DeployingProject = { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, store, clientsFor: (target) => createAwsClients(toAwsConnection(target)) };
    return await use({ loaded, process: process_, store, deploying });
  } finally {
    await store.close();
  }
}
