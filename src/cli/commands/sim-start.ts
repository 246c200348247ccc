import { loadDeployableProject } from "../../config/load.js";
import { InputError } from "../../errors.js";
import { Simulator } from "../../sim/simulator.js";
import { listen, type RunningSimulator } from "../../sim/server.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";
import { seedProject } from "./sim-seed.js";
import { simListeners, type SimListener } from "./sim-listeners.js";

export interface StartRequest {
  port: string;
  host: string;
  speed: number;
  throttling: boolean;
  /** Load balancer frontends from this port upward; 0: free ports. */
  frontendBase: number;
  /** Simulated seconds a forwarded request takes; 0 (the default): at once. */
  requestSeconds?: number;
  /** Simulated seconds before changed listener or rule actions take effect; 0 (the default): at once. */
  weightPropagationSeconds?: number;
  project?: string;
  image: string[];
}

export interface StartedSimulators {
  urls: string[];
  close(): Promise<void>;
}

async function listenAt(simulator: Simulator, port: number, host: string, endpoint: string): Promise<RunningSimulator> {
  try {
    return await listen(simulator, port, host);
  } catch (error) {
    await simulator.close();
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new InputError(`${endpoint} is taken: something else already listens there.`, "If it is a simulator you started, seed it instead: slipway sim seed --project …; otherwise stop what uses the port, or change the endpoint.");
  }
}

/**
 * `sim start`: one simulator at --port, or with --project one per endpoint the targets name, each seeded with what
 * the project needs (`sim seed`). A failure on the way stops every simulator it started.
 */
export async function startSimulators(request: StartRequest, io: Output): Promise<StartedSimulators> {
  const options = {
    speed: request.speed,
    throttling: request.throttling,
    frontendPorts: request.frontendBase === 0 ? ("ephemeral" as const) : { base: request.frontendBase },
    ...(request.requestSeconds !== undefined && { requestSeconds: request.requestSeconds }),
    ...(request.weightPropagationSeconds !== undefined && { weightPropagationSeconds: request.weightPropagationSeconds }),
  };
  const listeners: (SimListener | undefined)[] = request.project ? simListeners(loadDeployableProject(request.project)) : [undefined];
  const running: RunningSimulator[] = [];
  const close = async () => {
    await Promise.all(running.map((r) => r.close()));
  };
  try {
    for (const at of listeners) {
      const simulator = new Simulator({ ...options, ...(at?.account && { account: at.account }) });
      const port = at ? at.port : parsePort(request.port, 4599);
      const host = at ? at.host : request.host;
      const started = await listenAt(simulator, port, host, at?.endpoint ?? `${host}:${port}`);
      running.push(started);
      const serves = at ? ` for ${at.environments.join(", ")} (account ${simulator.account})` : "";
      const { requestSeconds, weightPropagationSeconds } = simulator.elbv2.traffic;
      const traffic = `${requestSeconds > 0 ? `, requests take ${requestSeconds} s` : ""}${weightPropagationSeconds > 0 ? `, weights propagate in ${weightPropagationSeconds} s` : ""}`;
      io.out(`slipway AWS simulator listening on ${started.url}${serves} (speed ${simulator.clock.rate}x, throttling ${request.throttling ? "on" : "off"}${traffic})`);
    }
    if (request.project) await seedProject({ project: request.project, image: request.image }, io);
  } catch (error) {
    await close();
    throw error;
  }
  return { urls: running.map((r) => r.url), close };
}
