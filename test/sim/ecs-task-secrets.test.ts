import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateServiceCommand, UpdateServiceCommand, type Secret } from "@aws-sdk/client-ecs";
import { CreateSecretCommand, DeleteSecretCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { startSim, type SimHarness } from "../support/sim.js";
import { secretClientsFor, type SecretClients } from "../support/backends.js";
import { advance, createCluster, describeService, eventMessages, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";

/**
 * A task whose secrets cannot be fetched never starts: it stops with ECS's ResourceInitializationError and counts
 * as a failed task, exactly as a crashing image does. The simulator's clock stands still (speed 0) and is moved
 * by hand, so no step depends on how fast the machine runs.
 */
const failedToFetch = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ";
const asmFailure = (arn: string, cause: string) => `${failedToFetch}unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${arn} from secrets manager: ${cause}`;
const account = "000000000000";
const region = "us-east-1";

/** A "web" task definition (see registerWeb) whose container reads `secrets`, and its FireLens log driver `secretOptions`. */
function registerWithSecrets(h: SimHarness, family: string, secrets: Secret[], secretOptions: Secret[] = []): Promise<string> {
  return registerWeb(h, family, `${family}:1.0.0`, {
    executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
    container: { secrets, ...(secretOptions.length > 0 && { logConfiguration: { logDriver: "awsfirelens", secretOptions } }) },
  });
}

async function createService(h: SimHarness, name: string, taskDefinition: string, circuitBreaker = false): Promise<void> {
  await h.clients.ecs.send(
    new CreateServiceCommand({
      cluster: "secrets",
      serviceName: name,
      taskDefinition,
      desiredCount: 2,
      launchType: "FARGATE",
      networkConfiguration: network,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: circuitBreaker, rollback: circuitBreaker } },
    }),
  );
}

async function stoppedReasons(h: SimHarness, service: string): Promise<string[]> {
  return [...new Set((await serviceTasks(h, "secrets", service, "STOPPED")).map((t) => t.stoppedReason ?? ""))];
}

