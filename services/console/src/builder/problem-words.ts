/**
 * Problems and places in a designer's words. The API's messages are written for the JSON; where
 * a form field shows one, a few are said plainly (the code and the API's message stay on the
 * summary, for those who read the JSON).
 */
const fieldWords: [RegExp, string][] = [
  [/\/audience\/create\/name$/, 'new audience name'],
  [/\/audience\/create\/description$/, 'audience description'],
  [/\/audience\/id$/, 'existing audience'],
  [/\/audience\/fromStep$/, 'audience of another step'],
  [/\/matchKeys(\/\d+)?$/, 'match keys'],
  [/\/adSetIds(\/\d+)?$/, 'ad sets'],
  [/\/adAccountId$/, 'ad account'],
  [/\/followSegment$/, 'action'],
  [/\/duration$/, 'wait for'],
  [/\/until\/timezone$/, 'time zone'],
  [/\/until\/time$/, 'time of day'],
  [/\/paths$/, 'paths'],
  [/\/percent$/, 'share of users'],
  [/\/next$|\/else$/, 'next step'],
  [/\/event$/, 'event'],
  [/\/within$/, 'within'],
  [/\/cooldown$/, 'cooldown'],
  [/\/value(\/\d+)?$/, 'value'],
  [/\/field$/, 'user property'],
  [/\/property$/, 'event property'],
  [/\/daysOfWeek$/, 'days of the week'],
  [/\/dayOfMonth$/, 'day of the month'],
  [/\/timeZone$/, 'time zone'],
  [/\/segmentId$/, 'segment'],
  [/\/schedule\/endAt$/, 'stop entering'],
  [/\/controlGroupPercent$/, 'control group'],
  [/\/targetCap$/, 'target cap'],
];

/** The field's name for a pointer inside a step or section, or undefined when it is the section itself. */
export function fieldWord(pointer: string): string | undefined {
  return fieldWords.find(([pattern]) => pattern.test(pointer))?.[1];
}

/** A problem's message as the form says it. */
export function plainMessage(problem: { code: string; message: string }): string {
  if (problem.code === 'required') return 'Fill this in.';
  if (problem.code === 'too_short' && /expected string/.test(problem.message)) return 'Fill this in.';
  if (problem.code === 'too_short' && /expected array/.test(problem.message)) return 'Add at least one.';
  return problem.message;
}
