import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, startApiWorld, type ApiWorld } from "./api-world.js";
import { listening } from "./sse.js";

/**
 * schemathesis (a third-party fuzzer nobody here wrote) against the running API and feed, from their own OpenAPI
 * documents: every check it runs by default — no server errors, answers and their statuses, content types and
 * headers as documented, schema-valid requests accepted and schema-violating ones refused, 405 for undeclared
 * methods, authentication not ignored, created resources findable — with a key of every scope, a read-only key and
 * no key. Bounded by examples per operation and a fixed seed, so a run is the same on any machine, fast or slow.
 */
const binary = join(process.cwd(), ".venv", "bin", "schemathesis");
const available = existsSync(binary);
if (!available && process.env.CI === "true") throw new Error(`CI=true and schemathesis is missing (${binary}); bash scripts/ensure-python-tools.sh installs it`);

/** Cases per operation and phase; ~700 cases for the API and ~500 for the feed per key at this setting. */
const maxExamples = 25;
/**
 * Without a key every operation must answer 401 before it reads its input, so what the input holds cannot change
 * the answer: fewer cases show it as well, and spare the suite ~30 s.
 */
const maxExamplesWithoutKey = 8;
const seed = 20261206;

interface Outcome {
  exitCode: number;
  output: string;
  operations: string;
  cases: string;
}

/** One schemathesis run; its figures are what the summary prints ("13/13" operations, "761 generated, 761 passed"). */
function schemathesis(schema: string, base: string, key: string | undefined): Promise<Outcome> {
  // Its example database and reports go to a folder of its own, never into the repository.
  const cwd = mkdtempSync(join(tmpdir(), "slipway-schemathesis-"));
  const args = [
    "run",
    schema,
    "--url",
    base,
    ...(key === undefined ? [] : ["--header", `Authorization: Bearer ${key}`]),
    "--max-examples",
    String(key === undefined ? maxExamplesWithoutKey : maxExamples),
    "--seed",
    String(seed),
    "--workers",
    "1",
    "--generation-database",
    "none",
    // The documents say once, for every string, that NUL (U+0000) is refused: no per-field pattern carries it.
    "--generation-allow-x00",
    "false",
    "--request-timeout",
    "20",
    "--no-color",
  ];
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      rmSync(cwd, { recursive: true, force: true });
      const output = `${stdout}${stderr}`;
      resolve({
        exitCode: error ? ((error as { code?: number }).code ?? 1) : 0,
        output,
        operations: /Tested: (\d+)/.exec(output)?.[1] ?? "?",
        cases: /^\s+(\d+ generated, .*)$/m.exec(output)?.[1] ?? "?",
      });
    });
  });
}

/** The failures section, for the assertion message: each with the curl that reproduces it. */
const failuresOf = (outcome: Outcome) => outcome.output.slice(Math.max(0, outcome.output.indexOf("FAILURES")), outcome.output.indexOf("SUMMARY") + 2000);

describe.skipIf(!available)("the API and the feed against schemathesis, from their OpenAPI documents", () => {
  let w: ApiWorld;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    // No approval gates: every deployment the fuzzer starts ends by itself, so no event stream waits for a person.
    w = await startApiWorld({ gateIn: [] });
    server = await listening(w.app);
    // Something to find: a release deployed to dev, as an id the stateful phase can follow.
    expect((await request(w.app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version: "1.0.0" })).status).toBe(201);
    expect((await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.0.0", environment: "dev" })).status).toBe(202);
    await w.settled.at(-1);
  });
  afterAll(async () => {
    await server?.close();
    await w?.close();
  });

  const runs: [string, "api" | "feed", keyof ApiWorld["keys"] | undefined][] = [
    ["the API with a key of every scope", "api", "admin"],
    ["the API with a read-only key", "api", "reader"],
    ["the API with no key", "api", undefined],
    ["the feed with a read-only key", "feed", "reader"],
    ["the feed with no key", "feed", undefined],
  ];

  it.each(runs)("%s: 0 failures", async (_name, document, key) => {
    const base = document === "api" ? server.url : `${server.url}/feed`;
    const outcome = await schemathesis(`${base}/openapi.json`, base, key === undefined ? undefined : w.keys[key]);
    console.log(`schemathesis ${document} (${key ?? "no key"}): ${outcome.operations} operations, ${outcome.cases}`);
    expect(outcome.exitCode, failuresOf(outcome)).toBe(0);
    expect(outcome.cases).toMatch(/^\d+ generated, \d+ passed/);
  }, 600_000);
});
