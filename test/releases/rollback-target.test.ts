import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/store.js";
import { ConflictError, NotFoundError } from "../../src/errors.js";
import { rollbackTarget } from "../../src/releases/environment-rollback.js";
import { openStore } from "../../src/storage/open-store.js";
import { freshEmbeddedStateDir, uniqueProject } from "../storage/store-backends.js";

/** Which release `slipway rollback --env` returns to, read from the runs recorded in the store. */
describe("the release an environment rolls back to", () => {
  let store: Store;
  const ended = async (id: string, release: string, status: "succeeded" | "failed") => {
    await store.runs.create({ id, release, environment: "dev", requestedBy: "ci" });
    await store.runs.update(id, { status });
  };
  const refusal = (to?: string) => rollbackTarget(store, "dev", to).then(() => undefined, (error: unknown) => error as Error);

  beforeAll(async () => {
    const project = uniqueProject("rollback-target");
    store = await openStore({ stateDir: await freshEmbeddedStateDir(), project });
    for (const version of ["1.0.0", "1.1.0", "1.2.0"]) await store.releases.create({ project, version, channel: "stable", createdBy: "ci", snapshot: { steps: [], variables: {} } });
  });
  afterAll(() => store.close());

  it("is the last release that succeeded before the one running, never a failed one; --to names another that succeeded there", async () => {
    expect(await refusal()).toBeInstanceOf(NotFoundError);
    await ended("r1", "1.0.0", "succeeded");
    expect((await refusal())?.message).toBe("No release succeeded in dev before 1.0.0, so there is none to roll back to.");
    await ended("r2", "1.1.0", "succeeded");
    await ended("r3", "1.2.0", "failed");
    expect(await rollbackTarget(store, "dev")).toEqual({ release: "1.0.0", replaces: "1.1.0" });
    expect(await refusal("1.1.0")).toMatchObject({ message: "dev already runs release 1.1.0." });
    const failedOne = await refusal("1.2.0");
    expect(failedOne).toBeInstanceOf(ConflictError);
    expect(failedOne?.message).toBe("Release 1.2.0 never succeeded in dev, so it is no known-good state to return to.");
  });

  it("after a service rollback to a revision no release made, asks which release — and takes --to", async () => {
    const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:${revision}`;
    await store.runs.create({ kind: "rollback", id: "rb", environment: "dev", requestedBy: "ci", rollback: { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: "ecs-svc/9", from: { taskDefinition: td(2), release: "1.1.0" }, to: { taskDefinition: td(7) } } });
    await store.runs.update("rb", { status: "succeeded" });
    const asked = await refusal();
    expect(asked).toBeInstanceOf(ConflictError);
    expect(asked?.message).toBe('dev runs a revision no release is known to have made (after rollback rb), so there is no "release before it" to return to.');
    expect((asked as ConflictError).hint).toBe("Name the release with --to: 1.1.0, 1.0.0.");
    expect(await rollbackTarget(store, "dev", "1.0.0")).toEqual({ release: "1.0.0", replaces: "shop-web:7" });
  });
});
