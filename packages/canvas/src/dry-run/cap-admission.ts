/**
 * A target cap in a replay that goes user by user, not in time order. The cap admits the first
 * `limit` entries in time, whoever makes them; until it binds, capped and uncapped replays are
 * the same. So a first pass, uncapped, counts entries per second of the window; the second in
 * which the `limit`-th entry falls is the cut-off. A second pass admits every entry before that
 * second, `ties` entries within it (in user order: arrival order within a second is the
 * brokers'), and none after: the engine counts those as capped. Memory is a number per second.
 */
export class CapCounter {
  private readonly perSecond: Uint32Array;
  private counted = 0;

  constructor(
    private readonly from: number,
    to: number,
    readonly limit: number,
  ) {
    this.perSecond = new Uint32Array(Math.max(1, Math.ceil((to - from) / 1000)));
  }

  /** An entry made at `at`, in the uncapped pass. */
  note(at: number): void {
    this.counted += 1;
    this.perSecond[this.second(at)]! += 1;
  }

  get entries(): number {
    return this.counted;
  }

  private second(at: number): number {
    return Math.min(this.perSecond.length - 1, Math.max(0, Math.floor((at - this.from) / 1000)));
  }

  /** Where the cap binds, or null when the uncapped pass stayed within it (its numbers are then final). */
  cutoff(): CapCutoff | null {
    if (this.counted <= this.limit) return null;
    let before = 0;
    for (let second = 0; second < this.perSecond.length; second += 1) {
      const here = this.perSecond[second]!;
      if (before + here >= this.limit) return new CapCutoff(this.from, second, this.limit - before);
      before += here;
    }
    return null;
  }
}

/** The second pass's rule: who the cap still admits at a moment. */
export class CapCutoff {
  private tiesLeft: number;

  constructor(
    private readonly from: number,
    private readonly second: number,
    ties: number,
  ) {
    this.tiesLeft = ties;
  }

  private secondOf(at: number): number {
    return Math.max(0, Math.floor((at - this.from) / 1000));
  }

  /** Whether an entry at `at` still fits under the cap. */
  admits(at: number): boolean {
    const second = this.secondOf(at);
    return second < this.second || (second === this.second && this.tiesLeft > 0);
  }

  /** An entry was admitted at `at`. */
  entered(at: number): void {
    if (this.secondOf(at) === this.second) this.tiesLeft -= 1;
  }
}
