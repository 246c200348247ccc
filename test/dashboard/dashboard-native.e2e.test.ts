import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeApiWorld, type NativeApiWorld } from "../api/native-api-world.js";
import { listening } from "../api/sse.js";
import { openWithKey } from "./signed-in.js";

/**
 * An ecs-linear deployment on its page, in headless Chromium: where ECS is, the pause hook it waits at with its
 * timeout and action, the production and test rules' weights, the shifts to come; approved from the page, the next
 * step's weights follow. A screenshot is kept in test-artifacts/.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const artifacts = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** Each rule's row: its name and the new and old revisions' shares, as the page shows them. */
async function ruleRows(page: Page): Promise<string[][]> {
  const rows = page.getByRole("table", { name: "Rules ECS shifts for shop-web" }).locator("tbody tr");
  return rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-rule") ?? "", ...[...tr.querySelectorAll(".weight-value")].map((v) => v.textContent ?? "")]));
}

describe.skipIf(!hasChromium)(hasChromium ? "an ecs-linear deployment in the dashboard, in headless Chromium" : `an ecs-linear deployment in the dashboard (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let n: NativeApiWorld;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    n = await nativeApiWorld();
    server = await listening(n.app);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await n?.close();
  });

  it("shows ECS's stage, the hook's timeout and action, 25 % / 75 % in production and 100 % to testers; approved, 50 % / 50 %", { timeout: 90_000 }, async () => {
    const run = await n.deploy("1.1.0");
    await n.decide((await n.gate(run.id, "PRE_PRODUCTION_TRAFFIC_SHIFT at 0%")).deploymentId, "approve");
    await n.gate(run.id, "PRE_PRODUCTION_TRAFFIC_SHIFT at 25%");

    const { page, problems, consoleErrors } = await openWithKey(browser, server.url, n.w.keys.admin, `#/deployments/${encodeURIComponent(run.id)}`);
    await page.getByRole("heading", { level: 1, name: "Release 1.1.0 to dev" }).waitFor();
    const field = (name: string) => page.locator(`[data-field="${name}"]`);
    await expect.poll(() => field("stage").textContent(), { timeout: 15_000 }).toMatch(/^IN_PROGRESS at PRE_PRODUCTION_TRAFFIC_SHIFTshop-web:\d+ → shop-web:\d+/);
    expect(await page.getByRole("definition").filter({ hasText: "ECS linear" }).textContent()).toBe("ECS linear: 25% of production a step, 0 min between steps; bake 0 min once all traffic is on the new revision");
    expect(await field("hook").textContent()).toMatch(/^waiting until .+, then ECS does ROLLBACKecs-pause-/);
    expect(await field("to-come").textContent()).toBe("50% → 75% → 100% (of 25%, 50%, 75%, 100%)");
    expect(await ruleRows(page)).toEqual([
      ["Production rule", "25%", "75%"],
      ["Test rule", "100%", "0%"],
    ]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}dashboard-native.png`, fullPage: true });

    // Approved from the page: ECS shifts the next step and waits again; the page follows.
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => ruleRows(page), { timeout: 30_000 }).toEqual([
      ["Production rule", "50%", "50%"],
      ["Test rule", "100%", "0%"],
    ]);
    expect(await field("to-come").textContent()).toMatch(/^75% → 100%/);
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // Aborted at the next pause: ECS rolls back, and nothing is left to come.
    await n.gate(run.id, "PRE_PRODUCTION_TRAFFIC_SHIFT at 50%");
    const ended = n.w.settled.at(-1);
    await n.decide(run.id, "abort");
    expect((await ended)?.status).toBe("rolled-back");
    await expect.poll(() => field("stage").textContent(), { timeout: 15_000 }).toMatch(/^ROLLBACK_SUCCESSFUL/);
    expect(await field("to-come").textContent()).toMatch(/^none/);
    expect(await ruleRows(page)).toEqual([
      ["Production rule", "0%", "100%"],
      ["Test rule", "0%", "100%"],
    ]);
  });
});
