import { InputError } from "../../errors.js";
import type { ProjectView } from "../../api/routes/project.js";
import { declaredProjectName } from "../commands/project-name.js";
import { ApiClient } from "./api-client.js";
import { serverFrom, type ServerOptions } from "./server-option.js";

/** A server the command works through, with the project it deploys. */
export interface Remote {
  api: ApiClient;
  project: ProjectView;
}

/**
 * Connects to the server the options name and reads its project. A project file beside the command that names
 * another project is refused before anything is asked of the server: a CI job in one repository must not release
 * or deploy another team's service because a variable pointed at the wrong server.
 */
export async function connect(opts: ServerOptions & { project?: string }): Promise<Remote> {
  const server = serverFrom(opts);
  if (!server) throw new Error("connect: the command has no server");
  const api = new ApiClient(server);
  const project = await api.get<ProjectView>("project");
  const file = opts.project ?? "slipway.yaml";
  const local = declaredProjectName(file);
  if (local !== undefined && local !== project.name) {
    throw new InputError(
      `${file} is the project "${local}", but ${api.where} deploys "${project.name}".`,
      `Point --server (or SLIPWAY_SERVER) at the server of "${local}", or run from the folder of "${project.name}" (--project names its file).`,
    );
  }
  return { api, project };
}
