import type { StepNumbers } from '../types.js';
import type { DryRun } from './types.js';

/** A finished dry run's per-step numbers in the shape the graph draws (nothing pends or errs in a projection). */
export function projectedNumbers(run: DryRun): StepNumbers[] {
  return (run.result?.steps ?? []).map((s) => ({
    stepId: s.stepId,
    entered: s.entered,
    proceeded: s.proceeded,
    exited: s.exited,
    facebook: s.facebook
      ? { synced: s.facebook.synced, notSynced: s.facebook.notSynced.total, pending: 0, errored: 0 }
      : null,
  }));
}

const dayMs = 86_400_000;

/** "the last 7 days" or the dates, as the run's window reads to a person. */
export function windowText(run: DryRun): string {
  const from = new Date(run.window.from);
  const to = new Date(run.window.to);
  const days = Math.round((to.getTime() - from.getTime()) / dayMs);
  return `${days} day(s), ${from.toLocaleDateString()} – ${to.toLocaleDateString()}`;
}

/** Hours of quota as minutes or hours. */
export function quotaTime(hours: number | null): string {
  if (hours === null) return 'no ad account connected';
  const minutes = hours * 60;
  return minutes < 1 ? 'under a minute' : minutes < 120 ? `${Math.round(minutes)} min` : `${hours.toFixed(1)} h`;
}
