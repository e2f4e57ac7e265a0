/**
 * Where a resync of a following step's audience stands; the database's CHECK and the README's
 * table list the same values.
 */
export const resyncStatuses = ['waiting', 'uploading', 'confirming', 'done', 'unconfirmed', 'failed'] as const;
export type ResyncStatus = (typeof resyncStatuses)[number];

/** A resync in one of these holds the audience's other writes and is the step's only open one. */
export const openResyncStatuses = ['waiting', 'uploading', 'confirming'] as const satisfies readonly ResyncStatus[];

/** When a following step's audience is replaced: on request only, or after each scheduled run as well. */
export const resyncModes = ['on_demand', 'each_run'] as const;
export type ResyncMode = (typeof resyncModes)[number];
