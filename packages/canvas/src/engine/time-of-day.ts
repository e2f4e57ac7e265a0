/** Offset of the time zone from UTC at an instant, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function localDate(instant: number, timeZone: string): { year: number; month: number; day: number } {
  const shifted = new Date(instant + offsetMs(instant, timeZone));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth(), day: shifted.getUTCDate() };
}

/** The first instant after `now` at which the wall clock in the time zone reads HH:MM. */
export function nextTimeOfDay(now: Date, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  const today = localDate(now.getTime(), timeZone);
  for (let addDays = 0; addDays <= 2; addDays += 1) {
    const wall = Date.UTC(today.year, today.month, today.day + addDays, hour ?? 0, minute ?? 0);
    // two passes settle the offset across a daylight-saving change
    let instant = wall - offsetMs(wall, timeZone);
    instant = wall - offsetMs(instant, timeZone);
    if (instant > now.getTime()) return new Date(instant);
  }
  return new Date(now.getTime() + 86_400_000);
}
