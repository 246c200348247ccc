import { Simulator } from "../../src/sim/simulator.js";
import { listen } from "../../src/sim/server.js";

/** The paths' simulator, in-process on a free loopback port: its speed, seed and the load balancers' traffic model. */
export interface TrafficSimulatorOptions {
  speed: number;
  seed: number;
  /** Simulated seconds each forwarded request takes. */
  requestSeconds: number;
  /** Simulated seconds new listener weights take to reach the load balancer's nodes. */
  weightPropagationSeconds: number;
}

export async function startTrafficSimulator(options: TrafficSimulatorOptions): Promise<{ sim: Simulator; endpoint: string; region: string; close(): Promise<void> }> {
  const { speed, ...model } = options;
  const sim = new Simulator({ throttling: false, ...model });
  sim.clock.setSpeed(speed);
  const server = await listen(sim, 0);
  return { sim, endpoint: server.url, region: "us-east-1", close: () => server.close() };
}
