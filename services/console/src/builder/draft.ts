/**
 * The builder edits the canvas definition itself, as JSON: a field the designer never touches
 * keeps exactly what it was, so the JSON tab round-trips. These types are loose on purpose: a
 * draft may be invalid while it is being written, and the API's validation says where.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A path into a draft: object keys and array indexes. */
export type Path = readonly (string | number)[];

export interface DraftCondition {
  field?: string;
  property?: string;
  op?: string;
  value?: Json;
}

export interface DraftBranch {
  name?: string;
  conditions?: DraftCondition[];
  next?: string | null;
}

export interface DraftPath {
  name?: string;
  percent?: number;
  next?: string | null;
}

export interface DraftStep {
  id: string;
  kind: string;
  name?: string;
  next?: string | null;
  else?: string | null;
  branches?: DraftBranch[];
  paths?: DraftPath[];
  duration?: string;
  until?: { time?: string; timezone?: string };
  adAccountId?: string;
  audience?: { id?: string; create?: { name?: string; description?: string }; fromStep?: string };
  action?: string;
  followSegment?: boolean;
  matchKeys?: string[];
  adSetIds?: string[];
}

export interface DraftRuns {
  kind?: string;
  at?: string | string[];
  every?: string;
  daysOfWeek?: string[];
  dayOfMonth?: number;
  time?: string;
  timeZone?: string;
  endAt?: string;
}

export interface DraftEntry {
  trigger?: { event?: string; conditions?: DraftCondition[] };
  segment?: { segmentId?: string; runs?: DraftRuns };
  inSegment?: string;
  filters?: DraftCondition[];
  schedule?: { startAt?: string; endAt?: string };
  reentry?: { policy?: string; cooldown?: string };
  targetCap?: number;
  controlGroupPercent?: number;
}

export interface DraftCanvas {
  name?: string;
  description?: string;
  entry?: DraftEntry;
  conversionGoal?: { event?: string; within?: string; conditions?: DraftCondition[] };
  exitCriteria?: { event?: string; conditions?: DraftCondition[] }[];
  firstStep?: string;
  steps?: DraftStep[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a path, or undefined. */
export function getIn(root: unknown, path: Path): unknown {
  let here: unknown = root;
  for (const key of path) {
    if (Array.isArray(here) && typeof key === 'number') here = here[key];
    else if (isObject(here) && typeof key === 'string') here = here[key];
    else return undefined;
  }
  return here;
}

/**
 * A copy of `root` with the value at `path` replaced; `undefined` removes an object's key (and
 * an array's item). Objects and arrays on the way are created when missing; nothing else is
 * copied, so untouched parts stay the same objects.
 */
export function setIn<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list: unknown[] = Array.isArray(root) ? [...(root as unknown[])] : [];
    const next = setIn(list[key], rest, value);
    if (next === undefined && rest.length === 0) list.splice(key, 1);
    else list[key] = next;
    return list as T;
  }
  const object: Record<string, unknown> = isObject(root) ? { ...root } : {};
  const next = setIn(object[key as string], rest, value);
  if (next === undefined) delete object[key as string];
  else object[key as string] = next;
  return object as T;
}

/** The draft's steps when the builder can draw them: an array of objects with string ids and kinds. */
export function stepsOf(draft: DraftCanvas): DraftStep[] {
  return Array.isArray(draft.steps) ? draft.steps : [];
}

/** Why the builder cannot show this JSON (then only the JSON tab edits it), or null when it can. */
export function unbuildable(value: unknown): string | null {
  if (!isObject(value)) return 'the canvas is not a JSON object';
  if (value.steps !== undefined) {
    if (!Array.isArray(value.steps)) return '"steps" is not a list';
    const bad = value.steps.findIndex((s) => !isObject(s) || typeof s.id !== 'string' || typeof s.kind !== 'string');
    if (bad >= 0) return `step ${bad + 1} has no text "id" and "kind"`;
    for (const [i, step] of (value.steps as Record<string, unknown>[]).entries())
      for (const list of ['branches', 'paths'] as const)
        if (step[list] !== undefined && !(Array.isArray(step[list]) && step[list].every(isObject)))
          return `the ${list} of step ${i + 1} are not a list of objects`;
  }
  for (const key of ['entry', 'conversionGoal'] as const)
    if (value[key] !== undefined && !isObject(value[key])) return `"${key}" is not an object`;
  if (value.exitCriteria !== undefined && !(Array.isArray(value.exitCriteria) && value.exitCriteria.every(isObject)))
    return '"exitCriteria" is not a list of objects';
  const entry = value.entry;
  if (isObject(entry)) {
    for (const key of ['trigger', 'segment', 'schedule', 'reentry'] as const)
      if (entry[key] !== undefined && !isObject(entry[key])) return `"entry.${key}" is not an object`;
    if (entry.filters !== undefined && !(Array.isArray(entry.filters) && entry.filters.every(isObject)))
      return '"entry.filters" is not a list of objects';
  }
  return null;
}
