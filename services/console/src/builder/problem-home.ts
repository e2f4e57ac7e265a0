/**
 * Where the builder shows a problem: the JSON Pointer of the form field it belongs to. Every
 * pointer the API can name has a home, the nearest field above it; the canvas itself is the
 * last resort (its name's section), so no problem goes unshown.
 */
const n = String.raw`\d+`;
const condition = (at: string) => [`${at}/${n}`, `${at}/${n}/(field|property|op|value)`];
const canvasHomes = [
  '/name',
  '/description',
  '/entry',
  '/entry/trigger',
  '/entry/trigger/event',
  '/entry/trigger/conditions',
  ...condition('/entry/trigger/conditions'),
  '/entry/segment',
  '/entry/segment/segmentId',
  '/entry/segment/runs',
  '/entry/segment/runs/(kind|at|every|daysOfWeek|dayOfMonth|time|timeZone|endAt)',
  '/entry/inSegment',
  '/entry/filters',
  ...condition('/entry/filters'),
  '/entry/schedule/(startAt|endAt)',
  '/entry/reentry',
  '/entry/reentry/cooldown',
  '/entry/targetCap',
  '/entry/controlGroupPercent',
  '/exitCriteria',
  `/exitCriteria/${n}`,
  `/exitCriteria/${n}/event`,
  ...condition(`/exitCriteria/${n}/conditions`),
  '/conversionGoal',
  '/conversionGoal/(event|within)',
  ...condition('/conversionGoal/conditions'),
  '/firstStep',
  '/steps',
  `/steps/${n}`,
  `/steps/${n}/(id|kind|name|next|else|duration|until|adAccountId|action|followSegment|resync|matchKeys|adSetIds)`,
  `/steps/${n}/lookalike`,
  `/steps/${n}/lookalike/(countries|ratio)`,
  `/steps/${n}/until/(time|timezone)`,
  `/steps/${n}/audience`,
  `/steps/${n}/audience/(id|fromStep|valueTrait)`,
  `/steps/${n}/audience/create/(name|description|valueTrait)`,
  `/steps/${n}/branches`,
  `/steps/${n}/branches/${n}`,
  `/steps/${n}/branches/${n}/(name|next|conditions)`,
  ...condition(`/steps/${n}/branches/${n}/conditions`),
  `/steps/${n}/paths`,
  `/steps/${n}/paths/${n}`,
  `/steps/${n}/paths/${n}/(name|percent|next)`,
].map((home) => new RegExp(`^${home}$`));

const group = String.raw`/conditions(/(all|any)/\d+)*`;
const segmentHomes = [
  '/name',
  '/description',
  group,
  `${group}/(all|any)`,
  `${group}/behaviour/(did|event|window|where)`,
  `${group}/behaviour/count/(op|value)`,
  `${group}/behaviour/window/(lastDays|from|to)`,
  ...condition(`${group}/behaviour/where`),
  `${group}/profile`,
  `${group}/profile/(field|op|value)`,
  `${group}/reachability/(is|reachable|matchKeys)`,
].map((home) => new RegExp(`^${home}$`));

/** The fields of a canvas's form, and of a segment's. */
export const formHomes = { canvas: canvasHomes, segment: segmentHomes };

/** A pointer without the API's "/body" in front. */
export const bodyPointer = (path: string) => path.replace(/^\/body(?=\/|$)/, '');

/** The field a problem at `path` is shown on ('' is the canvas as a whole). */
export function problemHome(path: string, homes: readonly RegExp[] = canvasHomes): string {
  let at = bodyPointer(path);
  while (at !== '') {
    if (homes.some((home) => home.test(at))) return at;
    at = at.slice(0, at.lastIndexOf('/'));
  }
  return '';
}

export interface ShownProblem {
  code: string;
  path: string;
  message: string;
}

/** Problems grouped by the field that shows them. */
export function problemsByHome(
  problems: readonly ShownProblem[],
  homes: readonly RegExp[] = canvasHomes,
): Map<string, ShownProblem[]> {
  const byHome = new Map<string, ShownProblem[]>();
  for (const problem of problems) {
    const home = problemHome(problem.path, homes);
    byHome.set(home, [...(byHome.get(home) ?? []), problem]);
  }
  return byHome;
}
