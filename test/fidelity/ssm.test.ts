import { expect } from "vitest";
import type { ParameterStringFilter, PutParameterCommandInput } from "@aws-sdk/client-ssm";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise, pick } from "./normalise.js";
import { errorOf, ssmCalls } from "../sim/secret-fixtures.js";

const region = "eu-south-1";

const ssm = (b: Backend) => ssmCalls(() => b.secretClients.ssm);
const put = (b: Backend, input: PutParameterCommandInput) => ssm(b).putParameter(input);

async function describedNames(b: Backend, filters: ParameterStringFilter[]): Promise<string[]> {
  const { Parameters } = await ssm(b).describeParameters({ ParameterFilters: filters });
  return (Parameters ?? []).map((p) => p.Name ?? "").sort();
}

fidelitySuite("SSM Parameter Store", region, ({ both, compared, simOnly }) => {
  compared("puts a parameter, refuses to put it again without Overwrite, and versions each overwrite", async (b) => {
    const first = await put(b, { Name: "/shop/web/url", Value: "https://v1", Type: "String" });
    const refused = await errorOf(put(b, { Name: "/shop/web/url", Value: "https://v2", Type: "String" }));
    const second = await put(b, { Name: "/shop/web/url", Value: "https://v2", Type: "String", Overwrite: true });
    const { Parameter } = await ssm(b).getParameter({ Name: "/shop/web/url" });
    expect(Parameter).toMatchObject({ Value: "https://v2", Version: 2 });
    return normalise(
      {
        first: pick(first, "Version", "Tier"),
        refused: { name: refused?.name, message: refused?.message },
        second: pick(second, "Version", "Tier"),
        parameter: pick(Parameter, "Name", "Type", "Value", "Version", "ARN", "DataType"),
      },
      b,
    );
  });

  compared("gives path and top-level parameters ARNs without the leading slash", async (b) => {
    await put(b, { Name: "/shop/db/host", Value: "db.internal", Type: "String" });
    await put(b, { Name: "token", Value: "t", Type: "String" });
    const arns = [];
    for (const Name of ["/shop/db/host", "token"]) arns.push((await ssm(b).getParameter({ Name })).Parameter?.ARN);
    expect(arns).toEqual([`arn:aws:ssm:${region}:${b.account}:parameter/shop/db/host`, `arn:aws:ssm:${region}:${b.account}:parameter/token`]);
    return normalise(arns, b);
  });

  compared("decrypts a SecureString only WithDecryption, under the default or the given KMS key", async (b) => {
    await put(b, { Name: "/shop/db/password", Value: "hunter2", Type: "SecureString" });
    await put(b, { Name: "/shop/db/user", Value: "shop", Type: "SecureString", KeyId: "alias/shop" });
    const decrypted = (await ssm(b).getParameter({ Name: "/shop/db/password", WithDecryption: true })).Parameter?.Value;
    const { Parameters } = await ssm(b).describeParameters({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: ["/shop/db/"] }] });
    const keys = (Parameters ?? []).map((p) => [p.Name, p.Type, p.KeyId]).sort();
    expect(decrypted).toBe("hunter2");
    return { decrypted, keys };
  });

  simOnly("moto returns the plaintext inside its stand-in ciphertext", "shows no part of a SecureString's value without WithDecryption", async (b) => {
    await put(b, { Name: "/shop/db/password", Value: "hunter2", Type: "SecureString" });
    const sealed = (await ssm(b).getParameter({ Name: "/shop/db/password" })).Parameter?.Value;
    expect(sealed).not.toContain("hunter2");
  });

  compared("GetParameters returns what it finds, a version by selector, and lists the rest as InvalidParameters", async (b) => {
    await put(b, { Name: "/app/a", Value: "a1", Type: "String" });
    await put(b, { Name: "/app/a", Value: "a2", Type: "String", Overwrite: true });
    await put(b, { Name: "/app/b", Value: "b1", Type: "StringList" });
    const out = await ssm(b).getParameters({ Names: ["/app/a", "/app/a:1", "/app/b", "/app/nope", "/app/a:9"] });
    const found = (out.Parameters ?? []).map((p) => [p.Name, p.Version, p.Value]).sort();
    const invalid = (out.InvalidParameters ?? []).slice().sort();
    expect(invalid).toEqual(["/app/a:9", "/app/nope"]);
    return { found, invalid };
  });

  compared("reads an older version by selector, and keeps every version in the history", async (b) => {
    await put(b, { Name: "/app/a", Value: "a1", Type: "String", Description: "first" });
    await put(b, { Name: "/app/a", Value: "a2", Type: "String", Overwrite: true });
    const old = pick((await ssm(b).getParameter({ Name: "/app/a:1" })).Parameter, "Name", "Value", "Version");
    const history = ((await ssm(b).getParameterHistory({ Name: "/app/a" })).Parameters ?? []).map((p) => [p.Version, p.Value, p.Type]);
    const missingVersion = await errorOf(ssm(b).getParameter({ Name: "/app/a:7" }));
    expect(history).toEqual([
      [1, "a1", "String"],
      [2, "a2", "String"],
    ]);
    return { old, history, missingVersion: { name: missingVersion?.name, message: missingVersion?.message } };
  });

  both("answers for a parameter that does not exist with ParameterNotFound", async (b) => {
    expect((await errorOf(ssm(b).getParameter({ Name: "/nope" })))?.name).toBe("ParameterNotFound");
    expect((await errorOf(ssm(b).getParameterHistory({ Name: "/nope" })))?.name).toBe("ParameterNotFound");
  });

  compared("deletes one parameter, or several naming those it could not find", async (b) => {
    await put(b, { Name: "/tmp/a", Value: "a", Type: "String" });
    await put(b, { Name: "/tmp/b", Value: "b", Type: "String" });
    await ssm(b).deleteParameter({ Name: "/tmp/a" });
    const again = await errorOf(ssm(b).deleteParameter({ Name: "/tmp/a" }));
    const many = await ssm(b).deleteParameters({ Names: ["/tmp/b", "/tmp/a"] });
    return { again: again?.name, many: pick(many, "DeletedParameters", "InvalidParameters") };
  });

  compared("DescribeParameters filters by name, path one level or recursively, and type", async (b) => {
    await put(b, { Name: "/app/prod/db", Value: "1", Type: "SecureString" });
    await put(b, { Name: "/app/prod/web/url", Value: "2", Type: "String" });
    await put(b, { Name: "/app/dev/db", Value: "3", Type: "SecureString" });
    await put(b, { Name: "flag", Value: "4", Type: "String" });
    const observed = {
      beginsWith: await describedNames(b, [{ Key: "Name", Option: "BeginsWith", Values: ["/app/prod"] }]),
      equals: await describedNames(b, [{ Key: "Name", Values: ["flag"] }]),
      oneLevel: await describedNames(b, [{ Key: "Path", Option: "OneLevel", Values: ["/app/prod"] }]),
      recursive: await describedNames(b, [{ Key: "Path", Option: "Recursive", Values: ["/app"] }]),
      secure: await describedNames(b, [{ Key: "Type", Values: ["SecureString"] }]),
    };
    expect(observed.beginsWith).toEqual(["/app/prod/db", "/app/prod/web/url"]);
    return observed;
  });

  compared("refuses reserved names with AWS's messages", async (b) => {
    const prefixed = await errorOf(put(b, { Name: "awsome", Value: "x", Type: "String" }));
    const reserved = await errorOf(put(b, { Name: "/aws/x", Value: "x", Type: "String" }));
    expect(prefixed?.name).toBe("ValidationException");
    return { prefixed: { name: prefixed?.name, message: prefixed?.message }, reserved: { name: reserved?.name, message: reserved?.message } };
  });
});
