import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeClustersCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { Simulator } from "../../src/sim/simulator.js";
import { listen, type RunningSimulator } from "../../src/sim/server.js";
import { tapCalls, type TappedCall } from "../../src/sim/call-taps.js";
import { AwsError, SimulatorFailure } from "../../src/sim/aws-error.js";
import { botocoreModel, type ServiceModel } from "../support/aws-model.js";
import { ShapeChecker } from "../support/conformance/check.js";
import { ConformanceRecorder } from "../support/conformance/recorder.js";

/**
 * The checker the whole suite's AWS model conformance rests on (test/support/conformance/): it must catch what AWS's
 * model forbids, or "0 violations" means nothing. Skipped without botocore in .venv/.
 */
const ecs = botocoreModel("ecs", "2014-11-13") as ServiceModel | undefined;
const elbv2 = botocoreModel("elbv2", "2015-12-01") as ServiceModel | undefined;

describe.skipIf(!ecs || !elbv2)("the AWS model conformance checker", () => {
  const ecsChecker = () => new ShapeChecker(ecs!);
  const elbChecker = () => new ShapeChecker(elbv2!);

  it("finds every kind of fault in a JSON answer, naming list items by their list, not their index", () => {
    const answer = {
      services: [
        { serviceName: "web", launchType: "FARGATE", deployments: [{ rolloutState: "DONE" }, { rolloutState: "DONE" }], createdAt: "2026-12-07T10:00:00Z" },
        { serviceName: "api", desiredCount: 1.5, invented: true, deployments: [{ rolloutState: "COMPLETED" }] },
      ],
    };
    expect(ecsChecker().problems("DescribeServicesResponse", answer, "json", "answer").sort()).toEqual([
      `services[].createdAt: the string "2026-12-07T10:00:00Z", where the model has a timestamp (epoch seconds)`,
      `services[].deployments[].rolloutState: "DONE" is not one of COMPLETED|FAILED|IN_PROGRESS (DeploymentRolloutState)`,
      `services[].deployments[].rolloutState: "DONE" is not one of COMPLETED|FAILED|IN_PROGRESS (DeploymentRolloutState)`,
      "services[].desiredCount: number 1.5, where the model has an integer (Integer)",
      "services[].invented: not a member of Service",
    ]);
  });

  it("holds requests to required members, lengths, ranges and list sizes", () => {
    const checker = ecsChecker();
    expect(checker.problems("CreateServiceRequest", { desiredCount: 1 }, "json", "request")).toEqual(["serviceName: required by CreateServiceRequest, missing"]);
    expect(checker.problems("ListClustersRequest", { maxResults: "10" }, "json", "request")).toEqual([`maxResults: the string "10", where the model has an integer (BoxedInteger)`]);
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(checker.problems("TagResourceRequest", { resourceArn: "arn", tags }, "json", "request")).toEqual(["tags: 51 items, above the model's maximum 50"]);
    expect(checker.problems("TagResourceRequest", { resourceArn: "arn", tags: [{ key: "x".repeat(129) }] }, "json", "request")).toEqual([
      "tags[].key: 129 characters, above TagKey's maximum length 128",
    ]);
    expect(checker.problems("TagResourceRequest", { resourceArn: "arn", tags: [{ key: "bad\u0000key" }] }, "json", "request")[0]).toMatch(/does not match TagKey's pattern/);
    // A member a plain object inherits is no member of the shape either.
    expect(checker.problems("ListClustersRequest", JSON.parse('{"constructor": 1, "__proto__": {}}'), "json", "request").sort()).toEqual([
      "__proto__: not a member of ListClustersRequest",
      "constructor: not a member of ListClustersRequest",
    ]);
  });

  it("reads the query protocol as text: numbers, booleans and ISO timestamps as a client reads them", () => {
    const checker = elbChecker();
    const ok = { Listeners: [{ ListenerArn: "arn:l", Port: 80, Protocol: "HTTP" }] };
    expect(checker.problems("DescribeListenersOutput", ok, "query", "answer")).toEqual([]);
    expect(checker.problems("DescribeListenersOutput", { Listeners: [{ Port: "eighty", Protocol: "GOPHER" }] }, "query", "answer").sort()).toEqual([
      `Listeners[].Port: the string "eighty", where the model has an integer (Port)`,
      `Listeners[].Protocol: "GOPHER" is not one of HTTP|HTTPS|TCP|TLS|UDP|TCP_UDP|GENEVE|QUIC|TCP_QUIC (ProtocolEnum)`,
    ]);
    expect(checker.problems("CreateListenerInput", { LoadBalancerArn: "arn:lb", Port: "80", DefaultActions: [{ Type: "fixed-response" }] }, "query", "request")).toEqual([]);
    expect(checker.problems("DescribeLoadBalancersOutput", { LoadBalancers: [{ CreatedTime: new Date(0) }] }, "query", "answer")).toEqual([]);
  });

  it("holds answers to what AWS's own answers keep: an empty list where the shape says at least one", () => {
    const tags = { TagDescriptions: [{ ResourceArn: "arn:tg", Tags: [] }] };
    expect(elbChecker().problems("DescribeTagsOutput", tags, "query", "answer")).toEqual([]);
    expect(elbChecker().problems("AddTagsInput", { ResourceArns: ["arn:tg"], Tags: [] }, "query", "request")).toEqual(["Tags: 0 items, below the model's minimum 1"]);
  });

  describe("over the wire, through a tap on a running simulator", () => {
    let sim: RunningSimulator;
    const calls: TappedCall[] = [];
    let untap: () => void;

    beforeAll(async () => {
      sim = await listen(new Simulator({ throttling: false }));
      untap = tapCalls((call) => calls.push(call));
    });
    afterAll(async () => {
      untap();
      await sim.close();
    });

    it("sees each answered call once with its wire body, checks it, and calls accepting a request AWS refuses a violation", async () => {
      const client = new ECSClient({ endpoint: sim.url, region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      await client.send(new ListClustersCommand({}));
      await client.send(new DescribeClustersCommand({ clusters: ["nope"] }));
      const mine = calls.filter((c) => c.service === "ecs");
      expect(mine.map((c) => c.operation)).toEqual(["ListClusters", "DescribeClusters"]);
      const recorder = new ConformanceRecorder(() => "here");
      for (const call of mine) recorder.observe(call);
      expect(recorder.result().operations).toMatchObject({
        "ecs:ListClusters": { requests: 1, answers: 1, violations: {} },
        "ecs:DescribeClusters": { requests: 1, answers: 1, violations: {} },
      });
      // As if the simulator had accepted an `include` AWS refuses, and answered an error ListClusters does not declare.
      recorder.observe({ ...mine[1]!, input: { clusters: ["nope"], include: ["EVERYTHING"] } });
      recorder.observe({ ...mine[0]!, answer: { ok: false, error: new AwsError("NoSuchThing", "x") } });
      const tally = recorder.result().operations;
      expect(Object.keys(tally["ecs:DescribeClusters"]!.violations)).toEqual([
        `request accepted though it breaks the model: include[]: "EVERYTHING" is not one of ATTACHMENTS|CONFIGURATIONS|SETTINGS|STATISTICS|TAGS (ClusterField)`,
      ]);
      expect(Object.keys(tally["ecs:ListClusters"]!.violations)).toEqual(["answered NoSuchThing, an error the operation does not declare"]);
      expect(tally["ecs:DescribeClusters"]!.violations[Object.keys(tally["ecs:DescribeClusters"]!.violations)[0]!]).toEqual({ count: 1, seenIn: "here" });
    });

    it("calls the simulator's own crash a violation though its code is one AWS declares, and a check that could not be made one too", () => {
      const call = calls.find((c) => c.operation === "ListClusters")!;
      const recorder = new ConformanceRecorder(() => "here");
      recorder.observe({ ...call, answer: { ok: false, error: new SimulatorFailure("ServerException", "Simulator failure: x is undefined", 500) } });
      recorder.observe({ ...call, answer: { ok: false, error: new AwsError("ServerException", "Injected fault: the service is temporarily unavailable.", 500) } });
      recorder.observe({ ...call, answer: { ok: true, body: "{not json", value: {} } });
      expect(Object.keys(recorder.result().operations["ecs:ListClusters"]!.violations)).toEqual([
        "the simulator failed: Simulator failure: x is undefined",
        expect.stringMatching(/^the check itself failed: /),
      ]);
    });
  });
});
