import { z } from 'zod';
import { IANAZone } from 'luxon';

/** An IANA time zone name, as schedules and day-bucketed series take it. */
export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as "Europe/Paris"');
