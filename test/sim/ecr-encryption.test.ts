import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRepositoryCommand, DescribeRepositoriesCommand, type EncryptionConfiguration, type EncryptionType } from "@aws-sdk/client-ecr";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * A repository keeps the encryptionConfiguration CreateRepository was given (the model's EncryptionConfiguration:
 * encryptionType AES256, KMS or KMS_DSSE, and a kmsKey of 1–2048 characters) and answers it back from CreateRepository
 * and DescribeRepositories; without one it is AES256.
 */
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);
const keyArn = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("ECR: a repository's encryption configuration", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  const created = async (repositoryName: string, encryptionConfiguration?: EncryptionConfiguration) =>
    (await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName, ...(encryptionConfiguration && { encryptionConfiguration }) }))).repository?.encryptionConfiguration;
  const described = async (repositoryName: string) =>
    (await h.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }))).repositories?.[0]?.encryptionConfiguration;

  it("keeps what was asked and answers it back", async () => {
    const cases: [string, EncryptionConfiguration | undefined, EncryptionConfiguration][] = [
      ["plain", undefined, { encryptionType: "AES256" }],
      ["aes", { encryptionType: "AES256" }, { encryptionType: "AES256" }],
      ["kms-key", { encryptionType: "KMS", kmsKey: keyArn }, { encryptionType: "KMS", kmsKey: keyArn }],
      ["kms-alias", { encryptionType: "KMS", kmsKey: "alias/images" }, { encryptionType: "KMS", kmsKey: "alias/images" }],
      ["kms-default", { encryptionType: "KMS" }, { encryptionType: "KMS" }],
      ["dsse", { encryptionType: "KMS_DSSE", kmsKey: keyArn }, { encryptionType: "KMS_DSSE", kmsKey: keyArn }],
    ];
    for (const [name, asked, kept] of cases) {
      expect(await created(name, asked), name).toEqual(kept);
      expect(await described(name), name).toEqual(kept);
    }
  });

  it("refuses what the model's shape refuses, and makes no repository", async () => {
    const refusals: [EncryptionConfiguration, string][] = [
      [{ encryptionType: "SSE-C" as EncryptionType }, "Invalid parameter at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]'"],
      [{ kmsKey: keyArn } as EncryptionConfiguration, "Invalid parameter at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: 'Member must not be null'"],
      [{ encryptionType: "KMS", kmsKey: "" }, "Invalid parameter at 'encryptionConfiguration.kmsKey' failed to satisfy constraint: 'Member must have length between 1 and 2048'"],
      [{ encryptionType: "KMS", kmsKey: "k".repeat(2049) }, "Invalid parameter at 'encryptionConfiguration.kmsKey' failed to satisfy constraint: 'Member must have length between 1 and 2048'"],
    ];
    for (const [encryptionConfiguration, message] of refusals) {
      const refused = await errorOf(h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "refused", encryptionConfiguration })));
      expect(refused, JSON.stringify(encryptionConfiguration).slice(0, 80)).toMatchObject({ name: "InvalidParameterException", message, $metadata: { httpStatusCode: 400 } });
    }
    expect(await errorOf(described("refused"))).toMatchObject({ name: "RepositoryNotFoundException" });
  });
});
