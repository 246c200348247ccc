import { describe, expect, it } from "vitest";
import type { ImageInfo } from "../../../src/aws/images.js";
import { InputError, NotFoundError } from "../../../src/errors.js";
import type { ImageRule } from "../../../steps/task-definition/input.js";
import { isMovingTag, selectImage } from "../../../steps/task-definition/select-images.js";

const digest = (n: number) => `sha256:${String(n).padStart(64, "0")}`;
const images: ImageInfo[] = [
  { digest: digest(1), tags: ["1.3.9"] },
  { digest: digest(2), tags: ["1.4.0", "v1.4.0"] },
  { digest: digest(3), tags: ["1.4.2", "latest"] },
  { digest: digest(4), tags: ["1.5.0-rc.1"] },
  { digest: digest(5), tags: ["2.0.0"] },
  { digest: digest(6), tags: ["build-1234", "9999"] },
  { digest: digest(7), tags: [] },
];
const where = { container: "web", repository: "shop/web" };
const tag = (t: string, allowMovingTag = false): ImageRule => ({ kind: "tag", tag: t, allowMovingTag });
const range = (r: string, prerelease = false): ImageRule => ({ kind: "range", range: r, prerelease });

describe("selectImage", () => {
  it.each([
    ["an explicit tag", tag("1.4.0"), { tag: "1.4.0", digest: digest(2) }],
    ["a tag that is not a version", tag("build-1234"), { tag: "build-1234", digest: digest(6) }],
    ["a range: the newest matching version", range("^1.4"), { tag: "1.4.2", digest: digest(3) }],
    ["a tilde range", range("~1.3"), { tag: "1.3.9", digest: digest(1) }],
    ["a range with prereleases allowed", range("^1.4", true), { tag: "1.5.0-rc.1", digest: digest(4) }],
    ["a range across majors", range(">=1.0.0"), { tag: "2.0.0", digest: digest(5) }],
    ["a digest, even of an untagged image", { kind: "digest", digest: digest(7) } as ImageRule, { digest: digest(7) }],
    ["latest when moving tags are allowed", tag("latest", true), { tag: "latest", digest: digest(3) }],
  ])("chooses by %s", (_, rule, expected) => {
    expect(selectImage(rule, images, where)).toEqual(expected);
  });

  it("ignores tags that are not semantic versions when choosing by range", () => {
    // "9999" would be the newest if it counted; build-1234 is not a version at all.
    expect(selectImage(range("*"), images, where).tag).toBe("2.0.0");
  });

  it("leaves prereleases out unless asked", () => {
    expect(() => selectImage(range("^1.5.0-rc.0"), images, where)).toThrow(NotFoundError);
    expect(selectImage(range("^1.5.0-rc.0", true), images, where).tag).toBe("1.5.0-rc.1");
  });

  it("names the nearest tags when a tag is missing", () => {
    const error = (() => {
      try {
        selectImage(tag("1.4.3"), images, where);
      } catch (e) {
        return e as NotFoundError;
      }
    })();
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error?.message).toBe('No image is tagged "1.4.3" in the repository shop/web (container "web").');
    expect(error?.hint).toBe("The nearest tags are: 1.4.0, 1.4.2, 1.3.9. Push the image, or choose one with --image web=<tag>.");
  });

  it("lists the newest versions when no tag matches a range", () => {
    expect(() => selectImage(range("^3"), images, where)).toThrow(/No tag in the repository shop\/web \(container "web"\) is a version matching "\^3" \(prereleases not counted\)/);
  });

  it("refuses a digest the repository does not have", () => {
    expect(() => selectImage({ kind: "digest", digest: digest(9) }, images, where)).toThrow(NotFoundError);
  });

  it.each(["latest", "LATEST", "stable", "main"])("refuses the moving tag %s, saying why", (moving) => {
    const error = (() => {
      try {
        selectImage(tag(moving), images, where);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/not reproducible/);
    expect(error?.message).toMatch(/rollback/);
    expect(error?.message).toMatch(/ECS does not pull a tag again/);
    expect(error?.hint).toMatch(/allowMovingTag: true/);
  });

  it.each([
    ["latest", true],
    ["1.4.2", false],
    ["build-1234", false],
    ["3f9c2ab", false],
  ])("counts %s as moving: %s", (t, moving) => {
    expect(isMovingTag(t)).toBe(moving);
  });
});
