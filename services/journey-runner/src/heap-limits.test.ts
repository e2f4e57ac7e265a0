import { describe, expect, it } from '@jest/globals';
import { missingHeapFlags } from './heap-limits.js';

describe('missingHeapFlags', () => {
  it('adds both limits when none is given', () => {
    expect(missingHeapFlags([], undefined)).toEqual(['--max-semi-space-size=32', '--max-old-space-size=256']);
  });

  it('keeps what the operator set, on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(missingHeapFlags(['--max-old-space-size=512'], undefined)).toEqual(['--max-semi-space-size=32']);
    expect(missingHeapFlags([], '--enable-source-maps --max_semi_space_size=32')).toEqual(['--max-old-space-size=256']);
    expect(missingHeapFlags(['--max-semi-space-size=4'], '--max-old-space-size=256')).toEqual([]);
  });
});
