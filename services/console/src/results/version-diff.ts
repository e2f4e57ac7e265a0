/** What changed between two stored versions of a canvas, in words a designer reads. */
interface StepLike {
  id: string;
  kind: string;
  name?: string;
}

interface DefinitionLike {
  steps: readonly StepLike[];
  [part: string]: unknown;
}

export interface VersionChange {
  kind: 'added' | 'removed' | 'changed';
  what: string;
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const label = (step: StepLike) => `step ${step.name ? `"${step.name}" (${step.id})` : step.id}`;

export function versionChanges(before: DefinitionLike, after: DefinitionLike): VersionChange[] {
  const changes: VersionChange[] = [];
  const parts = new Set([...Object.keys(before), ...Object.keys(after)]);
  parts.delete('steps');
  for (const part of [...parts].sort()) {
    if (stable(before[part]) === stable(after[part])) continue;
    const kind = before[part] === undefined ? 'added' : after[part] === undefined ? 'removed' : 'changed';
    changes.push({ kind, what: part });
  }
  const earlier = new Map(before.steps.map((step) => [step.id, step]));
  const later = new Map(after.steps.map((step) => [step.id, step]));
  for (const step of after.steps) {
    const old = earlier.get(step.id);
    if (!old) changes.push({ kind: 'added', what: label(step) });
    else if (stable(old) !== stable(step)) changes.push({ kind: 'changed', what: label(step) });
  }
  for (const step of before.steps) if (!later.has(step.id)) changes.push({ kind: 'removed', what: label(step) });
  return changes;
}
