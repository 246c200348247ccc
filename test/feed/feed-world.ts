import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import request from "supertest";
import type { Express } from "express";
import { createAwsClients, type AwsClients } from "../../src/aws/clients.js";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { createFeedApp, type FeedAppOptions } from "../../feed/app.js";
import { startSim, type SimHarness } from "../support/sim.js";

export const key = "test-read-key-0123456789abcdef";

/** A clock the test moves by hand. */
export class ManualClock {
  now = Date.parse("2026-11-25T12:00:00Z");
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * The simulator with two regions standing in for two environments' targets (dev in us-east-1, prod in
 * eu-west-1), a reader for each through the real SDK adapter, and a feed app over them.
 */
export interface FeedWorld {
  h: SimHarness;
  dev: EcsTaskDefinitions;
  prod: EcsTaskDefinitions;
  clock: ManualClock;
  app(options?: Partial<FeedAppOptions>): Express;
  /** GET with the read key. */
  get(app: Express, path: string): request.Test;
  /** ECS calls the simulator answered, by operation ("ecs:ListTaskDefinitions"), all outcomes together. */
  ecsCalls(operation: string): Promise<number>;
  close(): Promise<void>;
}

export const container = (image: string, name = "web"): ContainerDefinition => ({ name, image, memory: 128 });

export async function startFeedWorld(): Promise<FeedWorld> {
  const h = await startSim();
  const prodClients: AwsClients = createAwsClients({ region: "eu-west-1", endpoint: h.url, maxAttempts: 1 });
  // One attempt per call: a test of stale serving should not wait through the SDK's retries.
  const devClients: AwsClients = createAwsClients({ region: h.region, endpoint: h.url, maxAttempts: 1 });
  const dev = new EcsTaskDefinitions(devClients.ecs);
  const prod = new EcsTaskDefinitions(prodClients.ecs);
  const clock = new ManualClock();
  return {
    h,
    dev,
    prod,
    clock,
    app: (options = {}) =>
      createFeedApp({
        sources: new Map<string, TaskDefinitionReader>([
          ["dev", dev],
          ["prod", prod],
        ]),
        auth: { kind: "keys", keys: [key] },
        clock: clock.read,
        log: () => undefined,
        ...options,
      }),
    get: (app, path) => request(app).get(path).set("authorization", `Bearer ${key}`),
    async ecsCalls(operation) {
      const counts = (await h.control("GET", "calls")) as { byOperation: Record<string, Record<string, number>> };
      return Object.values(counts.byOperation[operation] ?? {}).reduce((a, b) => a + b, 0);
    },
    async close() {
      devClients.destroy();
      prodClients.destroy();
      await h.close();
    },
  };
}
