import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { abandonedCartExample } from './examples.js';
import { CanvasDefinition } from './canvas.schema.js';
import { currentDefinitionVersion, readStoredDefinition, toStoredDefinition } from './stored-definition.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../test/fixtures/stored-canvases/${name}.json`, import.meta.url), 'utf8'));

describe('stored canvas definitions', () => {
  it('reads a definition stored by version 0.1, without a schemaVersion, as version 1', () => {
    const read = readStoredDefinition(fixture('v0.1-abandoned-cart'));
    expect(read).toMatchObject({
      ok: true,
      storedVersion: 1,
      definition: { name: 'Abandoned cart', firstStep: 'wait' },
    });
  });

  it('writes the current version and reads back what it wrote', () => {
    const definition = CanvasDefinition.parse(abandonedCartExample);
    const stored = toStoredDefinition(definition);
    expect(stored.schemaVersion).toBe(currentDefinitionVersion);
    expect(readStoredDefinition(JSON.parse(JSON.stringify(stored)))).toEqual({
      ok: true,
      definition,
      storedVersion: currentDefinitionVersion,
    });
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'canvas', 'not a JSON object'],
    [
      'a version from the future',
      { ...abandonedCartExample, schemaVersion: currentDefinitionVersion + 1 },
      'newer than this engine reads',
    ],
    ['a version that is not a number', { ...abandonedCartExample, schemaVersion: 'one' }, 'not a positive integer'],
    ['a document the schema refuses', { ...abandonedCartExample, firstStep: 42 }, 'at /firstStep (invalid_type)'],
  ])('answers %s with a reason instead of throwing', (_name, stored, reason) => {
    const read = readStoredDefinition(stored);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toContain(reason);
  });
});
