import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { CallContext } from "../module.js";
import { mulberry32 } from "../random.js";
import type { Simulator } from "../simulator.js";
import { RoundRobin } from "./frontend-choice.js";
import { frontendReply, type Chooser, type FrontendReply } from "./frontend-reply.js";
import { routedRequestOf } from "./frontend-request.js";
import { inFlightFailure } from "./in-flight.js";
import { planRoute } from "./route-plan.js";
import { stateOf } from "./context.js";
import { targetKey } from "./target-health.js";

/**
 * The data plane: every HTTP listener of a simulated ALB answers real HTTP on a loopback port of its own, routing
 * each request through the same route plan the /_sim/elbv2/route control shows. Frontends follow the listeners —
 * `sync()` runs after every ELBv2 call — and all close with the simulator. HTTPS listeners get none: the simulator
 * holds no certificates to terminate TLS with. With the simulator's requestSeconds above 0, a forwarded request is
 * answered only when simulated time reaches its completion, and may then fail as in-flight.ts says.
 */
export type FrontendPorts = { base: number } | "ephemeral";

export interface FrontendView {
  loadBalancerName: string;
  loadBalancerArn: string;
  listenerArn: string;
  /** The listener's own port (80, say), not the local one; that is in the url. */
  port: number;
  url: string;
}

interface Frontend {
  region: string;
  listenerArn: string;
  server: http.Server;
  url: string;
}

const host = "127.0.0.1";
/** With a base port, a taken port is skipped; after this many in a row the OS picks one, so a listener always gets a frontend. */
const maxPortAttempts = 10;
/** While a request is in flight and the clock frozen, how often to look again (ms of wall time). */
const frozenRecheckMs = 10;
/** The longest wait between looks at an in-flight request, so one whose client left or frontend closed is let go. */
const maxWaitMs = 250;

export class Frontends {
  private readonly open = new Map<string, Frontend>();
  private nextPort: number | undefined;
  /** Syncs and the final close run one after another, so two concurrent calls never open a listener twice. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly chooser: Chooser;
  private waiting = 0;

  constructor(
    private readonly sim: Simulator,
    ports: FrontendPorts,
    seed: number,
  ) {
    this.nextPort = ports === "ephemeral" ? undefined : ports.base;
    this.chooser = { random: mulberry32(seed), rotation: new RoundRobin() };
  }

  /** Opens a frontend for each HTTP listener without one and closes those whose listener has gone or left HTTP. */
  sync(): Promise<void> {
    return this.enqueue(() => this.reconcile());
  }

  /** Closes every frontend, connections included, and opens no more: nothing is left to keep the process alive. */
  close(): Promise<void> {
    this.closed = true;
    return this.enqueue(() => Promise.all([...this.open.keys()].map((arn) => this.closeOne(arn))).then(() => undefined));
  }

  /** How many forwarded requests are waiting for their completion (requestSeconds) across all frontends. */
  get inFlight(): number {
    return this.waiting;
  }

  /** The region's frontends, in the order they were opened. */
  list(region: string): FrontendView[] {
    const state = this.sim.elbv2.regions.get(region);
    return [...this.open.values()].flatMap((frontend) => {
      const listener = frontend.region === region ? state.listeners.get(frontend.listenerArn) : undefined;
      const lb = listener && state.loadBalancers.get(listener.loadBalancerArn);
      if (!listener || !lb) return [];
      return [{ loadBalancerName: lb.name, loadBalancerArn: lb.arn, listenerArn: listener.arn, port: listener.port, url: frontend.url }];
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    // A failed step must not wedge every later one.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map<string, string>();
    for (const [region, state] of this.sim.elbv2.regions.entries()) {
      for (const listener of state.listeners.values()) if (listener.protocol === "HTTP") wanted.set(listener.arn, region);
    }
    for (const arn of this.open.keys()) if (!wanted.has(arn)) await this.closeOne(arn);
    for (const [arn, region] of wanted) {
      if (this.closed) return;
      if (!this.open.has(arn)) await this.openOne(region, arn);
    }
  }

  private async openOne(region: string, listenerArn: string): Promise<void> {
    const { server, port } = await this.bind(() =>
      http.createServer((req, res) => {
        req.resume();
        void this.answer(region, listenerArn, req).then((reply) => {
          // Undefined: the frontend closed or the client left while the request was in flight.
          if (reply && !req.socket.destroyed) res.writeHead(reply.status, reply.headers).end(reply.body);
        });
      }),
    );
    this.open.set(listenerArn, { region, listenerArn, server, url: `http://${host}:${port}` });
  }

  private async answer(region: string, listenerArn: string, req: http.IncomingMessage): Promise<FrontendReply | undefined> {
    try {
      // Routed at the simulator's current time, with the world brought up to it, exactly as a control call is.
      const ctx: CallContext = { sim: this.sim, region, account: this.sim.account, now: this.sim.advance(), requestId: randomUUID() };
      const request = routedRequestOf(req);
      const reply = frontendReply(ctx, planRoute(ctx, listenerArn, request), request, this.chooser);
      const seconds = this.sim.elbv2.traffic.requestSeconds;
      const to = reply.forwardedTo;
      if (!to || seconds === 0) return reply;
      // The target as it stood when it took the request: a later registration of the same ip:port is another one.
      const target = stateOf(ctx).targetGroups.get(to.targetGroupArn)?.targets.get(targetKey(to.id, to.port));
      const completedAt = ctx.now.getTime() + seconds * 1000;
      this.waiting++;
      try {
        if (!(await this.untilSimTime(completedAt, () => req.socket.destroyed))) return undefined;
      } finally {
        this.waiting--;
      }
      this.sim.advance();
      return inFlightFailure(ctx, to, target, completedAt) ?? reply;
    } catch (error) {
      // A simulator bug must not take the frontend down; ALBs answer their own failures with a 5xx too.
      return { status: 500, headers: { "content-type": "text/plain; charset=utf-8" }, body: `Simulator failure: ${error instanceof Error ? error.message : String(error)}\n` };
    }
  }

  /**
   * Waits until simulated time reaches `at` (ms): as long in wall time as the clock's speed makes it, worked out
   * again whenever the clock is pushed forward or changes speed; a frozen clock is looked at every few ms. False
   * when the frontend closed or `abandoned()` turned true first.
   */
  private async untilSimTime(at: number, abandoned: () => boolean): Promise<boolean> {
    for (;;) {
      if (this.closed || abandoned()) return false;
      const remaining = at - this.sim.clock.nowMs();
      if (remaining <= 0) return true;
      const rate = this.sim.clock.rate;
      await this.sim.clock.nap(rate > 0 ? Math.min(Math.ceil(remaining / rate), maxWaitMs) : frozenRecheckMs);
    }
  }

  /** A fresh server per attempt: one whose listen failed is not reliably reusable. */
  private async bind(create: () => http.Server): Promise<{ server: http.Server; port: number }> {
    for (let attempt = 1; ; attempt++) {
      const port = this.nextPort === undefined || attempt > maxPortAttempts ? 0 : this.nextPort++;
      const server = create();
      try {
        return { server, port: await listenOn(server, port) };
      } catch (error) {
        if (port === 0) throw error;
      }
    }
  }

  private async closeOne(listenerArn: string): Promise<void> {
    const frontend = this.open.get(listenerArn);
    if (!frontend) return;
    this.open.delete(listenerArn);
    // Idle keep-alive connections would hold the server (and the process) open; an ALB drops them too.
    frontend.server.closeAllConnections();
    await new Promise<void>((done) => frontend.server.close(() => done()));
  }
}

function listenOn(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
