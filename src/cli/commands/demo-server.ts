import type { Server } from "node:http";
import { userInfo } from "node:os";
import { createApiApp } from "../../api/app.js";
import type { Store } from "../../engine/store.js";
import type { DeployingProject } from "../../releases/deployments.js";
import type { ProjectProcess } from "../../config/process-model.js";

/** The dashboard and API over the demo's store, open on loopback (no keys): a laptop's own demo. */
export async function startDemoServer(context: { store: Store; project: DeployingProject; process: ProjectProcess; env: NodeJS.ProcessEnv }, port: number): Promise<{ url: string; close(): Promise<void> }> {
  // The project the demo already read: its files are not read again.
  const { project } = context;
  const app = createApiApp({
    store: context.store,
    project: { name: project.name, lifecycle: project.lifecycle, targets: project.targets, process: context.process },
    clientsFor: context.project.clientsFor,
    auth: { open: true, login: safeLogin() },
    // The demo's own secret values: deployments started from the dashboard read them, answers mask them.
    runOptions: { env: context.env },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeLogin(): string {
  try {
    return userInfo().username;
  } catch {
    return "demo";
  }
}
