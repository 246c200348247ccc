import { describe, expect, it } from "vitest";
import { render, type PinnedImage } from "../../../steps/task-definition/render.js";
import { substitute } from "../../../steps/task-definition/substitute.js";

describe("substitute", () => {
  it.each([
    ["a whole-value placeholder takes the variable's type", { memory: "${MEMORY}" }, { memory: 512 }],
    ["a boolean stays a boolean", { essential: "${ESSENTIAL}" }, { essential: false }],
    ["an embedded placeholder becomes text", { value: "mode-${MODE}-${MEMORY}" }, { value: "mode-blue-512" }],
    ["placeholders inside lists", { command: ["run", "--level=${MODE}"] }, { command: ["run", "--level=blue"] }],
    ["$${ escapes a literal ${", { command: "echo $${HOME}" }, { command: "echo ${HOME}" }],
    ["keys are left alone", { "${MODE}": "x" }, { "${MODE}": "x" }],
    ["non-strings pass through", { port: 8080, on: true, none: null }, { port: 8080, on: true, none: null }],
  ])("%s", (_, template, expected) => {
    expect(substitute(template, { MEMORY: 512, MODE: "blue", ESSENTIAL: false })).toEqual({ value: expected, missing: [] });
  });

  it("lists every undefined variable with its JSON pointer", () => {
    const { missing } = substitute({ containerDefinitions: [{ memory: "${MEMROY}", environment: [{ name: "A", value: "x-${NOPE}" }] }] }, { MEMORY: 1 });
    expect(missing).toEqual([
      { name: "MEMROY", pointer: "/containerDefinitions/0/memory" },
      { name: "NOPE", pointer: "/containerDefinitions/0/environment/0/value" },
    ]);
  });
});

describe("render", () => {
  const images: PinnedImage[] = [{ container: "web", repository: "shop/web", tag: "1.4.2", digest: "sha256:abc", image: "1.dkr.ecr.us-east-1.amazonaws.com/shop/web@sha256:abc" }];
  const template = {
    cpu: "${CPU}",
    memory: "${MEMORY}",
    containerDefinitions: [{ name: "web", image: "shop/web", memory: "${MEMORY}" }],
    tags: [{ key: "team", value: "shop" }],
  };

  it("pins images, substitutes variables, keeps task sizes as strings and tags the revision", () => {
    const result = render({ family: "shop-web", template, variables: { CPU: 256, MEMORY: 512 }, images, environment: "prod", release: "2024.5.1" });
    expect(result).toEqual({
      ok: true,
      input: {
        family: "shop-web",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "web", image: "1.dkr.ecr.us-east-1.amazonaws.com/shop/web@sha256:abc", memory: 512 }],
        tags: [
          { key: "team", value: "shop" },
          { key: "slipway:release", value: "2024.5.1" },
          { key: "slipway:environment", value: "prod" },
          { key: "slipway:image/web", value: "1.4.2" },
        ],
      },
    });
  });

  it("returns the missing variables instead of an input", () => {
    expect(render({ family: "f", template, variables: { CPU: 256 }, images, environment: "dev" })).toEqual({
      ok: false,
      missing: [
        { name: "MEMORY", pointer: "/memory" },
        { name: "MEMORY", pointer: "/containerDefinitions/0/memory" },
      ],
    });
  });
});
