import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CreateServiceCommand } from "@aws-sdk/client-ecs";
import { CreateLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListSecretsCommand, type SortByType } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand } from "@aws-sdk/client-ssm";
import { createAwsClients } from "../../src/aws/clients.js";
import { secretClientsFor, type SecretClients } from "../support/backends.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster } from "./ecs-fixtures.js";

/**
 * Names a request brings (an operation, a control route, a target prefix, the service it is signed for) are looked up
 * among the simulator's own entries only. A plain object also answers to what it inherits — `constructor`,
 * `toString`, `__proto__` — and `operations["constructor"]` is Object itself, which "answered" by echoing the body.
 * AWS answers an operation it does not have with UnknownOperationException (JSON) or InvalidAction (query).
 */
type Counts = { total: number; byOperation: Record<string, Record<string, number>> };

const inherited = ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"];

const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

describe("names inherited by plain objects", () => {
  let h: SimHarness;
  beforeAll(async () => {
    // Throttling on: the throttling tables are looked up by operation name before the operation is.
    h = await startSim({ throttling: true });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.control("DELETE", "calls");
  });

  const json = (target: string, body = '{"echo":"me"}', signedAs?: string) =>
    fetch(h.url, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target, ...(signedAs && { authorization: authorization(signedAs) }) },
    });
  const query = (body: string) => fetch(h.url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });

  it("are no operation of any JSON service: UnknownOperationException, not the body echoed", async () => {
    const prefixes = ["AmazonEC2ContainerServiceV20141113", "AmazonEC2ContainerRegistry_V20150921", "secretsmanager", "AmazonSSM", "AnyScaleFrontendService"];
    for (const prefix of prefixes) {
      for (const name of inherited) {
        const res = await json(`${prefix}.${name}`);
        expect(res.status, `${prefix}.${name}`).toBe(400);
        expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
        const body = (await res.json()) as { __type: string; message: string };
        expect(body.__type).toBe("UnknownOperationException");
        expect(body.message).toMatch(new RegExp(`^The simulator does not implement [a-z-]+:${name}\\.$`));
      }
    }
    const counts = (await h.control("GET", "calls")) as Counts;
    expect(counts.byOperation["ecs:constructor"]).toEqual({ error: 1 });
    expect(counts.byOperation["secretsmanager:toString"]).toEqual({ error: 1 });
    expect(counts.total).toBe(prefixes.length * inherited.length);
  });

  it("are no ELBv2 action: InvalidAction in the query protocol's XML", async () => {
    for (const name of inherited) {
      const res = await query(`Action=${name}&Version=2015-12-01`);
      expect(res.status, name).toBe(400);
      const text = await res.text();
      expect(text).toContain(`<Code>InvalidAction</Code><Message>The simulator does not implement elbv2:${name}.</Message>`);
      expect(text).not.toContain(`<${name}Response`);
    }
  });

  it("are no X-Amz-Target prefix and no signing name: an unknown operation, not a simulator failure", async () => {
    const prefixed = await json("constructor.ListClusters");
    expect(prefixed.status).toBe(400);
    expect(await prefixed.json()).toEqual({ __type: "UnknownOperationException", message: "The simulator does not implement constructor:ListClusters." });
    const signed = await json("AmazonEC2ContainerServiceV20141113.ListClusters", "{}", "constructor");
    expect(signed.status).toBe(400);
    expect(await signed.json()).toEqual({ __type: "UnknownOperationException", message: "The simulator does not implement constructor:ListClusters." });
  });

  it("are no control route: 404 like any other unknown route", async () => {
    for (const prefix of ["ecr", "elbv2", "autoscaling", "ecs"]) {
      for (const name of inherited) {
        for (const method of ["GET", "POST", "PUT"]) {
          const res = await fetch(`${h.url}/_sim/${prefix}/${name}`, { method });
          expect(res.status, `${method} /_sim/${prefix}/${name}`).toBe(404);
          expect(await res.json()).toEqual({ error: "NotFound", message: `No simulator control at ${method} /_sim/${prefix}/${name}` });
        }
      }
    }
    for (const name of inherited) expect((await fetch(`${h.url}/_sim/${name}`)).status).toBe(404);
    // The simulator's real routes still answer.
    expect((await fetch(`${h.url}/_sim/health`)).status).toBe(200);
  });

  it("are members like any other in query parameters: __proto__ and constructor.prototype reach no prototype", async () => {
    const polluted = () => Object.keys(Object.prototype).concat(Object.keys(Array.prototype));
    const before = polluted();
    for (const name of ["__proto__.polluted", "constructor.prototype.polluted", "Names.member.1.__proto__.polluted", "Names.__proto__.polluted"]) {
      // Every parameter is read before the action is looked up; an unknown action keeps the call off AWS's model.
      const res = await query(`Action=NoSuchAction&Version=2015-12-01&${name}=yes`);
      expect(await res.text()).toContain("<Code>InvalidAction</Code>");
      expect(({} as Record<string, unknown>).polluted, name).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted, name).toBeUndefined();
    }
    expect(polluted()).toEqual(before);
    // A name the query gives both a value and members is a malformed query, not a simulator failure.
    for (const params of ["Names=a&Names.member.1=b", "Names.member.1=b&Names=a", "LoadBalancerArns.member.1=a&LoadBalancerArns.member.1.x=b"]) {
      const res = await query(`Action=DescribeLoadBalancers&Version=2015-12-01&${params}`);
      expect(res.status, params).toBe(400);
      expect(await res.text()).toContain("<Code>MalformedQueryString</Code>");
    }
  });
});

