import { describe, expect, it } from '@jest/globals';
import { formHomes, problemHome, problemsByHome } from './problem-home.js';
import { plainMessage } from './problem-words.js';
import { addRow, canNestGroup, groupDepth, newRow, removeRow, setMode } from './segment-draft.js';

describe('where a problem is shown', () => {
  it.each([
    ['/body/name', '/name'],
    ['/body/steps/1/matchKeys/1', '/steps/1/matchKeys'],
    ['/steps/1/adSetIds/0', '/steps/1/adSetIds'],
    ['/steps/0/colour', '/steps/0'],
    ['/entry/filters/0/value/1', '/entry/filters/0/value'],
    ['/entry/trigger/conditions/0/value/0/0/0/0', '/entry/trigger/conditions/0/value'],
    ['/entry/segment/runs/at/2', '/entry/segment/runs/at'],
    ['/steps/2/branches/1/conditions/0/field', '/steps/2/branches/1/conditions/0/field'],
    ['/exitCriteria/0/colour', '/exitCriteria/0'],
    ['/colour', ''],
  ])('%s is shown at %s', (path, home) => {
    expect(problemHome(path)).toBe(home);
  });

  it('finds a segment problem its row, however deep the group', () => {
    const homes = formHomes.segment;
    expect(problemHome('/body/conditions/all/0/behaviour/window/to', homes)).toBe(
      '/conditions/all/0/behaviour/window/to',
    );
    expect(problemHome('/conditions/any/1/all/0/profile/value/0', homes)).toBe('/conditions/any/1/all/0/profile/value');
    expect(problemHome('/conditions/all/2/behaviour/count', homes)).toBe('/conditions/all/2');
    expect(problemHome('/conditions/all', homes)).toBe('/conditions/all');
  });

  it('groups problems by field and says the common ones plainly', () => {
    const byHome = problemsByHome([
      { code: 'duplicate_match_key', path: '/body/steps/0/matchKeys/1', message: 'EMAIL is listed twice' },
      { code: 'no_identifier_key', path: '/body/steps/0/matchKeys', message: 'choose one' },
    ]);
    expect([...byHome.keys()]).toEqual(['/steps/0/matchKeys']);
    expect(byHome.get('/steps/0/matchKeys')).toHaveLength(2);
    expect(plainMessage({ code: 'too_short', message: 'Too small: expected string to have >=1 characters' })).toBe(
      'Fill this in.',
    );
    expect(plainMessage({ code: 'cycle', message: '"a" leads back to "b"' })).toBe('"a" leads back to "b"');
  });
});

describe('the segment builder model', () => {
  it('adds rows and groups, switches all and any, removes rows', () => {
    let segment: unknown = { name: 'S', conditions: { all: [] } };
    segment = addRow(segment, ['conditions'], newRow('behaviour'));
    segment = addRow(segment, ['conditions'], newRow('group'));
    segment = addRow(segment, ['conditions', 'all', 1], newRow('profile'));
    segment = setMode(segment, ['conditions', 'all', 1], 'all');
    expect(segment).toEqual({
      name: 'S',
      conditions: {
        all: [
          { behaviour: { did: true, event: '', window: { lastDays: 30 } } },
          {
            all: [
              { behaviour: { did: true, event: '', window: { lastDays: 30 } } },
              { profile: { field: 'country', op: 'eq', value: '' } },
            ],
          },
        ],
      },
    });
    expect(removeRow(segment, ['conditions', 'all', 0])).toMatchObject({ conditions: { all: [{ all: [{}, {}] }] } });
  });

  it('makes a single-row root a group when a row is added', () => {
    expect(
      addRow(
        { conditions: { profile: { field: 'age', op: 'gte', value: 18 } } },
        ['conditions'],
        newRow('reachability'),
      ),
    ).toEqual({
      conditions: {
        all: [{ profile: { field: 'age', op: 'gte', value: 18 } }, { reachability: { reachable: 'has_email' } }],
      },
    });
  });

  it('nests groups up to four levels, as the language does', () => {
    expect(groupDepth(['conditions'])).toBe(1);
    expect(canNestGroup(['conditions', 'all', 0, 'any', 1])).toBe(true);
    expect(canNestGroup(['conditions', 'all', 0, 'any', 1, 'all', 0])).toBe(false);
  });
});
