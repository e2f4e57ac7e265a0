import { z } from 'zod';
import { defaultGraphVersion, versionLifetime } from './versions.js';

/** The environment settings of every process that calls Meta, to spread into its config schema. */
export const graphApiSettings = {
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'a version such as v25.0')
    .default(defaultGraphVersion)
    // Meta refuses every call on an expired version (2635); better not to start at all.
    .refine((v) => versionLifetime(v, new Date()).state !== 'expired', 'this version has expired at Meta'),
  META_APP_ID: z.string().optional(),
  META_APP_SECRET: z.string().optional(),
};
