/**
 * Simulated time. It runs `speed` times faster than the wall clock and can be pushed forward by hand, so a
 * five-minute rollout takes five seconds at --speed 60 and a test can jump straight past a grace period.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  private offsetMs = 0;
  /** Those napping, woken early when the clock is pushed forward or its speed changes. */
  private readonly nappers = new Set<() => void>();

  constructor(
    private speed = 1,
    start = Date.now(),
  ) {
    this.simStart = start;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed + this.offsetMs;
  }

  get rate(): number {
    return this.speed;
  }

  /** Changes the speed from now on without making time jump. */
  setSpeed(speed: number): void {
    const current = this.nowMs();
    this.speed = speed;
    this.offsetMs += current - this.nowMs();
    this.wakeNappers();
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
    this.wakeNappers();
  }

  /**
   * Resolves after `wallMs` of real time, or sooner when the clock is pushed forward or changes speed, so one
   * waiting for a simulated moment can work out its wait again.
   */
  nap(wallMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.nappers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, wallMs);
      this.nappers.add(wake);
    });
  }

  private wakeNappers(): void {
    for (const wake of [...this.nappers]) wake();
  }
}
