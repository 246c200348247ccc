/**
 * Simulated time. It runs `speed` times faster than the wall clock and can be pushed forward by hand, so a
 * five-minute rollout takes five seconds at --speed 60 and a test can jump straight past a grace period.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  private offsetMs = 0;

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
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
