import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/** `page`: which page of a listing, counting from 1. Default 1; a page past the end is empty, not an error. */
export function parsePage(raw: unknown): number {
  const text = singleValue("page", raw);
  if (text === undefined) return 1;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new InputError(`page must be a whole number from 1, got "${text}".`, "Pages count from 1: ?page=1 is the first page.");
  return Number(text);
}
