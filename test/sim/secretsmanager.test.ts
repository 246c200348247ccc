import { describe, expect, it } from "vitest";
import type { CreateSecretCommandInput, ListSecretsCommandInput } from "@aws-sdk/client-secrets-manager";
import { advance } from "./ecs-fixtures.js";
import { errorOf, useSecretSim, type SecretsManagerCalls } from "./secret-fixtures.js";

const token = (n: number) => `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;
const arnPrefix = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
// Every simulator here runs at speed 0: simulated time moves only when a test moves it.

async function create(sm: SecretsManagerCalls, name: string, value: string, extra: Partial<CreateSecretCommandInput> = {}) {
  return sm.createSecret({ Name: name, SecretString: value, ...extra });
}

describe("simulated Secrets Manager", () => {
  const { sm } = useSecretSim({ speed: 0 });

  it("names a secret by an ARN ending in six random characters and finds it by name, full ARN or partial ARN", async () => {
    const created = await create(sm, "shop/db", "s3cret-1", { ClientRequestToken: token(1), KmsKeyId: "alias/shop", Description: "database", Tags: [{ Key: "team", Value: "shop" }] });
    expect(created).toMatchObject({ Name: "shop/db", VersionId: token(1) });
    expect(created.ARN).toMatch(new RegExp(`^${arnPrefix}shop/db-[A-Za-z0-9]{6}$`));
    for (const id of ["shop/db", created.ARN, `${arnPrefix}shop/db`]) {
      const described = await sm.describeSecret({ SecretId: id });
      expect(described).toMatchObject({
        ARN: created.ARN,
        Name: "shop/db",
        Description: "database",
        KmsKeyId: "alias/shop",
        Tags: [{ Key: "team", Value: "shop" }],
        VersionIdsToStages: { [token(1)]: ["AWSCURRENT"] },
      });
      expect(described.CreatedDate).toBeInstanceOf(Date);
      expect(described.DeletedDate).toBeUndefined();
    }
    const missing = await errorOf(sm.describeSecret({ SecretId: "shop/nope" }));
    expect(missing).toMatchObject({ name: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
  });

  it("refuses a second secret of the same name, but answers a retried create as the first", async () => {
    const again = await errorOf(create(sm, "shop/db", "other"));
    expect(again).toMatchObject({ name: "ResourceExistsException", message: "The operation failed because the secret shop/db already exists." });
    const retried = await create(sm, "shop/db", "s3cret-1", { ClientRequestToken: token(1) });
    expect(retried.VersionId).toBe(token(1));
    const clash = await errorOf(create(sm, "shop/db", "not-the-same", { ClientRequestToken: token(1) }));
    expect(clash?.name).toBe("ResourceExistsException");
    expect(clash?.message).not.toContain("not-the-same");
  });

  it("moves AWSCURRENT to each new version and AWSPREVIOUS to the one before; older versions are deprecated", async () => {
    const v2 = await sm.putSecretValue({ SecretId: "shop/db", SecretString: "s3cret-2", ClientRequestToken: token(2) });
    expect(v2).toMatchObject({ VersionId: token(2), VersionStages: ["AWSCURRENT"] });
    await sm.putSecretValue({ SecretId: "shop/db", SecretString: "s3cret-3", ClientRequestToken: token(3) });

    const current = await sm.getSecretValue({ SecretId: "shop/db" });
    expect(current).toMatchObject({ SecretString: "s3cret-3", VersionId: token(3), VersionStages: ["AWSCURRENT"] });
    const previous = await sm.getSecretValue({ SecretId: "shop/db", VersionStage: "AWSPREVIOUS" });
    expect(previous).toMatchObject({ SecretString: "s3cret-2", VersionId: token(2), VersionStages: ["AWSPREVIOUS"] });
    const first = await sm.getSecretValue({ SecretId: "shop/db", VersionId: token(1) });
    expect(first).toMatchObject({ SecretString: "s3cret-1", VersionStages: [] });

    const listed = await sm.listSecretVersionIds({ SecretId: "shop/db" });
    expect(listed.Versions?.map((v) => [v.VersionId, v.VersionStages])).toEqual([
      [token(2), ["AWSPREVIOUS"]],
      [token(3), ["AWSCURRENT"]],
    ]);
    const all = await sm.listSecretVersionIds({ SecretId: "shop/db", IncludeDeprecated: true });
    expect(all.Versions?.map((v) => v.VersionId)).toEqual([token(1), token(2), token(3)]);
    expect((await sm.describeSecret({ SecretId: "shop/db" })).VersionIdsToStages).toEqual({ [token(2)]: ["AWSPREVIOUS"], [token(3)]: ["AWSCURRENT"] });
  });

  it("answers a retried PutSecretValue with the version it made and refuses the token for another value", async () => {
    const retried = await sm.putSecretValue({ SecretId: "shop/db", SecretString: "s3cret-3", ClientRequestToken: token(3) });
    expect(retried).toMatchObject({ VersionId: token(3), VersionStages: ["AWSCURRENT"] });
    const clash = await errorOf(sm.putSecretValue({ SecretId: "shop/db", SecretString: "s3cret-x", ClientRequestToken: token(3) }));
    expect(clash).toMatchObject({ name: "ResourceExistsException" });
    expect(clash?.message).not.toContain("s3cret-x");
    expect((await sm.listSecretVersionIds({ SecretId: "shop/db", IncludeDeprecated: true })).Versions).toHaveLength(3);
  });

  it("gives a custom staging label to the new version without moving AWSCURRENT", async () => {
    await sm.putSecretValue({ SecretId: "shop/db", SecretString: "s3cret-4", ClientRequestToken: token(4), VersionStages: ["AWSPENDING"] });
    expect((await sm.getSecretValue({ SecretId: "shop/db" })).VersionId).toBe(token(3));
    expect((await sm.getSecretValue({ SecretId: "shop/db", VersionStage: "AWSPENDING" })).SecretString).toBe("s3cret-4");
  });

  it("explains in AWS's words why a version cannot be read", async () => {
    expect(await errorOf(sm.getSecretValue({ SecretId: "shop/db", VersionStage: "BLUE" }))).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: BLUE",
    });
    expect(await errorOf(sm.getSecretValue({ SecretId: "shop/db", VersionId: token(9) }))).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Secrets Manager can't find the specified secret value for VersionId: ${token(9)}`,
    });
    expect(await errorOf(sm.getSecretValue({ SecretId: "shop/db", VersionId: token(1), VersionStage: "AWSCURRENT" }))).toMatchObject({
      name: "InvalidRequestException",
      message: "You provided a VersionStage that is not associated to the provided VersionId.",
    });
    await sm.createSecret({ Name: "shop/empty" });
    expect(await errorOf(sm.getSecretValue({ SecretId: "shop/empty" }))).toMatchObject({
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });

  it("notes the day a secret was last read", async () => {
    const read = await sm.getSecretValue({ SecretId: "shop/db" });
    const described = await sm.describeSecret({ SecretId: "shop/db" });
    const day = new Date(read.CreatedDate ?? 0);
    expect(described.LastAccessedDate?.getUTCHours()).toBe(0);
    expect(described.LastAccessedDate?.getTime()).toBeGreaterThanOrEqual(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  });

  it("tags and untags a secret", async () => {
    await sm.tagResource({ SecretId: "shop/db", Tags: [{ Key: "team", Value: "payments" }, { Key: "tier", Value: "1" }] });
    expect((await sm.describeSecret({ SecretId: "shop/db" })).Tags).toEqual([
      { Key: "team", Value: "payments" },
      { Key: "tier", Value: "1" },
    ]);
    await sm.untagResource({ SecretId: "shop/db", TagKeys: ["team"] });
    expect((await sm.describeSecret({ SecretId: "shop/db" })).Tags).toEqual([{ Key: "tier", Value: "1" }]);
  });
});

