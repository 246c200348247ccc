import type { ContainerDefinition, ECSClient, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import request from "supertest";
import { expect } from "vitest";
import type { Express } from "express";
import { createAwsClients, type AwsClients } from "../../src/aws/clients.js";
import { EcsTaskDefinitions, type DescribedTaskDefinition, type TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { environmentTag } from "../../steps/task-definition/ownership.js";
import { createFeedApp, type FeedAppOptions } from "../../feed/app.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

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
 * One environment's target through the real SDK adapter, registering as slipway does: every revision tagged
 * with the environment it belongs to, so the feed lists it for that environment.
 */
export class EnvironmentTaskDefinitions extends EcsTaskDefinitions {
  constructor(
    ecs: ECSClient,
    readonly environment: string,
  ) {
    super(ecs);
  }

  override register(input: RegisterTaskDefinitionCommandInput): Promise<DescribedTaskDefinition> {
    return super.register({ ...input, tags: [...(input.tags ?? []), { key: environmentTag, value: this.environment }] });
  }
}

/**
 * The simulator with two regions standing in for two environments' targets (dev in us-east-1, prod in
 * eu-west-1), a reader for each through the real SDK adapter, and a feed app over them.
 */
export interface FeedWorld {
  h: SimHarness;
  dev: EnvironmentTaskDefinitions;
  prod: EnvironmentTaskDefinitions;
  clock: ManualClock;
  app(options?: Partial<FeedAppOptions>): Express;
  /** GET with the read key. */
  get(app: Express, path: string): request.Test;
  /** GET with the read key, expecting 200 and a body the OpenAPI document allows for `template` (its path). */
  ok(app: Express, path: string, template: string): Promise<request.Response>;
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
  const dev = new EnvironmentTaskDefinitions(devClients.ecs, "dev");
  const prod = new EnvironmentTaskDefinitions(prodClients.ecs, "prod");
  const clock = new ManualClock();
  const get = (app: Express, path: string) => request(app).get(path).set("authorization", `Bearer ${key}`);
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
    get,
    async ok(app, path, template) {
      const res = await get(app, path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expectMatchesOpenApi(template, 200, res.body);
      return res;
    },
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
