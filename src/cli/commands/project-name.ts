import { existsSync } from "node:fs";
import { isRecord } from "../../config/raw.js";
import { readSource } from "../../config/source.js";

/** The `name:` a project file declares, read without checking anything else of it; undefined when it names none. */
export function declaredProjectName(projectFile: string): string | undefined {
  if (!existsSync(projectFile)) return undefined;
  const doc = readSource(projectFile);
  const name = isRecord(doc.value) ? doc.value.name : undefined;
  return typeof name === "string" ? name : undefined;
}

/**
 * The project's name, read without checking the rest of its files: deciding a gate that waits, or reading the
 * store, must not depend on a targets file someone is editing. A file whose name cannot be read is checked whole.
 */
export async function projectNameOf(projectFile: string): Promise<string> {
  const name = declaredProjectName(projectFile);
  if (name !== undefined && /^[a-z][a-z0-9-]{0,62}$/.test(name)) return name;
  // Only now the schemas (Ajv and their compilation): to say what is wrong with the file.
  const { loadProject } = await import("../../config/load.js");
  return loadProject(projectFile).project.name;
}
