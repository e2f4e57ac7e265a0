import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { canvasStatuses } from './canvas-status.js';
import { entryErrorCodes } from './entry-errors.js';
import { resyncStatuses } from './resync-status.js';

/** The back-quoted codes in the first column of the table under a README heading. */
function readmeTableCodes(heading: string): string[] {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`the README has no "${heading}"`);
  const end = readme.indexOf('\n#', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  // the rows below the table's header and its `| --- |` line
  return section
    .slice(section.indexOf('| --- |'))
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-zA-Z_]+)`/g)].map((m) => m[1]!));
}

describe('the catalogues the README publishes', () => {
  it("entry error codes are exactly the README's entry error table", () => {
    expect(readmeTableCodes('### Entry error codes').sort()).toEqual([...entryErrorCodes].sort());
  });

  it("canvas statuses are exactly the README's canvas status table, in its order", () => {
    expect(readmeTableCodes('### Canvas statuses')).toEqual([...canvasStatuses]);
  });

  it("resync statuses are exactly the README's resync status table, in its order", () => {
    expect(readmeTableCodes('### Resync statuses')).toEqual([...resyncStatuses]);
  });
});
