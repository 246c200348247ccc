import type { LoadContext, Loader } from "./cache.js";

/**
 * Runs at most `concurrency` loads at a time, first loads before refreshes. ECS allows about 20 reads a second
 * per account; a request with nothing cached has to wait for its load, while a refresh has an older answer to
 * serve meanwhile, so when the budget is short the first loads go first.
 */
export type LoadPriority = "first" | "refresh";

export class LoadQueue {
  private running = 0;
  private readonly waiting: Record<LoadPriority, (() => void)[]> = { first: [], refresh: [] };

  constructor(private readonly concurrency: number) {}

  async run<T>(priority: LoadPriority, load: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((start) => this.waiting[priority].push(start));
    else this.running++;
    try {
      return await load();
    } finally {
      // The slot passes straight to the next load, so `running` only drops when nothing waits.
      const next = this.waiting.first.shift() ?? this.waiting.refresh.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * A cache loader that takes its turn in a target's queue (first loads ahead of refreshes) and tells the cache
 * when it does ask the source.
 */
export function queuedLoader<V>(queue: LoadQueue, load: (context: LoadContext<V>) => Promise<V>): Loader<V> {
  return (context) =>
    queue.run(context.refresh ? "refresh" : "first", () => {
      context.askingSource();
      return load(context);
    });
}
