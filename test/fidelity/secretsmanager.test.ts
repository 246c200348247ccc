import { expect } from "vitest";
import type { Filter } from "@aws-sdk/client-secrets-manager";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise } from "./normalise.js";
import { errorOf, secretsManagerCalls } from "../sim/secret-fixtures.js";

const region = "eu-north-1";

/** ClientRequestTokens (32..64 characters) that are not UUID-shaped, so normalise() keeps them apart. */
const token = (n: number) => `slipway-fidelity-token-${String(n).padStart(10, "0")}`;

/** A secret ARN ends in "-" and six random characters; the shape is compared, not the characters. */
const suffixless = (arn: string | undefined) => (arn ?? "").replace(/-[A-Za-z0-9]{6}$/, "-<suffix>");

const sm = (b: Backend) => secretsManagerCalls(() => b.secretClients.secretsManager);

async function createSecret(b: Backend, name: string, value: string, n = 1) {
  return sm(b).createSecret({ Name: name, SecretString: value, ClientRequestToken: token(n) });
}

async function namesListed(b: Backend, filters: Filter[]): Promise<string[]> {
  const { SecretList } = await sm(b).listSecrets({ Filters: filters });
  return (SecretList ?? []).map((s) => s.Name ?? "").sort();
}

fidelitySuite("Secrets Manager", region, ({ both, compared, simOnly }) => {
  compared("names a secret by an ARN of its name and six random characters, and finds it by name, ARN or partial ARN", async (b) => {
    const created = await createSecret(b, "shop/db", "s3cret");
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${region}:${b.account}:secret:shop/db-[A-Za-z0-9]{6}$`));
    const partial = `arn:aws:secretsmanager:${region}:${b.account}:secret:shop/db`;
    const found = [];
    for (const id of ["shop/db", created.ARN, partial]) found.push((await sm(b).describeSecret({ SecretId: id })).ARN === created.ARN);
    return normalise({ ARN: suffixless(created.ARN), Name: created.Name, VersionId: created.VersionId, found }, b);
  });

  compared("refuses a second secret with the same name", async (b) => {
    await createSecret(b, "shop/db", "s3cret");
    const again = await errorOf(createSecret(b, "shop/db", "other", 2));
    expect(again?.name).toBe("ResourceExistsException");
    return { name: again?.name, message: again?.message };
  });

  compared("answers for a missing secret with ResourceNotFoundException", async (b) => {
    const missing = await errorOf(sm(b).getSecretValue({ SecretId: "shop/ghost" }));
    expect(missing?.name).toBe("ResourceNotFoundException");
    return { name: missing?.name, message: missing?.message };
  });

  compared("moves AWSCURRENT to each new version and AWSPREVIOUS to the one it left", async (b) => {
    await createSecret(b, "shop/db", "v1", 1);
    const put = await sm(b).putSecretValue({ SecretId: "shop/db", SecretString: "v2", ClientRequestToken: token(2) });
    await sm(b).putSecretValue({ SecretId: "shop/db", SecretString: "v3", ClientRequestToken: token(3) });
    const read = async (input: { VersionId?: string; VersionStage?: string }) => {
      const out = await sm(b).getSecretValue({ SecretId: "shop/db", ...input });
      return { SecretString: out.SecretString, VersionId: out.VersionId, VersionStages: out.VersionStages };
    };
    const observed = {
      put: { VersionId: put.VersionId, VersionStages: put.VersionStages },
      current: await read({}),
      previous: await read({ VersionStage: "AWSPREVIOUS" }),
      byId: await read({ VersionId: token(2) }),
    };
    expect(observed.current).toEqual({ SecretString: "v3", VersionId: token(3), VersionStages: ["AWSCURRENT"] });
    expect(observed.previous).toEqual({ SecretString: "v2", VersionId: token(2), VersionStages: ["AWSPREVIOUS"] });
    return observed;
  });

  compared("makes no new version for a retried PutSecretValue, and refuses its token for another value", async (b) => {
    await createSecret(b, "shop/db", "v1", 1);
    await sm(b).putSecretValue({ SecretId: "shop/db", SecretString: "v2", ClientRequestToken: token(2) });
    const retried = await sm(b).putSecretValue({ SecretId: "shop/db", SecretString: "v2", ClientRequestToken: token(2) });
    const clash = await errorOf(sm(b).putSecretValue({ SecretId: "shop/db", SecretString: "v9", ClientRequestToken: token(2) }));
    const { Versions } = await sm(b).listSecretVersionIds({ SecretId: "shop/db", IncludeDeprecated: true });
    const versions = Object.fromEntries((Versions ?? []).map((v) => [v.VersionId, v.VersionStages]));
    expect(versions).toEqual({ [token(1)]: ["AWSPREVIOUS"], [token(2)]: ["AWSCURRENT"] });
    return { retried: { VersionId: retried.VersionId, VersionStages: retried.VersionStages }, clash: clash?.name, versions };
  });

  both("answers for an unknown staging label with ResourceNotFoundException", async (b) => {
    await createSecret(b, "shop/db", "v1");
    const missing = await errorOf(sm(b).getSecretValue({ SecretId: "shop/db", VersionStage: "BLUE" }));
    expect(missing?.name).toBe("ResourceNotFoundException");
  });

  simOnly("moto differs: says only that the secret cannot be found", "names the staging label it cannot find", async (b) => {
    await createSecret(b, "shop/db", "v1");
    const missing = await errorOf(sm(b).getSecretValue({ SecretId: "shop/db", VersionStage: "BLUE" }));
    expect(missing?.message).toBe("Secrets Manager can't find the specified secret value for staging label: BLUE");
  });

  compared("keeps the KMS key, the description and the tags, and tags and untags", async (b) => {
    await sm(b).createSecret({ Name: "shop/api", SecretString: "k", KmsKeyId: "alias/shop", Description: "API key", Tags: [{ Key: "team", Value: "shop" }], ClientRequestToken: token(1) });
    await sm(b).tagResource({ SecretId: "shop/api", Tags: [{ Key: "tier", Value: "1" }, { Key: "team", Value: "payments" }] });
    await sm(b).untagResource({ SecretId: "shop/api", TagKeys: ["tier"] });
    const described = await sm(b).describeSecret({ SecretId: "shop/api" });
    expect(described).toMatchObject({ KmsKeyId: "alias/shop", Description: "API key", Tags: [{ Key: "team", Value: "payments" }] });
    return { KmsKeyId: described.KmsKeyId, Description: described.Description, Tags: described.Tags };
  });

  compared("refuses the value of a secret scheduled for deletion, hides it from ListSecrets, and restores it", async (b) => {
    await createSecret(b, "shop/db", "v1");
    await sm(b).deleteSecret({ SecretId: "shop/db", RecoveryWindowInDays: 7 });
    const refused = await errorOf(sm(b).getSecretValue({ SecretId: "shop/db" }));
    expect(refused?.name).toBe("InvalidRequestException");
    const described = await sm(b).describeSecret({ SecretId: "shop/db" });
    expect(described.DeletedDate).toBeInstanceOf(Date);
    const listed = (await sm(b).listSecrets({})).SecretList?.map((s) => s.Name);
    const withPlanned = (await sm(b).listSecrets({ IncludePlannedDeletion: true })).SecretList?.map((s) => s.Name);
    await sm(b).restoreSecret({ SecretId: "shop/db" });
    const restored = (await sm(b).getSecretValue({ SecretId: "shop/db" })).SecretString;
    expect(restored).toBe("v1");
    return { refused: refused?.name, listed, withPlanned, restored };
  });

  compared("deletes a secret at once without recovery, and takes a forced delete of one that is not there", async (b) => {
    await createSecret(b, "shop/db", "v1");
    await sm(b).deleteSecret({ SecretId: "shop/db", ForceDeleteWithoutRecovery: true });
    const gone = await errorOf(sm(b).describeSecret({ SecretId: "shop/db" }));
    const again = await sm(b).deleteSecret({ SecretId: "shop/db", ForceDeleteWithoutRecovery: true });
    expect(gone?.name).toBe("ResourceNotFoundException");
    return { gone: gone?.name, again: again.Name };
  });

  compared("refuses a recovery window outside 7..30 days, and one alongside a forced delete", async (b) => {
    await createSecret(b, "shop/db", "v1");
    const short = await errorOf(sm(b).deleteSecret({ SecretId: "shop/db", RecoveryWindowInDays: 3 }));
    const both = await errorOf(sm(b).deleteSecret({ SecretId: "shop/db", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }));
    expect(short?.name).toBe("InvalidParameterException");
    return { short: short?.name, both: both?.name };
  });

  compared("filters ListSecrets by name prefix, tag key and tag value, with negation", async (b) => {
    await sm(b).createSecret({ Name: "prod/web/db", SecretString: "a", Tags: [{ Key: "env", Value: "prod" }], ClientRequestToken: token(1) });
    await sm(b).createSecret({ Name: "prod/api/token", SecretString: "b", Tags: [{ Key: "owner", Value: "api-team" }], ClientRequestToken: token(2) });
    await sm(b).createSecret({ Name: "dev/web/db", SecretString: "c", Tags: [{ Key: "env", Value: "dev" }], ClientRequestToken: token(3) });
    const observed = {
      byName: await namesListed(b, [{ Key: "name", Values: ["prod/"] }]),
      caseSensitive: await namesListed(b, [{ Key: "name", Values: ["Prod/"] }]),
      notProd: await namesListed(b, [{ Key: "name", Values: ["!prod/"] }]),
      byTagKey: await namesListed(b, [{ Key: "tag-key", Values: ["own"] }]),
      byTagValue: await namesListed(b, [{ Key: "tag-value", Values: ["dev", "api"] }]),
      both: await namesListed(b, [{ Key: "name", Values: ["prod/"] }, { Key: "tag-key", Values: ["env"] }]),
    };
    expect(observed.byName).toEqual(["prod/api/token", "prod/web/db"]);
    return observed;
  });

  simOnly("moto has no simulated time", "removes a deleted secret for good once its recovery window has passed", async (b) => {
    await createSecret(b, "shop/db", "v1");
    await sm(b).deleteSecret({ SecretId: "shop/db", RecoveryWindowInDays: 7 });
    await b.sim?.control("POST", "clock", { advanceSeconds: 7 * 86_400 + 1 });
    expect((await errorOf(sm(b).describeSecret({ SecretId: "shop/db" })))?.name).toBe("ResourceNotFoundException");
  });
});
