/**
 * Dropped requests during deployments (issue 16): a bounded load of real HTTP requests against an environment's
 * simulated ALB listener, for the whole of each deployment path, counted by outcome and by the revision that
 * served them. Every deployment is made by the built CLI (bin/slipway.js) in a child process, as a person would
 * run it, against an in-process simulator whose target groups keep AWS's defaults: health checks every 30 s,
 * healthy after 5, unhealthy after 2, deregistration delay 300 s — all scaled by the simulator's speed.
 *
 * Paths: rolling deploy; canary to completion; `slipway rollback` of that canary's environment; a failed canary
 * (an image that fails its health checks) rolling itself back; an abort mid-shift (canary at 50 %); a deployment
 * whose process is killed (kill -9) mid-shift, then `slipway resume`d; blue/green to completion; an abort of a
 * blue/green after all traffic moved to green.
 *
 * Last, a control that is not a deployment: half the traffic sent for a second to a target group with no healthy
 * target, which must show as 503s — the instrument sees failures when there are any.
 *
 * What the figures cannot show yet (the simulator does not model it): a request takes no time in the simulator, so
 * there is never an in-flight request for a draining target or a stopping task to cut (its ECS moves a task to
 * STOPPING 5 simulated seconds after deregistering it, whatever the deregistration delay); and a weight change
 * applies to the very next request, where users of real ALBs report it taking a while to propagate (AWS documents
 * no figure). Deleting a task set right after moving its weight to 0 therefore costs nothing here.
 *
 * Two loops run for each path, one without and one with the verification header, each paced to RATE requests per
 * second over CONCURRENCY keep-alive connections; they start before the path's first command and stop after its
 * last one ends (plus a short tail), and stop by themselves after MAX seconds whatever happens.
 *
 * Run from the repository root: npm run bench:traffic (it builds the CLI and the bench first).
 * Options (environment): TRAFFIC_BENCH_SPEED (default 100), TRAFFIC_BENCH_RATE (per loop, 200),
 * TRAFFIC_BENCH_CONCURRENCY (per loop, 8), TRAFFIC_BENCH_MAX_SECONDS (per path, 180), TRAFFIC_BENCH_SEED (7),
 * TRAFFIC_BENCH_PATHS (comma-separated names to run, default all), TRAFFIC_BENCH_WAIT_TIMEOUT (the service step's
 * waitTimeoutSeconds, 20: how long the failed canary waits), TRAFFIC_BENCH_TIMELINE=1 (print, per path, the
 * listener's rules, weights and target health as they changed, with the CLI's lines), TRAFFIC_BENCH_JSON (a file
 * for every sample and observation).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients } from "../src/aws/clients.js";
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";
import { healthOf } from "../src/sim/elbv2/target-health.js";
import { forwardTargets } from "../src/sim/elbv2/actions.js";
import { buildInfrastructure } from "../src/seed/build.js";
import { simControl } from "../src/seed/sim-control.js";
import { listFrontends } from "../src/demo/frontends.js";
import { packageRoot } from "../src/config/package-root.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const speed = Number(process.env.TRAFFIC_BENCH_SPEED ?? 100);
const rate = Number(process.env.TRAFFIC_BENCH_RATE ?? 200);
const concurrency = Number(process.env.TRAFFIC_BENCH_CONCURRENCY ?? 8);
const maxSeconds = Number(process.env.TRAFFIC_BENCH_MAX_SECONDS ?? 180);
const seed = Number(process.env.TRAFFIC_BENCH_SEED ?? 7);
const onlyPaths = process.env.TRAFFIC_BENCH_PATHS?.split(",").map((p) => p.trim()).filter(Boolean);
const jsonFile = process.env.TRAFFIC_BENCH_JSON;
const region = "us-east-1";
const repository = "shop/web";
const unhealthyTag = "1.3.0";
const verifyHeader = { name: "X-Bench-Verify", value: "yes" };
/** The CLI's first status poll after this many wall seconds, backing off to 3× (at 100× speed: 20–60 simulated s). */
const pollInterval = "0.2";
/** The service step's waitTimeoutSeconds (wall seconds): how long the failed canary waits for its set to turn steady. */
const waitTimeout = Number(process.env.TRAFFIC_BENCH_WAIT_TIMEOUT ?? 20);
const bin = join(packageRoot(), "bin", "slipway.js");

