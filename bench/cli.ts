/**
 * What a slipway command costs outside AWS (issue 15, point 1): the real CLI (`node bin/slipway.js …`) spawned in a
 * temporary project over the sample infrastructure, in an in-process simulator reached through a small proxy that
 * times every AWS call. Per command: wall time (median, min, max of N runs), peak RSS (/usr/bin/time's %M when it is
 * there, else a preloaded module reporting process.resourceUsage().maxRSS), CPU time. Then a breakdown, each part
 * in a fresh Node process: Node's start, importing the CLI and its heavy dependencies, PGlite's initdb and open, the
 * store's migrations. Figures are printed, not asserted; the npm script builds bin/slipway.js's dist/ first:
 *   npm run build && npm run bench:cli
 * Options (environment): CLI_BENCH_RUNS (default 5), CLI_BENCH_COLD_RUNS (3: first command in a new project),
 * CLI_BENCH_SPEED (simulator speed, default 2000), CLI_BENCH_BREAKDOWN=0 skips the breakdown.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createSampleInfrastructure } from "../src/demo/sample-infrastructure.js";
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const runs = Number(process.env.CLI_BENCH_RUNS ?? 5);
const coldRuns = Number(process.env.CLI_BENCH_COLD_RUNS ?? 3);
const speed = Number(process.env.CLI_BENCH_SPEED ?? 2000);
const breakdown = process.env.CLI_BENCH_BREAKDOWN !== "0";
const region = "us-east-1";
const root = process.cwd();
const bin = join(root, "bin", "slipway.js");
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-cli-"));

interface Sample {
  wallMs: number;
  /** Peak resident set of the Node process, MB. */
  rssMb: number;
  cpuMs: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Where the measuring preload writes when /usr/bin/time is missing. */
const preload = join(scratch, "max-rss.cjs");
writeFileSync(
  preload,
  `process.on("exit", () => { const u = process.resourceUsage(); require("node:fs").writeFileSync(process.env.CLI_BENCH_USAGE, \`\${(u.userCPUTime + u.systemCPUTime) / 1000} \${u.maxRSS}\`); });\n`,
);

/** Runs `node <args>` in `cwd` and measures it. */
function runNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const usage = join(scratch, `usage-${Math.random().toString(36).slice(2)}`);
  const [command, argv] = gnuTime ? [gnuTime, ["-o", usage, "-f", "%e %M %U %S", process.execPath, ...args]] : [process.execPath, ["--require", preload, ...args]];
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...env, CLI_BENCH_USAGE: usage }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", fail);
    child.once("close", (code) => {
      const wallMs = performance.now() - started;
      const fields = existsSync(usage) ? readFileSync(usage, "utf8").trim().split(/\s+/).map(Number) : [];
      rmSync(usage, { force: true });
      const [rssKb, cpuMs] = gnuTime ? [fields[1] ?? NaN, ((fields[2] ?? NaN) + (fields[3] ?? NaN)) * 1000] : [fields[1] ?? NaN, fields[0] ?? NaN];
      done({ wallMs, rssMb: rssKb / 1024, cpuMs, code: code ?? -1, stdout, stderr });
    });
  });
}

/** The CLI, as a person runs it from the project folder. */
const slipway = (args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv) => runNode([bin, ...args], cwd, env);

function check(sample: Sample, what: string): Sample {
  if (sample.code !== 0) throw new Error(`${what} exited ${sample.code}:\n${sample.stdout}\n${sample.stderr}`);
  return sample;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};
