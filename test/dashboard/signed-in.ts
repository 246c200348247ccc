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
