import { mulberry32 } from "./random.js";

/**
 * Faults a test or a demo injects on purpose: a share of calls that fail with a 5xx, latency added to each
 * call, and images that crash, fail their health check or exit by themselves once they run.
 *
 * healthy (the default) runs until stopped; crash exits with code 1 ten simulated seconds after it started;
 * unhealthy runs but fails load balancer health checks, and container health checks when its container has one;
 * exit ends by itself with a chosen code after a chosen number of simulated seconds (ImageExit) — what a one-off
 * task such as a database migration does. A container health check passes for healthy and exit images, and fails
 * for unhealthy and crash ones (ecs/container-health.ts).
 */
export type ImageBehaviour = "healthy" | "crash" | "unhealthy" | "exit";

/** How an image with the "exit" behaviour ends: its container exits with `exitCode` after running `runSeconds`. */
export interface ImageExit {
  exitCode: number;
  runSeconds: number;
}

/** An "exit" image given no code or time: it succeeds (code 0) after 30 simulated seconds of running. */
export const DEFAULT_IMAGE_EXIT: ImageExit = { exitCode: 0, runSeconds: 30 };

export interface CallFaults {
  /** Share of matching calls, 0..1, answered with a retryable 5xx. */
  errorRate: number;
  /** Milliseconds added before a matching call is answered. */
  latencyMs: number;
  /** Operation names the faults apply to ("ecs:DescribeServices", or "DescribeServices"); all when empty. */
  operations: string[];
}

/** Registry host and scheme are dropped so "web:1.2.0" matches "123.dkr.ecr.us-east-1.amazonaws.com/web:1.2.0". */
export function imageKey(image: string): string {
  const slash = image.indexOf("/");
  const head = slash >= 0 ? image.slice(0, slash) : "";
  const looksLikeHost = head.includes(".") || head.includes(":") || head === "localhost";
  return looksLikeHost ? image.slice(slash + 1) : image;
}

export class Faults {
  calls: CallFaults = { errorRate: 0, latencyMs: 0, operations: [] };
  private random: () => number;
  private readonly images = new Map<string, ImageBehaviour>();
  private readonly exits = new Map<string, ImageExit>();

  constructor(seed = 1) {
    this.random = mulberry32(seed);
  }

  setCalls(calls: Partial<CallFaults> & { seed?: number }): void {
    this.calls = { ...this.calls, ...calls };
    if (calls.seed !== undefined) this.random = mulberry32(calls.seed);
  }

  private matches(service: string, operation: string): boolean {
    const ops = this.calls.operations;
    return ops.length === 0 || ops.includes(operation) || ops.includes(`${service}:${operation}`);
  }

  latencyFor(service: string, operation: string): number {
    return this.matches(service, operation) ? this.calls.latencyMs : 0;
  }

  shouldFail(service: string, operation: string): boolean {
    return this.calls.errorRate > 0 && this.matches(service, operation) && this.random() < this.calls.errorRate;
  }

  /** `refs` are the names one image goes by (repo:tag, repo@digest); all of them get the behaviour. */
  setImageBehaviour(refs: string[], behaviour: ImageBehaviour, exit: ImageExit = DEFAULT_IMAGE_EXIT): void {
    for (const ref of refs) {
      const key = imageKey(ref);
      this.exits.delete(key);
      if (behaviour === "healthy") this.images.delete(key);
      else this.images.set(key, behaviour);
      if (behaviour === "exit") this.exits.set(key, { ...exit });
    }
  }

  /** How an image with the "exit" behaviour ends; undefined for any other image. */
  imageExit(image: string): ImageExit | undefined {
    const exit = this.exits.get(imageKey(image));
    return exit && { ...exit };
  }

  /** The "exit" images and how each ends. */
  imageExits(): Record<string, ImageExit> {
    return Object.fromEntries([...this.exits].map(([key, exit]) => [key, { ...exit }]));
  }

  imageBehaviour(image: string): ImageBehaviour {
    return this.images.get(imageKey(image)) ?? "healthy";
  }

  imageBehaviours(): Record<string, ImageBehaviour> {
    return Object.fromEntries(this.images);
  }

  reset(): void {
    this.calls = { errorRate: 0, latencyMs: 0, operations: [] };
    this.images.clear();
    this.exits.clear();
  }
}
