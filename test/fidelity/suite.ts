import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fidelityBackends, type Backend, type BackendName } from "../support/backends.js";

/**
 * One scenario list, run once per backend. Scenarios registered with `both` must pass on the simulator and on
 * moto; `simOnly` ones run on the simulator and show up as skipped on moto with the reason; `compared` ones
 * also return an observation (normalised: no generated ids or timestamps) that must be equal on both.
 */
export interface ScenarioApi {
  both(name: string, fn: (b: Backend) => Promise<void>): void;
  compared(name: string, fn: (b: Backend) => Promise<unknown>): void;
  simOnly(reason: string, name: string, fn: (b: Backend) => Promise<void>): void;
}

export function fidelitySuite(title: string, region: string, define: (api: ScenarioApi) => void): void {
  const observations = new Map<string, Partial<Record<BackendName, unknown>>>();
  const comparedNames: string[] = [];

  describe.each(fidelityBackends())(`${title} [$name]`, (entry) => {
    let backend: Backend | undefined;
    const current = (): Backend => {
      if (!backend) throw new Error(`${entry.name} backend did not start`);
      return backend;
    };

    beforeAll(async () => {
      if (!entry.unavailable) backend = await entry.start(region);
    });
    afterAll(() => backend?.close());
    beforeEach(async (ctx) => {
      if (entry.unavailable) ctx.skip(entry.unavailable);
      await current().reset();
    });

    const api: ScenarioApi = {
      both: (name, fn) => it(name, () => fn(current())),
      compared(name, fn) {
        if (entry.name === "simulator") comparedNames.push(name);
        it(name, async () => {
          const observed = await fn(current());
          observations.set(name, { ...observations.get(name), [entry.name]: observed });
        });
      },
      simOnly(reason, name, fn) {
        if (entry.name === "simulator") it(name, () => fn(current()));
        else it.skip(`${name} (simulator only: ${reason})`, () => undefined);
      },
    };
    define(api);
  });

  // describe.each runs the backends one after the other in this file, so both observations exist by now.
  // Every suite needs at least one `compared` scenario: vitest fails a describe that holds no test.
  describe(`${title}: the simulator and moto answer alike`, () => {
    for (const name of comparedNames) {
      it(name, (ctx) => {
        const seen = observations.get(name) ?? {};
        if (!("simulator" in seen) || !("moto" in seen)) ctx.skip("needs the scenario to pass on both backends first");
        expect(seen.simulator).toEqual(seen.moto);
      });
    }
  });
}
