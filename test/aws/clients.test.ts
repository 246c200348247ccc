import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../src/aws/clients.js";
import { EcsTaskDefinitions } from "../../src/aws/task-definitions.js";
import { AwsCallError } from "../../src/errors.js";

describe("AWS clients built by the factory", () => {
  // Accepts connections and never answers: what a firewalled or misrouted endpoint looks like.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => void sockets.add(socket));
  let endpoint: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("give up on an endpoint that never answers, with a hint, instead of hanging", async () => {
    const clients = createAwsClients({ region: "us-east-1", endpoint, maxAttempts: 2, requestTimeoutMs: 300 });
    const started = Date.now();
    const failure = await new EcsTaskDefinitions(clients.ecs).listFamilies().catch((e: unknown) => e);
    clients.destroy();
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).hint).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
