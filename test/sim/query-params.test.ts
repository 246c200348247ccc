import { describe, expect, it } from "vitest";
import { AwsError } from "../../src/sim/aws-error.js";
import { parseQueryParams } from "../../src/sim/protocols/query.js";

/** The query protocol's parameters (ELBv2) read into an operation's input, as AWS reads them. */
describe("query parameters", () => {
  const read = (body: string) => parseQueryParams(new URLSearchParams(body));

  it("make member lists arrays and structures objects, gaps closed in index order", () => {
    expect(read("Names.member.3=c&Names.member.1=a&Tags.member.2.Key=k2&Tags.member.1.Key=k1&Tags.member.1.Value=v1&PageSize=10")).toEqual({
      Names: ["a", "c"],
      Tags: [{ Key: "k1", Value: "v1" }, { Key: "k2" }],
      PageSize: "10",
    });
  });

  it("read a list whose indexes are far apart as its members alone, without walking the gap", () => {
    expect(read("Names.member.1=a&Names.member.4294967294=b")).toEqual({ Names: ["a", "b"] });
  });

  it("refuse a list item given both a value and members, in either order", () => {
    expect(() => read("Tags.member.1.Key=k&Tags.member.1=v")).toThrow(/gives a value to a list item that other parameters give members/);
    expect(() => read("Tags.member.1=v&Tags.member.1.Key=k")).toThrow(/gives members to a list item that other parameters give a value/);
  });

  it("refuse an index that is no positive whole number", () => {
    expect(() => read("Names.member.0=a")).toThrow(AwsError);
    expect(() => read("Names.member.x=a")).toThrow(/Bad list index in parameter Names.member.x/);
  });
});
