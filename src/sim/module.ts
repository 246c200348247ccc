import type { Simulator } from "./simulator.js";

/**
 * The AWS services the simulator serves, by the names AWS's CLI and IAM give them (and the call ledger counts
 * under); each is the Simulator property of the same name, but application-autoscaling's is applicationAutoScaling.
 */
export type ServiceName = "ecs" | "ecr" | "elbv2" | "secretsmanager" | "ssm" | "application-autoscaling";
/** Those spoken in JSON 1.1, routed by their X-Amz-Target prefix; ELBv2 alone speaks the query protocol. */
export type JsonServiceName = Exclude<ServiceName, "elbv2">;

/** What every simulated operation is told about the call it answers. */
export interface CallContext {
  sim: Simulator;
  region: string;
  account: string;
  /** Simulated time of the call; the world has been advanced to it. */
  now: Date;
  requestId: string;
}

// Inputs arrive as parsed JSON or query parameters; each handler narrows them to the SDK's own input type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: CallContext) => unknown;

/** A control route under /_sim/<name>: test and demo helpers that AWS itself does not have. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ControlHandler = (body: any, ctx: CallContext) => unknown;

/**
 * What a simulated service is known to do differently from AWS, each a sentence saying what AWS does and what the
 * simulator does where that is known. Kept beside the service's code (src/sim/<service>/differences.ts) and shown on
 * src/sim/README.md with the operations the module serves. An operation without an entry has none known.
 */
export interface Differences {
  /** What holds for the whole service rather than for one operation. */
  service: string[];
  /** Operation name → its differences; every name is one the module serves. */
  operations: Record<string, string[]>;
}

export interface ServiceModule {
  readonly operations: Record<string, Handler>;
  readonly controls?: Record<string, ControlHandler>;
  readonly differences: Differences;
  /** Moves the module's world forward to `now`, applying each scheduled change at its own time. */
  tick?(now: Date): void;
}

/** Keeps one state object per region, made on first use. */
export class PerRegion<T> {
  private readonly states = new Map<string, T>();
  constructor(private readonly make: (region: string) => T) {}

  get(region: string): T {
    let state = this.states.get(region);
    if (!state) {
      state = this.make(region);
      this.states.set(region, state);
    }
    return state;
  }

  entries(): IterableIterator<[string, T]> {
    return this.states.entries();
  }
}
