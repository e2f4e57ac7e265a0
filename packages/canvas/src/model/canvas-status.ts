/** Where a canvas is in its life; the README's "Canvas statuses" table lists exactly these (a test checks it). */
export const canvasStatuses = ['draft', 'running', 'paused', 'archived'] as const;
export type CanvasStatus = (typeof canvasStatuses)[number];

/** The statuses in which a canvas takes users in and moves them on. */
export const liveCanvasStatuses = ['running', 'paused'] as const satisfies readonly CanvasStatus[];
export type LiveCanvasStatus = (typeof liveCanvasStatuses)[number];
