import { existsSync, mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { isRunning, listening, startDemo, type DemoChild } from "./demo-child.js";

/**
 * The demo's prod canary watched, approved and completed from the dashboard, in a real headless Chromium (Debian's
 * `chromium`, driven by playwright-core), against the built CLI (`npm test` builds it first). A screenshot of the
 * finished deployment is kept in test-artifacts/.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const artifacts = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const screenshot = `${artifacts}dashboard-canary.png`;

/** Each task set row's revision, role and share of traffic, as the page shows them. */
async function taskSetRows(page: Page): Promise<{ revision: string; role: string; traffic: string }[]> {
  const rows = page.getByRole("table", { name: "Task sets of shop-web" }).locator("tbody tr");
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      revision: tr.querySelector("td:nth-of-type(2)")?.textContent ?? "",
      role: tr.querySelector("td:nth-of-type(3)")?.textContent ?? "",
      traffic: tr.querySelector(".weight-value")?.textContent ?? "",
    })),
  );
}

describe.skipIf(!hasChromium)(hasChromium ? "the dashboard in headless Chromium" : `the dashboard in headless Chromium (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let demo: DemoChild | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    // Only when the test failed half-way: nothing the demo started may outlive the suite.
    demo?.kill();
  });

  it("watches the demo's prod canary, approves it and sees it complete", { timeout: 300_000 }, async () => {
    const built = fileURLToPath(new URL("../../dist/src/api/routes/live.js", import.meta.url));
    expect(existsSync(built), "the demo runs the built CLI: `npm run build` first (`npm test` does)").toBe(true);
    const started = Date.now();
    demo = startDemo(["--serve", "--port", "0", "--frontend-base-port", "0"]);
    const simulator = (await demo.line(/simulator at (http:\/\/\S+);/, 60_000))[1] as string;
    const url = (await demo.line(/dashboard and API at (http:\/\/\S+)/, 180_000))[1] as string;
    await demo.line(/the prod canary waits for you/, 120_000);
    const waitingAfter = Date.now() - started;

    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on("pageerror", (error) => problems.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(`${url}/`) && !request.url().startsWith("data:")) elsewhere.push(request.url());
    });

    // Overview → the deployment in progress in prod.
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: /Overview/ }).waitFor();
    await page.getByRole("list", { name: "In progress in prod" }).getByRole("link", { name: "Release 1.1.0 to prod" }).click();
    await page.getByRole("heading", { level: 1, name: "Release 1.1.0 to prod" }).waitFor();
    const status = page.locator("#deployment-status");
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/waiting for approval at stage \d+ approval/);

    // Two task sets, the canary's target group at 10 % of production traffic; the verification rule open to testers.
    await expect.poll(() => taskSetRows(page), { timeout: 15_000 }).toHaveLength(2);
    const watched = await taskSetRows(page);
    expect(watched.map((r) => r.traffic).sort()).toEqual(["10%", "90%"]);
    expect(watched.find((r) => r.traffic === "10%")?.role).toMatch(/^canary/);
    const rules = page.getByRole("table", { name: "Rules sending testers' requests to the new stack" });
    await expect.poll(() => rules.locator("tbody").textContent(), { timeout: 15_000 }).toContain("header X-Shop-Verify: tester-7f3a");
    await expect.poll(() => page.getByRole("list", { name: "Stages of web service" }).textContent()).toContain("waiting for approval");

    // Approve from the page; the deployment goes on, and ends with the new revision alone at 100 %.
    const approvedAt = Date.now();
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/^Succeeded: release 1\.1\.0 is deployed to prod/);
    await expect.poll(() => taskSetRows(page), { timeout: 30_000 }).toEqual([expect.objectContaining({ traffic: "100%" })]);
    await expect.poll(() => page.getByRole("list", { name: "Decisions" }).textContent()).toMatch(/stage \d+ approval: approved by open:/);
    const completedIn = Date.now() - approvedAt;

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(elsewhere, "requests outside the dashboard's own origin").toEqual([]);
    expect(problems, `errors in the page; the demo printed:\n${demo.output().slice(-4000)}`).toEqual([]);
    await browser.close();
    browser = undefined;

    // Ctrl-C stops the demo, and with it the dashboard and the simulator.
    await demo.line(/done in [\d.]+s\. The dashboard keeps running/, 30_000);
    const children = demo.descendants();
    const code = await demo.interrupt(20_000);
    expect(code).toBe(0);
    await expect.poll(() => children.filter(isRunning), { timeout: 10_000 }).toEqual([]);
    expect(await listening(url)).toBe(false);
    expect(await listening(simulator)).toBe(false);
    console.info(`dashboard e2e: the canary waited after ${(waitingAfter / 1000).toFixed(1)}s; approved to done in ${(completedIn / 1000).toFixed(1)}s; ${((Date.now() - started) / 1000).toFixed(1)}s in all`);
  });
});
