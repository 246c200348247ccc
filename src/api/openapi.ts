import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../config/package-root.js";

/** src/api/openapi.yaml, read from the package (it is not compiled into dist/) and parsed once, as the feed's is. */
let document: unknown;

export function apiOpenApiDocument(): unknown {
  document ??= parse(readFileSync(join(packageRoot(), "src", "api", "openapi.yaml"), "utf8"));
  return document;
}
