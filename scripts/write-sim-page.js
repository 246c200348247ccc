// Writes src/sim/README.md, the page of the simulator's operations and their known differences from AWS, from the
// built simulator's own tables (`npm run sim:page` builds first). test/sim/operations-page.test.ts checks it.
import { writeFileSync } from "node:fs";
import { URL } from "node:url";
import { OPERATIONS_PAGE, renderOperationsPage } from "../dist/src/sim/operations-page.js";
import { Simulator } from "../dist/src/sim/simulator.js";

const sim = new Simulator();
try {
  writeFileSync(new URL(`../${OPERATIONS_PAGE}`, import.meta.url), renderOperationsPage(sim));
  console.log(`wrote ${OPERATIONS_PAGE}`);
} finally {
  await sim.close();
}
