import { InputError } from "../../src/errors.js";

/** ECS's own rule for family names, so a name ECS could never hold is refused before any look-up. */
const familyPattern = /^[A-Za-z0-9_-]{1,255}$/;

/** The `{family}` path segment: a task definition family name. */
export function parseFamily(raw: string): string {
  if (familyPattern.test(raw)) return raw;
  throw new InputError(`"${raw}" is not a task definition family name.`, "A family name has up to 255 letters, digits, hyphens and underscores, e.g. shop-web.");
}
