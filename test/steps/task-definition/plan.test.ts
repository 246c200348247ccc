import { describe, expect, it } from "vitest";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { normalise } from "../../../steps/task-definition/normalise.js";
import { contentHash } from "../../../steps/task-definition/ownership.js";
import { planTaskDefinition, retentionCandidates, type PlanInput } from "../../../steps/task-definition/plan.js";

const arn = (revision: number) => `arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:${revision}`;
const ref = (revision: number) => ({ arn: arn(revision), family: "shop-web", revision });
const definition = (image: string): RegisterTaskDefinitionCommandInput => ({ family: "shop-web", containerDefinitions: [{ name: "web", image, memory: 256 }] });
const desired = (image: string) => ({ input: definition(image), definition: normalise(definition(image)), content: contentHash(normalise(definition(image))) });
const revision = (n: number, image: string) => ({ arn: arn(n), revision: n, definition: normalise(definition(image)) });

function plan(overrides: Partial<PlanInput>) {
  return planTaskDefinition({ step: "task-definition:shop-web", family: "shop-web", environment: "dev", desired: desired("web@sha256:b"), ownRevisions: [], ...overrides });
}

describe("planTaskDefinition", () => {
  it("registers the environment's first revision, diffing against nothing", () => {
    const result = plan({});
    expect(result.actions.map((a) => a.kind)).toEqual(["register"]);
    expect(result.diff[0]).toBe("--- shop-web (no ACTIVE revision in dev)");
    expect(result.diff).toContain('+      "image": "web@sha256:b",');
  });

  it("reuses the environment's identical revision: no action, no diff", () => {
    const result = plan({ current: revision(4, "web@sha256:b"), identical: revision(4, "web@sha256:b"), ownRevisions: [ref(4)] });
    expect(result.actions).toEqual([]);
    expect(result.diff).toEqual([]);
    expect(result.notes).toEqual(["revision 4 reused: dev has one with this exact content"]);
  });

  it("reuses an older identical revision of the environment and says which is newest", () => {
    const result = plan({ current: revision(7, "web@sha256:c"), identical: revision(1, "web@sha256:b"), ownRevisions: [ref(1), ref(7)] });
    expect(result.actions).toEqual([]);
    expect(result.notes).toEqual(["revision 1 reused: dev has one with this exact content (dev's newest is 7)"]);
  });

  it("registers when the content changed, with a key that depends only on the content", () => {
    const first = plan({ current: revision(4, "web@sha256:a"), ownRevisions: [ref(4)] });
    const again = plan({ current: revision(9, "web@sha256:z"), ownRevisions: [ref(9)] });
    expect(first.actions[0]?.key).toMatch(/^register shop-web@[0-9a-f]{12}$/);
    expect(again.actions[0]?.key).toBe(first.actions[0]?.key);
    expect(first.diff).toEqual([
      "--- shop-web:4 (newest in dev)",
      "+++ shop-web (rendered for dev)",
      "@@ -1,7 +1,7 @@",
      " {",
      '   "containerDefinitions": [',
      "     {",
      '-      "image": "web@sha256:a",',
      '+      "image": "web@sha256:b",',
      '       "memory": 256,',
      '       "name": "web"',
      "     }",
    ]);
  });

  it.each([
    ["keeps the newest N, counting the revision about to be registered", 3, undefined, [1, 2, 3]],
    ["keeps the newest N when the newest is reused", 3, 5, [1, 2]],
    ["never drops the reused revision, even with keep 1", 1, 5, [1, 2, 3, 4]],
    ["keeps an older reused revision and the newest others", 2, 2, [1, 3, 4]],
  ])("retention %s", (_, keep, reused, expected) => {
    const input = { ...(reused !== undefined && { identical: revision(reused, "web@sha256:b") }), ownRevisions: [1, 2, 3, 4, 5].map(ref), retention: { keep }, protected: new Map<string, string>() };
    expect(retentionCandidates(input).map((r) => r.revision)).toEqual(expected);
    const result = plan(input);
    expect(result.actions.filter((a) => a.kind === "deregister").map((a) => a.key)).toEqual(expected.map((r) => `deregister shop-web:${r}`));
  });

  it("keeps protected revisions, and says why", () => {
    const result = plan({ identical: revision(5, "web@sha256:b"), ownRevisions: [1, 2, 3, 4, 5].map(ref), retention: { keep: 2 }, protected: new Map([[arn(2), "service web in shop-test runs it"]]) });
    expect(result.actions.map((a) => a.key)).toEqual(["deregister shop-web:1", "deregister shop-web:3"]);
    expect(result.notes).toContain("revision 2 kept beyond retention: service web in shop-test runs it");
  });

  it("refuses to plan deregistrations without knowing what is protected", () => {
    expect(() => plan({ identical: revision(5, "web@sha256:b"), ownRevisions: [1, 5].map(ref), retention: { keep: 1 } })).toThrow(/protected revisions were not read/);
  });
});
