/** One thing wrong with a canvas, at a JSON Pointer into the submitted document. */
export interface Problem {
  code: ProblemCode;
  path: string;
  message: string;
}

export const problemCodes = [
  'required',
  'invalid_type',
  'invalid_value',
  'too_long',
  'too_short',
  'too_many',
  'unknown_field',
  'unknown_match_key',
  'no_entry',
  'unknown_step',
  'duplicate_step',
  'unreachable_step',
  'cycle',
  'percentages_sum',
  'delay_spec',
  'invalid_timezone',
  'no_identifier_key',
  'duplicate_match_key',
  'schedule_order',
  'unknown_place',
  'too_deep',
  'window_order',
  'entry_kind',
  'run_rule',
  'follow_segment',
  'audience_step_kind',
  'audience_step_chain',
  'audience_account_mismatch',
  'ad_sets_on_remove',
  'duplicate_ad_set',
  'value_based',
  'lookalike',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

/** RFC 6901 pointer for a path of keys and indexes. */
export function pointer(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
