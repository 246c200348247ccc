import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/store.js";
import type { Release } from "../../src/releases/release.js";
import { startPackageWorld } from "../api/package-world.js";
import { listening } from "../api/sse.js";
import { ProjectStores } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { openWithKey } from "./signed-in.js";

/**
 * Creating a release from the dashboard, in headless Chromium: the Create release page offers the project's
 * channels and, for the service step's package, the revisions the release plan lists for the channel chosen;
 * the release created takes the revision picked there (and a tag typed for an image). A key that may not create
 * releases is offered nothing.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);

describe.skipIf(!hasChromium)(hasChromium ? "creating a release from the dashboard, in headless Chromium" : `creating a release from the dashboard (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let h: SimHarness;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let admin: string;
  let reader: string;
  let store: Store;
  const stores = new ProjectStores();
  const release = async (version: string): Promise<{ status: number; body: Release }> => {
    const res = await fetch(`${server.url}/api/v1/releases/${encodeURIComponent(version)}`, { headers: { authorization: `Bearer ${admin}` } });
    return { status: res.status, body: (await res.json()) as Release };
  };

  beforeAll(async () => {
    const api = await startPackageWorld(stores);
    ({ h, store } = api);
    admin = api.admin;
    reader = api.reader;
    server = await listening(api.app);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stores.closeAll();
    await h?.close();
  });

  it("creates release 2.0.0 in the narrow channel with the revision picked in the package select, then shows a refusal as the server says it", { timeout: 120_000 }, async () => {
    const { page, problems, consoleErrors } = await openWithKey(browser, server.url, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Create release" }).click();
    await page.getByRole("heading", { level: 1, name: "Create release" }).waitFor();
    const revision = page.getByLabel("shop-web (step web service)");
    const channel = page.getByLabel("Channel");

    // The default channel, and the plan's choice preselected: the newest registered outside slipway (dev's own 4 is not one).
    expect(await channel.inputValue()).toBe("stable");
    expect(await channel.locator("option").allTextContents()).toEqual(["stable (default)", "narrow"]);
    await expect.poll(() => revision.locator("option").allTextContents()).toEqual(["5", "3", "2", "1"]);
    expect(await revision.inputValue()).toBe("5");
    expect(await page.getByRole("table", { name: "Step worker task definition" }).textContent()).toContain("shop/web:1.2.0");

    // Another channel re-reads the plan: narrow's "[2,10)" leaves 1 out.
    await channel.selectOption("narrow");
    await expect.poll(() => revision.locator("option").allTextContents()).toEqual(["5", "3", "2"]);
    await expect.poll(() => page.getByRole("button", { name: "Create release" }).isEnabled()).toBe(true);
    expect(await page.getByText(`5 is chosen by the step's version newest and channel "narrow"'s "[2,10)".`).count()).toBe(1);

    await revision.selectOption("3");
    await page.getByLabel("Another tag for worker").fill("1.1.0");
    await page.getByLabel("Version").fill("2.0.0");
    await page.getByLabel("Notes").fill("Picked 3 from the dashboard <b>not markup</b>");
    await page.getByRole("button", { name: "Create release" }).click();
    await page.getByRole("heading", { level: 1, name: "Release 2.0.0 created" }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("Release 2.0.0 was created in channel narrow by admin-");
    expect(await page.locator("main dl").textContent()).toContain("shop-web:3");
    expect(await page.locator("main dl").textContent()).toContain("shop/web:1.1.0");

    const created = await release("2.0.0");
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ version: "2.0.0", channel: "narrow", notes: "Picked 3 from the dashboard <b>not markup</b>" });
    const service = created.body.snapshot.steps.find((s) => s.name === "web service");
    expect(service?.uses === "service" && service.package).toMatchObject({ family: "shop-web", revision: 3, chosenIn: "dev", chosenBy: "--package shop-web=3" });
    expect(created.body.snapshot.steps.find((s) => s.name === "worker task definition")).toMatchObject({ images: [{ container: "worker", tag: "1.1.0" }] });
    expect((await store.releases.get("2.0.0"))?.snapshot.steps.find((s) => s.name === "web service")).toMatchObject({ package: { revision: 3 } });
    // Text goes in as text: the notes shown are the characters typed, not an element.
    expect(await page.locator("main dl b").count()).toBe(0);
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // The same version again: the server's 409, as it says it, and nothing else created.
    await page.getByRole("button", { name: "Create another release" }).click();
    await page.getByRole("heading", { level: 1, name: "Create release" }).waitFor();
    await expect.poll(() => page.getByRole("button", { name: "Create release" }).isEnabled()).toBe(true);
    await page.getByLabel("Version").fill("2.0.0");
    await page.getByRole("button", { name: "Create release" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Release 2.0.0 already exists, and a release never changes once created.");
    expect(await page.getByRole("alert").textContent()).not.toMatch(/\bat \S+\.(js|ts):\d+/);
    expect((await store.releases.list()).map((r) => r.version)).toEqual(["2.0.0"]);
    expect(problems).toEqual([]);
    // Chromium reports the refused request itself; nothing else went wrong.
    expect(consoleErrors).toEqual([expect.stringContaining("409")]);
  });

  it("offers a key without createReleases no Create release link, and tells it why on the page", { timeout: 60_000 }, async () => {
    const { page, problems, consoleErrors } = await openWithKey(browser, server.url, reader);
    await page.getByRole("heading", { level: 1, name: /^Overview/ }).waitFor();
    await expect.poll(() => page.locator("#project-name").textContent()).not.toBe("");
    expect(await page.getByRole("link", { name: /Create release/ }).count()).toBe(0);

    await page.goto(`${server.url}/#/releases/new`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("may not create releases: it lacks the createReleases scope.");
    expect(await page.getByRole("button", { name: "Create release" }).count()).toBe(0);
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
