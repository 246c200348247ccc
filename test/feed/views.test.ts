import { describe, expect, it } from "vitest";
import { parseImage } from "../../src/aws/image-reference.js";
import { slipwayTags } from "../../feed/views/tags.js";
import { newestFirstPageOf, pageOf } from "../../feed/views/paging.js";
import { etagOf, ifNoneMatchHits } from "../../feed/etag.js";

const digest = `sha256:${"ab".repeat(32)}`;

describe("images", () => {
  it.each([
    ["nginx", { repository: "nginx" }],
    ["nginx:1.27", { repository: "nginx", tag: "1.27" }],
    ["shop/web:2.0.1", { repository: "shop/web", tag: "2.0.1" }],
    [`shop/web@${digest}`, { repository: "shop/web", digest }],
    [`123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:2.0.1@${digest}`, { registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "shop/web", tag: "2.0.1", digest }],
    ["localhost:5000/web", { registry: "localhost:5000", repository: "web" }],
    ["localhost/web:1", { registry: "localhost", repository: "web", tag: "1" }],
  ])("%s", (image, parts) => expect(parseImage("web", image)).toEqual({ container: "web", image, ...parts }));
});

describe("slipway tags", () => {
  it("keeps slipway's own tags without their prefix", () => {
    expect(slipwayTags([{ key: "slipway:release", value: "1.4.0" }, { key: "team", value: "shop" }, { key: "slipway:environment", value: "dev" }])).toEqual({ release: "1.4.0", environment: "dev" });
  });
});

describe("paging", () => {
  it("slices and counts", () => {
    expect(pageOf([1, 2, 3, 4, 5], 2, 2)).toEqual({ items: [3, 4], paging: { page: 2, pageSize: 2, totalItems: 5, totalPages: 3 } });
    expect(pageOf([1, 2, 3], 9, 2).items).toEqual([]);
  });
  it("takes newest-first pages from the end of an oldest-first listing", () => {
    expect(newestFirstPageOf([1, 2, 3, 4, 5], 1, 2)).toEqual({ items: [5, 4], paging: { page: 1, pageSize: 2, totalItems: 5, totalPages: 3 } });
    expect(newestFirstPageOf([1, 2, 3, 4, 5], 3, 2).items).toEqual([1]);
    expect(newestFirstPageOf([1, 2, 3, 4, 5], 4, 2).items).toEqual([]);
    expect(newestFirstPageOf([], 1, 2).items).toEqual([]);
  });
});

describe("entity tags", () => {
  const tag = etagOf('{"a":1}');
  it("are strong, and equal only for equal bodies", () => {
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect(etagOf('{"a":1}')).toBe(tag);
    expect(etagOf('{"a":2}')).not.toBe(tag);
  });
  it.each([
    [tag, true],
    [`W/${tag}`, true],
    [`"other", ${tag}`, true],
    ["*", true],
    ['"other"', false],
    [undefined, false],
  ])("If-None-Match %s → %s", (header, hit) => expect(ifNoneMatchHits(header, tag)).toBe(hit));
});
