/**
 * Benchmark of the task definition feed (issue 3): 50 families × 2,000 revisions in the simulator, ECS-like
 * throttling on, the feed on a loopback port, and autocannon with 32 connections listing dev's versions across
 * the families, first from an empty cache (cold) and then from a filled one (warm). Revisions are tagged with
 * the environment they belong to, as slipway tags them (issue 11): by default all dev's; with
 * FEED_BENCH_ENVIRONMENTS=3, dev, test and prod take turns in every family, as when they share an account.
 *
 * The simulator, the feed and autocannon each run in a process of their own, so that none shares an event loop
 * with what it measures or serves (the simulator stands in for ECS, which is elsewhere).
 *
 * Run: npm run bench:feed
 * Options (environment): FEED_BENCH_COLD_SECONDS (default 60), FEED_BENCH_WARM_SECONDS (15),
 * FEED_BENCH_FRESH_SECONDS (30), FEED_BENCH_RECONCILE_SECONDS (the feed's default, 10 × fresh: longer than
 * the benchmark, so set it lower, e.g. 40, to see whole listings made in the background while it runs),
 * FEED_BENCH_ENVIRONMENTS (1: how many environments take turns registering each family's revisions).
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import express from "express";
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";
import type { CallCounts } from "../src/sim/call-ledger.js";
import { createAwsClients } from "../src/aws/clients.js";
import { EcsTaskDefinitions, type RevisionRef, type TaskDefinitionReader } from "../src/aws/task-definitions.js";
import { createFeedApp } from "../feed/app.js";
import { reconcileFreshWindows } from "../feed/catalog/catalog.js";
import { listenFeed } from "../feed/server.js";
import { environmentTag } from "../steps/task-definition/ownership.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const familyCount = 50;
const revisionsPerFamily = 2_000;
const connections = 32;
const region = "us-east-1";
const readKey = "bench-read-key-0123456789abcdef";
const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const coldSeconds = seconds("FEED_BENCH_COLD_SECONDS", 60);
const warmSeconds = seconds("FEED_BENCH_WARM_SECONDS", 15);
const freshSeconds = seconds("FEED_BENCH_FRESH_SECONDS", 30);
const reconcileSeconds = process.env.FEED_BENCH_RECONCILE_SECONDS === undefined ? undefined : seconds("FEED_BENCH_RECONCILE_SECONDS", 300);
const owners = ["dev", "test", "prod"].slice(0, Math.min(3, Math.max(1, seconds("FEED_BENCH_ENVIRONMENTS", 1))));
const goals = { warmP99Ms: 20, requestsPerSecond: 2_000 };

const familyName = (i: number) => `bench-${String(i).padStart(2, "0")}`;

// ---------------------------------------------------------------------------------------------- the server side

/** Listings by kind: whole (every page, oldest first) or incremental (newest first, stopping at the known). */
type ListingKind = "whole" | "incremental";
type ListingTimes = Record<ListingKind, Record<string, number[]>>;

/** The reader the feed gets, counting listings per family and kind: the goal is about listings, not pages. */
class CountingReader implements TaskDefinitionReader {
  readonly listings: ListingTimes = { whole: {}, incremental: {} };
  constructor(private readonly inner: TaskDefinitionReader) {}
  listFamilies(options?: Parameters<TaskDefinitionReader["listFamilies"]>[0]) {
    return this.inner.listFamilies(options);
  }
  listRevisions(family: string, status?: "ACTIVE" | "INACTIVE"): Promise<RevisionRef[]> {
    this.count("whole", family);
    return this.inner.listRevisions(family, status);
  }
  listRevisionsNewestFirst(family: string, status?: "ACTIVE" | "INACTIVE", options?: { stopAtOrBelow?: number }): Promise<RevisionRef[]> {
    this.count("incremental", family);
    return this.inner.listRevisionsNewestFirst(family, status, options);
  }
  private count(kind: ListingKind, family: string): void {
    (this.listings[kind][family] ??= []).push(Date.now());
  }
  describe(ref: string) {
    return this.inner.describe(ref);
  }
}

/** Registers straight into the simulator: 100,000 HTTP calls would take longer than the benchmark. */
function seed(sim: Simulator): void {
  const register = sim.ecs.operations.RegisterTaskDefinition as (input: RegisterTaskDefinitionRequest, ctx: object) => unknown;
  for (let f = 0; f < familyCount; f++) {
    for (let r = 1; r <= revisionsPerFamily; r++) {
      const input: RegisterTaskDefinitionRequest = {
        family: familyName(f),
        containerDefinitions: [{ name: "web", image: `123456789012.dkr.ecr.${region}.amazonaws.com/${familyName(f)}:1.0.${r}`, memory: 256 }],
        tags: [{ key: environmentTag, value: owners[(r - 1) % owners.length] as string }],
      };
      register(input, { sim, region, account: sim.account, now: sim.clock.now(), requestId: `seed-${f}-${r}` });
    }
  }
}

