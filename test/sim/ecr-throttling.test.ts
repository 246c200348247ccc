import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * ECR's reads and writes draw from buckets of their own. A read is what its verb says — Describe*, List*, BatchGet*
 * and Get* (GetAuthorizationToken, GetLifecyclePolicy) — so once writes have emptied theirs, reads still answer.
 * Date is frozen for the test so no bucket refills between calls (both hold a burst of 200).
 */
type Counts = { byOperation: Record<string, Record<string, number>> };

describe("ECR throttling: Get* operations are reads", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ throttling: true });
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await h.close();
  });

  const ecr = (operation: string, body: unknown) =>
    fetch(h.url, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    });

  it("answers GetAuthorizationToken and GetLifecyclePolicy while writes are throttled", async () => {
    await ecr("CreateRepository", { repositoryName: "throttled" });
    // The write bucket's burst is 200 (one already taken): the 200th write more is refused.
    const writes = await Promise.all(Array.from({ length: 200 }, () => ecr("DeleteLifecyclePolicy", { repositoryName: "throttled" })));
    const codes = await Promise.all(writes.map((res) => res.headers.get("x-amzn-errortype")));
    expect(codes.filter((code) => code === "ThrottlingException")).toHaveLength(1);
    expect((await ecr("PutLifecyclePolicy", { repositoryName: "throttled", lifecyclePolicyText: "{}" })).headers.get("x-amzn-errortype")).toBe("ThrottlingException");

    const token = await ecr("GetAuthorizationToken", {});
    expect(token.status).toBe(200);
    const policy = await ecr("GetLifecyclePolicy", { repositoryName: "throttled" });
    expect(policy.headers.get("x-amzn-errortype")).toBe("LifecyclePolicyNotFoundException");
    expect((await ecr("DescribeRepositories", {})).status).toBe(200);

    const counts = (await h.control("GET", "calls")) as Counts;
    expect(counts.byOperation["ecr:GetAuthorizationToken"]).toEqual({ ok: 1 });
    expect(counts.byOperation["ecr:GetLifecyclePolicy"]).toEqual({ error: 1 });
    expect(counts.byOperation["ecr:PutLifecyclePolicy"]).toEqual({ throttled: 1 });
  });
});
