import { Simulator, type SimulatorOptions } from "../../src/sim/simulator.js";
import { listen } from "../../src/sim/server.js";
import { createAwsClients, type AwsClients } from "../../src/aws/clients.js";

export interface SimHarness {
  sim: Simulator;
  url: string;
  region: string;
  clients: AwsClients;
  /** Calls the simulator's /_sim control surface. */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** A simulator on a free loopback port, and SDK clients built by slipway's own factory pointing at it. */
export async function startSim(options: SimulatorOptions & { region?: string } = {}): Promise<SimHarness> {
  const sim = new Simulator({ throttling: false, ...options });
  const running = await listen(sim, 0);
  const region = options.region ?? "us-east-1";
  const clients = createAwsClients({ region, endpoint: running.url, maxAttempts: 3 });
  return {
    sim,
    url: running.url,
    region,
    clients,
    async control(method, path, body) {
      const res = await fetch(`${running.url}/_sim/${path}?region=${region}`, {
        method,
        ...(body !== undefined && { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      const json: unknown = await res.json();
      if (!res.ok) throw new Error(`control ${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      clients.destroy();
      await running.close();
    },
  };
}
