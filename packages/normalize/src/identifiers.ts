/** Meta: mobile advertiser ids are sent unhashed, lowercase, hyphens kept. */
export function normalizeMadid(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return /^[0-9a-z-]+$/.test(value) ? value : null;
}

/** Any advertiser id, sent as it is (trimmed). */
export function normalizeExternId(raw: string): string | null {
  const value = raw.trim();
  return value.length > 0 ? value : null;
}