describe("a task whose secrets cannot be fetched", () => {
  let h: SimHarness;
  let clients: SecretClients;
  let sm: SecretsManagerClient;
  let ssm: SSMClient;
  let dbSecretArn: string;
  beforeAll(async () => {
    h = await startSim({ speed: 0 });
    clients = secretClientsFor(h.url, h.region);
    sm = clients.secretsManager;
    ssm = clients.ssm;
    await createCluster(h, "secrets");
    dbSecretArn = (await sm.send(new CreateSecretCommand({ Name: "shop/db", SecretString: JSON.stringify({ password: "pw", user: "shop" }) }))).ARN ?? "";
    await ssm.send(new PutParameterCommand({ Name: "/shop/api-key", Value: "k", Type: "SecureString" }));
    await ssm.send(new PutParameterCommand({ Name: "/shop/log-token", Value: "t", Type: "SecureString" }));
  });
  afterAll(async () => {
    clients.destroy();
    await h.close();
  });

  it("starts as before when every secret resolves: ARNs with json keys and stages, parameter names and ARNs, log options", async () => {
    const definition = await registerWithSecrets(
      h,
      "ok",
      [
        { name: "DB_PASSWORD", valueFrom: `${dbSecretArn}:password:AWSCURRENT:` },
        { name: "DB", valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:shop/db` },
        { name: "API_KEY", valueFrom: "/shop/api-key" },
      ],
      [{ name: "apikey", valueFrom: `arn:aws:ssm:${region}:${account}:parameter/shop/log-token` }],
    );
    await createService(h, "ok", definition);
    await advance(h, 60);
    const service = await describeService(h, "secrets", "ok");
    expect(service).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(eventMessages(service)[0]).toBe("(service ok) has reached a steady state.");
    expect(await serviceTasks(h, "secrets", "ok", "STOPPED")).toEqual([]);
  });

  it("stops before starting with AWS's reason when a Secrets Manager secret is missing", async () => {
    const missing = `arn:aws:secretsmanager:${region}:${account}:secret:shop/missing-AbCdEf`;
    const definition = await registerWithSecrets(h, "no-secret", [{ name: "TOKEN", valueFrom: missing }]);
    await createService(h, "no-secret", definition);
    await advance(h, 30);
    // The first task: failed at 5 s and STOPPED at 15 s; its replacements keep failing after it.
    const [stopped] = (await serviceTasks(h, "secrets", "no-secret", "STOPPED")).sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    expect(stopped).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: asmFailure(missing, "ResourceNotFoundException: Secrets Manager can't find the specified secret."),
    });
    expect(stopped?.startedAt).toBeUndefined();
    expect(stopped?.pullStartedAt).toBeUndefined();
    expect(stopped?.containers?.[0]).toMatchObject({ lastStatus: "STOPPED" });
    expect(stopped?.containers?.[0]?.exitCode).toBeUndefined();
    // ECS keeps trying: every replacement fails the same way, and none ever runs.
    expect((await describeService(h, "secrets", "no-secret")).runningCount).toBe(0);
  });

  it("names the json key, the version or the parameters it could not find", async () => {
    const definition = await registerWithSecrets(h, "bad-refs", [{ name: "X", valueFrom: `${dbSecretArn}:token::` }]);
    await createService(h, "bad-key", definition);
    const version = "00000000-0000-4000-8000-00000000beef";
    const definition2 = await registerWithSecrets(h, "bad-version", [{ name: "X", valueFrom: `${dbSecretArn}:password::${version}` }]);
    await createService(h, "bad-version", definition2);
    const definition3 = await registerWithSecrets(h, "bad-params", [
      { name: "A", valueFrom: "/shop/api-key" },
      { name: "B", valueFrom: "/shop/nope" },
      { name: "C", valueFrom: `arn:aws:ssm:${region}:${account}:parameter/shop/gone` },
    ]);
    await createService(h, "bad-params", definition3);
    await advance(h, 30);

    expect(await stoppedReasons(h, "bad-key")).toEqual([
      `${failedToFetch}unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key token`,
    ]);
    expect(await stoppedReasons(h, "bad-version")).toEqual([
      asmFailure(dbSecretArn, `ResourceNotFoundException: Secrets Manager can't find the specified secret value for VersionId: ${version}`),
    ]);
    expect(await stoppedReasons(h, "bad-params")).toEqual([
      `${failedToFetch}unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /shop/nope,arn:aws:ssm:${region}:${account}:parameter/shop/gone`,
    ]);
  });

  it("refuses a secret scheduled for deletion, and starts once the missing secret exists", async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: "shop/doomed", SecretString: "x" }));
    await sm.send(new DeleteSecretCommand({ SecretId: "shop/doomed", RecoveryWindowInDays: 7 }));
    const definition = await registerWithSecrets(h, "doomed", [{ name: "X", valueFrom: ARN ?? "" }]);
    await createService(h, "doomed", definition);
    await advance(h, 30);
    expect(await stoppedReasons(h, "doomed")).toEqual([asmFailure(ARN ?? "", "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.")]);

    const late = await registerWithSecrets(h, "late", [{ name: "X", valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:shop/late` }]);
    await createService(h, "late", late);
    await advance(h, 30);
    expect((await describeService(h, "secrets", "late")).runningCount).toBe(0);
    await sm.send(new CreateSecretCommand({ Name: "shop/late", SecretString: "now" }));
    await advance(h, 60);
    expect((await describeService(h, "secrets", "late")).runningCount).toBe(2);
  });

  it("trips the deployment circuit breaker and rolls back, as for a crashing image", async () => {
    const good = await registerWithSecrets(h, "cb", [{ name: "DB", valueFrom: dbSecretArn }]);
    await createService(h, "cb", good, true);
    await advance(h, 60);
    const completed = (await describeService(h, "secrets", "cb")).deployments?.[0]?.id ?? "";
    const bad = await registerWithSecrets(h, "cb", [{ name: "DB", valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:shop/absent` }]);
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "secrets", service: "cb", taskDefinition: bad }));
    const failing = (await describeService(h, "secrets", "cb")).deployments?.[0]?.id ?? "";
    // Two tasks fail at 5 s, their replacements at 10 s: the third failure reaches the threshold of 3.
    await advance(h, 15);
    const service = await describeService(h, "secrets", "cb");
    expect(service.deployments?.find((d) => d.id === failing)).toMatchObject({ rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." });
    const messages = eventMessages(service);
    expect(messages).toContain(`(service cb) (deployment ${failing}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service cb) rolling back to deployment ${completed}.`);
    const failed = (await serviceTasks(h, "secrets", "cb", "STOPPED")).filter((t) => t.taskDefinitionArn === bad);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]?.stopCode).toBe("TaskFailedToStart");
    await advance(h, 120);
    expect(await describeService(h, "secrets", "cb")).toMatchObject({ taskDefinition: good, runningCount: 2 });
  });
});
