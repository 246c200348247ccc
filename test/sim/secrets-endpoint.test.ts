import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RotateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { startSim, type SimHarness } from "../support/sim.js";
import { secretClientsFor, type SecretClients } from "../support/backends.js";
import { classifyForThrottling } from "../../src/sim/throttle-quotas.js";

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

describe("Secrets Manager and Parameter Store behind the simulator's endpoint", () => {
  let h: SimHarness;
  let clients: SecretClients;
  beforeAll(async () => {
    h = await startSim();
    clients = secretClientsFor(h.url, h.region);
  });
  afterAll(async () => {
    clients.destroy();
    await h.close();
  });

  it("routes both JSON 1.1 targets and says so for an operation it does not implement", async () => {
    await clients.secretsManager.send(new CreateSecretCommand({ Name: "routed", SecretString: "v" }));
    await clients.ssm.send(new PutParameterCommand({ Name: "/routed", Value: "v", Type: "String" }));
    const rotate = await errorOf(clients.secretsManager.send(new RotateSecretCommand({ SecretId: "routed" })));
    expect(rotate).toMatchObject({ name: "UnknownOperationException", message: "The simulator does not implement secretsmanager:RotateSecret." });
  });

  it("counts the calls in the ledger without ever recording a value", async () => {
    await h.control("DELETE", "calls");
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: "routed", SecretString: "ledger-must-not-see-this" }));
    await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: "routed" }));
    await clients.ssm.send(new PutParameterCommand({ Name: "/ledger", Value: "ledger-must-not-see-this-either", Type: "SecureString" }));
    await errorOf(clients.ssm.send(new GetParameterCommand({ Name: "/missing" })));
    const counts = await h.control("GET", "calls");
    expect(counts).toMatchObject({
      total: 4,
      byOperation: { "secretsmanager:PutSecretValue": { ok: 1 }, "secretsmanager:GetSecretValue": { ok: 1 }, "ssm:PutParameter": { ok: 1 }, "ssm:GetParameter": { error: 1 } },
    });
    expect(JSON.stringify(counts)).not.toContain("ledger-must-not-see-this");
  });

  it("injects faults with each service's own 5xx error", async () => {
    await h.control("PUT", "faults", { errorRate: 1, operations: ["secretsmanager:GetSecretValue", "ssm:GetParameter"] });
    expect((await errorOf(clients.secretsManager.send(new GetSecretValueCommand({ SecretId: "routed" }))))?.name).toBe("InternalServiceError");
    expect((await errorOf(clients.ssm.send(new GetParameterCommand({ Name: "/routed" }))))?.name).toBe("InternalServerError");
    await h.control("DELETE", "faults");
    expect((await clients.ssm.send(new GetParameterCommand({ Name: "/routed" }))).Parameter?.Value).toBe("v");
  });
});

describe("throttling of Secrets Manager and Parameter Store", () => {
  it("draws reads and writes from their published quotas", () => {
    expect(classifyForThrottling("secretsmanager", "GetSecretValue")).toEqual(classifyForThrottling("secretsmanager", "DescribeSecret"));
    expect(classifyForThrottling("secretsmanager", "GetSecretValue")?.spec.refillPerSecond).toBe(10_000);
    expect(classifyForThrottling("secretsmanager", "CreateSecret")?.spec.refillPerSecond).toBe(50);
    // Parameter Store's standard throughput: 40 calls a second shared by GetParameter(s) and PutParameter.
    expect(classifyForThrottling("ssm", "GetParameter")).toEqual({ bucket: "throughput", spec: { capacity: 40, refillPerSecond: 40 } });
    expect(classifyForThrottling("ssm", "PutParameter")?.bucket).toBe("throughput");
  });
});
