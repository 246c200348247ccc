/**
 * A read-through cache for answers that are expensive to get (ECS read APIs are throttled at about 20
 * requests per second per account), with the behaviours the feed relies on:
 *
 * - freshness: an answer younger than its freshness window is served without asking again;
 * - single flight: concurrent look-ups of one key share one load, however many requests are waiting;
 * - stale on error: when a reload fails, the last good answer is served, flagged stale, and the source is
 *   left alone for a short back-off so a failing ECS is not hammered once per request;
 * - bounded waiting: a request for an expired answer waits for its reload only so long, then gets the last
 *   good answer flagged stale, so a throttled ECS slows the answers' freshness rather than the requests.
 *
 * Hot keys are refreshed ahead of expiry by as long as their last load took (refresh-ahead), so the requests
 * that keep them hot do not wait for ECS while loads still start at most once per freshness window; a key
 * nobody asks for in that margin is reloaded on its next request instead.
 */
export type Clock = () => number;

/** What a load is told: whether an earlier answer exists (a refresh) or someone waits with nothing (a first load). */
export interface LoadContext<V = unknown> {
  refresh: boolean;
  /** On a refresh, the last good answer, so that a load can ask its source only for what changed since. */
  previous?: V;
  /**
   * A load that queues before it asks the source calls this when it does ask, so that the next load is timed
   * from the source's point of view (one per window there), not from when the load was queued.
   */
  askingSource(): void;
}
export type Loader<V> = (context: LoadContext<V>) => Promise<V>;

export interface CacheOptions<V> {
  /** How long an answer stays fresh, in ms; may depend on the answer (e.g. "not found" is kept briefly). */
  freshMs: number | ((value: V) => number);
  /** How long a request for an expired answer waits for the reload before taking the old one. Default 250 ms. */
  reloadWaitMs?: number;
  /** After a failed reload, how long the stale answer is served before the source is tried again. Default 1 s. */
  retryAfterErrorMs?: number;
  /** Oldest entries are dropped beyond this many, so odd keys cannot grow memory without bound. Default 10,000. */
  maxEntries?: number;
  clock?: Clock;
}

export interface CachedAnswer<V> {
  value: V;
  /** True when the value is older than its freshness window: reloading it failed or is taking too long. */
  stale: boolean;
  /** When the value was read from the source (clock ms). */
  readAt: number;
}

interface Entry<V> {
  value: V;
  readAt: number;
  /** When the load that read it started: the next load may start one freshness window later. */
  loadStartedAt: number;
  freshUntil: number;
  /** Set while reloads keep failing; cleared by a good one. */
  failedAt?: number;
}

interface Flight<V> {
  answer: Promise<CachedAnswer<V>>;
  /** The previous answer, flagged stale, once the reload has taken reloadWaitMs; absent on a first load. */
  patience?: Promise<CachedAnswer<V>>;
}

export class FreshnessCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Flight<V>>();
  private readonly clock: Clock;

  constructor(private readonly options: CacheOptions<V>) {
    this.clock = options.clock ?? Date.now;
  }

  /** The cached answer for `key`, loading it with `load` when there is none or it has expired. */
  get(key: string, load: Loader<V>): Promise<CachedAnswer<V>> {
    const now = this.clock();
    const entry = this.entries.get(key);
    const backingOff = entry?.failedAt !== undefined && now - entry.failedAt < (this.options.retryAfterErrorMs ?? 1_000);
    if (entry && now < entry.freshUntil) {
      const window = entry.freshUntil - entry.readAt;
      if (now >= entry.loadStartedAt + window && !this.inFlight.has(key) && !backingOff) this.reload(key, load, entry);
      return Promise.resolve({ value: entry.value, stale: false, readAt: entry.readAt });
    }
    if (entry && backingOff) return Promise.resolve({ value: entry.value, stale: true, readAt: entry.readAt });
    const flight = this.inFlight.get(key) ?? this.reload(key, load, entry);
    return flight.patience ? Promise.race([flight.answer, flight.patience]) : flight.answer;
  }

  /**
   * Replaces a held answer with a better-informed one (say, a check in the background found more), keeping
   * when it was read and when it is due: nothing was loaded through the cache, so its freshness is unchanged.
   * Does nothing when no answer is held (never loaded, or dropped).
   */
  amend(key: string, change: (value: V) => V): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = change(entry.value);
  }

  /** How many answers are held; for tests and diagnostics. */
  get size(): number {
    return this.entries.size;
  }

  private reload(key: string, load: Loader<V>, previous: Entry<V> | undefined): Flight<V> {
    let timer: NodeJS.Timeout | undefined;
    const answer = this.loadOnce(key, load, previous).finally(() => {
      clearTimeout(timer);
      this.inFlight.delete(key);
    });
    // Nobody may be waiting (a refresh-ahead): a failure without an earlier answer must not go unhandled.
    answer.catch(() => undefined);
    const flight: Flight<V> = { answer };
    if (previous) {
      flight.patience = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ value: previous.value, stale: true, readAt: previous.readAt }), this.options.reloadWaitMs ?? 250);
        timer.unref();
      });
    }
    this.inFlight.set(key, flight);
    return flight;
  }

  private async loadOnce(key: string, load: Loader<V>, previous: Entry<V> | undefined): Promise<CachedAnswer<V>> {
    let loadStartedAt = this.clock();
    let value: V;
    try {
      const askingSource = () => (loadStartedAt = this.clock());
      value = await load(previous ? { refresh: true, previous: previous.value, askingSource } : { refresh: false, askingSource });
    } catch (error) {
      const previous = this.entries.get(key);
      if (!previous) throw error;
      previous.failedAt = this.clock();
      return { value: previous.value, stale: this.clock() >= previous.freshUntil, readAt: previous.readAt };
    }
    const readAt = this.clock();
    const freshMs = typeof this.options.freshMs === "function" ? this.options.freshMs(value) : this.options.freshMs;
    this.store(key, { value, readAt, loadStartedAt, freshUntil: readAt + freshMs });
    return { value, stale: false, readAt };
  }

  private store(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    const max = this.options.maxEntries ?? 10_000;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
  }
}
