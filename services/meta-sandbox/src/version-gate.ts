import { newestServedVersion, parseVersion, versionLifetime } from '@canvas/meta-graph';
import { errors, type GraphFailure } from './graph-errors.js';

/**
 * Meta's answer to a call on a version it does not serve on the sandbox clock: released and not
 * expired per the version table, and not below the sandbox's own floor (`minVersion`).
 */
export function versionRefusal(version: string, minVersion: string, now: Date): GraphFailure | undefined {
  const parsed = parseVersion(version);
  if (parsed === undefined) return errors.unknownPath();
  const belowFloor = parsed < (parseVersion(minVersion) ?? 0);
  if (versionLifetime(version, now).state === 'served' && !belowFloor) return undefined;
  // 2635 also for unreleased and unknown versions: an emulator choice, Meta's answer there is not documented.
  return errors.deprecatedVersion(newestServedVersion(now));
}
