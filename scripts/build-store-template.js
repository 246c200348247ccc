// Builds the embedded store's template (dist/store-template/: a created and migrated PGlite data directory that a
// new project's store is unpacked from instead of running initdb), unless the one there fits this PGlite and these
// migrations already. `npm run build` runs it after tsc; it imports the built code.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTemplate, packagedTemplateDir, templateIsCurrent } from "../dist/src/storage/sql/pglite-template.js";

const dir = packagedTemplateDir();
if (templateIsCurrent(dir)) {
  console.log(`store template: ${dir} is current`);
} else {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "slipway-template-"));
  try {
    const manifest = await buildTemplate(dir, scratch);
    console.log(`store template: built ${dir} (PGlite ${manifest.pglite}, PostgreSQL ${manifest.pgVersion}, migrations ${manifest.migrations.join(",")}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
