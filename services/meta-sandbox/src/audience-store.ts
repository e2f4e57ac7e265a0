import { identifierKeys, isHashedKey, isMatchKey, isSha256Hex } from '@canvas/meta-graph';

export interface SandboxAudience {
  id: string;
  accountId: string;
  name: string;
  description: string;
  subtype: string;
  customerFileSource: string;
  retentionDays: number | null;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
  /** Member id → the row as received, keyed by schema key. */
  members: Map<number, Record<string, string>>;
  /** "KEY:value" of every identifier → member id, to merge and remove people. */
  index: Map<string, number>;
  /** When each member was first added (real time), for latency measurements. */
  addedAt: Map<number, number>;
  sessions: Map<string, number>;
  /** Set through the admin API: Meta's operation_status 471; membership edits then fail 100/1713230. */
  flagged?: boolean;
  /** is_eligible_for_sac_campaigns; true unless set through the admin API. */
  sacEligible?: boolean;
  /** Created with is_value_based: every row must carry LOOKALIKE_VALUE. */
  isValueBased?: boolean;
  /** A lookalike (subtype LOOKALIKE): what it was made of. */
  lookalike?: { originAudienceId: string; countries: string[]; ratio: number };
}

export interface RowCheck {
  valid: Record<string, string>[];
  invalid: number;
  samples: Record<string, string>;
}

/** Meta counts badly hashed rows as invalid instead of failing the call. */
export function checkRows(
  schema: readonly string[],
  data: readonly (readonly string[])[],
  refused: ReadonlySet<string> = new Set(),
): RowCheck {
  const valid: Record<string, string>[] = [];
  const samples: Record<string, string> = {};
  let invalid = 0;
  for (const row of data) {
    const record: Record<string, string> = {};
    let bad: string | undefined;
    schema.forEach((key, i) => {
      const value = String(row[i] ?? '');
      record[key] = value;
      if (value !== '' && isMatchKey(key) && isHashedKey(key) && !isSha256Hex(value))
        bad = `${key} is not a lowercase SHA-256 hex digest`;
      if (value !== '' && key === 'MADID' && value !== value.toLowerCase()) bad = 'MADID must be lowercase';
      if (refused.has(value)) bad = `${key} was refused`;
      if (key === 'LOOKALIKE_VALUE' && !(value.trim() !== '' && Number(value) >= 0 && Number.isFinite(Number(value))))
        bad = 'LOOKALIKE_VALUE is not a number of 0 or more';
    });
    const hasIdentifier = schema.some(
      (key, i) => (identifierKeys as readonly string[]).includes(key) && String(row[i] ?? '') !== '',
    );
    if (!bad && !hasIdentifier) bad = 'no identifier value';
    if (bad) {
      invalid += 1;
      if (Object.keys(samples).length < 100) samples[String(row.join(',')).slice(0, 80)] = bad;
    } else {
      valid.push(record);
    }
  }
  return { valid, invalid, samples };
}

const identifiersOf = (record: Record<string, string>) =>
  identifierKeys.filter((key) => record[key]).map((key) => `${key}:${record[key]}`);

let nextMemberId = 1;

/** Adds people; a row sharing an identifier with a member updates that member. */
export function addMembers(audience: SandboxAudience, rows: readonly Record<string, string>[]): void {
  for (const row of rows) {
    const ids = identifiersOf(row);
    const existing = ids.map((id) => audience.index.get(id)).find((m) => m !== undefined);
    const memberId = existing ?? nextMemberId++;
    const merged = {
      ...(audience.members.get(memberId) ?? {}),
      ...Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')),
    };
    if (!audience.members.has(memberId)) audience.addedAt.set(memberId, Date.now());
    audience.members.set(memberId, merged);
    for (const id of identifiersOf(merged)) audience.index.set(id, memberId);
  }
}

/** Removes every member that shares an identifier with a row. */
export function removeMembers(audience: SandboxAudience, rows: readonly Record<string, string>[]): void {
  for (const row of rows) {
    for (const id of identifiersOf(row)) {
      const memberId = audience.index.get(id);
      if (memberId === undefined) continue;
      const member = audience.members.get(memberId);
      audience.members.delete(memberId);
      audience.addedAt.delete(memberId);
      for (const memberIdKey of member ? identifiersOf(member) : []) audience.index.delete(memberIdKey);
    }
  }
}
