import { readdirSync } from "node:fs";
import { join, posix, relative } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFolder } from "../../src/api/dashboard-mount.js";
import { startApiWorld, type ApiWorld } from "../api/api-world.js";

/** Every file under the folder, as the URL path it is served at. */
function servedFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/dashboard/${relative(folder, join(entry.parentPath, entry.name)).split("\\").join("/")}`)
    .sort();
}

/** The same-origin URLs a page, a stylesheet or a module refers to, resolved against its own URL. */
function references(url: string, text: string): string[] {
  const found = [
    ...text.matchAll(/(?:href|src)="([^"]+)"/g),
    ...text.matchAll(/url\(["']?([^"')]+)["']?\)/g),
    ...text.matchAll(/(?:import|export)\s[^"';]*?from\s+"([^"]+)"/g),
    ...text.matchAll(/import\(\s*"([^"]+)"\s*\)/g),
  ].map((m) => m[1] as string);
  return found.filter((ref) => !ref.startsWith("#") && !ref.startsWith("data:")).map((ref) => (ref.startsWith("/") ? ref : posix.join(posix.dirname(url), ref)));
}

describe("the dashboard's page and assets, served by the API app", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApiWorld();
  });
  afterAll(() => w.close());

  it("serves / as HTML with landmarks, a language, a labelled key field, and a policy keeping it to its own origin", async () => {
    const res = await request(w.app).get("/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    const html = res.text;
    expect(html).toMatch(/<html lang="en">/);
    for (const landmark of [/<header\b/, /<nav aria-label="Main"/, /<main id="main"/, /<footer\b/]) expect(html).toMatch(landmark);
    expect(html).toMatch(/<label for="key-input">API key<\/label>/);
    expect(html).toMatch(/<input id="key-input"/);
    // No key is needed for the page itself: it holds no data.
    expect((await request(w.app).get("/dashboard/app.css")).status).toBe(200);
  });

  it("resolves every asset the page refers to, reaches every file of the folder, and names no other origin", async () => {
    const seen = new Set<string>();
    const queue = ["/"];
    const texts: Record<string, string> = {};
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await request(w.app).get(url);
      expect(res.status, `GET ${url}`).toBe(200);
      const type = res.headers["content-type"] ?? "";
      if (url.endsWith(".js")) expect(type, url).toMatch(/^(text|application)\/javascript/);
      if (url.endsWith(".css")) expect(type, url).toMatch(/^text\/css/);
      texts[url] = res.text;
      // The API's own description is linked from the page; it is not part of the dashboard.
      queue.push(...references(url, res.text).filter((ref) => ref.startsWith("/dashboard/")));
    }
    // The page itself is dashboard/index.html, served at /.
    expect([...seen].map((u) => (u === "/" ? "/dashboard/index.html" : u)).sort()).toEqual(servedFiles(dashboardFolder()));
    for (const [url, text] of Object.entries(texts)) expect(text, url).not.toMatch(/https?:\/\//);
  });

  it("answers 404 for what is not there, and serves nothing outside the folder", async () => {
    const missing = await request(w.app).get("/dashboard/js/missing.js");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe("not-found");
    for (const escape of ["/dashboard/../package.json", "/dashboard/%2e%2e/package.json", "/dashboard/..%2fpackage.json"]) {
      const res = await request(w.app).get(escape);
      expect([403, 404], escape).toContain(res.status);
      expect(res.text, escape).not.toContain('"name": "slipway"');
    }
  });
});
