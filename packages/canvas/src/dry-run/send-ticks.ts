const hourMs = 3_600_000;

/** Requests and users of one Facebook step, per hour of the window. */
export interface StepSends {
  /** Users the step would send, per hour of the window (the last hour may be partial). */
  hourlyUsers: number[];
  /** Requests the sync would make for them, per hour. */
  hourlyRequests: number[];
  requests: number;
}

/**
 * When one Facebook step's users would reach the sync, on the window's clock. The sync sends a
 * step's due users every batch window (5 s) in requests of at most `usersPerRequest`: an hour
 * takes one request per batch window holding anyone, or more when its users need more requests.
 * Memory is a bit per batch window and a number per hour, however many users.
 */
export class SendTicks {
  private readonly ticks: Uint8Array;
  private readonly users: Float64Array;

  constructor(
    private readonly from: number,
    to: number,
    private readonly batchWindowMs: number,
  ) {
    const span = Math.max(1, to - from);
    this.ticks = new Uint8Array(Math.ceil(Math.ceil(span / batchWindowMs) / 8));
    this.users = new Float64Array(Math.ceil(span / hourMs));
  }

  /** One user handed to the sync at `at` (ms, inside the window). */
  add(at: number): void {
    const offset = Math.max(0, at - this.from);
    const tick = Math.min(this.ticks.length * 8 - 1, Math.floor(offset / this.batchWindowMs));
    this.ticks[tick >> 3]! |= 1 << (tick & 7);
    this.users[Math.min(this.users.length - 1, Math.floor(offset / hourMs))]! += 1;
  }

  /**
   * Per hour, the larger of the batch windows holding users and the requests its users need:
   * exact unless one batch window of the hour holds more than `usersPerRequest` users while
   * others hold some too (then a lower bound).
   */
  sends(usersPerRequest: number): StepSends {
    const windows = new Float64Array(this.users.length);
    for (let byte = 0; byte < this.ticks.length; byte += 1) {
      const bits = this.ticks[byte]!;
      if (bits === 0) continue;
      for (let bit = 0; bit < 8; bit += 1) {
        if ((bits & (1 << bit)) === 0) continue;
        const hour = Math.floor(((byte * 8 + bit) * this.batchWindowMs) / hourMs);
        windows[Math.min(windows.length - 1, hour)]! += 1;
      }
    }
    const hourlyUsers = [...this.users];
    const hourlyRequests = hourlyUsers.map((users, hour) =>
      Math.max(windows[hour]!, Math.ceil(users / usersPerRequest)),
    );
    return { hourlyUsers, hourlyRequests, requests: hourlyRequests.reduce((sum, n) => sum + n, 0) };
  }
}
