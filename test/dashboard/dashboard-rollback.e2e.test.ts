import { existsSync } from "node:fs";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOverProject } from "../api/project-api.js";
import { listening } from "../api/sse.js";
import { runCli } from "../cli/capture.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { signedIn } from "./signed-in.js";
import { cliActor } from "../../src/cli/commands/project-store.js";

/**
 * A rollback as the dashboard shows it, in headless Chromium: the overview says what dev runs now and that a
 * rollback put it there, History lists the rollback with who, from and to, and its page names it as a rollback.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);

describe.skipIf(!hasChromium)(hasChromium ? "a rollback in the dashboard, in headless Chromium" : `a rollback in the dashboard (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let reader: string;
  let rollbackId: string;
  const stores = new ProjectStores();
  const revisions: Record<string, string> = {};

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");
    for (const [version, image] of [["1.0.0", "web=1.0.0"], ["1.1.0", "web=1.1.0"]] as const) {
      expect((await runCli("release", "create", version, "--image", image, "--project", p.project)).code).toBe(0);
      expect((await cli("deploy", version, "--to", "dev")).code).toBe(0);
      const described = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }));
      revisions[version] = (described.services?.[0]?.taskDefinition ?? "").split("/").at(-1) as string;
    }
    const rolled = await cli("rollback", p.serviceStep, "--env", "dev");
    expect(rolled.code).toBe(0);
    rollbackId = (rolled.out[0] ?? "").replace(/^deployment /, "");
    const name = JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")).project as string;
    const api = await apiOverProject(p.project, await stores.of(p.project, name));
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

  it("shows dev running 1.0.0 by a rollback from 1.1.0, lists it in History, and names it on its page", { timeout: 90_000 }, async () => {
    const { page, problems } = await signedIn(browser, server.url, reader);
    await page.getByRole("heading", { level: 1, name: /Overview/ }).waitFor();

    const dev = page.locator("li.card").filter({ has: page.getByRole("heading", { level: 3, name: "dev" }) });
    await expect.poll(() => dev.textContent()).toContain("Runs release 1.0.0");
    expect(await dev.textContent()).toContain("rollback shop-web rolled back from release 1.1.0");

    await page.goto(`${server.url}/#/history/dev`);
    const table = page.getByRole("table", { name: "Deployments and rollbacks in dev, newest first" });
    await table.waitFor();
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? "")));
    expect(rows).toHaveLength(3);
    const [what, change, who, , , outcome] = rows[0] as string[];
    expect(what).toBe(`rollback to 1.0.0${rollbackId}`);
    expect(change).toBe(`shop-web: ${revisions["1.1.0"]} (release 1.1.0) → ${revisions["1.0.0"]} (release 1.0.0) successful`);
    expect(who).toBe(cliActor());
    expect(outcome).toBe("succeeded");
    expect(rows.slice(1).map((r) => r[0]?.slice(0, 5))).toEqual(["1.1.0", "1.0.0"]);

    await page.getByRole("link", { name: "to 1.0.0" }).click();
    await page.getByRole("heading", { level: 1, name: "Rollback of shop-web in dev" }).waitFor();
    await expect.poll(() => page.locator("#deployment-status").textContent(), { timeout: 15_000 }).toBe(`Succeeded: shop-web in dev is back on ${revisions["1.0.0"]} (release 1.0.0), from ${revisions["1.1.0"]} (release 1.1.0).`);
    await expect.poll(() => page.getByText("A rollback runs no process").count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
