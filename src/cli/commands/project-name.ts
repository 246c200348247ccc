import { existsSync } from "node:fs";
import { loadProject } from "../../config/load.js";
import { isRecord } from "../../config/raw.js";
import { readSource } from "../../config/source.js";

/**
 * The project's name, read without checking the rest of its files: deciding a gate that waits, or reading the
 * store, must not depend on a targets file someone is editing. A file whose name cannot be read is checked whole.
 */
export function projectNameOf(projectFile: string): string {
  if (existsSync(projectFile)) {
    const doc = readSource(projectFile);
    const name = isRecord(doc.value) ? doc.value.name : undefined;
    if (typeof name === "string" && /^[a-z][a-z0-9-]{0,62}$/.test(name)) return name;
  }
  return loadProject(projectFile).project.name;
}
