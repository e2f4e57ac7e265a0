import { seededRandom } from '@canvas/runtime';

export type FaultKind = 'error' | 'http_status' | 'latency' | 'drop' | 'html';

export interface FaultSpec {
  kind: FaultKind;
  /** How many requests it applies to; unlimited until cleared when absent. */
  count?: number | undefined;
  /** Share of matching requests it applies to (seeded, repeatable). */
  probability?: number | undefined;
  /** Graph error to answer with (kind "error"). */
  code?: number | undefined;
  subcode?: number | undefined;
  message?: string | undefined;
  isTransient?: boolean | undefined;
  /** HTTP status for kinds "error", "http_status" and "html". */
  status?: number | undefined;
  /** Added delay (kind "latency"). */
  latencyMs?: number | undefined;
  /** For throttle errors: the regain estimate to put in the usage header, in minutes. */
  regainMinutes?: number | undefined;
  match?: { method?: string | undefined; pathContains?: string | undefined } | undefined;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  applied: number;
}

/** Faults injected through the admin API, applied to Graph requests in the order they were added. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: this.nextId++, applied: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  clear(seed?: number): void {
    this.faults = [];
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  /** The faults that hit this request: at most one latency and one failure. */
  take(method: string, path: string): { latencyMs: number; failure?: ActiveFault } {
    let latencyMs = 0;
    let failure: ActiveFault | undefined;
    for (const fault of this.faults) {
      if (fault.match?.method && fault.match.method.toUpperCase() !== method.toUpperCase()) continue;
      if (fault.match?.pathContains && !path.includes(fault.match.pathContains)) continue;
      if (fault.kind !== 'latency' && failure) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.applied += 1;
      if (fault.kind === 'latency') latencyMs += fault.latencyMs ?? 0;
      else failure = fault;
    }
    this.faults = this.faults.filter((f) => f.count === undefined || f.applied < f.count);
    return failure ? { latencyMs, failure } : { latencyMs };
  }
}
