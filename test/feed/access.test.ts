import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessFrom, isLoopbackHost } from "../../feed/auth.js";
import { readKeysFile } from "../../feed/keys-file.js";
import { InputError } from "../../src/errors.js";
import { run } from "../../src/cli/main.js";
import { container, key, startFeedWorld, type FeedWorld } from "./feed-world.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

const packages = "/v1/environments/dev/packages";

describe("feed access", () => {
  let w: FeedWorld;
  beforeAll(async () => {
    w = await startFeedWorld();
    await w.dev.register({ family: "shop-web", containerDefinitions: [container("shop/web:1")] });
  });
  afterAll(() => w.close());

  it("refuses a request without a read key, or with a wrong one, with 401 JSON", async () => {
    const app = w.app();
    const none = await request(app).get(packages);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="slipway-feed"');
    expect(none.body).toMatchObject({ error: "unauthorized", message: "This feed needs a read key." });
    expectMatchesOpenApi("/v1/environments/{environment}/packages", 401, none.body);
    const wrong = await request(app).get(packages).set("authorization", "Bearer not-the-key");
    expect(wrong.status).toBe(401);
    const basic = await request(app).get(packages).set("authorization", `Basic ${key}`);
    expect(basic.status).toBe(401);
    expect((await request(app).get(packages).set("authorization", `Bearer ${key}`)).status).toBe(200);
  });

  it("accepts any of several keys, and serves its document without one", async () => {
    const app = w.app({ auth: { kind: "keys", keys: ["first-key-0123456789", key] } });
    expect((await request(app).get(packages).set("authorization", `Bearer ${key}`)).status).toBe(200);
    expect((await request(app).get(packages).set("authorization", "Bearer first-key-0123456789")).status).toBe(200);
    expect((await request(app).get("/openapi.json")).status).toBe(200);
  });

  it("needs no key when open", async () => {
    expect((await request(w.app({ auth: { kind: "open" } })).get(packages)).status).toBe(200);
  });

  it.each(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])("%s is loopback", (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(["0.0.0.0", "::", "10.0.0.5", "example.com"])("%s is not loopback", (host) => expect(isLoopbackHost(host)).toBe(false));

  it("allows --open on loopback only, and refuses contradictory or missing access options", () => {
    expect(accessFrom({ open: true, keys: undefined, host: "127.0.0.1" })).toEqual({ kind: "open" });
    expect(() => accessFrom({ open: true, keys: undefined, host: "0.0.0.0" })).toThrow(/--open is refused on 0\.0\.0\.0/);
    expect(() => accessFrom({ open: true, keys: ["k"], host: "127.0.0.1" })).toThrow(InputError);
    expect(() => accessFrom({ open: false, keys: undefined, host: "127.0.0.1" })).toThrow(/needs read keys or --open/);
    expect(accessFrom({ open: false, keys: ["k"], host: "0.0.0.0" })).toEqual({ kind: "keys", keys: ["k"] });
  });

  it("reads a keys file: one a line, comments and blanks skipped; refuses empty files and weak keys", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-feed-keys-"));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(readKeysFile(file("keys", `# ci\n${key}\n\n  second-key-abcdefghij  \n`))).toEqual([key, "second-key-abcdefghij"]);
    expect(() => readKeysFile(file("empty", "# nobody\n"))).toThrow(/holds no keys/);
    expect(() => readKeysFile(file("weak", "short\n"))).toThrow(/shorter than 16/);
    expect(() => readKeysFile(join(dir, "missing"))).toThrow(/cannot be read/);
  });
});

describe("slipway feed serve", () => {
  let w: FeedWorld;
  let project: string;
  beforeAll(async () => {
    w = await startFeedWorld();
    await w.dev.register({ family: "shop-web", containerDefinitions: [container("shop/web:1")] });
    const dir = mkdtempSync(join(tmpdir(), "slipway-feed-cli-"));
    project = join(dir, "slipway.yaml");
    writeFileSync(
      project,
      [
        "apiVersion: slipway/v1",
        "kind: Project",
        "name: shop",
        "environments:",
        "  - name: dev",
        "  - name: prod",
        "targets:",
        "  dev: { region: us-east-1, cluster: shop-dev, endpoint: " + w.h.url + " }",
        "  prod: { region: eu-west-1, cluster: shop-prod, endpoint: " + w.h.url + " }",
        "",
      ].join("\n"),
    );
  });
  afterAll(() => w.close());

  async function serve(...args: string[]): Promise<{ code: number; out: string[]; err: string[]; fetched?: { status: number; body: unknown } }> {
    const out: string[] = [];
    const err: string[] = [];
    let fetched: { status: number; body: unknown } | undefined;
    const code = await run(["feed", "serve", "--project", project, "--port", "0", ...args], {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      keepAlive: async (stop) => {
        const url = /listening on (\S+)/.exec(out[0] ?? "")?.[1] ?? "";
        const res = await fetch(`${url}/v1/environments/dev/packages`);
        fetched = { status: res.status, body: await res.json() };
        await stop();
      },
    });
    return { code, out, err, ...(fetched && { fetched }) };
  }

  it("serves each environment of the project from its target", async () => {
    const { code, out, fetched } = await serve("--open");
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^slipway feed for shop listening on http:\/\/127\.0\.0\.1:\d+ \(open, no keys, fresh for 30 s\)$/);
    expect(out.slice(1, 3)).toEqual([expect.stringMatching(/ dev: http.*\/v1\/environments\/dev\/packages$/), expect.stringMatching(/ prod: /)]);
    expect(fetched).toMatchObject({ status: 200, body: { environment: "dev", items: [{ name: "shop-web", latestVersion: "1" }] } });
  });

  it.each([
    [["--open", "--host", "0.0.0.0"], /--open is refused on 0\.0\.0\.0/],
    [[], /needs read keys or --open/],
    [["--open", "--fresh-seconds", "0"], /--fresh-seconds/],
    [["--open", "--fresh-seconds", "60", "--reconcile-seconds", "30"], /--reconcile-seconds must be .* from --fresh-seconds \(60\)/],
    [["--open", "--port", "http"], /--port/],
  ])("refuses %j with an input error", async (args, message) => {
    const { code, err } = await serve(...args);
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(message);
    expect(err.join("\n")).toMatch(/hint: /);
  });
});
