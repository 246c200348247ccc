import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { openProjectStore } from "../../src/cli/commands/project-store.js";
import { apiOverProject } from "../api/project-api.js";
import { runCli } from "../cli/capture.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { callsSince, resetCalls } from "../steps/task-definition/world.js";
import { ordersWorld, passwordEnv, type OrdersWorld } from "./orders-world.js";

const firstPassword = "orders-db-9f2c41d7e5";
const rotatedPassword = "orders-db-rotated-3b8e06a1";
const legacyPassword = "legacy-orders-password-77";

/** Every file under a folder, as text (binary files too: a value written there shows up all the same). */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ file: path, text: readFileSync(path).toString("latin1") }];
  });
}

describe("dev, test and prod in one account and region, sharing one task definition family", () => {
  let h: SimHarness;
  let w: OrdersWorld;
  const seen: string[] = [];
  const cli = async (...argv: string[]) => {
    const result = await runCli(...argv, "--project", w.project);
    seen.push(...result.out, result.err);
    return result;
  };
  const deploy = async (release: string, env: string) => {
    const result = await cli("deploy", release, "--to", env, "--poll-interval", "0.02");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    return result;
  };
  /** Each revision of the family: its number, the environment it belongs to and the definition as ECS describes it. */
  const revisions = async () => {
    const listed = await h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "orders", status: "ACTIVE" }));
    return Promise.all(
      (listed.taskDefinitionArns ?? []).map(async (arn) => {
        const out = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
        return { revision: out.taskDefinition?.revision ?? 0, environment: out.tags?.find((t) => t.key === "slipway:environment")?.value, text: JSON.stringify(out) };
      }),
    );
  };
  const running = async (env: string) => {
    const out = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: `orders-${env}`, services: ["orders-web"] }));
    return Number(out.services?.[0]?.taskDefinition?.split(":").at(-1));
  };

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    w = await ordersWorld(h);
    const ssm = new SSMClient({ region: h.region, endpoint: h.url, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    for (const name of Object.values(w.apiKeyParameters)) await ssm.send(new PutParameterCommand({ Name: name, Type: "SecureString", Value: `api-key-for-${name}` }));
    ssm.destroy();
    process.env[passwordEnv] = firstPassword;
    expect((await cli("release", "create", "1.0.0", "--image", "web=1.1.0")).code).toBe(0);
    expect((await cli("release", "create", "1.1.0", "--image", "web=1.2.0")).code).toBe(0);
  });
  afterAll(async () => {
    delete process.env[passwordEnv];
    await h.close();
  });

  it("gives each environment revisions of its own, passing the secret by reference", async () => {
    for (const env of ["dev", "test", "prod"]) await deploy("1.0.0", env);
    const all = await revisions();
    expect(all.map((r) => [r.revision, r.environment])).toEqual([
      [1, "dev"],
      [2, "test"],
      [3, "prod"],
    ]);
    const prod = JSON.parse(all[2]?.text ?? "{}") as { taskDefinition: { containerDefinitions: { name: string; secrets?: { name: string; valueFrom: string }[]; environment?: unknown[] }[] } };
    const web = prod.taskDefinition.containerDefinitions.find((c) => c.name === "web");
    expect(web?.secrets?.map((s) => s.name)).toEqual(["DB_PASSWORD", "API_KEY"]);
    expect(web?.secrets?.[0]?.valueFrom).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:slipway/${w.name}/prod/DB_PASSWORD-[A-Za-z0-9]{6}:::[0-9a-f-]{36}$`));
    expect(web?.secrets?.[1]?.valueFrom).toBe(`arn:aws:ssm:us-east-1:000000000000:parameter${w.apiKeyParameters.prod ?? ""}`);
    // The value reaches Secrets Manager, where ECS fetches it at task start, and nowhere in the task definition.
    const secret = await h.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: `slipway/${w.name}/prod/DB_PASSWORD` }));
    expect(secret.SecretString).toBe(firstPassword);
    expect(all.every((r) => !r.text.includes(firstPassword))).toBe(true);
    expect([await running("dev"), await running("test"), await running("prod")]).toEqual([1, 2, 3]);
  });

  it("re-deploys an unchanged release with zero writes and no restart, though other environments registered newer revisions since", async () => {
    await resetCalls(h);
    await deploy("1.0.0", "dev");
    const calls = await callsSince(h);
    expect(calls.writes).toEqual({});
    expect(await running("dev")).toBe(1);
  });

  it("registers an identical definition once, however often it is deployed", async () => {
    for (const env of ["dev", "test", "prod"]) await deploy("1.1.0", env);
    await resetCalls(h);
    await deploy("1.1.0", "prod");
    expect((await callsSince(h)).writes).toEqual({});
    expect((await revisions()).map((r) => [r.revision, r.environment])).toEqual([
      [1, "dev"],
      [2, "test"],
      [3, "prod"],
      [4, "dev"],
      [5, "test"],
      [6, "prod"],
    ]);
  });

  it("rotates a secret: a new version, a new revision pinned to it, and a deployment that replaces the tasks", async () => {
    process.env[passwordEnv] = rotatedPassword;
    await resetCalls(h);
    const rotated = await deploy("1.1.0", "dev");
    const writes = (await callsSince(h)).writes;
    expect(writes["secretsmanager:PutSecretValue"]).toBe(1);
    expect(writes["ecs:RegisterTaskDefinition"]).toBe(1);
    expect(writes["ecs:UpdateService"]).toBe(1);
    expect(await running("dev")).toBe(7);
    const secret = await h.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: `slipway/${w.name}/dev/DB_PASSWORD` }));
    expect(secret.SecretString).toBe(rotatedPassword);
    // Retention (keep 1) considered only dev's revisions: 1 is dev's rollback target (1.0.0) and 4 is 1.1.0's, still deployed.
    expect(rotated.out.join("\n")).toMatch(/revision 1 kept beyond retention: release 1\.0\.0 is what dev rolls back to/);
    expect((await revisions()).map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Test and prod still run, and still reference, their own secret: rotating dev's touched nothing of theirs.
    expect([await running("test"), await running("prod")]).toEqual([5, 6]);
  });

  it("keeps, under retention, only what no environment needs: dev's own old revision of a release deployed nowhere now", async () => {
    expect((await cli("release", "create", "1.2.0", "--image", "web=1.0.0")).code).toBe(0);
    const out = (await deploy("1.2.0", "dev")).out.join("\n");
    expect(out).toContain("deregister orders:4 (retention keeps 1 in dev)");
    expect(out).toContain("revision 7 kept beyond retention: service orders-web in orders-dev runs it");
    expect(out).toContain("revision 1 kept beyond retention: release 1.0.0 is what dev rolls back to");
    expect((await revisions()).map((r) => r.revision)).toEqual([1, 2, 3, 5, 6, 7, 8]);
  });

  it("explains a task that cannot start because its secret is gone, with AWS's reason", async () => {
    const ssm = new SSMClient({ region: h.region, endpoint: h.url, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    await ssm.send(new DeleteParameterCommand({ Name: w.apiKeyParameters.test }));
    ssm.destroy();
    const failed = await cli("deploy", "1.2.0", "--to", "test", "--poll-interval", "0.02");
    expect(failed.code).not.toBe(0);
    expect(`${failed.out.join("\n")}\n${failed.err}`).toContain("ResourceInitializationError: unable to pull secrets or registry auth");
  });

  it("warns, when asked, about a revision registered before secrets moved out of plain environment entries — without printing it", async () => {
    await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "orders",
        containerDefinitions: [{ name: "web", image: "shop/web:0.9.0", memory: 256, environment: [{ name: "DB_PASSWORD", value: legacyPassword }] }],
        tags: [{ key: "slipway:environment", value: "test" }],
      }),
    );
    const checked = await runCli("validate", w.project, "--revisions");
    expect(checked.code).toBe(0);
    expect(checked.err).toContain("warning: orders:10 (test, us-east-1) holds a secret in a plain environment entry (web: DB_PASSWORD)");
    expect(checked.err).toContain("deregister orders:10");
    expect(checked.out.at(-1)).toBe("1 revision(s) hold a secret in plain text (see the warnings)");
    expect(`${checked.out.join("\n")}${checked.err}`).not.toContain(legacyPassword);
  });
  it("never lets a secret's value out: not in ECS, the API, the feed, the project's store, or anything slipway printed", async () => {
    const status = await cli("status", "--json");
    const shown = await cli("release", "show", "1.1.0", "--json");
    expect(status.code + shown.code).toBe(0);
    // The server is told no secret, so it can mask none: what it answers must not hold one in the first place.
    delete process.env[passwordEnv];
    const store = await openProjectStore(w.project, w.name);
    const answers: { file: string; text: string }[] = [];
    try {
      const { app, reader } = await apiOverProject(w.project, store, { feed: true });
      const get = async (path: string) => {
        const res = await request(app).get(path).set("authorization", `Bearer ${reader}`);
        expect(res.status, path).toBe(200);
        answers.push({ file: path, text: res.text });
        return res.body as unknown;
      };
      await get("/api/v1/status");
      await get("/api/v1/releases");
      for (const version of ["1.0.0", "1.1.0", "1.2.0"]) await get(`/api/v1/releases/${version}`);
      const runs = (await get("/api/v1/deployments?limit=100")) as { items: { id: string }[] };
      for (const { id } of runs.items) await get(`/api/v1/deployments/${id}`);
      for (const env of ["dev", "test", "prod"]) {
        await get(`/api/v1/environments/${env}/history`);
        const versions = (await get(`/feed/v1/environments/${env}/packages/orders/versions?all=true`)) as { items: { version: string }[] };
        for (const { version } of versions.items) await get(`/feed/v1/environments/${env}/packages/orders/versions/${version}?all=true`);
      }
    } finally {
      await store.close();
    }
    // Every revision's detail was read through the feed, the old one with its value in plain text included.
    expect(answers.filter((a) => /\/feed\/v1\/environments\/test\/packages\/orders\/versions\/\d+\?all=true$/.test(a.file))).toHaveLength(9);
    const places = [...(await revisions()).filter((r) => r.revision !== 10).map((r) => ({ file: `orders:${r.revision}`, text: r.text })), ...answers, ...filesUnder(w.dir), { file: "output", text: seen.join("\n") }];
    for (const value of [firstPassword, rotatedPassword, legacyPassword]) expect(places.filter((p) => p.text.includes(value)).map((p) => p.file)).toEqual([]);
    // The old revision itself still holds its value: only a deployment and deregistering it can change that.
    expect((await revisions()).find((r) => r.revision === 10)?.text).toContain(legacyPassword);
  });
});
