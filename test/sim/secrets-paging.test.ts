import { describe, expect, it } from "vitest";
import { errorOf, useSecretSim } from "./secret-fixtures.js";

/**
 * Each service pages with its own errors, as its model declares them for each paged operation: Parameter Store's
 * GetParameterHistory and DescribeParameters declare InvalidNextToken, Secrets Manager's ListSecrets and
 * ListSecretVersionIds InvalidNextTokenException; a MaxResults outside the model's range fails that constraint
 * (ValidationException). Neither answers ECS's InvalidParameterException "Invalid token".
 */
const badTokens = ["not-a-token", Buffer.from(JSON.stringify({ before: 1 })).toString("base64url")];

const outOfRange = (value: number, constraint: string) => ({
  name: "ValidationException",
  message: `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value ${constraint}`,
  $metadata: expect.objectContaining({ httpStatusCode: 400 }) as unknown,
});

describe("paging errors of Parameter Store and Secrets Manager", () => {
  const { sm, ssm } = useSecretSim({}, async ({ sm, ssm }) => {
    await ssm.putParameter({ Name: "/paged/a", Value: "1", Type: "String" });
    await ssm.putParameter({ Name: "/paged/a", Value: "2", Overwrite: true });
    await ssm.putParameter({ Name: "/paged/b", Value: "1", Type: "String" });
    await sm.createSecret({ Name: "paged/one", SecretString: "v1" });
    await sm.putSecretValue({ SecretId: "paged/one", SecretString: "v2" });
    await sm.createSecret({ Name: "paged/two", SecretString: "v1" });
  });

  it("Parameter Store answers a token it did not issue with InvalidNextToken", async () => {
    for (const NextToken of badTokens) {
      const invalid = { name: "InvalidNextToken", message: "The specified token isn't valid.", $metadata: expect.objectContaining({ httpStatusCode: 400 }) as unknown };
      expect(await errorOf(ssm.describeParameters({ NextToken }))).toMatchObject(invalid);
      expect(await errorOf(ssm.getParameterHistory({ Name: "/paged/a", NextToken }))).toMatchObject(invalid);
    }
    // Its own tokens still page.
    const first = await ssm.getParameterHistory({ Name: "/paged/a", MaxResults: 1 });
    const second = await ssm.getParameterHistory({ Name: "/paged/a", MaxResults: 1, NextToken: first.NextToken });
    expect([first.Parameters?.[0]?.Version, second.Parameters?.[0]?.Version, second.NextToken]).toEqual([1, 2, undefined]);
  });

  it("Parameter Store refuses a MaxResults outside 1–50 as the model's constraint (ValidationException)", async () => {
    expect(await errorOf(ssm.describeParameters({ MaxResults: 51 }))).toMatchObject(outOfRange(51, "less than or equal to 50"));
    expect(await errorOf(ssm.describeParameters({ MaxResults: 0 }))).toMatchObject(outOfRange(0, "greater than or equal to 1"));
    expect(await errorOf(ssm.getParameterHistory({ Name: "/paged/a", MaxResults: 51 }))).toMatchObject(outOfRange(51, "less than or equal to 50"));
    expect((await ssm.describeParameters({ MaxResults: 50 })).Parameters).toHaveLength(2);
  });

  it("Secrets Manager answers a token it did not issue with InvalidNextTokenException", async () => {
    for (const NextToken of badTokens) {
      const invalid = { name: "InvalidNextTokenException", message: "The NextToken value is invalid.", $metadata: expect.objectContaining({ httpStatusCode: 400 }) as unknown };
      expect(await errorOf(sm.listSecrets({ NextToken }))).toMatchObject(invalid);
      expect(await errorOf(sm.listSecretVersionIds({ SecretId: "paged/one", NextToken }))).toMatchObject(invalid);
    }
    const first = await sm.listSecretVersionIds({ SecretId: "paged/one", MaxResults: 1 });
    const second = await sm.listSecretVersionIds({ SecretId: "paged/one", MaxResults: 1, NextToken: first.NextToken });
    expect([first.Versions?.length, second.Versions?.length, second.NextToken]).toEqual([1, 1, undefined]);
  });

  it("Secrets Manager refuses a MaxResults outside 1–100 as the model's constraint (ValidationException)", async () => {
    expect(await errorOf(sm.listSecrets({ MaxResults: 101 }))).toMatchObject(outOfRange(101, "less than or equal to 100"));
    expect(await errorOf(sm.listSecrets({ MaxResults: 0 }))).toMatchObject(outOfRange(0, "greater than or equal to 1"));
    expect(await errorOf(sm.listSecretVersionIds({ SecretId: "paged/one", MaxResults: 101 }))).toMatchObject(outOfRange(101, "less than or equal to 100"));
    expect((await sm.listSecrets({ MaxResults: 100 })).SecretList).toHaveLength(2);
  });
});
