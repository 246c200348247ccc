import { readFileSync } from "node:fs";
import { InputError } from "../src/errors.js";

/** Read keys, one a line; blank lines and lines starting with # are skipped so a file can say whose key is whose. */
export function readKeysFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`The keys file ${file} cannot be read: ${(error as Error).message}`, "Check the path given to --keys-file.");
  }
  const keys = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  if (keys.length === 0) throw new InputError(`The keys file ${file} holds no keys.`, "Put one read key a line, e.g. the output of `openssl rand -hex 32`.");
  const short = keys.findIndex((k) => k.length < 16 || /\s/.test(k));
  if (short >= 0) throw new InputError(`Key ${short + 1} in ${file} is shorter than 16 characters or contains spaces.`, "Use long random keys, e.g. `openssl rand -hex 32`.");
  return keys;
}
