import { expect } from "vitest";
import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import { fidelitySuite } from "./suite.js";
import { normalise, pick } from "./normalise.js";
import { registerTaskDefinition } from "./fixtures.js";

const arn = (account: string, familyRevision: string) => `arn:aws:ecs:eu-west-2:${account}:task-definition/${familyRevision}`;

fidelitySuite("ECS task definitions", "eu-west-2", ({ both, compared, simOnly }) => {
  compared("registers numbered revisions of a family, each ACTIVE", async (b) => {
    const first = await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
    const second = await registerTaskDefinition(b, "web", "registry.example/web:1.1.0");
    expect(first).toMatchObject({ family: "web", revision: 1, status: "ACTIVE", taskDefinitionArn: arn(b.account, "web:1") });
    expect(second).toMatchObject({ family: "web", revision: 2, status: "ACTIVE", taskDefinitionArn: arn(b.account, "web:2") });
    expect(second.containerDefinitions?.[0]?.image).toBe("registry.example/web:1.1.0");
    return normalise(pick(second, "family", "revision", "status", "taskDefinitionArn", "networkMode", "cpu", "memory", "requiresCompatibilities"), b);
  });

  both("describes by family (latest ACTIVE revision), by family:revision and by ARN", async (b) => {
    await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
    await registerTaskDefinition(b, "web", "registry.example/web:1.1.0");
    const describe = async (taskDefinition: string) =>
      (await b.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
    expect((await describe("web"))?.revision).toBe(2);
    expect((await describe("web:1"))?.containerDefinitions?.[0]?.image).toBe("registry.example/web:1.0.0");
    expect((await describe(arn(b.account, "web:1")))?.revision).toBe(1);
  });

  both("refuses to describe a task definition that was never registered", async (b) => {
    const failed = await b.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "ghost:1" })).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).name).toMatch(/ClientException|InvalidParameterException/);
  });

  both("lists one family's revisions, oldest first by default", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "worker");
    const asc = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web" }));
    expect(asc.taskDefinitionArns).toEqual([arn(b.account, "web:1"), arn(b.account, "web:2")]);
  });

  simOnly("moto differs: ListTaskDefinitions ignores sort", "lists newest first with sort DESC", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "web");
    const desc = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web", sort: "DESC" }));
    expect(desc.taskDefinitionArns).toEqual([arn(b.account, "web:2"), arn(b.account, "web:1")]);
  });

  // AWS: ListTaskDefinitions' familyPrefix is "the full family name", unlike ListTaskDefinitionFamilies' prefix.
  both("treats ListTaskDefinitions' familyPrefix as the whole family name", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "web-worker");
    const listed = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web" }));
    expect(listed.taskDefinitionArns).toEqual([arn(b.account, "web:1")]);
  });

  simOnly("moto differs: lists families in registration order, not by name", "lists every family's revisions sorted by family then revision", async (b) => {
    await registerTaskDefinition(b, "worker");
    await registerTaskDefinition(b, "api");
    await registerTaskDefinition(b, "api");
    const all = await b.clients.ecs.send(new ListTaskDefinitionsCommand({}));
    expect(all.taskDefinitionArns).toEqual([arn(b.account, "api:1"), arn(b.account, "api:2"), arn(b.account, "worker:1")]);
  });

  both("deregistering turns a revision INACTIVE: still describable, listed only under status INACTIVE", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "web");
    const { taskDefinition } = await b.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "web:1" }));
    expect(taskDefinition?.status).toBe("INACTIVE");

    const described = await b.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web:1" }));
    expect(described.taskDefinition?.status).toBe("INACTIVE");

    const active = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web" }));
    expect(active.taskDefinitionArns).toEqual([arn(b.account, "web:2")]);
    const inactive = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web", status: "INACTIVE" }));
    expect(inactive.taskDefinitionArns).toEqual([arn(b.account, "web:1")]);
  });

  simOnly("moto differs: a bare family resolves to the latest revision even when it is INACTIVE", "describing a family skips its INACTIVE latest revision", async (b) => {
    await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
    await registerTaskDefinition(b, "web", "registry.example/web:2.0.0");
    await b.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "web:2" }));
    const { taskDefinition } = await b.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web" }));
    expect(taskDefinition?.revision).toBe(1);
  });

  both("lists task definition families that begin with a prefix", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "api");
    await registerTaskDefinition(b, "web-worker");
    const prefixed = await b.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "web" }));
    expect(prefixed.families?.slice().sort()).toEqual(["web", "web-worker"]);
    const all = await b.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    expect(all.families?.slice().sort()).toEqual(["api", "web", "web-worker"]);
  });

  // AWS: by default both ACTIVE and INACTIVE families are listed; a family is INACTIVE once no revision is ACTIVE.
  simOnly("moto differs: ListTaskDefinitionFamilies ignores status", "filters families by status: ACTIVE ones have an ACTIVE revision", async (b) => {
    await registerTaskDefinition(b, "web");
    await registerTaskDefinition(b, "batch");
    await b.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "batch:1" }));
    const all = await b.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    expect(all.families?.slice().sort()).toEqual(["batch", "web"]);
    const active = await b.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ status: "ACTIVE" }));
    expect(active.families).toEqual(["web"]);
    const inactive = await b.clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ status: "INACTIVE" }));
    expect(inactive.families).toEqual(["batch"]);
  });

  simOnly("moto differs: ignores maxResults and nextToken", "pages through task definitions with maxResults and nextToken", async (b) => {
    for (let i = 0; i < 3; i += 1) await registerTaskDefinition(b, "web");
    const first = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web", maxResults: 2 }));
    expect(first.taskDefinitionArns).toEqual([arn(b.account, "web:1"), arn(b.account, "web:2")]);
    expect(first.nextToken).toBeTruthy();
    const second = await b.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "web", maxResults: 2, nextToken: first.nextToken }));
    expect(second.taskDefinitionArns).toEqual([arn(b.account, "web:3")]);
    expect(second.nextToken).toBeUndefined();
  });
});
