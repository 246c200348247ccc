import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { bearer, eventually, startApiWorld, type ApiWorld } from "../api/api-world.js";
import { listening } from "../api/sse.js";

/**
 * The dashboard against a server that needs keys, in headless Chromium: nothing is shown without one, a reader's
 * key sees the gate with Approve and Abort disabled (and events streamed with its key, which EventSource could not
 * send), and a key that may approve in the environment approves from the page.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);

describe.skipIf(!hasChromium)(hasChromium ? "the dashboard with API keys, in headless Chromium" : `the dashboard with API keys (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let w: ApiWorld;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let run: DeploymentRun;

  beforeAll(async () => {
    w = await startApiWorld({ gateIn: ["dev"] });
    server = await listening(w.app);
    expect((await request(w.app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version: "1.0.0" })).status).toBe(201);
    const started = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.0.0", environment: "dev" });
    expect(started.status, started.text).toBe(202);
    run = started.body as DeploymentRun;
    await eventually("the sign-off gate", async () => ((await w.store.approvals.list({ open: true })).some((g) => g.deploymentId === run.id) ? true : undefined));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  it("asks for a key, shows a reader the gate it may not decide, and lets dev's approver approve", { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(String(error)));

    await page.goto(`${server.url}/`);
    await page.getByRole("alert").filter({ hasText: "This server needs an API key" }).waitFor();
    const useKey = async (key: string) => {
      await page.getByLabel("API key").fill(key);
      await page.getByRole("button", { name: "Use" }).click();
    };
    await useKey(w.keys.reader);
    await page.getByRole("heading", { level: 1, name: /Overview/ }).waitFor();

    await page.goto(`${server.url}/#/deployments/${encodeURIComponent(run.id)}`);
    const status = page.locator("#deployment-status");
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe("Running: waiting for approval at sign-off.");
    await expect.poll(() => page.getByText("The key reader may not approve or abort in dev.").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Abort" }).isDisabled()).toBe(true);
    // The events came through the stream read with the key.
    await expect.poll(async () => Number((await page.locator("summary").textContent())?.match(/\((\d+) lines\)/)?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    // The gate comes before the service step: the service is not there yet, and the page says so.
    await page.getByRole("heading", { level: 3, name: /shop-web rolling · shop-dev · not created yet/ }).waitFor();
    expect(await page.evaluate("[localStorage.length, location.href]")).toEqual([0, expect.not.stringContaining(w.keys.reader)]);

    await useKey(w.keys.devtest);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe("Succeeded: release 1.0.0 is deployed to dev.");
    await expect.poll(() => page.getByRole("list", { name: "Decisions" }).textContent()).toContain("sign-off: approved by devtest");
    await page.getByRole("table", { name: "ECS deployments of shop-web" }).waitFor();
    expect(problems).toEqual([]);
  });
});
