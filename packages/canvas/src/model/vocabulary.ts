/**
 * Words of the canvas and segment languages that the schemas and the console's builder share.
 * Nothing here imports zod or luxon, so the browser bundle can import this file as it is.
 */

/** Comparison operators of event-property and user-property conditions. */
export const operators = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'exists',
  'not_exists',
] as const;

/**
 * User-property fields besides custom attributes (`traits.<name>`), after CleverTap's "Filter by
 * User Properties": demographics, geography, reachability and app fields.
 */
export const profileFields = [
  'age',
  'gender',
  'country',
  'region',
  'city',
  'hasEmail',
  'hasPhone',
  'app.name',
  'app.version',
  'app.build',
  'os.name',
  'os.version',
  'device.type',
  'device.model',
  'device.manufacturer',
  'daysSinceFirstSeen',
] as const;

/** A custom attribute's field: `traits.` and a dotted path. */
export const traitFieldSource = String.raw`traits\.[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*`;

/** Days of the week, as a weekly run names them. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** How a behaviour condition counts: at least, exactly, at most. */
export const behaviourCountOps = ['gte', 'eq', 'lte'] as const;

/** What a reachability condition tests. */
export const reachabilityKinds = [
  'has_email',
  'has_phone',
  'has_match_key',
  'email_unsubscribed',
  'sms_unsubscribed',
] as const;

/** How deep a segment's all / any may nest. */
export const maxSegmentDepth = 4;

/** The longest description Meta takes for a custom audience. */
export const audienceDescriptionMax = 200;
