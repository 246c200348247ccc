import type { Browser, Page } from "playwright-core";

/** A new page of the dashboard with `key` entered in its key field, and the page errors it raises from then on. */
export async function signedIn(browser: Browser, url: string, key: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(`${url}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Use" }).click();
  return { page, problems };
}

/**
 * A new page of the dashboard whose tab holds `key` before any of its scripts run (so no request goes without
 * it), with the page errors and console errors it raises from its first load.
 */
export async function openWithKey(browser: Browser, url: string, key: string, hash = "#/"): Promise<{ page: Page; problems: string[]; consoleErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const consoleErrors: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  // Where dashboard/js/api.js keeps the key a person entered for the tab.
  await page.addInitScript({ content: `sessionStorage.setItem("slipway.apiKey", ${JSON.stringify(key)});` });
  await page.goto(`${url}/${hash}`);
  return { page, problems, consoleErrors };
}
