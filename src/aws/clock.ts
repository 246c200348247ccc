import type { DeserializeMiddleware, MetadataBearer } from "@aws-sdk/types";


/**
 * AWS's clock, as its answers tell it. Every AWS response carries a `Date` header; slipway stamps what it records
 * with that time rather than this machine's, so its records, ECS's service events and deployments, and the feed's
 * `registeredAt` all read on one clock. Against real AWS that is the true time (a laptop's drift is corrected);
 * against the simulator it is simulated time, which runs ahead when the simulator runs fast.
 */
export class AwsClock {
  private offsetMs = 0;
  private lastMs = 0;

  /** The `Date` header has whole seconds, so a difference under two seconds is its rounding, not a clock apart. */
  private static readonly resolutionMs = 2_000;

  /**
   * Between answers AWS's time is extrapolated at the machine's pace, so against a simulator running faster it
   * lags until the next answer; it never goes backwards, so what slipway stamps stays in order.
   */
  now(): Date {
    this.lastMs = Math.max(this.lastMs, Date.now() + this.offsetMs);
    return new Date(this.lastMs);
  }

  /** How far AWS's clock is ahead of this machine's, in milliseconds (0 when within the header's rounding). */
  get aheadMs(): number {
    return this.offsetMs;
  }

  /** Learns from one answer: its `Date` header, and when the call was sent and answered on this machine. */
  observe(dateHeader: string | undefined, sentAt: number, receivedAt: number): void {
    const server = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    if (Number.isNaN(server)) return;
    // The header truncates to the second and was written somewhere between sending and receiving: take the middle.
    const offset = server + 500 - (sentAt + receivedAt) / 2;
    this.offsetMs = Math.abs(offset) < AwsClock.resolutionMs ? 0 : Math.round(offset);
  }
}

const clocks = new Map<string, AwsClock>();
let lastHeard: AwsClock | undefined;

/** One clock per endpoint: every client of one AWS (or one simulator) shares what any of them learned. */
export function awsClockFor(endpoint: string | undefined): AwsClock {
  const key = endpoint ?? "aws";
  let clock = clocks.get(key);
  if (!clock) {
    clock = new AwsClock();
    clocks.set(key, clock);
  }
  return clock;
}

/**
 * The time on the AWS clock this process last heard from, for stamps that belong to no one client (a progress
 * line, a run's start). One process deploys through one AWS or one simulator; before any answer it is this
 * machine's time.
 */
export function awsTime(): Date {
  return lastHeard ? lastHeard.now() : new Date();
}

interface WithResponse {
  response?: { headers?: Record<string, string | undefined> };
  $response?: { headers?: Record<string, string | undefined> };
}

// Outside the deserializer (priority high): a refusal reaches it parsed, with its answer attached.
const options = { step: "deserialize", name: "slipwayAwsClock", override: true, priority: "high" } as const;

/** Adds the step that reads each answer's `Date` header to one SDK client's middleware stack. */
export function watchAwsClock(client: { middlewareStack: object }, clock: AwsClock): void {
  // Clients of several SDK packages, each typed by its own copy of @smithy/types: one shape is all this needs.
  const stack = client.middlewareStack as { add(middleware: DeserializeMiddleware<object, MetadataBearer>, opts: typeof options): void };
  stack.add(
    (next) => async (args) => {
      const sentAt = Date.now();
      const learn = (headers: Record<string, string | undefined> | undefined) => {
        if (!headers?.date) return;
        clock.observe(headers.date, sentAt, Date.now());
        lastHeard = clock;
      };
      try {
        const out = await next(args);
        learn((out as WithResponse).response?.headers);
        return out;
      } catch (error) {
        learn((error as WithResponse).$response?.headers);
        throw error;
      }
    },
    options,
  );
}
