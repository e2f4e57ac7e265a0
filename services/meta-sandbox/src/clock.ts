/**
 * The sandbox's notion of time. With a time scale of 360, one real second is six sandbox
 * minutes, so an hour-long quota window passes in ten real seconds.
 */
export class ScaledClock {
  private realAnchor: number;
  private logicalAnchor: number;
  private scale: number;

  constructor(
    timeScale = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.scale = timeScale;
    this.realAnchor = realNow();
    this.logicalAnchor = this.realAnchor;
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Sandbox time in milliseconds since the epoch. */
  now(): number {
    return this.logicalAnchor + (this.realNow() - this.realAnchor) * this.scale;
  }

  /** Converts a sandbox duration into the real milliseconds it takes. */
  toRealMs(logicalMs: number): number {
    return logicalMs / this.scale;
  }

  /** Moves sandbox time on at once, e.g. past a replace session's 90 minutes. */
  advance(logicalMs: number): void {
    this.logicalAnchor += Math.max(0, logicalMs);
  }

  setTimeScale(timeScale: number): void {
    const logical = this.now();
    this.realAnchor = this.realNow();
    this.logicalAnchor = logical;
    this.scale = timeScale;
  }
}