describe("deleting a secret", () => {
  const world = useSecretSim({ speed: 0 });
  const { sm } = world;

  it("schedules it for deletion: its value is refused, its name taken, until it is restored", async () => {
    const { ARN } = await create(sm, "api/key", "k-1");
    const deleted = await sm.deleteSecret({ SecretId: "api/key", RecoveryWindowInDays: 7 });
    const described = await sm.describeSecret({ SecretId: "api/key" });
    expect((deleted.DeletionDate?.getTime() ?? 0) - (described.DeletedDate?.getTime() ?? 0)).toBe(7 * 86_400_000);

    expect(await errorOf(sm.getSecretValue({ SecretId: "api/key" }))).toMatchObject({
      name: "InvalidRequestException",
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    expect((await errorOf(sm.putSecretValue({ SecretId: "api/key", SecretString: "k-2" })))?.name).toBe("InvalidRequestException");
    expect(await errorOf(create(sm, "api/key", "k-3"))).toMatchObject({
      name: "InvalidRequestException",
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
    expect((await sm.listSecrets({})).SecretList?.map((s) => s.Name)).toEqual([]);
    expect((await sm.listSecrets({ IncludePlannedDeletion: true })).SecretList?.map((s) => s.Name)).toEqual(["api/key"]);

    expect(await sm.restoreSecret({ SecretId: ARN })).toMatchObject({ ARN, Name: "api/key" });
    expect((await sm.getSecretValue({ SecretId: "api/key" })).SecretString).toBe("k-1");
  });

  it("removes it for good once the recovery window has passed, freeing the name for a new ARN", async () => {
    const { ARN } = await sm.describeSecret({ SecretId: "api/key" });
    await sm.deleteSecret({ SecretId: "api/key", RecoveryWindowInDays: 7 });
    await advance(world.h, 7 * 86_400 + 1);
    expect((await errorOf(sm.describeSecret({ SecretId: "api/key" })))?.name).toBe("ResourceNotFoundException");
    const again = await create(sm, "api/key", "k-4");
    expect(again.ARN).not.toBe(ARN);
  });

  it("deletes at once without recovery, and accepts a forced delete of a secret that is not there", async () => {
    await sm.deleteSecret({ SecretId: "api/key", ForceDeleteWithoutRecovery: true });
    expect((await errorOf(sm.describeSecret({ SecretId: "api/key" })))?.name).toBe("ResourceNotFoundException");
    expect(await sm.deleteSecret({ SecretId: "api/key", ForceDeleteWithoutRecovery: true })).toMatchObject({ Name: "api/key" });
    expect((await errorOf(sm.deleteSecret({ SecretId: "api/key" })))?.name).toBe("ResourceNotFoundException");
  });

  it("refuses a recovery window outside 7..30 days, or one alongside a forced delete", async () => {
    await create(sm, "api/other", "o");
    expect(await errorOf(sm.deleteSecret({ SecretId: "api/other", RecoveryWindowInDays: 3 }))).toMatchObject({
      name: "InvalidParameterException",
      message: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
    });
    expect(await errorOf(sm.deleteSecret({ SecretId: "api/other", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }))).toMatchObject({
      name: "InvalidParameterException",
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    });
  });
});

describe("listing secrets", () => {
  const { sm } = useSecretSim({ speed: 0 }, async (world) => {
    await create(world.sm, "prod/web/db", "a", { Description: "Web database", Tags: [{ Key: "env", Value: "prod" }] });
    await advance(world.h, 1);
    await create(world.sm, "prod/api/token", "b", { Tags: [{ Key: "env", Value: "prod" }, { Key: "owner", Value: "api-team" }] });
    await advance(world.h, 1);
    await create(world.sm, "dev/web/db", "c", { Tags: [{ Key: "env", Value: "dev" }] });
  });

  const names = async (input: ListSecretsCommandInput) => (await sm.listSecrets(input)).SecretList?.map((s) => s.Name);

  it("lists by creation date, oldest first unless asked otherwise", async () => {
    expect(await names({})).toEqual(["prod/web/db", "prod/api/token", "dev/web/db"]);
    expect(await names({ SortOrder: "desc" })).toEqual(["dev/web/db", "prod/api/token", "prod/web/db"]);
    expect(await names({ SortBy: "name" })).toEqual(["dev/web/db", "prod/api/token", "prod/web/db"]);
  });

  it("filters by name prefix (case-sensitive), tag key, tag value, description, negation and words", async () => {
    expect(await names({ Filters: [{ Key: "name", Values: ["prod/"] }] })).toEqual(["prod/web/db", "prod/api/token"]);
    expect(await names({ Filters: [{ Key: "name", Values: ["Prod/"] }] })).toEqual([]);
    expect(await names({ Filters: [{ Key: "tag-key", Values: ["own"] }] })).toEqual(["prod/api/token"]);
    expect(await names({ Filters: [{ Key: "tag-value", Values: ["dev", "api"] }] })).toEqual(["prod/api/token", "dev/web/db"]);
    expect(await names({ Filters: [{ Key: "description", Values: ["web"] }] })).toEqual(["prod/web/db"]);
    expect(await names({ Filters: [{ Key: "name", Values: ["!prod/"] }] })).toEqual(["dev/web/db"]);
    expect(await names({ Filters: [{ Key: "name", Values: ["prod/"] }, { Key: "tag-key", Values: ["owner"] }] })).toEqual(["prod/api/token"]);
    expect(await names({ Filters: [{ Key: "all", Values: ["WEB"] }] })).toEqual(["prod/web/db", "dev/web/db"]);
    expect((await errorOf(sm.listSecrets({ Filters: [{ Key: "colour" as "name", Values: ["x"] }] })))?.name).toBe("ValidationException");
  });

  it("pages with MaxResults and NextToken", async () => {
    const first = await sm.listSecrets({ MaxResults: 2 });
    expect(first.SecretList?.map((s) => s.Name)).toEqual(["prod/web/db", "prod/api/token"]);
    const second = await sm.listSecrets({ MaxResults: 2, NextToken: first.NextToken });
    expect(second.SecretList?.map((s) => s.Name)).toEqual(["dev/web/db"]);
    expect(second.NextToken).toBeUndefined();
  });
});
