import { getIn, setIn, type Json, type Path } from './draft.js';
import { maxSegmentDepth } from './vocabulary.js';

/** A segment's condition tree as the builder edits it: all / any groups of behaviour, profile and reachability rows. */
export type SegmentNode = { [key: string]: Json };
export type RowKind = 'behaviour' | 'profile' | 'reachability' | 'group';

export const rowKindNames: Record<RowKind, string> = {
  behaviour: 'Did / did not do an event',
  profile: 'User property',
  reachability: 'Reachability',
  group: 'Group of conditions (any / all)',
};

/** A row of a kind as the builder first offers it. */
export function newRow(kind: RowKind): SegmentNode {
  switch (kind) {
    case 'behaviour':
      return { behaviour: { did: true, event: '', window: { lastDays: 30 } } };
    case 'profile':
      return { profile: { field: 'country', op: 'eq', value: '' } };
    case 'reachability':
      return { reachability: { reachable: 'has_email' } };
    case 'group':
      return { any: [newRow('behaviour')] };
  }
}

/** A group's mode and list key, or null for a row. */
export function groupOf(node: unknown): { mode: 'all' | 'any'; items: SegmentNode[] } | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.all)) return { mode: 'all', items: record.all as SegmentNode[] };
  if (Array.isArray(record.any)) return { mode: 'any', items: record.any as SegmentNode[] };
  return null;
}

/** The kind of a row (or group) node. */
export function rowKindOf(node: unknown): RowKind | null {
  if (groupOf(node)) return 'group';
  if (typeof node !== 'object' || node === null) return null;
  for (const kind of ['behaviour', 'profile', 'reachability'] as const) if (kind in node) return kind;
  return null;
}

/** How deep a group at this path nests: the root group is level 1. */
export function groupDepth(path: Path): number {
  return 1 + path.filter((part) => part === 'all' || part === 'any').length;
}

/** Whether a group at this path may hold another group (the language allows `maxSegmentDepth` levels). */
export const canNestGroup = (groupPath: Path) => groupDepth(groupPath) < maxSegmentDepth;

/**
 * Adds a row to the group at `groupPath` inside `root`. A root that is one row becomes "all of"
 * that row and the new one.
 */
export function addRow<T>(root: T, groupPath: Path, row: SegmentNode): T {
  const group = groupOf(getIn(root, groupPath));
  if (!group) {
    const single = getIn(root, groupPath) as Json | undefined;
    return setIn(root, groupPath, { all: single === undefined ? [row] : [single, row] });
  }
  return setIn(root, [...groupPath, group.mode, group.items.length], row);
}

/** Switches a group between all and any, keeping its rows. */
export function setMode<T>(root: T, groupPath: Path, mode: 'all' | 'any'): T {
  const group = groupOf(getIn(root, groupPath));
  return group ? setIn(root, groupPath, { [mode]: group.items }) : root;
}

/** Removes the row at `path` (its last part is the index in its group). */
export function removeRow<T>(root: T, path: Path): T {
  return setIn(root, path, undefined);
}
