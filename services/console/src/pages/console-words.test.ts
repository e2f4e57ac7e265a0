import { describe, expect, it } from '@jest/globals';
import type { Resync } from '../types.js';
import { ApiError } from '../api.js';
import { hintInWords } from './hint-words.js';
import { launchProblems } from './launch-problems.js';
import { describeResync } from './resync-words.js';

const resync = (r: Partial<Resync>): Resync => ({
  id: 'r',
  stepId: 'fb',
  status: 'waiting',
  requestedAt: '2026-12-07T09:00:00Z',
  members: null,
  batches: null,
  batchesSent: 0,
  sessions: 1,
  added: null,
  removed: null,
  lastError: null,
  ...r,
});

describe('the console says a resync in words', () => {
  it('from waiting to done, with the counts once known', () => {
    expect(describeResync(resync({}))).toBe('Waiting to start');
    expect(describeResync(resync({ status: 'uploading', members: 25_000, batches: 3, batchesSent: 1 }))).toBe(
      'Replacing with 25,000 members: 1 of 3 batches sent',
    );
    expect(
      describeResync(resync({ status: 'done', members: 25_000, batches: 3, batchesSent: 3, added: 0, removed: 0 })),
    ).toBe('Replaced with 25,000 members in 3 batches; 0 added, 0 removed');
    expect(describeResync(resync({ status: 'done', members: 1, batches: 1, batchesSent: 1, sessions: 2 }))).toBe(
      'Replaced with 1 member in 1 batch over 2 sessions',
    );
    expect(describeResync(resync({ status: 'failed' }))).toBe('Failed before anything was sent');
    expect(describeResync(resync({ status: 'failed', members: 0, batches: 0 }))).toBe(
      'Failed before anything was sent',
    );
    expect(describeResync(resync({ status: 'failed', batches: 3, batchesSent: 2 }))).toBe(
      'Failed after 2 of 3 batches sent',
    );
  });
});

describe("the console says the API's hints without endpoints", () => {
  it('names the button instead of the resync path, and drops any other path', () => {
    expect(
      hintInWords(
        'audience_resync_failed',
        'nothing was replaced; fix the cause, then resync again (POST /v1/canvases/c-1/steps/fb/resync)',
      ),
    ).toBe('Nothing was replaced; fix the cause, then resync again with the Resync button on this page.');
    expect(hintInWords('something_new', 'see GET /v1/things/1; or wait')).toBe('See; or wait.');
    expect(hintInWords('ad_account_missing', 'connect it: POST /v1/ad-accounts')).not.toMatch(/\/v1\//);
    expect(hintInWords('quota_at_risk', 'see GET /v1/ad-accounts/x/quota-plan; spread')).toBe(
      'Spread the load over other accounts or steps, or launch later.',
    );
  });
});

describe('a refused launch in words', () => {
  it('says each problem once, on the steps by name, with what to do', () => {
    const refused = new ApiError({
      code: 'LAUNCH_PREFLIGHT_FAILED',
      title: 'Canvas cannot be launched',
      status: 422,
      detail: '3 problem(s) found before launch',
      errors: [
        { code: 'quota_at_risk', path: '/steps/1', message: 'act_1 would carry 6 requests an hour' },
        { code: 'quota_at_risk', path: '/steps/2', message: 'act_1 would carry 6 requests an hour' },
        { code: 'segment_not_found', path: '/entry/segment/segmentId', message: 'no segment s-1.' },
      ],
    });
    const steps = [{ id: 'split' }, { id: 'fb_us', name: 'US buyers' }, { id: 'fb_rest' }];
    expect(launchProblems(refused, steps)).toEqual([
      'Not launched: the checks before launch found 2 problems.',
      'act_1 would carry 6 requests an hour (steps US buyers, fb_rest). ' +
        'Spread the load over other accounts or steps, or launch later.',
      'no segment s-1 (/entry/segment/segmentId).',
    ]);
  });
});