// ---------------------------------------------------------------------------------------------------------------
// The load: two paced loops of keep-alive requests, one with the verification header.

interface Sample {
  /** ms since the load started. */
  t: number;
  header: boolean;
  /** HTTP status, or the connection error's code ("ECONNRESET", "timeout", …). */
  outcome: number | string;
  revision?: string;
  /** The listener rule that answered: its priority, or "default". */
  rule?: string;
  /** A 200 from a target that fails its health checks (the group failed open). */
  failOpen?: boolean;
  /** For a 5xx: the simulator's reason; for a connection error: how old the connection was and how many requests it had carried. */
  message?: string;
}

/** When each keep-alive connection was opened, and how many requests it has carried. */
const sockets = new WeakMap<object, { opened: number; requests: number }>();

interface Load {
  samples: Sample[];
  started: number;
  stop(): Promise<void>;
}

function startLoad(port: number): Load {
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let stopping = false;
  const loop = (header: boolean) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const gap = 1000 / rate;
    let next = performance.now();
    const take = async (): Promise<boolean> => {
      const at = next;
      next += gap;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return !stopping && performance.now() < deadline;
    };
    const one = () =>
      new Promise<void>((resolve) => {
        const t = performance.now() - started;
        const req = http.get({ host: "127.0.0.1", port, path: "/", agent, headers: header ? { [verifyHeader.name]: verifyHeader.value } : {}, timeout: 5000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const body = Buffer.concat(chunks).toString();
            const sample: Sample = { t, header, outcome: res.statusCode ?? 0 };
            const revision = res.headers["x-slipway-revision"];
            if (typeof revision === "string") sample.revision = revision;
            const rule = /"rule": "?(\w+)"?/.exec(body)?.[1];
            if (rule) sample.rule = rule;
            if (body.includes('"failOpen": true')) sample.failOpen = true;
            if ((res.statusCode ?? 0) >= 500) sample.message = /"message": "([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 120);
            samples.push(sample);
            resolve();
          });
          res.on("error", (error: NodeJS.ErrnoException) => {
            samples.push({ t, header, outcome: error.code ?? "error", message: `${error.code ?? "error"} while reading the answer` });
            resolve();
          });
        });
        let socketInfo: { opened: number; requests: number } | undefined;
        req.on("socket", (socket) => {
          socketInfo = sockets.get(socket);
          if (!socketInfo) sockets.set(socket, (socketInfo = { opened: performance.now(), requests: 0 }));
          socketInfo.requests += 1;
        });
        req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
        req.on("error", (error: NodeJS.ErrnoException) => {
          const on = socketInfo ? `on a connection ${((performance.now() - socketInfo.opened) / 1000).toFixed(1)} s old, its request #${socketInfo.requests}` : "before a connection";
          samples.push({ t, header, outcome: error.code ?? "error", message: `${error.code ?? "error"} ${on}` });
          resolve();
        });
      });
    const worker = async () => {
      while (await take()) await one();
    };
    return Promise.all(Array.from({ length: concurrency }, worker)).finally(() => agent.destroy());
  };
  const running = Promise.all([loop(false), loop(true)]);
  return {
    samples,
    started,
    async stop() {
      stopping = true;
      await running;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the load balancer was doing: weights, the verification rule, target health per group, sampled in-process.

interface Observation {
  t: number;
  text: string;
}

/** When a verification (header) rule was there: [from, to) in ms since the load started, to undefined while it is. */
type Interval = [number, number | undefined];

function watchListener(sim: Simulator, listenerArn: string, names: Map<string, string>, started: number): { observations: Observation[]; verifyRule: Interval[]; weights: () => Record<string, number>; stop(): void } {
  const observations: Observation[] = [];
  let last = "";
  const verifyRule: Interval[] = [];
  let weights: Record<string, number> = {};
  const look = () => {
    const now = sim.advance();
    const state = sim.elbv2.regions.get(region);
    const rules = state.rulesOf(listenerArn);
    const parts: string[] = [];
    const groups = new Set<string>();
    const t = performance.now() - started;
    let headerRule = false;
    for (const rule of rules) {
      const forward = rule.actions.find((a) => a.Type === "forward");
      const targets = forward ? forwardTargets(forward) : [];
      for (const g of targets) groups.add(g.arn);
      const header = rule.conditions.some((c) => c.Field === "http-header");
      headerRule ||= header;
      if (rule.priority === "default") weights = Object.fromEntries(targets.map((g) => [names.get(g.arn) ?? g.arn, g.weight]));
      parts.push(`${rule.priority === "default" ? "default" : header ? "header" : `rule ${rule.priority}`} → ${targets.map((g) => `${names.get(g.arn) ?? g.arn}=${g.weight}`).join(" ")}`);
    }
    for (const arn of groups) {
      const group = state.targetGroups.get(arn);
      if (!group) continue;
      const counts: Record<string, number> = {};
      for (const target of group.targets.values()) {
        const health = healthOf(group, target, now).State;
        if (health === "unused") continue;
        counts[health] = (counts[health] ?? 0) + 1;
      }
      parts.push(`${group.name}: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ") || "no targets"}`);
    }
    const open = verifyRule.at(-1);
    if (headerRule && (!open || open[1] !== undefined)) verifyRule.push([t, undefined]);
    if (!headerRule && open && open[1] === undefined) open[1] = t;
    const text = parts.join("; ");
    if (text !== last) observations.push({ t, text });
    last = text;
  };
  look();
  const timer = setInterval(look, 20);
  return { observations, verifyRule, weights: () => weights, stop: () => clearInterval(timer) };
}

// ---------------------------------------------------------------------------------------------------------------
// The CLI, in child processes.

interface CliRun {
  child: ChildProcess;
  lines: Observation[];
  done: Promise<number | string>;
}

function cli(dir: string, args: string[], started: number, label: string): CliRun {
  const child = spawn(process.execPath, [bin, ...args, "--project", join(dir, "slipway.yaml")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  const lines: Observation[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on("line", (line) => lines.push({ t: performance.now() - started, text: `${label}: ${line}` }));
  }
  const done = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  return { child, lines, done };
}

async function cliOk(dir: string, args: string[]): Promise<void> {
  const run = cli(dir, args, performance.now(), args[0] ?? "");
  const code = await run.done;
  if (code !== 0) throw new Error(`slipway ${args.join(" ")} exited ${code}:\n${run.lines.map((l) => l.text).join("\n")}`);
}

const deploymentIdOf = (run: CliRun) => run.lines.map((l) => /deployment (\S+) \(if interrupted/.exec(l.text)?.[1]).find(Boolean);

async function until(what: string, check: () => boolean, timeoutMs = maxSeconds * 1000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A world: one environment's infrastructure and a project deploying one service to it in one mode.

type Mode = "rolling" | "canary" | "blue-green";

const stagesOf: Record<Exclude<Mode, "rolling">, string[]> = {
  canary: [
    "  - canaryRollout: { scale: 50 }",
    `  - verify: { header: { name: ${verifyHeader.name}, values: [${verifyHeader.value}] } }`,
    "  - trafficRouting: { canary: 10 }",
    "  - pause: { seconds: 2 }",
    "  - trafficRouting: { canary: 50 }",
    "  - pause: { seconds: 2 }",
    "  - primaryRollout: {}",
    "  - trafficRouting: { primary: 100 }",
    "  - canaryClean: {}",
  ],
  "blue-green": [
    "  - greenRollout: {}",
    `  - verify: { header: { name: ${verifyHeader.name}, values: [${verifyHeader.value}] } }`,
    "  - trafficRouting: { green: 100 }",
    "  - pause: { seconds: 2 }",
    "  - clean: {}",
  ],
};

interface World {
  name: string;
  dir: string;
  listenerArn: string;
  port: number;
  names: Map<string, string>;
}

async function makeWorld(endpoint: string, prefix: string, mode: Mode): Promise<World> {
  const cluster = `${prefix}-prod`;
  const built = await buildInfrastructure({
    environments: [
      {
        environment: "prod",
        connection: { region, endpoint },
        cluster,
        loadBalancer: {
          name: cluster,
          listenerPort: 80,
          targetGroups: { primary: `${cluster}-blue`, canary: `${cluster}-green` },
          extraTargetGroups: [],
          // AWS's defaults otherwise: health checks 30 s × 5 to turn healthy, deregistration delay 300 s.
          targetGroup: { port: 8080, targetType: "ip", healthCheckPath: "/health" },
        },
      },
    ],
    repositories: [repository],
    images: ["1.0.0", "1.1.0", "1.2.0", unhealthyTag].map((tag) => ({ repository, tag })),
    secrets: [],
  });
  await simControl(endpoint, region, "PUT", "faults/images", { image: `${repository}:${unhealthyTag}`, behaviour: "unhealthy" });
  const lb = built.environments[0]?.loadBalancer;
  if (!lb) throw new Error("no load balancer was built");
  const frontend = (await listFrontends(endpoint, region)).find((f) => f.loadBalancerName === cluster);
  if (!frontend) throw new Error(`the simulator lists no frontend for ${cluster}`);
  const dir = mkdtempSync(join(tmpdir(), "slipway-traffic-"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(
    join(dir, "slipway.yaml"),
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      `name: traffic-${prefix}`,
      "environments:",
      "  - name: prod",
      "targets:",
      "  prod:",
      `    region: ${region}`,
      `    cluster: ${cluster}`,
      `    endpoint: ${endpoint}`,
      "    loadBalancer:",
      `      listener: { loadBalancer: ${cluster}, port: 80 }`,
      `      targetGroups: { primary: ${cluster}-blue, canary: ${cluster}-green }`,
      "process:",
      "  - name: web task definition",
      "    uses: task-definition",
      "    file: steps/web.taskdef.yaml",
      "  - name: web service",
      "    uses: service",
      "    file: steps/web.service.yaml",
      "    taskDefinitionFrom: web task definition",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "steps", "web.taskdef.yaml"),
    [
      `family: ${prefix}-web`,
      "definition:",
      "  networkMode: awsvpc",
      "  requiresCompatibilities: [FARGATE]",
      '  cpu: "256"',
      '  memory: "512"',
      "  containerDefinitions:",
      "    - name: web",
      `      image: ${repository}`,
      "      portMappings: [{ containerPort: 8080 }]",
      "images:",
      '  web: { range: "^1.0.0" }',
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "steps", "web.service.yaml"),
    [
      "service: shop-web",
      `mode: ${mode}`,
      "desiredCount: 2",
      "loadBalancer: { containerName: web, containerPort: 8080 }",
      "network: { subnets: [subnet-a, subnet-b], securityGroups: [sg-a] }",
      // Wall seconds: 20 at 100× is over half an hour simulated, far beyond any healthy rollout here (under 5
      // simulated minutes); the failed canary waits all of it.
      `waitTimeoutSeconds: ${waitTimeout}`,
      ...(mode === "rolling" ? [] : ["stages:", ...stagesOf[mode]]),
      "",
    ].join("\n"),
  );
  const names = new Map([
    [lb.primary, `${cluster}-blue`],
    [lb.canary, `${cluster}-green`],
  ]);
  return { name: prefix, dir, listenerArn: lb.listenerArn, port: Number(new URL(frontend.url).port), names };
}

async function release(world: World, version: string, image: string): Promise<void> {
  await cliOk(world.dir, ["release", "create", version, "--image", `web=${image}`]);
}

// ---------------------------------------------------------------------------------------------------------------
// One measured path: the load around a script of CLI commands, then the figures.

interface PathContext {
  started: number;
  /** Starts a CLI command whose lines go into the path's log. */
  run(args: string[], label?: string): CliRun;
  watch: ReturnType<typeof watchListener>;
}

interface PathResult {
  name: string;
  seconds: number;
  exits: string[];
  samples: Sample[];
  observations: Observation[];
  verifyRule: Interval[];
}

async function measure(sim: Simulator, world: World, name: string, script: (ctx: PathContext) => Promise<string[]>): Promise<PathResult> {
  const load = startLoad(world.port);
  const started = load.started;
  const watch = watchListener(sim, world.listenerArn, world.names, started);
  const runs: CliRun[] = [];
  let exits: string[] = [];
  try {
    // Half a second of load before the path's first command: what was served before it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    exits = await script({
      started,
      watch,
      run: (args, label) => {
        const run = cli(world.dir, args, started, label ?? args[0] ?? "");
        runs.push(run);
        return run;
      },
    });
    // And a second after its last one: what is served once it has ended.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await load.stop();
    watch.stop();
    for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  }
  const seconds = (performance.now() - started) / 1000;
  const observations = [...watch.observations, ...runs.flatMap((r) => r.lines)].sort((a, b) => a.t - b.t);
  return { name, seconds, exits, samples: load.samples, observations, verifyRule: watch.verifyRule };
}

const deploy = (ctx: PathContext, version: string) => ctx.run(["deploy", version, "--to", "prod", "--poll-interval", pollInterval], "deploy");

async function deployToEnd(ctx: PathContext, version: string): Promise<string[]> {
  return [`deploy ${version}: exit ${await deploy(ctx, version).done}`];
}

/** Deploys `version`, and once the listener's default weights satisfy `when`, runs `then` with the deployment id. */
async function deployAndAct(ctx: PathContext, version: string, when: (weights: Record<string, number>, before: Record<string, number>) => boolean, then: (id: string, deploying: CliRun) => Promise<string[]>): Promise<string[]> {
  const before = ctx.watch.weights();
  const deploying = deploy(ctx, version);
  await until("the deployment's id", () => deploymentIdOf(deploying) !== undefined);
  const id = deploymentIdOf(deploying) ?? "";
  let ended: number | string | undefined;
  void deploying.done.then((code) => (ended = code));
  await until("the weights to act at", () => when(ctx.watch.weights(), before) || ended !== undefined);
  if (ended !== undefined) return [`deploy ${version}: exit ${ended} before the point to act at`];
  return then(id, deploying);
}

// ---------------------------------------------------------------------------------------------------------------
// Figures.

function summarise(result: PathResult): string[] {
  const out: string[] = [];
  const { samples } = result;
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const span = Math.max(1, ...sorted.map((s) => s.t));
  const failed = (s: Sample) => typeof s.outcome === "string" || s.outcome >= 500 || s.outcome === 0;
  // The revision that served before the path began: the most common among the first half second's answers.
  const first = sorted.filter((s) => s.t < 500 && s.revision);
  const tally = (xs: Sample[]) => xs.reduce<Record<string, number>>((acc, s) => ((acc[s.revision ?? String(s.outcome)] = (acc[s.revision ?? String(s.outcome)] ?? 0) + 1), acc), {});
  const old = Object.entries(tally(first)).sort((a, b) => b[1] - a[1])[0]?.[0];
  out.push(`== ${result.name}: ${result.seconds.toFixed(1)} s; ${result.exits.join("; ")}`);
  for (const header of [false, true]) {
    const mine = sorted.filter((s) => s.header === header);
    const fails = mine.filter(failed);
    const byCode = fails.reduce<Record<string, number>>((acc, s) => ((acc[String(s.outcome)] = (acc[String(s.outcome)] ?? 0) + 1), acc), {});
    const failOpen = mine.filter((s) => s.failOpen).length;
    const when = fails.length > 0 ? ` at ${(fails[0]!.t / 1000).toFixed(2)}–${(fails.at(-1)!.t / 1000).toFixed(2)} s` : "";
    out.push(`  ${header ? `with ${verifyHeader.name}` : "without header"}: ${mine.length} requests, ${fails.length} failed${fails.length ? ` (${Object.entries(byCode).map(([c, n]) => `${c}×${n}`).join(", ")})${when}` : ""}${failOpen ? `, ${failOpen} served by a target failing its health checks (fail-open)` : ""}`);
    const reasons = fails.reduce<Record<string, number>>((acc, s) => ((acc[s.message ?? String(s.outcome)] = (acc[s.message ?? String(s.outcome)] ?? 0) + 1), acc), {});
    for (const [reason, n] of Object.entries(reasons)) out.push(`      ${n}× ${reason}`);
    const tenths: string[] = [];
    for (let i = 0; i < 10; i++) {
      const slice = mine.filter((s) => s.t >= (span * i) / 10 && (i === 9 ? s.t <= span : s.t < (span * (i + 1)) / 10));
      const counts = Object.entries(tally(slice)).sort((a, b) => b[1] - a[1]);
      tenths.push(`    ${String(i * 10).padStart(2)}–${String((i + 1) * 10).padEnd(3)}% (${((span * i) / 10000).toFixed(1)} s) ${counts.map(([r, n]) => `${r}:${n}`).join(" ")}`);
    }
    out.push(...tenths);
    if (header) {
      // The header is the tester's way to the new revision. Once the verification rule has first answered, an
      // answer from the revision that served before the path is one the tester did not ask for: through the rule
      // itself it is routed wrong; through the default rule, the rule was gone already (expected after an abort or
      // a rollback, a gap in the verification otherwise).
      const first = mine.find((s) => s.rule !== undefined && s.rule !== "default");
      const rules = result.verifyRule.map(([from, to]) => `${(from / 1000).toFixed(2)}–${to === undefined ? "end" : (to / 1000).toFixed(2)} s`).join(", ");
      if (!first) out.push(`    verification rule: ${rules ? `there ${rules}, answered no request` : "never there during the path"}`);
      else {
        const after = mine.filter((s) => s.t >= first.t);
        const viaRule = after.filter((s) => s.rule !== undefined && s.rule !== "default");
        const viaDefault = after.filter((s) => !viaRule.includes(s));
        const byOld = (xs: Sample[]) => xs.filter((s) => old !== undefined && s.revision === old);
        const span = (xs: Sample[]) => (xs.length ? ` (${(xs[0]!.t / 1000).toFixed(2)}–${(xs.at(-1)!.t / 1000).toFixed(2)} s)` : "");
        out.push(`    verification rule there ${rules}; from its first answer at ${(first.t / 1000).toFixed(2)} s: ${viaRule.length} header requests answered by it, ${byOld(viaRule).length} by the old revision ${old ?? "?"}${span(byOld(viaRule))}; ${viaDefault.length} by the default rule, ${byOld(viaDefault).length} by the old revision${span(byOld(viaDefault))}, ${viaDefault.filter(failed).length} failed`);
      }
    }
  }
  return out;
}

function timeline(result: PathResult): string[] {
  return result.observations.map((o) => `    ${(o.t / 1000).toFixed(2).padStart(7)} s  ${o.text}`);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const sim = new Simulator({ throttling: false, seed });
  sim.clock.setSpeed(speed);
  const server = await listen(sim, 0);
  const endpoint = server.url;
  const results: PathResult[] = [];
  const worlds: World[] = [];
  const wanted = (name: string) => !onlyPaths || onlyPaths.includes(name);
  console.log(`load on the simulated ALB during each deployment path: simulator at ${speed}× (seed ${seed}); target groups at AWS's defaults (health checks 30 s × 5 healthy / × 2 unhealthy, deregistration delay 300 s: ${(150 / speed).toFixed(1)} s and ${(300 / speed).toFixed(1)} s here); ${rate} req/s × 2 loops (without and with ${verifyHeader.name}), ${concurrency} keep-alive connections each`);
  const path = async (world: World, name: string, script: (ctx: PathContext) => Promise<string[]>) => {
    if (!wanted(name)) return;
    const result = await measure(sim, world, name, script);
    results.push(result);
    for (const line of summarise(result)) console.log(line);
    if (process.env.TRAFFIC_BENCH_TIMELINE) for (const line of timeline(result)) console.log(line);
  };
  try {
    if (["rolling"].some(wanted)) {
      const world = await makeWorld(endpoint, "tr", "rolling");
      worlds.push(world);
      await release(world, "1.0.0", "1.1.0");
      await release(world, "1.1.0", "1.2.0");
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", "--poll-interval", pollInterval]);
      await path(world, "rolling", (ctx) => deployToEnd(ctx, "1.1.0"));
    }
    if (["canary", "rollback", "failed-canary", "abort-mid-shift", "kill-resume", "control-empty-group"].some(wanted)) {
      const world = await makeWorld(endpoint, "tc", "canary");
      worlds.push(world);
      for (const [version, image] of [["1.0.0", "1.1.0"], ["1.1.0", "1.2.0"], ["1.2.0", unhealthyTag], ["1.3.0", "1.2.0"], ["1.4.0", "1.0.0"]] as const) await release(world, version, image);
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", "--poll-interval", pollInterval]);
      await path(world, "canary", (ctx) => deployToEnd(ctx, "1.1.0"));
      await path(world, "rollback", async (ctx) => [`rollback: exit ${await ctx.run(["rollback", "--env", "prod", "--poll-interval", pollInterval], "rollback").done}`]);
      await path(world, "failed-canary", (ctx) => deployToEnd(ctx, "1.2.0"));
      await path(world, "abort-mid-shift", (ctx) =>
        deployAndAct(
          ctx,
          "1.3.0",
          (w) => Object.values(w).includes(50),
          async (id, deploying) => {
            const abort = ctx.run(["abort", id, "--reason", "bench"], "abort");
            return [`abort: exit ${await abort.done}`, `deploy 1.3.0: exit ${await deploying.done}`];
          },
        ),
      );
      await path(world, "kill-resume", (ctx) =>
        deployAndAct(
          ctx,
          "1.4.0",
          (w) => Object.values(w).includes(10),
          async (id, deploying) => {
            deploying.child.kill("SIGKILL");
            const killed = await deploying.done;
            await new Promise((resolve) => setTimeout(resolve, 1000));
            const resume = ctx.run(["resume", id, "--poll-interval", pollInterval], "resume");
            return [`deploy 1.4.0: ${killed} at canary 10 %`, `resume: exit ${await resume.done}`];
          },
        ),
      );
      // Not a deployment path: the instrument's own check. Half the traffic goes, for one second, to the canary
      // group, which holds no healthy target now (only the last canary's draining ones): those requests must show
      // up as 503s, or the zeros above would prove nothing.
      await path(world, "control-empty-group", async () => {
        const clients = createAwsClients({ region, endpoint });
        const [live, other] = [...world.names.keys()];
        const forward = (weights: [number, number]) =>
          clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: world.listenerArn, DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: live, Weight: weights[0] }, { TargetGroupArn: other, Weight: weights[1] }] } }] }));
        try {
          await forward([50, 50]);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await forward([100, 0]);
        } finally {
          clients.destroy();
        }
        return ["ModifyListener 50/50 to an empty canary group for 1 s, then 100/0"];
      });
    }
    if (["blue-green", "abort-after-shift"].some(wanted)) {
      const world = await makeWorld(endpoint, "tb", "blue-green");
      worlds.push(world);
      for (const [version, image] of [["1.0.0", "1.1.0"], ["1.1.0", "1.2.0"], ["1.2.0", "1.0.0"]] as const) await release(world, version, image);
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", "--poll-interval", pollInterval]);
      await path(world, "blue-green", (ctx) => deployToEnd(ctx, "1.1.0"));
      await path(world, "abort-after-shift", (ctx) =>
        deployAndAct(
          ctx,
          "1.2.0",
          // All traffic on the group that had none before: green took it over.
          (w, before) => Object.entries(w).some(([group, weight]) => weight === 100 && before[group] === 0),
          async (id, deploying) => {
            const abort = ctx.run(["abort", id, "--reason", "bench"], "abort");
            return [`abort: exit ${await abort.done}`, `deploy 1.2.0: exit ${await deploying.done}`];
          },
        ),
      );
    }
  } finally {
    await server.close();
    for (const world of worlds) rmSync(world.dir, { recursive: true, force: true });
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 1));
  const deployments = results.filter((r) => !r.name.startsWith("control-"));
  const total = deployments.reduce((n, r) => n + r.samples.filter((s) => typeof s.outcome === "string" || s.outcome >= 500).length, 0);
  console.log(`\n${deployments.length} deployment paths, ${deployments.reduce((n, r) => n + r.samples.length, 0)} requests, ${total} failed (the control path is not counted)`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
