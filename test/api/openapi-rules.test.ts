import { describe, expect, it } from "vitest";
import { apiOpenApiDocument } from "../../src/api/openapi.js";
import { parseStatuses } from "../../src/api/params.js";
import { maxNotesLength } from "../../src/releases/create-release.js";
import { isReleaseVersion, maxReleaseVersionLength, releaseVersionPattern } from "../../src/releases/release-version.js";
import { openApiDocument as feedOpenApiDocument } from "../../feed/openapi.js";
import { readFileSync } from "node:fs";
import { parseRange, rangePattern } from "../../feed/params/range.js";

/** A value at a path of a parsed document, e.g. at(doc, "components", "schemas", "NewRelease"). */
function at(document: unknown, ...path: string[]): Record<string, unknown> {
  return path.reduce((node, key) => (node as Record<string, unknown>)[key], document) as Record<string, unknown>;
}

/**
 * The OpenAPI documents state the rules the servers check, written once in the code: a client (or schemathesis)
 * that follows the document is never refused, and one that does not is never let in.
 */
describe("the OpenAPI documents carry the servers' own rules", () => {
  const api = apiOpenApiDocument();
  const newRelease = at(api, "components", "schemas", "NewRelease", "properties");

  it("a release version: semver without build metadata, the same pattern and length as release create checks", () => {
    expect(at(newRelease, "version")).toMatchObject({ pattern: releaseVersionPattern, maxLength: maxReleaseVersionLength });
    expect(at(newRelease, "notes")).toMatchObject({ maxLength: maxNotesLength });
    for (const good of ["1.0.0", "0.0.0", "1.5.0-rc.1", "2.0.0-alpha-1.beta"]) expect(isReleaseVersion(good), good).toBe(true);
    for (const bad of ["v1.0.0", "1.0", "1.0.0+build.7", "01.0.0", "1.0.0-01", "1234567890123456.0.0", " 1.0.0"]) expect(isReleaseVersion(bad), bad).toBe(false);
  });

  it("the deployments' status filter: the run statuses the document lists, joined by commas", () => {
    const statuses = at(api, "components", "schemas", "RunStatus").enum as string[];
    const filter = (at(api, "paths", "/api/v1/deployments", "get").parameters as { name: string; schema: { pattern: string } }[]).find((p) => p.name === "status");
    const pattern = new RegExp(filter?.schema.pattern as string);
    expect(parseStatuses(statuses.join(","))).toEqual(statuses);
    for (const text of [statuses.join(","), "running", ...statuses]) expect(pattern.test(text), text).toBe(true);
    for (const text of ["", "PRIMARY", "running,", "running, failed", "RUNNING"]) {
      expect(pattern.test(text), text).toBe(false);
      expect(() => parseStatuses(text), text).toThrow(/deployment statuses/);
    }
  });

  it("the feed's version range: the pattern the feed checks, and every range it matches is one semver reads", () => {
    const feed = feedOpenApiDocument();
    const range = (at(feed, "paths", "/v1/environments/{environment}/packages/{family}/versions", "get").parameters as { name: string; schema: { pattern: string } }[]).find((p) => p.name === "range");
    expect(range?.schema.pattern).toBe(`^$|${rangePattern}`);
    for (const text of ["*", "0", ">=12 <20", "12 - 19", "^3 || ~4 || =5", "[12]", "(,)", "[0,999999999]"]) expect(parseRange(text)?.semver, text).toBeTruthy();
  });

  it("a channel's revision range: the channels schema checks the pattern the feed checks", () => {
    const schema: unknown = JSON.parse(readFileSync(new URL("../../schemas/channels.schema.json", import.meta.url), "utf8"));
    expect(at(schema, "$defs", "channel", "properties", "revisions", "additionalProperties").pattern).toBe(rangePattern);
  });
});
