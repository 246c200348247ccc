/**
 * The moments at which something in a region's ECS world is due to change, in time order. advanceRegion pops
 * entries up to "now"; a binary heap keeps that cheap however long the simulated history grows.
 */
export type TimelineEntry =
  | { kind: "task"; taskArn: string; epoch: number }
  | { kind: "health"; taskArn: string; epoch: number }
  | { kind: "container-health"; taskArn: string; epoch: number; container: string }
  | { kind: "purge-task"; taskArn: string }
  | { kind: "purge-service"; serviceArn: string; inactiveAt: number }
  | { kind: "service-deployment"; serviceDeploymentArn: string; epoch: number };

interface Slot {
  at: number;
  seq: number;
  entry: TimelineEntry;
}

export class Timeline {
  private readonly heap: Slot[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(at: Date | number, entry: TimelineEntry): void {
    const slot: Slot = { at: typeof at === "number" ? at : at.getTime(), seq: this.seq++, entry };
    this.heap.push(slot);
    this.up(this.heap.length - 1);
  }

  /** When the next entry is due, or undefined when none is scheduled. */
  peekAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** The next entry due at or before `now`, with its time; undefined when nothing is due. */
  popDue(now: number): { at: number; entry: TimelineEntry } | undefined {
    const top = this.heap[0];
    if (!top || top.at > now) return undefined;
    const last = this.heap.pop() as Slot;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return { at: top.at, entry: top.entry };
  }

  private before(a: Slot, b: Slot): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i] as Slot, heap[parent] as Slot)) break;
      [heap[i], heap[parent]] = [heap[parent] as Slot, heap[i] as Slot];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.before(heap[left] as Slot, heap[best] as Slot)) best = left;
      if (right < heap.length && this.before(heap[right] as Slot, heap[best] as Slot)) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best] as Slot, heap[i] as Slot];
      i = best;
    }
  }
}
