import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../src/config/package-root.js";

/** feed/openapi.yaml, read from the package (it is not compiled into dist/) and parsed once. */
let document: unknown;

export function openApiDocument(): unknown {
  document ??= parse(readFileSync(join(packageRoot(), "feed", "openapi.yaml"), "utf8"));
  return document;
}