/** The simulator in a process of its own, as ECS is elsewhere: its work must not stall the feed's event loop. */
async function runSimulator(): Promise<void> {
  const sim = new Simulator({ throttling: false });
  seed(sim);
  const simulator = await listen(sim, 0);
  sim.throttler.enabled = true;
  sim.throttler.reset();
  process.on("message", (message) => {
    if (message === "stop") void simulator.close().then(() => process.exit(0));
  });
  process.send?.({ simUrl: simulator.url });
}

async function runFeed(simUrl: string): Promise<void> {
  const clients = createAwsClients({ region, endpoint: simUrl });
  const reader = new CountingReader(new EcsTaskDefinitions(clients.ecs));
  const feedApp = createFeedApp({
    sources: new Map([["dev", reader]]),
    auth: { kind: "keys", keys: [readKey] },
    freshMs: freshSeconds * 1000,
    ...(reconcileSeconds !== undefined && { reconcileMs: reconcileSeconds * 1000 }),
  });
  // Counts answers flagged stale (ECS too slow or failing): autocannon sees statuses, not headers.
  const answers = { total: 0, stale: 0 };
  const app = express();
  app.use((_req, res, next) => {
    res.on("finish", () => {
      answers.total++;
      if (res.getHeader("x-slipway-stale")) answers.stale++;
    });
    next();
  });
  app.use(feedApp);
  const feed = await listenFeed(app, 0, "127.0.0.1");
  process.on("message", (message) => {
    if (message === "listings") process.send?.({ listings: reader.listings, answers });
    if (message === "stop") {
      void feed.close().then(() => {
        clients.destroy();
        process.exit(0);
      });
    }
  });
  process.send?.({ feedUrl: feed.url });
}

// -------------------------------------------------------------------------------------------- the measuring side

interface Phase {
  name: string;
  result: autocannon.Result;
  ecsCalls: CallCounts;
  listings: ListingTimes;
  staleAnswers: number;
}

interface ServerCounts {
  listings: ListingTimes;
  answers: { total: number; stale: number };
}

async function request<T>(child: ChildProcess, message: string): Promise<T> {
  child.send(message);
  const [reply] = (await once(child, "message")) as [T];
  return reply;
}

async function calls(simUrl: string, method: "GET" | "DELETE"): Promise<CallCounts> {
  return (await (await fetch(`${simUrl}/_sim/calls`, { method })).json()) as CallCounts;
}

