import { InputError } from "../../src/errors.js";
import { nearest } from "../../src/config/suggest.js";
import type { ImageRule, TaskDefinitionStepInput } from "./input.js";

const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[0-9a-f]{64}$/;

/**
 * `--image web=1.4.3` (a tag) or `--image web@sha256:…` (a digest): a release-time choice that replaces the
 * step's rule for that container. A tag keeps the step's allowMovingTag, so `--image web=latest` is refused
 * exactly when the step would refuse it.
 */
export function parseImageOverride(flag: string, input: Pick<TaskDefinitionStepInput, "containers" | "images">): [string, ImageRule] {
  const match = /^([A-Za-z0-9_-]+)(=|@)(.+)$/.exec(flag);
  const example = "--image web=1.4.3 or --image web@sha256:<64 hex digits>";
  if (!match) throw new InputError(`--image ${flag} is not an image choice.`, `Write ${example}.`);
  const [, container, separator, value] = match as unknown as [string, string, string, string];
  const names = input.containers.map((c) => c.name);
  if (!names.includes(container)) {
    const guess = nearest(container, names);
    throw new InputError(`--image ${flag} names the container "${container}", which the template does not have.`, `${guess ? `Did you mean "${guess}"? ` : ""}The containers are: ${names.join(", ")}.`);
  }
  if (separator === "@") {
    if (!digestPattern.test(value)) throw new InputError(`--image ${flag}: "${value}" is not an image digest.`, "A digest is sha256: followed by 64 lowercase hex digits.");
    return [container, { kind: "digest", digest: value }];
  }
  if (!tagPattern.test(value)) throw new InputError(`--image ${flag}: "${value}" is not a valid image tag.`, "A tag is up to 128 letters, digits, underscores, periods and hyphens, not starting with a period or hyphen.");
  const stepRule = input.images[container];
  return [container, { kind: "tag", tag: value, allowMovingTag: stepRule?.kind === "tag" && stepRule.allowMovingTag }];
}

/** The step's image rules with the command line's choices in place of the step's for the containers they name. */
export function withImageOverrides<T extends Pick<TaskDefinitionStepInput, "containers" | "images">>(input: T, flags: readonly string[]): T {
  if (flags.length === 0) return input;
  return { ...input, images: { ...input.images, ...Object.fromEntries(flags.map((flag) => parseImageOverride(flag, input))) } };
}
