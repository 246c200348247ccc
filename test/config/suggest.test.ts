import { describe, expect, it } from "vitest";
import { nearest } from "../../src/config/suggest.js";

const targetKeys = ["region", "cluster", "account", "roleArn", "externalId", "profile", "endpoint", "loadBalancer"];

describe("nearest", () => {
  it.each([
    ["reigon", "region"],
    ["clustr", "cluster"],
    ["rolearn", "roleArn"],
    ["role_arn", "roleArn"],
    ["loadbalancers", "loadBalancer"],
    ["endpont", "endpoint"],
    ["image", undefined],
    ["x", undefined],
  ])("%s → %s", (typed, expected) => {
    expect(nearest(typed, targetKeys)).toBe(expected);
  });
});