/** 32 connections, each request the next family in turn: every family is hot, none is favoured. */
async function load(feedUrl: string, duration: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: feedUrl,
    connections,
    duration,
    // Cold requests wait for throttled ECS listings (20 pages each); count them as slow, not as lost.
    timeout: 60,
    headers: { authorization: `Bearer ${readKey}` },
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/environments/dev/packages/${familyName(next++ % familyCount)}/versions?pageSize=50` }) }],
  });
}

async function phase(name: string, duration: number, child: ChildProcess, urls: { feedUrl: string; simUrl: string }): Promise<Phase> {
  await calls(urls.simUrl, "DELETE");
  const before = await request<ServerCounts>(child, "listings");
  const result = await load(urls.feedUrl, duration);
  const ecsCalls = await calls(urls.simUrl, "GET");
  const after = await request<ServerCounts>(child, "listings");
  const since = (kind: ListingKind) => Object.fromEntries(Object.entries(after.listings[kind]).map(([family, times]) => [family, times.slice(before.listings[kind][family]?.length ?? 0)]));
  const listings = { whole: since("whole"), incremental: since("incremental") };
  return { name, result, ecsCalls, listings, staleAnswers: after.answers.stale - before.answers.stale };
}

function report(p: Phase): string[] {
  const { result, ecsCalls } = p;
  const answered = result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  const perThousand = (n: number) => (answered === 0 ? 0 : (n / answered) * 1000);
  const lists = ecsCalls.byOperation["ecs:ListTaskDefinitions"] ?? {};
  const describes = ecsCalls.byOperation["ecs:DescribeTaskDefinition"] ?? {};
  const counted = (kind: ListingKind) => {
    const counts = Object.values(p.listings[kind]).map((t) => t.length).filter((n) => n > 0);
    return `${counts.reduce((a, b) => a + b, 0)} ${kind} over ${counts.length} families (most for one family: ${Math.max(0, ...counts)})`;
  };
  return [
    `${p.name}: ${result.duration.toFixed(1)} s, ${answered} answers (${result["2xx"]} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; ${p.staleAnswers} flagged stale)`,
    `  requests/s  average ${result.requests.average.toFixed(0)}, total ${(answered / result.duration).toFixed(0)}`,
    `  latency ms  p50 ${result.latency.p50}, p99 ${result.latency.p99}, max ${result.latency.max}`,
    `  ECS calls   ${ecsCalls.total} (${perThousand(ecsCalls.total).toFixed(2)} per 1,000 requests); ListTaskDefinitions ok ${lists.ok ?? 0}, throttled ${lists.throttled ?? 0}; DescribeTaskDefinition ok ${describes.ok ?? 0}, throttled ${describes.throttled ?? 0}`,
    `  listings    ${counted("whole")}; ${counted("incremental")}`,
  ];
}

/**
 * The goal: at most one listing of each kind per family per freshness window, i.e. consecutive listings of a
 * family a window apart. (A refresh that finds the whole listing due makes one of each.)
 */
function listingGoal(all: Record<string, number[]>): { ok: boolean; closest: number } {
  let closest = Infinity;
  for (const times of Object.values(all)) for (let i = 1; i < times.length; i++) closest = Math.min(closest, ((times[i] as number) - (times[i - 1] as number)) / 1000);
  // The reader stamps its call a moment after the cache timed the load's start, both in whole milliseconds, so
  // two loads exactly a window apart at the cache can look a millisecond or two closer here.
  return { ok: closest >= freshSeconds - 0.005, closest };
}

function listingGoalLine(kind: ListingKind, all: ListingTimes): string {
  const goal = listingGoal(all[kind]);
  const apart = Number.isFinite(goal.closest) ? `${goal.closest.toFixed(3)} s apart` : "never repeated";
  return `  at most one ${kind} listing per family per freshness window: closest two of a family ${apart} ${goal.ok ? "OK" : "MISSED"}`;
}

async function measure(): Promise<void> {
  const started = Date.now();
  const simulator = fork(fileURLToPath(import.meta.url), ["--simulator"], { stdio: "inherit" });
  const [{ simUrl }] = (await once(simulator, "message")) as [{ simUrl: string }];
  const child = fork(fileURLToPath(import.meta.url), ["--feed", simUrl], { stdio: "inherit" });
  const [{ feedUrl }] = (await once(child, "message")) as [{ feedUrl: string }];
  const urls = { feedUrl, simUrl };
  const reconcile = reconcileSeconds === undefined ? `${reconcileFreshWindows * freshSeconds} s (the default)` : `${reconcileSeconds} s`;
  console.log(
    `seeded ${familyCount} families × ${revisionsPerFamily} revisions (${owners.join(", ")} taking turns) in ${((Date.now() - started) / 1000).toFixed(1)} s; feed at ${urls.feedUrl}, fresh for ${freshSeconds} s, read whole every ${reconcile}; throttling on`,
  );
  const cold = await phase("cold (empty cache)", coldSeconds, child, urls);
  for (const line of report(cold)) console.log(line);
  // Warm means every family's first page is answered from memory: its listing and its revisions' owners are
  // held. The cold phase may end with some still loading; a round in which every family answers makes it so.
  const filling = Date.now();
  for (;;) {
    const round = Array.from({ length: familyCount }, (_, i) =>
      fetch(`${urls.feedUrl}/v1/environments/dev/packages/${familyName(i)}/versions?pageSize=50`, { headers: { authorization: `Bearer ${readKey}` } }).then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      }),
    );
    if ((await Promise.all(round)).every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`every family cached ${((Date.now() - filling) / 1000).toFixed(1)} s after the cold phase`);
  const warm = await phase("warm", warmSeconds, child, urls);
  for (const line of report(warm)) console.log(line);
  const all = (await request<ServerCounts>(child, "listings")).listings;
  const rps = warm.result["2xx"] / warm.result.duration;
  console.log("goals:");
  console.log(`  warm p99 under ${goals.warmP99Ms} ms: ${warm.result.latency.p99} ms ${warm.result.latency.p99 < goals.warmP99Ms ? "OK" : "MISSED"}`);
  console.log(`  at least ${goals.requestsPerSecond} requests/s warm: ${rps.toFixed(0)} ${rps >= goals.requestsPerSecond ? "OK" : "MISSED"}`);
  const staleShare = warm.staleAnswers / Math.max(1, warm.result["2xx"]);
  console.log(`  answers flagged stale warm under 1%: ${warm.staleAnswers} (${(staleShare * 100).toFixed(2)}%) ${staleShare < 0.01 ? "OK" : "MISSED"}`);
  console.log(listingGoalLine("whole", all));
  console.log(listingGoalLine("incremental", all));
  for (const process of [child, simulator]) {
    process.send("stop");
    await once(process, "exit");
  }
}

const role = process.argv[2];
if (role === "--simulator") await runSimulator();
else if (role === "--feed") await runFeed(process.argv[3] ?? "");
else await measure();
