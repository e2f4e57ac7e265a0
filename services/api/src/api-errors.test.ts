import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { apiErrorCodes, apiErrors } from './api-errors.js';

/** The `code` column of the README's error table, with the statuses it gives each code. */
function readmeErrorTable(): Map<string, number[]> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('### Error codes'),
    readme.indexOf('\n## ', readme.indexOf('### Error codes')),
  );
  const table = new Map<string, number[]>();
  for (const line of section.split('\n').filter((l) => /^\| \d/.test(l))) {
    const [, statusCell = '', codeCell = ''] = line.split('|').map((c) => c.trim());
    const statuses = statusCell.split('/').map((s) => Number(s.trim()));
    const codes = [...codeCell.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!);
    for (const code of codes) table.set(code, statuses);
  }
  return table;
}

describe('the API error catalogue', () => {
  it("lists exactly the codes of the README's error table, with the statuses it gives them", () => {
    const table = readmeErrorTable();
    expect([...table.keys()].sort()).toEqual([...apiErrorCodes].sort());
    for (const code of apiErrorCodes)
      expect([code, table.get(code)]).toEqual([code, expect.arrayContaining([apiErrors[code].status])]);
  });
});
