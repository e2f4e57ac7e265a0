import { describe, expect, it } from '@jest/globals';
import { entryErrorCodes } from '@canvas/canvas';
import { classifyGraphError, errorClasses, GraphApiError, isGraphApiError, type ErrorClass } from './errors.js';
import { parseUsageHeaders } from './usage-headers.js';

describe('classifyGraphError', () => {
  it.each<
    [string, { code?: number; error_subcode?: number; is_transient?: boolean; message?: string }, number, ErrorClass]
  >([
    ['custom-audience BUC limit, sent as HTTP 400', { code: 80003, error_subcode: 2446079 }, 400, 'throttled'],
    ['ads-management BUC limit', { code: 80004 }, 400, 'throttled'],
    ['ad-account API-level limit', { code: 17, error_subcode: 2446079 }, 400, 'throttled'],
    ['abuse throttle', { code: 613 }, 400, 'throttled'],
    ['app limit', { code: 4 }, 400, 'throttled'],
    ['expired token, HTTP 400', { code: 190, error_subcode: 463 }, 400, 'token_invalid'],
    ['token of an uninstalled app', { code: 190, error_subcode: 458 }, 400, 'token_invalid'],
    ['missing token', { code: 104 }, 400, 'token_invalid'],
    ['TOS not accepted', { code: 200, error_subcode: 1870034 }, 400, 'tos_not_accepted'],
    ['Business Tools terms', { code: 1870092 }, 400, 'tos_not_accepted'],
    ['legacy TOS code', { code: 2655 }, 400, 'tos_not_accepted'],
    ['audience too small to remove', { code: 200, error_subcode: 1870047 }, 400, 'audience_too_small'],
    ['audience deleted or not visible', { code: 100, error_subcode: 33 }, 400, 'audience_missing'],
    ['audience deleted (code)', { code: 1487366 }, 400, 'audience_missing'],
    ['flagged audience refuses edits', { code: 100, error_subcode: 1713230 }, 400, 'audience_flagged'],
    [
      'users edge of a fresh audience not visible yet',
      { code: 803, message: '(#803) Some of the aliases you requested do not exist: users' },
      400,
      'transient',
    ],
    [
      'other unknown alias',
      { code: 803, message: '(#803) Some of the aliases you requested do not exist: foo' },
      400,
      'invalid_request',
    ],
    ['unknown error', { code: 1 }, 500, 'transient'],
    ['unknown error with 10k+ rows', { code: 1, error_subcode: 99 }, 400, 'transient'],
    ['service error', { code: 2 }, 503, 'transient'],
    ['flagged transient', { code: 2650, is_transient: true }, 400, 'transient'],
    ['temporarily blocked', { code: 368 }, 400, 'transient'],
    ['permission missing', { code: 200 }, 403, 'permission'],
    ['ads_management missing', { code: 294 }, 400, 'permission'],
    ['no write permission on account', { code: 2654, error_subcode: 1713092 }, 400, 'permission'],
    ['schema mismatch', { code: 100 }, 400, 'invalid_request'],
    ['deprecated version', { code: 2635 }, 400, 'invalid_request'],
    ['data source mismatch', { code: 2650 }, 400, 'invalid_request'],
    ['a replace of the audience runs', { code: 2650, error_subcode: 1870145 }, 400, 'transient'],
    ['replace: something went wrong, try again', { code: 2650, error_subcode: 1870148 }, 400, 'transient'],
    ['replace session timed out', { code: 2650, error_subcode: 1870158 }, 400, 'invalid_request'],
    ['no envelope, 502', {}, 502, 'transient'],
    ['no envelope, 404', {}, 404, 'invalid_request'],
  ])('%s → %s', (_name, body, status, expected) => {
    expect(classifyGraphError(body, status)).toBe(expected);
  });
});

describe('parseUsageHeaders', () => {
  it('reads the custom_audience entry, minutes to regain access, and the ad-account header', () => {
    const usage = parseUsageHeaders(
      {
        'x-business-use-case-usage': JSON.stringify({
          '1234': [
            {
              type: 'ads_management',
              call_count: 99,
              total_cputime: 1,
              total_time: 1,
              estimated_time_to_regain_access: 30,
            },
            {
              type: 'custom_audience',
              call_count: 87,
              total_cputime: 12,
              total_time: 90,
              estimated_time_to_regain_access: 2,
              ads_api_access_tier: 'standard_access',
            },
          ],
        }),
      },
      '1234',
    );
    expect(usage).toEqual({ percent: 90, regainAccessMs: 120_000, tier: 'standard_access' });

    expect(
      parseUsageHeaders({ 'x-ad-account-usage': '{"acc_id_util_pct":100,"reset_time_duration":45}' }, '1234'),
    ).toEqual({ percent: 100, regainAccessMs: 45_000, tier: undefined });
    expect(parseUsageHeaders({ 'x-business-use-case-usage': 'not json' }, '1234')).toBeUndefined();
    expect(parseUsageHeaders({}, '1234')).toBeUndefined();
  });
});

describe('GraphApiError', () => {
  it.each(errorClasses)('carries a catalogued entry error code and retryability for %s', (classification) => {
    const error = new GraphApiError(classification, 'refused');
    expect(entryErrorCodes).toContain(error.code);
    expect(isGraphApiError(error)).toBe(true);
    expect(error.retryable).toBe(classification === 'throttled' || classification === 'transient');
  });
});