describe("request values that a service looks up in a table of its own", () => {
  let h: SimHarness;
  let secrets: SecretClients;
  beforeAll(async () => {
    h = await startSim();
    secrets = secretClientsFor(h.url, h.region);
  });
  afterAll(async () => {
    secrets.destroy();
    await h.close();
  });

  const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

  it("Parameter Store: a filter key named after an inherited property is not valid (InvalidFilterKey), not a simulator failure", async () => {
    for (const key of ["constructor", "toString"]) {
      const refused = await errorOf(secrets.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: key, Values: ["x"] }] })));
      expect(refused, key).toMatchObject({
        name: "InvalidFilterKey",
        message: `The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, tag:<key>].`,
      });
    }
  });

  it("Secrets Manager: SortBy named after an inherited property is outside the enum (ValidationException)", async () => {
    for (const sortBy of ["constructor", "toString"]) {
      const refused = await errorOf(secrets.secretsManager.send(new ListSecretsCommand({ SortBy: sortBy as SortByType })));
      expect(refused, sortBy).toMatchObject({ name: "ValidationException" });
      expect((refused as Error).message).toContain(`Value '${sortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [created-date, last-changed-date, last-accessed-date, name]`);
    }
  });

  it("ECS: an EXTERNAL service's refusal names the field as given, not a function's source", async () => {
    await createCluster(h, "inherited");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "inherited", serviceName: "ext", desiredCount: 1, deploymentController: { type: "EXTERNAL" } }));
    const res = await fetch(h.url, {
      method: "POST",
      body: JSON.stringify({ cluster: "inherited", service: "ext", toString: "x" }),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerServiceV20141113.UpdateService" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: "InvalidParameterException",
      message: "Unable to update toString on services with a EXTERNAL deployment controller. Use task sets to change it.",
    });
  });

  it("ELBv2: a region named after an inherited property gets the default hosted zone id, not a function", async () => {
    const clients = createAwsClients({ region: "constructor", endpoint: h.url, maxAttempts: 1 });
    try {
      const out = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "inherited", Subnets: ["subnet-a", "subnet-b"] }));
      expect(out.LoadBalancers?.[0]?.CanonicalHostedZoneId).toBe("Z35SXDOTRQ7X7K");
    } finally {
      clients.destroy();
    }
  });
});
