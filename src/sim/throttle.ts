/**
 * Token buckets in the way ECS describes its API throttling: each bucket holds `capacity` tokens (the burst),
 * refills at `refillPerSecond` (the sustained rate) in wall-clock time, and a call with no token left fails
 * with ThrottlingException. Buckets are per region, like AWS's per account and Region quotas.
 */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly spec: BucketSpec) {
    this.tokens = spec.capacity;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.spec.capacity, this.tokens + ((now - this.last) / 1000) * this.spec.refillPerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class Throttler {
  private readonly buckets = new Map<string, TokenBucket>();
  enabled: boolean;

  /** `classify` maps an operation to its bucket name and spec, or undefined when the operation is not throttled. */
  constructor(
    private readonly classify: (service: string, operation: string) => { bucket: string; spec: BucketSpec } | undefined,
    enabled = true,
  ) {
    this.enabled = enabled;
  }

  allow(region: string, service: string, operation: string): boolean {
    if (!this.enabled) return true;
    const cls = this.classify(service, operation);
    if (!cls) return true;
    const key = `${region}/${service}/${cls.bucket}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(cls.spec);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  reset(): void {
    this.buckets.clear();
  }
}
