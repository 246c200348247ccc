import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

export const maxPageSize = 100;

/** `pageSize`: how many items a page holds, 1 to 100. The default depends on the listing. */
export function parsePageSize(raw: unknown, defaultSize: number): number {
  const text = singleValue("pageSize", raw);
  if (text === undefined) return defaultSize;
  const size = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(size >= 1 && size <= maxPageSize)) {
    throw new InputError(`pageSize must be a whole number from 1 to ${maxPageSize}, got "${text}".`, `Ask for at most ${maxPageSize} items a page and follow the pages, e.g. ?pageSize=50&page=2.`);
  }
  return size;
}
