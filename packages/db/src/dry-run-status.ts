/** Where a dry run stands; the database's CHECK lists the same values. */
export const dryRunStatuses = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;
export type DryRunStatus = (typeof dryRunStatuses)[number];

/** Statuses of a dry run still to finish: it counts against the workspace's concurrent runs. */
export const openDryRunStatuses = ['queued', 'running'] as const satisfies readonly DryRunStatus[];
