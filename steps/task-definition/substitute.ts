import { joinPointer } from "../../src/config/pointer.js";
import type { VariableMap, VariableValue } from "./input.js";

/** A ${NAME} with no value in this environment, and where in the template it was written. */
export interface MissingVariable {
  name: string;
  /** JSON pointer from the template's root. */
  pointer: string;
}

const wholePlaceholder = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
// "$${" is an escaped "${": written for a value that must keep a literal "${" (a shell snippet in command:).
const placeholder = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substituteString(text: string, variables: VariableMap, pointer: string, missing: MissingVariable[]): VariableValue {
  const whole = wholePlaceholder.exec(text);
  if (whole) {
    const name = whole[1] as string;
    // A placeholder that is the whole value takes the variable's type, so `memory: ${MEMORY}` can be a number.
    if (name in variables) return variables[name] as VariableValue;
    missing.push({ name, pointer });
    return text;
  }
  return text.replace(placeholder, (match, escaped: string, name: string) => {
    if (escaped === "$") return match.slice(1);
    if (name in variables) return String(variables[name]);
    missing.push({ name, pointer });
    return match;
  });
}

function walk(value: unknown, variables: VariableMap, pointer: string, missing: MissingVariable[]): unknown {
  if (typeof value === "string") return substituteString(value, variables, pointer, missing);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, variables, joinPointer(pointer, i), missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, variables, joinPointer(pointer, key), missing)]));
  }
  return value;
}

/** Replaces every ${NAME} in the template's string values (keys are left alone); pure. */
export function substitute<T>(template: T, variables: VariableMap): { value: T; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const value = walk(template, variables, "", missing) as T;
  return { value, missing };
}

/** Every variable name a ${NAME} in the template's string values refers to (escaped "$${" ones not counted). */
export function placeholdersIn(template: unknown): Set<string> {
  // Substituting nothing reports every placeholder as missing: the same scan, escapes and all, as rendering.
  return new Set(substitute(template, {}).missing.map((m) => m.name));
}
