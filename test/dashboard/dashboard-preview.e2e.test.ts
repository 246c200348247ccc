import { existsSync } from "node:fs";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOverProject } from "../api/project-api.js";
import { listening } from "../api/sse.js";
import { runCli } from "../cli/capture.js";
import { openDeploying } from "../support/deploying-world.js";
import { signedIn } from "./signed-in.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import type { Store } from "../../src/engine/store.js";
import { startDeployment } from "../../src/releases/deployments.js";

/**
 * Deploying from the dashboard, in headless Chromium: Preview shows the plan and changes nothing, a refusal is
 * shown as the server says it, and Deploy starts exactly the deployment that was previewed.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);

describe.skipIf(!hasChromium)(hasChromium ? "deploying from the dashboard, in headless Chromium" : `deploying from the dashboard (skipped: no chromium at ${chromiumPath}; install it or set CHROMIUM_PATH)`, () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let admin: string;
  let store: Store;
  const stores = new ProjectStores();
  const runningRevision = async () => ((await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }))).services?.[0]?.taskDefinition ?? "").split("/").at(-1);

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    expect((await runCli("release", "create", "1.0.0", "--image", "web=1.0.0", "--project", p.project)).code).toBe(0);
    expect((await runCli("deploy", "1.0.0", "--to", "dev", "--project", p.project, "--poll-interval", "0.02")).code).toBe(0);
    expect((await runCli("release", "create", "1.1.0", "--image", "web=1.1.0", "--project", p.project)).code).toBe(0);
    const name = JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")).project as string;
    store = await stores.of(p.project, name);
    const api = await apiOverProject(p.project, store);
    admin = api.admin;
    server = await listening(api.app);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stores.closeAll();
    await h?.close();
  });

  it("previews release 1.1.0 in dev without changing it, shows prod's refusal, then deploys what was previewed", { timeout: 120_000 }, async () => {
    const { page, problems } = await signedIn(browser, server.url, admin);
    await page.getByRole("link", { name: "Deploy release 1.1.0…" }).click();
    await page.getByRole("heading", { level: 1, name: "Deploy release 1.1.0" }).waitFor();
    const before = await runningRevision();

    await page.getByLabel("Environment").selectOption("prod");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Release 1.1.0 cannot go to prod yet: it has not succeeded in dev");
    expect(await page.getByRole("button", { name: /^Deploy 1\.1\.0/ }).count()).toBe(0);

    await page.getByLabel("Environment").selectOption("dev");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("heading", { level: 2, name: "Preview: release 1.1.0 to dev" }).waitFor();
    const service = await page.getByRole("region", { name: "Step web service" }).locator("pre").textContent();
    expect(service).toContain(`+ update the service shop-web (to shop-web:(new))`);
    expect(service).toContain(`ECS's circuit breaker rolls the service back to ${before}`);
    expect(await page.getByRole("region", { name: "Step web task definition" }).locator("pre").textContent()).toContain("+ register a new revision of shop-web for dev");
    expect(await runningRevision()).toBe(before);

    await page.getByRole("button", { name: "Deploy 1.1.0 to dev" }).click();
    await page.waitForURL(/#\/deployments\/release-dev-1\.1\.0-/);
    const id = decodeURIComponent(new URL(page.url()).hash.replace("#/deployments/", ""));
    const status = async () => ((await (await fetch(`${server.url}/api/v1/deployments/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { run: { status: string } }).run.status;
    await expect.poll(status, { timeout: 60_000 }).toBe("succeeded");
    expect(await runningRevision()).not.toBe(before);
    expect(problems).toEqual([]);
  });

  it("aborts an interrupted deployment from its page and follows it until it is rolled back", { timeout: 120_000 }, async () => {
    const before = await runningRevision();
    expect((await runCli("release", "create", "1.2.0", "--image", "web=1.2.0", "--project", p.project)).code).toBe(0);
    // Ctrl-C in someone's terminal once the rollout started: the run is left interrupted, mid-rollout.
    const { project } = await openDeploying(p, stores);
    const started = await startDeployment(project, { release: "1.2.0", environment: "dev", actor: "cli:someone" });
    const ctrlC = new AbortController();
    const running = started.execute({ signal: ctrlC.signal, pacing: { minDelaySeconds: 0.05, maxDelaySeconds: 0.1 } }).catch(() => undefined);
    await expect.poll(async () => (await store.journal.entries(started.run.id)).some((e) => e.actionKind === "update-service" && e.phase === "succeeded"), { timeout: 60_000, interval: 20 }).toBe(true);
    ctrlC.abort();
    await running;
    expect((await store.runs.get(started.run.id))?.status).toBe("interrupted");

    const { page, problems } = await signedIn(browser, server.url, admin);
    await page.goto(`${server.url}/#/deployments/${encodeURIComponent(started.run.id)}`);
    await expect.poll(() => page.locator("#deployment-status").textContent(), { timeout: 15_000 }).toMatch(/^Interrupted/);
    await page.getByRole("button", { name: "Abort deployment" }).click();
    await page.getByRole("button", { name: "Yes, abort" }).click();
    // The page follows the run again — the server resumes it to roll it back — until it says how it ended.
    await expect.poll(() => page.locator("#deployment-status").textContent(), { timeout: 90_000 }).toMatch(new RegExp(`^Rolled back: Deployment ${started.run.id} was aborted by admin-\\S+; rolled back: shop-web back on ${before}\\.$`));
    expect(await runningRevision()).toBe(before);
    expect(problems).toEqual([]);
  });
});
