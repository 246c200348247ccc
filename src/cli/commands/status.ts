import { projectStatus } from "../../releases/status.js";
import type { Output } from "../output.js";
import { loadProject } from "../../config/load.js";
import { withStore } from "./project-store.js";
import { statusLines } from "./status-lines.js";

/** `slipway status` (defined in status-command.ts). */
export function showStatus(opts: { project: string; json?: boolean }, io: Output): Promise<void> {
  // The lifecycle and the store are all it needs: the process's step files are not read.
  const { lifecycle } = loadProject(opts.project).project;
  return withStore(opts.project, async (store) => {
    const status = await projectStatus(store, lifecycle);
    if (opts.json) io.out(JSON.stringify(status, null, 2));
    else for (const line of statusLines(status)) io.out(line);
  });
}
