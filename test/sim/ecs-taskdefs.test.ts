import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  type ECSClient,
  type RegisterTaskDefinitionRequest,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);
const arnOf = (family: string, revision: number) => `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:${revision}`;

function fargate(family: string, image = "web:1", extra: Partial<RegisterTaskDefinitionRequest> = {}): RegisterTaskDefinitionRequest {
  return {
    family,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "256",
    memory: "512",
    containerDefinitions: [{ name: "app", image, portMappings: [{ containerPort: 8080 }] }],
    ...extra,
  };
}

async function register(ecs: ECSClient, request: RegisterTaskDefinitionRequest) {
  const out = await ecs.send(new RegisterTaskDefinitionCommand(request));
  if (!out.taskDefinition) throw new Error("no task definition in the answer");
  return out;
}

async function listAll(ecs: ECSClient, request: { familyPrefix?: string; status?: "ACTIVE" | "INACTIVE" | "DELETE_IN_PROGRESS"; sort?: "ASC" | "DESC"; maxResults?: number }) {
  const arns: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ ...request, ...(nextToken && { nextToken }) }));
    arns.push(...(page.taskDefinitionArns ?? []));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  return { arns, pages };
}

describe("simulated ECS task definitions", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("registers numbered revisions per family with the full description AWS answers with", async () => {
    const first = await register(h.clients.ecs, fargate("web", "web:1", { tags: [{ key: "app", value: "web" }] }));
    const second = await register(h.clients.ecs, fargate("web", "web:2", { cpu: "0.5 vCPU", memory: "1 GB" }));
    const other = await register(h.clients.ecs, fargate("api"));
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: arnOf("web", 1),
      family: "web",
      revision: 1,
      status: "ACTIVE",
      compatibilities: ["EC2", "FARGATE"],
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      registeredBy: "arn:aws:iam::000000000000:root",
    });
    expect(first.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(first.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ essential: true, portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }] });
    expect(first.tags).toEqual([{ key: "app", value: "web" }]);
    // Sizes given in vCPU / GB are stored as CPU units / MiB.
    expect(second.taskDefinition).toMatchObject({ revision: 2, cpu: "512", memory: "1024" });
    expect(other.taskDefinition?.revision).toBe(1);
  });

  it("describes by family (newest ACTIVE), family:revision and ARN, with tags only when asked", async () => {
    const byFamily = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web" }));
    expect(byFamily.taskDefinition?.revision).toBe(2);
    const byRevision = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web:1", include: ["TAGS"] }));
    expect(byRevision.taskDefinition?.containerDefinitions?.[0]?.image).toBe("web:1");
    expect(byRevision.tags).toEqual([{ key: "app", value: "web" }]);
    const byArn = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arnOf("web", 1) }));
    expect(byArn.taskDefinition?.revision).toBe(1);
    expect(byArn.tags ?? []).toEqual([]);
    for (const ref of ["nope", "web:99", "web:x"]) {
      const error = await errorOf(h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })));
      expect(error?.name).toBe("ClientException");
      expect(error?.message).toBe("Unable to describe task definition.");
    }
  });

  it("refuses definitions AWS refuses, with ClientException", async () => {
    const cases: [RegisterTaskDefinitionRequest, RegExp][] = [
      [{ family: "bad family", containerDefinitions: [{ name: "a", image: "x", memory: 128 }] }, /family/i],
      [{ family: "ok", containerDefinitions: [] }, /Container list cannot be empty/],
      [{ family: "ok", containerDefinitions: [{ name: "a", memory: 128 }] }, /Container.image should not be null or empty/],
      [{ family: "ok", containerDefinitions: [{ image: "x", memory: 128 }] }, /Container.name should not be null or empty/],
      [{ family: "ok", containerDefinitions: [{ name: "a", image: "x", memory: 128 }, { name: "a", image: "y", memory: 128 }] }, /Duplicate container name/],
      [{ family: "ok", containerDefinitions: [{ name: "a", image: "x" }] }, /At least one of 'memory' or 'memoryReservation'/],
      [fargate("ok", "x", { networkMode: "bridge" }), /awsvpc/],
      [fargate("ok", "x", { cpu: undefined }), /'cpu' be defined at the task level/],
      [fargate("ok", "x", { cpu: "256", memory: "4096" }), /No Fargate configuration exists for given values: 256 CPU, 4096 memory/],
    ];
    for (const [request, message] of cases) {
      const error = await errorOf(h.clients.ecs.send(new RegisterTaskDefinitionCommand(request)));
      expect(error?.name, JSON.stringify(request)).toBe("ClientException");
      expect(error?.message).toMatch(message);
    }
    // Nothing was registered by the refused calls.
    const families = await h.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "ok" }));
    expect(families.families).toEqual([]);
  });

  it("deregisters to INACTIVE: still described by revision, no longer by family, and listed under INACTIVE", async () => {
    await register(h.clients.ecs, fargate("retire"));
    await register(h.clients.ecs, fargate("retire"));
    const { taskDefinition } = await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "retire:2" }));
    expect(taskDefinition).toMatchObject({ status: "INACTIVE" });
    expect(taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect((await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "retire" }))).taskDefinition?.revision).toBe(1);
    expect((await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "retire:2" }))).taskDefinition?.status).toBe("INACTIVE");
    expect((await listAll(h.clients.ecs, { familyPrefix: "retire" })).arns).toEqual([arnOf("retire", 1)]);
    expect((await listAll(h.clients.ecs, { familyPrefix: "retire", status: "INACTIVE" })).arns).toEqual([arnOf("retire", 2)]);
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arnOf("retire", 1) }));
    const error = await errorOf(h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "retire" })));
    expect(error?.message).toBe("Unable to describe task definition.");
  });

  it("deletes only INACTIVE revisions and reports the others as failures; revision numbers are never reused", async () => {
    await register(h.clients.ecs, fargate("purge"));
    await register(h.clients.ecs, fargate("purge"));
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "purge:1" }));
    const out = await h.clients.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ["purge:1", "purge:2", "purge:9"] }));
    expect(out.taskDefinitions?.map((t) => [t.taskDefinitionArn, t.status])).toEqual([[arnOf("purge", 1), "DELETE_IN_PROGRESS"]]);
    expect(out.failures?.map((f) => f.arn)).toEqual([arnOf("purge", 2), "purge:9"]);
    expect(out.failures?.[0]?.reason).toMatch(/ACTIVE/);
    // AWS stamps the deletion request; asking again answers with the same time.
    const requestedAt = out.taskDefinitions?.[0]?.deleteRequestedAt;
    expect(requestedAt).toBeInstanceOf(Date);
    const again = await h.clients.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ["purge:1"] }));
    expect(again.taskDefinitions?.[0]).toMatchObject({ status: "DELETE_IN_PROGRESS", deleteRequestedAt: requestedAt });
    expect((await listAll(h.clients.ecs, { familyPrefix: "purge", status: "DELETE_IN_PROGRESS" })).arns).toEqual([arnOf("purge", 1)]);
    expect((await listAll(h.clients.ecs, { familyPrefix: "purge", status: "INACTIVE" })).arns).toEqual([]);
    const next = await register(h.clients.ecs, fargate("purge"));
    expect(next.taskDefinition?.revision).toBe(3);
  });

  it("matches familyPrefix as the whole family name, sorts ASC by family then revision, and DESC in reverse", async () => {
    await register(h.clients.ecs, fargate("svc"));
    await register(h.clients.ecs, fargate("svc-b"));
    await register(h.clients.ecs, fargate("svc"));
    expect((await listAll(h.clients.ecs, { familyPrefix: "svc" })).arns).toEqual([arnOf("svc", 1), arnOf("svc", 2)]);
    expect((await listAll(h.clients.ecs, { familyPrefix: "sv" })).arns).toEqual([]);
    const all = (await listAll(h.clients.ecs, {})).arns;
    const svcPart = all.filter((a) => /\/svc(-b)?:/.test(a));
    expect(svcPart).toEqual([arnOf("svc", 1), arnOf("svc", 2), arnOf("svc-b", 1)]);
    const desc = (await listAll(h.clients.ecs, { sort: "DESC" })).arns;
    expect(desc).toEqual([...all].reverse());
  });

  it("pages through 250 revisions in order with maxResults, in both directions", async () => {
    for (let i = 0; i < 250; i++) await register(h.clients.ecs, fargate("many", `many:${i}`));
    const expected = Array.from({ length: 250 }, (_, i) => arnOf("many", i + 1));
    const asc = await listAll(h.clients.ecs, { familyPrefix: "many", maxResults: 30 });
    expect(asc.arns).toEqual(expected);
    expect(asc.pages).toBe(9);
    const desc = await listAll(h.clients.ecs, { familyPrefix: "many", sort: "DESC", maxResults: 100 });
    expect(desc.arns).toEqual([...expected].reverse());
    expect(desc.pages).toBe(3);
    // Without maxResults a page holds at most 100.
    const first = await h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "many" }));
    expect(first.taskDefinitionArns).toHaveLength(100);
    expect(first.nextToken).toBeTruthy();
  });

  it("keeps a page boundary stable when revisions change between pages, and refuses bad paging input", async () => {
    for (let i = 0; i < 5; i++) await register(h.clients.ecs, fargate("stable"));
    const first = await h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "stable", maxResults: 2 }));
    expect(first.taskDefinitionArns).toEqual([arnOf("stable", 1), arnOf("stable", 2)]);
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "stable:1" }));
    const second = await h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "stable", maxResults: 2, nextToken: first.nextToken }));
    expect(second.taskDefinitionArns).toEqual([arnOf("stable", 3), arnOf("stable", 4)]);
    for (const maxResults of [0, 101]) {
      const error = await errorOf(h.clients.ecs.send(new ListTaskDefinitionsCommand({ maxResults })));
      expect(error?.name).toBe("InvalidParameterException");
    }
    const badToken = await errorOf(h.clients.ecs.send(new ListTaskDefinitionsCommand({ nextToken: "not-a-token" })));
    expect(badToken?.name).toBe("InvalidParameterException");
  });

  it("lists families as ACTIVE (some ACTIVE revision), INACTIVE (none) or ALL, by real prefix, paged", async () => {
    await register(h.clients.ecs, fargate("fam-a"));
    await register(h.clients.ecs, fargate("fam-b"));
    await register(h.clients.ecs, fargate("fam-b"));
    await register(h.clients.ecs, fargate("fam-c"));
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "fam-b:1" }));
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "fam-c:1" }));
    const families = async (status?: "ACTIVE" | "INACTIVE" | "ALL") =>
      (await h.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "fam-", ...(status && { status }) }))).families;
    expect(await families()).toEqual(["fam-a", "fam-b", "fam-c"]);
    expect(await families("ALL")).toEqual(["fam-a", "fam-b", "fam-c"]);
    expect(await families("ACTIVE")).toEqual(["fam-a", "fam-b"]);
    expect(await families("INACTIVE")).toEqual(["fam-c"]);
    const firstPage = await h.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "fam-", maxResults: 2 }));
    expect(firstPage.families).toEqual(["fam-a", "fam-b"]);
    const secondPage = await h.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "fam-", maxResults: 2, nextToken: firstPage.nextToken }));
    expect(secondPage.families).toEqual(["fam-c"]);
    expect(secondPage.nextToken).toBeUndefined();
  });

  it("tags a task definition revision through TagResource", async () => {
    const arn = arnOf("web", 2);
    await h.clients.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "release", value: "r42" }] }));
    expect((await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: "release", value: "r42" }]);
    const missing = await errorOf(h.clients.ecs.send(new TagResourceCommand({ resourceArn: arnOf("web", 77), tags: [{ key: "a", value: "b" }] })));
    expect(missing?.name).toBe("ResourceNotFoundException");
  });
});
