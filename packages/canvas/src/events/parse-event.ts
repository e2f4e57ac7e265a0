import type { UserEvent } from '../engine/types.js';
import { jsonDepth, maxJsonDepth } from '../text/json-depth.js';
import { describeUnstorable, findUnstorableText } from '../text/storable-text.js';
import { IdentifyMessage, TrackMessage } from './user-event.schema.js';

/** Why a message went to the dead-letter topic; stable, used as a metric label. */
export const deadLetterReasons = [
  'too_large',
  'too_deep',
  'empty',
  'invalid_json',
  'not_an_object',
  'missing_message_id',
  'missing_user_id',
  'unknown_type',
  'unsupported_type',
  'missing_event_name',
  'invalid_timestamp',
  'invalid_field',
  'unstorable_text',
  'key_mismatch',
  'missing_workspace',
  'unknown_workspace',
  'unprocessable',
  'quarantined',
  'operator_skipped',
] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** A valid event with what the engine needs besides it. */
export interface ParsedEvent {
  event: UserEvent;
  workspaceId: string;
  /** Traits to merge: identify's traits, or a track's context.traits. */
  traits: Record<string, unknown>;
  /** app / os / device and Segment's consent preferences from the event context. */
  context: Record<string, unknown>;
}

export type ParseResult = { ok: true; value: ParsedEvent } | { ok: false; reason: DeadLetterReason; detail: string };

export interface RawMessage {
  key: string | null;
  value: Buffer | null;
  /** The workspace header, when the producer sets it. */
  workspaceHeader: string | undefined;
  /** Kafka's timestamp (ms), used when the event has none. */
  kafkaTimestamp: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const present = (value: unknown) =>
  (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
const fail = (reason: DeadLetterReason, detail: string): ParseResult => ({ ok: false, reason, detail });

/** Segment's calls the engine does not consume: valid input, but nothing for a canvas to do. */
const otherSegmentTypes = new Set(['page', 'screen', 'group', 'alias']);

function parseTime(value: string | number | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

/** `timestamp` when present (it must be valid), else a valid `originalTimestamp`, else Kafka's time. */
function eventTime(
  timestamp: string | number | undefined,
  original: string | number | undefined,
  kafkaTime: number,
): Date | undefined {
  if (timestamp !== undefined) return parseTime(timestamp);
  return parseTime(original) ?? new Date(kafkaTime);
}

/**
 * Reads one message of the user-events topic. Anything outside the contract comes back with
 * the reason it will be dead-lettered under; the detail never repeats the payload.
 */
export function parseEvent(message: RawMessage, maxBytes: number): ParseResult {
  try {
    return parseUnguarded(message, maxBytes);
  } catch (error) {
    // a value no check foresaw: this message alone is dead-lettered, the partition moves on
    return fail('unprocessable', `reading the event failed (${errorClass(error)})`);
  }
}

/** The class of a thrown value, safe to show: never its message, which may quote the payload. */
export const errorClass = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'object' && error !== null ? 'object' : typeof error;

function parseUnguarded(message: RawMessage, maxBytes: number): ParseResult {
  if (!message.value || message.value.length === 0) return fail('empty', 'the message has no value');
  if (message.value.length > maxBytes)
    return fail('too_large', `${message.value.length} bytes is over the ${maxBytes}-byte limit`);
  if (message.value.includes(0)) return fail('unstorable_text', 'the value holds a NUL byte, which cannot be stored');
  // measured on the bytes, before anything that could recurse touches the value
  if (jsonDepth(message.value, maxJsonDepth) > maxJsonDepth)
    return fail('too_deep', `arrays and objects nest deeper than ${maxJsonDepth} levels`);
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    return fail('invalid_json', 'the value is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('not_an_object', 'the value is not a JSON object');
  const raw = json as Record<string, unknown>;
  if (typeof raw.type === 'string' && otherSegmentTypes.has(raw.type)) {
    return fail('unsupported_type', `Segment ${raw.type} calls are not used by canvases; send identify or track`);
  }
  if (raw.type !== 'identify' && raw.type !== 'track')
    return fail('unknown_type', `type must be "identify" or "track"`);
  if (!present(raw.messageId)) return fail('missing_message_id', 'messageId is missing or empty');
  if (!present(raw.userId))
    return fail('missing_user_id', 'userId is missing or empty (anonymous events are not supported)');
  if (raw.type === 'track' && (typeof raw.event !== 'string' || raw.event.trim() === ''))
    return fail('missing_event_name', 'a track call needs "event"');
  // PostgreSQL text and jsonb hold neither NUL nor unpaired surrogates; such an event could never be stored
  const unstorable = findUnstorableText(raw);
  if (unstorable) return fail('unstorable_text', describeUnstorable(unstorable));

  const parsed = raw.type === 'identify' ? IdentifyMessage.safeParse(raw) : TrackMessage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('invalid_field', `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
  }
  const data = parsed.data;
  const timestamp = eventTime(data.timestamp, data.originalTimestamp, message.kafkaTimestamp);
  if (!timestamp) return fail('invalid_timestamp', 'timestamp is not an ISO 8601 date or epoch milliseconds');
  if (message.key !== null && message.key !== data.userId)
    return fail('key_mismatch', 'the message key must be the userId');
  const workspaceId = message.workspaceHeader ?? data.workspaceId;
  if (!workspaceId) return fail('missing_workspace', 'set the "workspace-id" header (or workspaceId)');
  if (!uuid.test(workspaceId)) return fail('unknown_workspace', 'the workspace id is not a UUID');

  const context = data.context ?? {};
  const traits =
    data.type === 'identify' ? { ...(context.traits ?? {}), ...data.traits } : { ...(context.traits ?? {}) };
  const deviceContext = Object.fromEntries(
    Object.entries({ app: context.app, os: context.os, device: context.device, consent: context.consent }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return {
    ok: true,
    value: {
      workspaceId: workspaceId.toLowerCase(),
      traits,
      context: deviceContext,
      event: {
        type: data.type,
        messageId: data.messageId,
        userId: data.userId,
        event: data.type === 'track' ? data.event : undefined,
        properties: data.type === 'track' ? data.properties : {},
        timestamp,
      },
    },
  };
}
