import { describe, expect, it } from '@jest/globals';
import { versionChanges } from './version-diff.js';

const base = {
  name: 'Cart',
  entry: { event: 'Cart Updated' },
  firstStep: 'wait',
  steps: [
    { id: 'wait', kind: 'delay', duration: 'PT1H', next: 'fb' },
    { id: 'fb', kind: 'facebook_audience', name: 'Cart audience', matchKeys: ['email'], next: null },
  ],
};

describe('versionChanges', () => {
  it('finds nothing between a version and itself, whatever the key order', () => {
    const reordered = {
      ...Object.fromEntries(Object.entries(base).reverse()),
      steps: base.steps.map((s) => Object.fromEntries(Object.entries(s).reverse()) as (typeof base.steps)[number]),
    };
    expect(versionChanges(base, reordered)).toEqual([]);
  });

  it('names settings and steps that were added, removed or changed', () => {
    const after = {
      ...base,
      entry: { event: 'Cart Abandoned' },
      controlGroupPercent: 10,
      steps: [
        { id: 'fb', kind: 'facebook_audience', name: 'Cart audience', matchKeys: ['email', 'phone'], next: 'end' },
        { id: 'end', kind: 'exit' },
      ],
    };
    expect(versionChanges(base, after)).toEqual([
      { kind: 'added', what: 'controlGroupPercent' },
      { kind: 'changed', what: 'entry' },
      { kind: 'changed', what: 'step "Cart audience" (fb)' },
      { kind: 'added', what: 'step end' },
      { kind: 'removed', what: 'step wait' },
    ]);
  });
});
