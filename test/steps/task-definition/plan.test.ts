import { describe, expect, it } from "vitest";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { normalise } from "../../../steps/task-definition/normalise.js";
import { planTaskDefinition, retentionCandidates, type PlanInput } from "../../../steps/task-definition/plan.js";

const arn = (revision: number) => `arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:${revision}`;
const ref = (revision: number) => ({ arn: arn(revision), family: "shop-web", revision });
const definition = (image: string): RegisterTaskDefinitionCommandInput => ({ family: "shop-web", containerDefinitions: [{ name: "web", image, memory: 256 }] });
const desired = (image: string) => ({ input: definition(image), definition: normalise(definition(image)) });
const current = (revision: number, image: string) => ({ arn: arn(revision), revision, definition: normalise(definition(image)) });

function plan(overrides: Partial<PlanInput>) {
  return planTaskDefinition({ step: "task-definition:shop-web", family: "shop-web", desired: desired("web@sha256:b"), activeRevisions: [], ...overrides });
}

describe("planTaskDefinition", () => {
  it("registers the first revision, diffing against nothing", () => {
    const result = plan({});
    expect(result.actions.map((a) => a.kind)).toEqual(["register"]);
    expect(result.diff[0]).toBe("--- shop-web (no ACTIVE revision)");
    expect(result.diff).toContain('+      "image": "web@sha256:b",');
  });

  it("does nothing when the newest ACTIVE revision has the same content", () => {
    const result = plan({ current: current(4, "web@sha256:b"), activeRevisions: [ref(4)] });
    expect(result.actions).toEqual([]);
    expect(result.diff).toEqual([]);
    expect(result.notes).toEqual(["revision 4 reused: nothing changed"]);
  });

  it("registers when the content changed, with a key that depends only on the content", () => {
    const first = plan({ current: current(4, "web@sha256:a"), activeRevisions: [ref(4)] });
    const again = plan({ current: current(9, "web@sha256:z"), activeRevisions: [ref(9)] });
    expect(first.actions[0]?.key).toMatch(/^register shop-web@[0-9a-f]{12}$/);
    expect(again.actions[0]?.key).toBe(first.actions[0]?.key);
    expect(first.diff).toEqual([
      "--- shop-web:4 (newest ACTIVE)",
      "+++ shop-web (rendered)",
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
    ["keeps the newest N, counting the revision about to be registered", 3, "web@sha256:a", [1, 2, 3]],
    ["keeps the newest N when nothing is registered", 3, "web@sha256:b", [1, 2]],
    ["never drops the reused revision, even with keep 1", 1, "web@sha256:b", [1, 2, 3, 4]],
  ])("retention %s", (_, keep, currentImage, expected) => {
    const input = { current: current(5, currentImage), activeRevisions: [1, 2, 3, 4, 5].map(ref), retention: { keep }, inUse: new Set<string>() };
    expect(retentionCandidates({ ...input, desired: desired("web@sha256:b") }).map((r) => r.revision).sort()).toEqual(expected);
    const result = plan(input);
    expect(result.actions.filter((a) => a.kind === "deregister").map((a) => a.key)).toEqual(expected.map((r) => `deregister shop-web:${r}`));
  });

  it("keeps revisions a service uses, and says so", () => {
    const result = plan({ current: current(5, "web@sha256:b"), activeRevisions: [1, 2, 3, 4, 5].map(ref), retention: { keep: 2 }, inUse: new Set([arn(2)]) });
    expect(result.actions.map((a) => a.key)).toEqual(["deregister shop-web:1", "deregister shop-web:3"]);
    expect(result.notes).toContain("revision 2 kept beyond retention: a service in the cluster uses it");
  });

  it("refuses to plan deregistrations without knowing what is in use", () => {
    expect(() => plan({ current: current(5, "web@sha256:b"), activeRevisions: [1, 5].map(ref), retention: { keep: 1 } })).toThrow(/in use were not read/);
  });
});
