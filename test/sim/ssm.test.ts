import { describe, expect, it } from "vitest";
import type { DescribeParametersCommandInput } from "@aws-sdk/client-ssm";
import { errorOf, useSecretSim } from "./secret-fixtures.js";

const arnPrefix = "arn:aws:ssm:us-east-1:000000000000:parameter/";

describe("simulated Parameter Store", () => {
  const { ssm } = useSecretSim();

  it("puts a parameter, refuses to put it again without Overwrite, and versions each overwrite", async () => {
    expect(await ssm.putParameter({ Name: "/shop/web/url", Value: "https://v1", Type: "String", Description: "public URL" })).toMatchObject({ Version: 1, Tier: "Standard" });
    expect(await errorOf(ssm.putParameter({ Name: "/shop/web/url", Value: "https://v2", Type: "String" }))).toMatchObject({
      name: "ParameterAlreadyExists",
      message: "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    });
    expect((await ssm.putParameter({ Name: "/shop/web/url", Value: "https://v2", Overwrite: true })).Version).toBe(2);
    const { Parameter } = await ssm.getParameter({ Name: "/shop/web/url" });
    expect(Parameter).toMatchObject({ Name: "/shop/web/url", Type: "String", Value: "https://v2", Version: 2, ARN: `${arnPrefix}shop/web/url`, DataType: "text" });
    const [meta] = (await ssm.describeParameters({ ParameterFilters: [{ Key: "Name", Values: ["/shop/web/url"] }] })).Parameters ?? [];
    expect(meta).toMatchObject({ Name: "/shop/web/url", Description: "public URL", Version: 2, Type: "String", Tier: "Standard", ARN: `${arnPrefix}shop/web/url` });
  });

  it("treats a top-level name with or without its leading slash as one parameter", async () => {
    await ssm.putParameter({ Name: "token", Value: "t-1", Type: "String" });
    expect((await ssm.getParameter({ Name: "/token" })).Parameter).toMatchObject({ Name: "token", ARN: `${arnPrefix}token` });
    expect((await errorOf(ssm.putParameter({ Name: "/token", Value: "t-2", Type: "String" })))?.name).toBe("ParameterAlreadyExists");
  });

  it("keeps a SecureString's value behind WithDecryption, under the default or given KMS key", async () => {
    await ssm.putParameter({ Name: "/shop/db/password", Value: "hunter2", Type: "SecureString" });
    await ssm.putParameter({ Name: "/shop/db/user", Value: "shop", Type: "SecureString", KeyId: "alias/shop" });
    const sealed = (await ssm.getParameter({ Name: "/shop/db/password" })).Parameter?.Value ?? "";
    expect(sealed).not.toContain("hunter2");
    expect(sealed.length).toBeGreaterThan(100);
    expect((await ssm.getParameter({ Name: "/shop/db/password", WithDecryption: true })).Parameter?.Value).toBe("hunter2");
    const described = await ssm.describeParameters({ ParameterFilters: [{ Key: "Path", Values: ["/shop/db"] }] });
    expect(described.Parameters?.map((p) => [p.Name, p.KeyId])).toEqual([
      ["/shop/db/password", "alias/aws/ssm"],
      ["/shop/db/user", "alias/shop"],
    ]);
    expect(JSON.stringify(described)).not.toContain("hunter2");
  });

  it("reads a version by selector and by ARN, and names the versions it cannot find", async () => {
    const old = (await ssm.getParameter({ Name: "/shop/web/url:1" })).Parameter;
    expect(old).toMatchObject({ Name: "/shop/web/url", Value: "https://v1", Version: 1, Selector: ":1" });
    expect((await ssm.getParameter({ Name: `${arnPrefix}shop/web/url` })).Parameter?.Value).toBe("https://v2");
    expect(await errorOf(ssm.getParameter({ Name: "/shop/web/url:7" }))).toMatchObject({
      name: "ParameterVersionNotFound",
      message: "Systems Manager could not find version 7 of /shop/web/url. Verify the version and try again.",
    });
    expect((await errorOf(ssm.getParameter({ Name: "/shop/web/nope" })))?.name).toBe("ParameterNotFound");
  });

  it("GetParameters returns what it finds and lists the rest as InvalidParameters", async () => {
    const out = await ssm.getParameters({ Names: ["/shop/web/url", "/shop/nope", "/shop/web/url:9", "token"], WithDecryption: true });
    expect(out.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ["/shop/web/url", "https://v2"],
      ["token", "t-1"],
    ]);
    expect(out.InvalidParameters).toEqual(["/shop/nope", "/shop/web/url:9"]);
  });

  it("keeps each version in the history, oldest first", async () => {
    const history = await ssm.getParameterHistory({ Name: "/shop/web/url" });
    expect(history.Parameters?.map((p) => [p.Version, p.Value, p.Description])).toEqual([
      [1, "https://v1", "public URL"],
      [2, "https://v2", "public URL"],
    ]);
    const sealed = await ssm.getParameterHistory({ Name: "/shop/db/password" });
    expect(sealed.Parameters?.[0]?.Value).not.toBe("hunter2");
    expect((await errorOf(ssm.getParameterHistory({ Name: "/nope" })))?.name).toBe("ParameterNotFound");
  });

  it("refuses names AWS refuses, with AWS's messages", async () => {
    const put = (Name: string) => errorOf(ssm.putParameter({ Name, Value: "x", Type: "String" }));
    expect(await put("awsome")).toMatchObject({ name: "ValidationException", message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).' });
    expect(await put("shop/x")).toMatchObject({ name: "ValidationException", message: "Parameter name must be a fully qualified name." });
    expect(await put("/aws/x")).toMatchObject({ name: "AccessDeniedException" });
    expect((await put("/shop/with space"))?.message).toMatch(/^Parameter name: can't be prefixed with "ssm"/);
    expect(await errorOf(ssm.putParameter({ Name: "/shop/new", Value: "x" }))).toMatchObject({ message: "A parameter type is required when you create a parameter." });
  });

  it("deletes one parameter, or several at once naming those it could not find", async () => {
    await ssm.putParameter({ Name: "/tmp/a", Value: "a", Type: "StringList" });
    await ssm.putParameter({ Name: "/tmp/b", Value: "b,c", Type: "StringList" });
    await ssm.deleteParameter({ Name: "/tmp/a" });
    expect((await errorOf(ssm.deleteParameter({ Name: "/tmp/a" })))?.name).toBe("ParameterNotFound");
    expect(await ssm.deleteParameters({ Names: ["/tmp/b", "/tmp/a"] })).toMatchObject({ DeletedParameters: ["/tmp/b"], InvalidParameters: ["/tmp/a"] });
  });
});

describe("DescribeParameters filters", () => {
  const { ssm } = useSecretSim({}, async (world) => {
    await world.ssm.putParameter({ Name: "/app/prod/db", Value: "1", Type: "SecureString", Tags: [{ Key: "team", Value: "data" }] });
    await world.ssm.putParameter({ Name: "/app/prod/web/url", Value: "2", Type: "String" });
    await world.ssm.putParameter({ Name: "/app/dev/db", Value: "3", Type: "SecureString" });
    await world.ssm.putParameter({ Name: "flag", Value: "4", Type: "String" });
  });

  const names = async (input: DescribeParametersCommandInput) => (await ssm.describeParameters(input)).Parameters?.map((p) => p.Name);

  it("matches names by Equals, BeginsWith and Contains", async () => {
    expect(await names({})).toEqual(["/app/dev/db", "/app/prod/db", "/app/prod/web/url", "flag"]);
    expect(await names({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: ["/app/prod"] }] })).toEqual(["/app/prod/db", "/app/prod/web/url"]);
    expect(await names({ ParameterFilters: [{ Key: "Name", Values: ["flag"] }] })).toEqual(["flag"]);
    expect(await names({ ParameterFilters: [{ Key: "Name", Option: "Contains", Values: ["db"] }] })).toEqual(["/app/dev/db", "/app/prod/db"]);
  });

  it("matches a path one level deep or recursively, a type, and a tag", async () => {
    expect(await names({ ParameterFilters: [{ Key: "Path", Values: ["/app/prod"] }] })).toEqual(["/app/prod/db"]);
    expect(await names({ ParameterFilters: [{ Key: "Path", Option: "Recursive", Values: ["/app/prod"] }] })).toEqual(["/app/prod/db", "/app/prod/web/url"]);
    expect(await names({ ParameterFilters: [{ Key: "Path", Values: ["/"] }] })).toEqual(["flag"]);
    expect(await names({ ParameterFilters: [{ Key: "Type", Values: ["SecureString"] }, { Key: "Name", Option: "BeginsWith", Values: ["/app/dev"] }] })).toEqual(["/app/dev/db"]);
    expect(await names({ ParameterFilters: [{ Key: "tag:team", Values: ["data"] }] })).toEqual(["/app/prod/db"]);
    expect(await names({ Filters: [{ Key: "Name", Values: ["/app/dev"] }] })).toEqual(["/app/dev/db"]);
  });

  it("pages, and refuses filters AWS refuses", async () => {
    const first = await ssm.describeParameters({ MaxResults: 3 });
    expect(first.Parameters).toHaveLength(3);
    const rest = await ssm.describeParameters({ MaxResults: 3, NextToken: first.NextToken });
    expect(rest.Parameters?.map((p) => p.Name)).toEqual(["flag"]);
    expect((await errorOf(names({ ParameterFilters: [{ Key: "Name", Option: "Sounds", Values: ["x"] }] })))?.name).toBe("InvalidFilterOption");
    expect((await errorOf(names({ ParameterFilters: [{ Key: "Colour", Values: ["x"] }] })))?.name).toBe("InvalidFilterKey");
    expect(await errorOf(names({ Filters: [{ Key: "Name", Values: ["x"] }], ParameterFilters: [{ Key: "Name", Values: ["x"] }] }))).toMatchObject({
      name: "ValidationException",
      message: "You can use either Filters or ParameterFilters in a single request.",
    });
  });
});
