import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { OPERATIONS_PAGE, OPERATIONS_PAGE_COMMAND, renderOperationsPage, SERVICES } from "../../src/sim/operations-page.js";
import { Simulator } from "../../src/sim/simulator.js";

/**
 * src/sim/README.md is the simulator's operations and their known differences from AWS, generated from its own
 * tables: it must be what the renderer makes of them now, and those tables must agree with each other.
 */
describe("the simulator's operations page", () => {
  const sim = new Simulator();
  const page = renderOperationsPage(sim);
  afterAll(() => sim.close());

  it(`is current (${OPERATIONS_PAGE_COMMAND} writes it)`, () => {
    const written = readFileSync(new URL(`../../${OPERATIONS_PAGE}`, import.meta.url), "utf8");
    expect(written, `${OPERATIONS_PAGE} is out of date: run \`${OPERATIONS_PAGE_COMMAND}\` and commit it`).toBe(page);
  });

  it.each(SERVICES)("lists differences of %s only for operations it serves", (service) => {
    const module = sim.module(service);
    const stale = Object.keys(module.differences.operations).filter((op) => !Object.hasOwn(module.operations, op));
    expect(stale, `differences of ${service} for operations it does not serve`).toEqual([]);
  });

  it.each(SERVICES)("shows every operation %s serves, in that service's section", (service) => {
    const start = page.indexOf(`(\`${service}\`)\n`);
    const end = page.indexOf("\n## ", start);
    const section = page.slice(start, end);
    expect(start).toBeGreaterThan(0);
    const missing = Object.keys(sim.module(service).operations).filter((op) => !section.includes(`| \`${op}\` |`));
    expect(missing).toEqual([]);
  });

  it.each(SERVICES)("words each difference of %s as sentences", (service) => {
    const { service: serviceWide, operations } = sim.module(service).differences;
    for (const difference of [...serviceWide, ...Object.values(operations).flat()]) {
      expect(difference, `a difference of ${service}`).toMatch(/^\S.*\.$/);
      expect(difference).not.toContain("\n");
    }
    for (const [op, list] of Object.entries(operations)) expect(list.length, `${service} ${op}: an empty list`).toBeGreaterThan(0);
  });
});
