import type { CanvasDefinitionInput } from './model/canvas.schema.js';
import { CanvasDefinition } from './model/canvas.schema.js';
import type { CanvasVersion, Journey, Profile, UserEvent } from './engine/types.js';

/** The README's example: added_to_cart without purchased → wait 10 s → Facebook audience. */
export function abandonedCart(overrides: Partial<CanvasDefinitionInput> = {}): CanvasDefinitionInput {
  return {
    name: 'Abandoned cart',
    entry: { trigger: { event: 'added_to_cart' } },
    exitCriteria: [{ event: 'purchased' }],
    firstStep: 'wait',
    steps: [
      { id: 'wait', kind: 'delay', duration: '10s', next: 'fb' },
      {
        id: 'fb',
        kind: 'facebook_audience',
        audience: { create: { name: 'Abandoned_Cart_30_Days' } },
        matchKeys: ['EMAIL', 'PHONE'],
        next: null,
      },
    ],
    ...overrides,
  };
}

/** A canvas that starts with a random split "ab" over the given paths, plus any further steps. */
export function randomSplitCanvas(
  paths: { percent: number; next: string | null }[],
  steps: CanvasDefinitionInput['steps'] = [],
): CanvasDefinitionInput {
  return abandonedCart({ firstStep: 'ab', steps: [{ id: 'ab', kind: 'random_split', paths }, ...steps] });
}

export function version(input: CanvasDefinitionInput, canvasId = 'c1', v = 1): CanvasVersion {
  return { canvasId, version: v, definition: CanvasDefinition.parse(input) };
}

export const at = (iso: string) => new Date(iso);

export function profile(
  traits: Record<string, unknown> = {},
  userId = 'u1',
  context: Record<string, unknown> = {},
): Profile {
  return { userId, traits, context, firstSeenAt: at('2026-01-01T00:00:00Z') };
}

export function track(event: string, properties: Record<string, unknown> = {}, userId = 'u1'): UserEvent {
  return { type: 'track', messageId: `m-${event}`, userId, event, properties, timestamp: at('2026-11-22T10:00:00Z') };
}

export function journey(overrides: Partial<Journey> = {}): Journey {
  return {
    canvasId: 'c1',
    version: 1,
    entrySeq: 1,
    status: 'waiting',
    stepId: 'wait',
    enteredAt: at('2026-11-22T10:00:00Z'),
    convertedAt: null,
    ...overrides,
  };
}
