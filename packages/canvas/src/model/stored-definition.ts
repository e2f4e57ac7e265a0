import { CanvasDefinition } from './canvas.schema.js';

/** The format canvas definitions are stored in; raise it with an upgrade whenever the schema changes. */
export const currentDefinitionVersion = 2;

type StoredDocument = Record<string, unknown>;

/**
 * `upgrades[n]` turns a stored version-n document into version n + 1. Documents stored before
 * versions existed carry no `schemaVersion` and are version 1.
 */
const upgrades: Readonly<Record<number, (document: StoredDocument) => StoredDocument>> = {
  // 2 adds segment entry beside the event trigger; every version-1 entry has a trigger and stays valid
  1: (document) => document,
};

export type StoredDefinitionRead =
  { ok: true; definition: CanvasDefinition; storedVersion: number } | { ok: false; reason: string };

/** What is written to the database: the definition with the format it is in. */
export function toStoredDefinition(definition: CanvasDefinition): StoredDocument {
  return { schemaVersion: currentDefinitionVersion, ...definition };
}

/**
 * Reads a stored definition of any version, upgrading it on the way; a document that cannot be
 * read comes back with a reason (naming fields, never values) instead of throwing.
 */
export function readStoredDefinition(stored: unknown): StoredDefinitionRead {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    return { ok: false, reason: 'not a JSON object' };
  const { schemaVersion, ...rest } = stored as StoredDocument;
  const storedVersion = schemaVersion === undefined ? 1 : schemaVersion;
  if (typeof storedVersion !== 'number' || !Number.isInteger(storedVersion) || storedVersion < 1) {
    return { ok: false, reason: 'schemaVersion is not a positive integer' };
  }
  if (storedVersion > currentDefinitionVersion) {
    return {
      ok: false,
      reason: `schemaVersion ${storedVersion} is newer than this engine reads (${currentDefinitionVersion})`,
    };
  }
  let document: StoredDocument = rest;
  for (let version = storedVersion; version < currentDefinitionVersion; version += 1) {
    const upgrade = upgrades[version];
    if (!upgrade) return { ok: false, reason: `no upgrade from schemaVersion ${version}` };
    document = upgrade(document);
  }
  const parsed = CanvasDefinition.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `does not match the canvas schema at /${issue?.path.join('/') ?? ''} (${issue?.code ?? 'invalid'})`,
    };
  }
  return { ok: true, definition: parsed.data, storedVersion };
}
