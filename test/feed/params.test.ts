import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseAll } from "../../feed/params/all.js";
import { parsePage } from "../../feed/params/page.js";
import { parsePageSize } from "../../feed/params/page-size.js";
import { parseRange } from "../../feed/params/range.js";
import { parseStatus } from "../../feed/params/status.js";
import { parseSearch } from "../../feed/params/search.js";
import { parseFamily } from "../../feed/params/family.js";
import { parseVersion } from "../../feed/params/version.js";
import { parseUnowned } from "../../feed/params/unowned.js";

function refusal(parse: () => unknown): InputError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).hint).toBeTruthy();
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("page", () => {
  it.each([
    [undefined, 1],
    ["1", 1],
    ["42", 42],
  ])("%s → %s", (raw, page) => expect(parsePage(raw)).toBe(page));
  it.each(["0", "-1", "1.5", "x", "", "01", "9999999999", ["1", "2"]])("refuses %j", (raw) => expect(refusal(() => parsePage(raw)).message).toMatch(/page/));
});

describe("pageSize", () => {
  it.each([
    [undefined, 20],
    ["1", 1],
    ["100", 100],
  ])("%s → %s", (raw, size) => expect(parsePageSize(raw, 20)).toBe(size));
  it.each(["0", "101", "1e2", "ten", "", ["5"]])("refuses %j", (raw) => expect(refusal(() => parsePageSize(raw, 20)).message).toMatch(/pageSize/));
});

describe("status", () => {
  it.each([
    [undefined, "ACTIVE"],
    ["ACTIVE", "ACTIVE"],
    ["inactive", "INACTIVE"],
  ])("%s → %s", (raw, status) => expect(parseStatus(raw)).toBe(status));
  it.each(["ALL", "DELETE_IN_PROGRESS", "", "Active", ["ACTIVE", "INACTIVE"]])("refuses %j", (raw) => expect(refusal(() => parseStatus(raw)).message).toMatch(/status/));
});

describe("all", () => {
  it.each([
    [undefined, false],
    ["true", true],
    ["false", false],
  ])("%j → %s", (raw, all) => expect(parseAll(raw)).toBe(all));
  // As JSON writes a boolean, and the OpenAPI document's type says: what the document refuses, the feed refuses.
  it.each(["", "1", "yes", "on", "TRUE", "False", ["true", "true"]])("refuses %j", (raw) => expect(refusal(() => parseAll(raw)).message).toMatch(/all/));
});

describe("unowned", () => {
  it.each([
    [undefined, false],
    ["true", true],
    ["false", false],
  ])("%j → %s", (raw, unowned) => expect(parseUnowned(raw)).toBe(unowned));
  // As for all: a boolean as JSON and the OpenAPI document write one, nothing else.
  it.each(["", "1", "yes", "on", "TRUE", "False", ["true", "true"]])("refuses %j", (raw) => expect(refusal(() => parseUnowned(raw)).message).toMatch(/unowned/));
});

describe("q", () => {
  it.each([
    [undefined, undefined],
    ["  ", undefined],
    ["Web", "web"],
    ["😀".repeat(255), "😀".repeat(255)],
  ])("%j → %j", (raw, search) => expect(parseSearch(raw)).toBe(search));
  // Counted as sent, in characters: 256 spaces are too long even though they trim to nothing.
  it.each(["x".repeat(256), " ".repeat(256), { a: "b" }])("refuses %j", (raw) => void refusal(() => parseSearch(raw)));
});

describe("range", () => {
  const matching = (raw: string) => [1, 2, 11, 12, 13, 19, 20, 21].filter((n) => parseRange(raw)?.includes(n));
  it.each([
    [">=12 <20", [12, 13, 19]],
    [">=12", [12, 13, 19, 20, 21]],
    ["12", [12]],
    ["12 || 20", [12, 20]],
    ["<=2", [1, 2]],
    ["^12", [12]],
    ["*", [1, 2, 11, 12, 13, 19, 20, 21]],
    ["[12,20)", [12, 13, 19]],
    ["(12,20]", [13, 19, 20]],
    ["[12]", [12]],
    ["(,2]", [1, 2]],
    ["[20,)", [20, 21]],
    ["12 - 19", [12, 13, 19]],
    ["(,)", [1, 2, 11, 12, 13, 19, 20, 21]],
  ])("%s keeps %j", (raw, kept) => expect(matching(raw)).toEqual(kept));
  it("is absent when not given", () => expect(parseRange(undefined)).toBeUndefined());
  it("reports the range as semver reads it", () => expect(parseRange(">=12 <20")?.semver).toBe(">=12.0.0 <20.0.0-0"));
  // The OpenAPI document's pattern is the feed's own (rangePattern): spaces only where it puts them, numbers only.
  it.each(["banana", "=>12", "1.2.3.4", "[1,2", ">= 12", " 12", "12  ||  14", "[12, 20)", "1.2.3", ["1", "2"]])("refuses %j", (raw) => expect(refusal(() => parseRange(raw)).message).toMatch(/range/));
});

describe("family and version path segments", () => {
  it.each(["shop-web", "A_1"])("family %s", (raw) => expect(parseFamily(raw)).toBe(raw));
  it.each(["bad family", "a:1", "x".repeat(256), ""])("refuses family %j", (raw) => void refusal(() => parseFamily(raw)));
  it.each([
    ["1", 1],
    ["2000", 2000],
  ])("version %s → %s", (raw, n) => expect(parseVersion(raw)).toBe(n));
  it.each(["0", "01", "1.0", "latest", "-3"])("refuses version %j", (raw) => void refusal(() => parseVersion(raw)));
});