const spread = (xs: readonly number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

/** The machine's 1-minute load average now: the figures on a shared 2-core machine mean little without it. */
const load = () => `load ${(loadavg()[0] ?? NaN).toFixed(1)}`;

function row(label: string, samples: readonly Sample[], extra = ""): void {
  const wall = samples.map((s) => s.wallMs / 1000);
  console.log(
    `  ${label.padEnd(40)} wall ${spread(wall, 2).padEnd(18)} s  rss ${spread(samples.map((s) => s.rssMb)).padEnd(15)} MB  cpu ${spread(samples.map((s) => s.cpuMs / 1000), 2).padEnd(18)} s  ${load()}${extra}`,
  );
}

/** A proxy in front of the simulator that counts and times the AWS calls passing through it. */
async function timingProxy(upstream: string): Promise<{ url: string; reset(): void; busyMs(): number; calls(): number; close(): Promise<void> }> {
  const target = new URL(upstream);
  let busy = 0;
  let calls = 0;
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const out = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once("end", () => {
        busy += performance.now() - started;
        calls += 1;
      });
    });
    out.once("error", (error) => res.writeHead(502).end(String(error)));
    req.pipe(out);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reset: () => ((busy = 0), (calls = 0)),
    busyMs: () => busy,
    calls: () => calls,
    close: () =>
      new Promise((closed) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

/** The three-environment shop over the sample infrastructure (as test/support/release-world.ts writes it). */
function writeProject(dir: string, endpoint: string, withApi = false): void {
  mkdirSync(join(dir, "steps"), { recursive: true });
  const targets = ["dev", "test", "prod"].flatMap((env) => [
    `  ${env}:`,
    `    region: ${region}`,
    `    cluster: shop-${env}`,
    `    endpoint: ${endpoint}`,
    `    loadBalancer:`,
    `      listener: { loadBalancer: shop-${env}, port: 80 }`,
    `      targetGroups: { primary: shop-${env}-blue, canary: shop-${env}-green }`,
  ]);
  const project = ["apiVersion: slipway/v1", "kind: Project", "name: shop", "environments:", "  - name: dev", "  - name: test", "    optional: true", "  - name: prod", "targets:", ...targets];
  project.push("process:", "  - name: web task definition", "    uses: task-definition", "    file: steps/web.taskdef.yaml", "  - name: web service", "    uses: service", "    file: steps/web.service.yaml");
  project.push("variables:", "  default:", "    LOG_LEVEL: info", "  prod:", "    LOG_LEVEL: warn", "");
  writeFileSync(join(dir, "slipway.yaml"), project.join("\n"));
  const taskdef = ["family: shop-web", "definition:", "  networkMode: awsvpc", "  requiresCompatibilities: [FARGATE]", '  cpu: "256"', '  memory: "512"', "  containerDefinitions:", "    - name: web", "      image: shop/web"];
  taskdef.push("      portMappings: [{ containerPort: 8080 }]", "      environment:", '        - { name: LOG_LEVEL, value: "${LOG_LEVEL}" }', "images:", '  web: { range: "^1.0.0 <1.3.0" }', "");
  writeFileSync(join(dir, "steps", "web.taskdef.yaml"), taskdef.join("\n"));
  const service = ["service: shop-web", "mode: rolling", "desiredCount: 2", "loadBalancer: { containerName: web, containerPort: 8080 }", "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }", "waitTimeoutSeconds: 60", ""];
  writeFileSync(join(dir, "steps", "web.service.yaml"), service.join("\n"));
  if (!withApi) return;
  // Two more steps: a second service (no load balancer) from its own task definition, on the same image.
  const steps = ["  - name: api task definition", "    uses: task-definition", "    file: steps/api.taskdef.yaml", "  - name: api service", "    uses: service", "    file: steps/api.service.yaml"];
  writeFileSync(join(dir, "slipway.yaml"), project.join("\n").replace("variables:\n", `${steps.join("\n")}\nvariables:\n`));
  writeFileSync(join(dir, "steps", "api.taskdef.yaml"), taskdef.join("\n").replace("family: shop-web", "family: shop-api"));
  writeFileSync(join(dir, "steps", "api.service.yaml"), ["service: shop-api", "mode: rolling", "desiredCount: 1", "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }", "waitTimeoutSeconds: 60", ""].join("\n"));
}

/** Code run in a fresh Node process (cwd the repository, so bare imports resolve): prints {ms, rssMb, …}. */
type Probe = { ms: number; rssMb: number; [k: string]: number };

async function probe(code: string, env: NodeJS.ProcessEnv = {}, nodeFlags: readonly string[] = []): Promise<Probe> {
  const wrapped = `const __t0 = performance.now();\n${code}\nconst __u = process.resourceUsage();\nconsole.log(JSON.stringify({ ms: performance.now() - __t0, rssMb: __u.maxRSS / 1024, ...(globalThis.__extra ?? {}) }));`;
  const sample = check(await runNode([...nodeFlags, "--input-type=module", "-e", wrapped], root, env), "probe");
  return JSON.parse(sample.stdout.trim().split("\n").pop() ?? "{}") as Probe;
}

async function probeRow(label: string, code: string, n: number, env?: NodeJS.ProcessEnv): Promise<void> {
  const results: Probe[] = [];
  for (let i = 0; i < n; i++) results.push(await probe(code, env));
  const keys = Object.keys(results[0] ?? {}).filter((k) => k !== "ms" && k !== "rssMb");
  const extra = keys.map((k) => `  ${k} ${spread(results.map((r) => r[k] ?? NaN))} ms`).join("");
  console.log(`  ${label.padEnd(48)} ${spread(results.map((r) => r.ms)).padEnd(16)} ms  peak rss ${spread(results.map((r) => r.rssMb)).padEnd(14)} MB  ${load()}${extra}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` first (bin/slipway.js runs the built CLI).");
  const sim = new Simulator({ throttling: false });
  sim.clock.setSpeed(speed);
  const server = await listen(sim, 0);
  const proxy = await timingProxy(server.url);
  const cleanup = async () => {
    await proxy.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await createSampleInfrastructure(server.url, region);
    console.log(`slipway CLI overhead: node ${process.version}, ${runs} runs (${coldRuns} for a new project), simulator in-process at ${speed}×, peak RSS from ${gnuTime ? "/usr/bin/time %M" : "process.resourceUsage()"}`);
    console.log("  figures: median (min–max)\n");

    const help: Sample[] = [];
    for (let i = 0; i < runs; i++) help.push(check(await slipway(["--help"], root), "--help"));
    row("--help (Node start + imports)", help);

    // The first command in a brand-new project folder: no .slipway/, so the store is made (unpacked from the template).
    const cold: Sample[] = [];
    for (let i = 0; i < coldRuns; i++) {
      const dir = join(scratch, `new-${i}`);
      writeProject(dir, proxy.url);
      cold.push(check(await slipway(["status"], dir), "status in a new project"));
      rmSync(dir, { recursive: true, force: true });
    }
    row("status, new project (first command)", cold);

    const dir = join(scratch, "project");
    writeProject(dir, proxy.url);
    const validate: Sample[] = [];
    for (let i = 0; i < runs; i++) validate.push(check(await slipway(["validate"], dir), "validate"));
    row("validate", validate);

    // Releases: the first one in the project (the store made by then), then later ones.
    const creates: Sample[] = [];
    const createCalls: number[] = [];
    const tags = ["1.0.0", "1.1.0", "1.2.0"];
    for (let i = 0; i < runs; i++) {
      proxy.reset();
      creates.push(check(await slipway(["release", "create", `0.${i + 1}.0`, "--image", `web=${tags[i % tags.length]}`], dir), "release create"));
      createCalls.push(proxy.calls());
    }
    row("release create (first: makes the store)", creates.slice(0, 1), `  AWS calls ${createCalls[0]}`);
    row("release create (later)", creates.slice(1), `  AWS calls ${spread(createCalls.slice(1))}`);

    // Deployments of successive releases to dev, polling every 10 ms; the simulator runs ECS at `speed`×.
    const deploys: Sample[] = [];
    const inCalls: number[] = [];
    const calls: number[] = [];
    for (let i = 0; i < runs; i++) {
      proxy.reset();
      deploys.push(check(await slipway(["deploy", `0.${i + 1}.0`, "--to", "dev", "--poll-interval", "0.01"], dir), "deploy"));
      inCalls.push(proxy.busyMs());
      calls.push(proxy.calls());
    }
    const outside = deploys.map((d, i) => (d.wallMs - (inCalls[i] ?? 0)) / 1000);
    row("deploy <release> --to dev", deploys, `  AWS calls ${spread(calls)}`);
    const helpMs = median(help.map((h) => h.wallMs)) / 1000;
    console.log(`  ${"".padEnd(40)} inside AWS calls ${spread(inCalls.map((x) => x / 1000), 2)} s; outside them ${spread(outside, 2)} s, of which --help's start ${helpMs.toFixed(2)} s`);
    console.log(`  ${"".padEnd(40)} per step (2 steps) outside AWS calls and start-up: ${spread(outside.map((x) => (x - helpMs) / 2), 2)} s (includes the 10–30 ms poll sleeps)`);

    // A deployment's own time per step, start-up excluded: the same deployments of a process with two more steps
    // (a second service), in a project of its own; what the two extra steps add outside AWS calls, halved.
    const wider = join(scratch, "project-4-steps");
    writeProject(wider, proxy.url, true);
    const wide: Sample[] = [];
    const wideOutside: number[] = [];
    for (let i = 0; i < runs; i++) {
      check(await slipway(["release", "create", `0.${i + 1}.0`, "--image", `web=${tags[i % tags.length]}`], wider), "release create (4 steps)");
      proxy.reset();
      wide.push(check(await slipway(["deploy", `0.${i + 1}.0`, "--to", "dev", "--poll-interval", "0.01"], wider), "deploy (4 steps)"));
      wideOutside.push(((wide.at(-1)?.wallMs ?? NaN) - proxy.busyMs()) / 1000);
    }
    row("deploy <release> --to dev, 4 steps", wide);
    console.log(`  ${"".padEnd(40)} outside AWS calls ${spread(wideOutside, 2)} s; per step beyond start-up ((4 steps − 2 steps) / 2, medians): ${((median(wideOutside) - median(outside)) / 2).toFixed(2)} s`);

    for (const [label, args] of [
      ["status (warm)", ["status"]],
      ["release list (warm)", ["release", "list"]],
      ["history --env dev (warm)", ["history", "--env", "dev"]],
    ] as const) {
      const samples: Sample[] = [];
      proxy.reset();
      for (let i = 0; i < runs; i++) samples.push(check(await slipway(args, dir), label));
      row(label, samples, `  AWS calls ${proxy.calls() / runs}`);
    }

    if (breakdown) await breakdownRows(dir);
  } finally {
    await cleanup();
  }
}

/** Where the time goes: each part alone in a fresh Node process (so module caches and the heap start empty). */
async function breakdownRows(warmProject: string): Promise<void> {
  const n = Math.max(3, Math.min(runs, 5));
  const dist = (p: string) => pathToFileURL(resolve(root, "dist", p)).href;
  console.log(`\nbreakdown (each in a fresh node process, ${n} runs; ms from the first line of the script, plus Node's own start)`);
  const empty: Sample[] = [];
  for (let i = 0; i < n; i++) empty.push(check(await runNode(["-e", ""], root), "node -e"));
  row("node -e '' (Node start)", empty);
  const imports: [string, string][] = [
    ["the CLI: dist/src/cli/main.js", dist("src/cli/main.js")],
    ["@electric-sql/pglite", "@electric-sql/pglite"],
    ["@aws-sdk/client-ecs", "@aws-sdk/client-ecs"],
    ["@aws-sdk/client-elastic-load-balancing-v2", "@aws-sdk/client-elastic-load-balancing-v2"],
    ["@aws-sdk/client-ecr", "@aws-sdk/client-ecr"],
    ["@aws-sdk/client-application-auto-scaling", "@aws-sdk/client-application-auto-scaling"],
    ["@aws-sdk/client-secrets-manager", "@aws-sdk/client-secrets-manager"],
    ["@aws-sdk/credential-providers", "@aws-sdk/credential-providers"],
    ["express", "express"],
    ["ajv + ajv-formats", "ajv"],
    ["yaml", "yaml"],
    ["commander", "commander"],
    ["pg", "pg"],
    ["dist/src/aws/clients.js", dist("src/aws/clients.js")],
    ["dist/src/storage/open-store.js", dist("src/storage/open-store.js")],
    ["dist/src/config/load.js", dist("src/config/load.js")],
  ];
  for (const [label, specifier] of imports) {
    const extra = label.startsWith("ajv") ? `await import("ajv-formats");` : "";
    await probeRow(`import ${label}`, `await import(${JSON.stringify(specifier)});${extra}`, n);
  }

  // PGlite alone: initdb of a new data directory, opening an existing one, and the store's migrations.
  const pglite = join(scratch, "pglite");
  mkdirSync(pglite);
  const timedCreate = (dirExpr: string) => `const { PGlite } = await import("@electric-sql/pglite");
const { migrate } = await import(${JSON.stringify(dist("src/storage/sql/migrations.js"))});
const t1 = performance.now();
const db = await PGlite.create(${dirExpr});
const t2 = performance.now();
const inTx = (tx) => ({ location: "bench", query: async (s, p) => (await tx.query(s, p)).rows, transaction: (fn) => fn(inTx(tx)), close: async () => {} });
await migrate({ location: "bench", query: async (s, p) => (await db.query(s, p)).rows, transaction: (fn) => db.transaction((tx) => fn(inTx(tx))), close: () => db.close() });
const t3 = performance.now();
await db.query("select 1");
await db.close();
const t4 = performance.now();
globalThis.__extra = { importPglite: t1, create: t2 - t1, migrate: t3 - t2, close: t4 - t3 };`;
  const fresh: string[] = [];
  const code = (dir: string) => timedCreate(JSON.stringify(dir));
  const freshResults: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const dir = join(pglite, `fresh-${i}`);
    fresh.push(dir);
    freshResults.push(await probe(code(dir)));
  }
  const show = (label: string, rs: Probe[]) => {
    const keys = Object.keys(rs[0] ?? {}).filter((k) => k !== "ms" && k !== "rssMb");
    console.log(`  ${label.padEnd(48)} ${spread(rs.map((r) => r.ms)).padEnd(16)} ms  peak rss ${spread(rs.map((r) => r.rssMb)).padEnd(14)} MB  ${load()}`);
    console.log(`      ${keys.map((k) => `${k} ${spread(rs.map((r) => r[k] ?? NaN))}`).join(", ")} ms`);
  };
  show("PGlite new directory (initdb) + migrations", freshResults);
  const warm: Probe[] = [];
  for (let i = 0; i < n; i++) warm.push(await probe(code(fresh[0] ?? "")));
  show("PGlite existing directory + migrations (none)", warm);
  // V8 compiles PGlite's 9 MB of WebAssembly twice: Liftoff at once, TurboFan for hot functions in the background.
  // Without the second tier the open is shorter and far lighter (v8.setFlagsFromString can set it in-process).
  const liftoff: Probe[] = [];
  for (let i = 0; i < n; i++) liftoff.push(await probe(code(fresh[0] ?? ""), {}, ["--liftoff-only"]));
  show("  the same, node --liftoff-only", liftoff);
  const small: Probe[] = [];
  const smallConf = timedCreate(`{ dataDir: ${JSON.stringify(fresh[0] ?? "")}, postgresqlconf: "shared_buffers=16MB" }`);
  for (let i = 0; i < n; i++) small.push(await probe(smallConf));
  show("  the same, shared_buffers=16MB", small);
  const memory: Probe[] = [];
  for (let i = 0; i < n; i++) memory.push(await probe(timedCreate("undefined")));
  show("PGlite in memory (no directory) + migrations", memory);

  // The store as the CLI opens it (lock files, the engine, migrate), on the warm project's .slipway/.
  const store = `const { openStore } = await import(${JSON.stringify(dist("src/storage/open-store.js"))});
const t1 = performance.now();
const s = await openStore({ stateDir: ${JSON.stringify(join(warmProject, ".slipway"))}, project: "shop" });
const t2 = performance.now();
await s.releases.list();
const t3 = performance.now();
await s.close();
globalThis.__extra = { importStore: t1, open: t2 - t1, firstQuery: t3 - t2, close: performance.now() - t3 };`;
  // bin/slipway.js runs every command but serve with V8's --liftoff-only: the probes below do too, as the CLI would.
  const cli = ["--liftoff-only"];
  const stores: Probe[] = [];
  for (let i = 0; i < n; i++) stores.push(await probe(store, {}, cli));
  show("openStore on the warm project + releases.list", stores);
  const storesTurbo: Probe[] = [];
  for (let i = 0; i < n; i++) storesTurbo.push(await probe(store));
  show("  the same without --liftoff-only", storesTurbo);

  // A new project's store: unpacked from the template npm run build makes (dist/store-template), then opened.
  const seeded: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const stateDir = join(scratch, `seeded-${i}`);
    seeded.push(
      await probe(
        `const { openStore } = await import(${JSON.stringify(dist("src/storage/open-store.js"))});
const t1 = performance.now();
const s = await openStore({ stateDir: ${JSON.stringify(stateDir)}, project: "shop" });
const t2 = performance.now();
await s.releases.list();
await s.close();
globalThis.__extra = { importStore: t1, unpackOpenMigrate: t2 - t1, queryClose: performance.now() - t2 };`,
        {},
        cli,
      ),
    );
    rmSync(stateDir, { recursive: true, force: true });
  }
  show("openStore on a new folder (from the template)", seeded);

  // `slipway status` phase by phase in one process, as src/cli/commands/status.ts does it: the CLI's whole module
  // graph, reading the project (schema compilation included), opening the store, the queries, closing.
  const phases = (project: string) => `const t0 = performance.now();
await import(${JSON.stringify(dist("src/cli/main.js"))});
const t1 = performance.now();
const { loadProject } = await import(${JSON.stringify(dist("src/config/load.js"))});
const { openStore } = await import(${JSON.stringify(dist("src/storage/open-store.js"))});
const { projectStatus } = await import(${JSON.stringify(dist("src/releases/status.js"))});
const { lifecycle } = loadProject(${JSON.stringify(join(project, "slipway.yaml"))}).project;
const t2 = performance.now();
const s = await openStore({ stateDir: ${JSON.stringify(join(project, ".slipway"))}, project: "shop" });
const t3 = performance.now();
await projectStatus(s, lifecycle);
const t4 = performance.now();
await s.close();
const t5 = performance.now();
globalThis.__extra = { nodeStart: t0, importCli: t1 - t0, loadProject: t2 - t1, openStoreAndMigrate: t3 - t2, queries: t4 - t3, close: t5 - t4 };`;
  const statusWarm: Probe[] = [];
  for (let i = 0; i < n; i++) statusWarm.push(await probe(phases(warmProject), {}, cli));
  show("status phases, warm project (--liftoff-only)", statusWarm);
  const statusCold: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const dir = join(scratch, `phases-${i}`);
    writeProject(dir, "http://127.0.0.1:9");
    statusCold.push(await probe(phases(dir), {}, cli));
    rmSync(dir, { recursive: true, force: true });
  }
  show("status phases, new project (--liftoff-only)", statusCold);

  const clients = `const { createAwsClients } = await import(${JSON.stringify(dist("src/aws/clients.js"))});
const t1 = performance.now();
const c = createAwsClients({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
const t2 = performance.now();
c.destroy();
globalThis.__extra = { importClients: t1, create: t2 - t1 };`;
  const made: Probe[] = [];
  for (let i = 0; i < n; i++) made.push(await probe(clients));
  show("createAwsClients (all clients, no call)", made);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
