/** A Marketing API version Meta still serves for custom-audience calls (v23.0 expired 2026-06-09). */
export const defaultGraphVersion = 'v25.0';

/** The oldest version Meta still accepts for Marketing API calls, as of 2026-11. */
export const oldestServedVersion = 'v24.0';

export function parseVersion(version: string): number | undefined {
  const match = /^v(\d+)\.(\d+)$/.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}
