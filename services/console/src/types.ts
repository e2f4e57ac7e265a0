export interface AdAccount {
  id: string;
  adAccountId: string;
  name: string;
  status: 'connected' | 'disconnected' | 'tos_not_accepted';
  statusReason: string | null;
  tosUrl: string | null;
  tokenExpiresAt: string | null;
  tokenWarning: 'expires_soon' | 'expired' | null;
  addedAt: string;
  addedBy: string;
  isDefault: boolean;
}

export interface Step {
  id: string;
  kind: 'delay' | 'audience_split' | 'random_split' | 'facebook_audience' | 'exit';
  name?: string;
  next?: string | null;
  else?: string | null;
  branches?: { name?: string; next: string | null }[];
  paths?: { name?: string; percent: number; next: string | null }[];
  followSegment?: boolean;
}

export interface Canvas {
  id: string;
  name: string;
  status: 'draft' | 'running' | 'paused' | 'archived';
  liveVersion: number | null;
  latestVersion: number;
  updatedAt: string;
  definition?: { firstStep: string; steps: Step[] };
  accountProblems?: { code: string; adAccountId: string; steps: string[]; message: string; hint: string }[];
  drift?: StepDrift[];
  lookalikes?: Lookalike[];
}

export interface Lookalike {
  stepId: string;
  countries: string[];
  ratio: number;
  status: 'not_launched' | 'waiting_for_source' | 'creating' | 'created' | 'refused';
  name: string | null;
  lookalikeId: string | null;
  sourceSize: number | null;
  message: string | null;
  meta: {
    operationStatus: { code: number; description: string | null } | null;
    approximateCount: number | null;
  } | null;
}

export interface StepNumbers {
  stepId: string;
  entered: number;
  proceeded: number;
  exited: number;
  facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
}

export interface Analytics {
  version: number | null;
  steps: StepNumbers[];
}

/** What the reconciliation watch last found for a Facebook step (GET /v1/canvases/{id} → drift). */
export interface StepDrift {
  stepId: string;
  status: 'in_balance' | 'drift' | 'not_checked';
  checkedAt: string | null;
  gaps: {
    kind: 'counters' | 'removals' | 'audience_size';
    gap: number;
    expected: number;
    actual: number;
    since: string;
  }[];
}

/** A re-drive of a Facebook step (POST / GET /v1/canvases/{id}/steps/{stepId}/redrive[s]). */
export interface Redrive {
  id: string;
  stepId: string;
  requestedAt: string;
  requestedBy: string;
  note: string | null;
  users: number;
  skipped: Record<string, number>;
  progress: { pending: number; synced: number; notSynced: number; errored: number };
}

export interface Resync {
  id: string;
  stepId: string;
  status: 'waiting' | 'uploading' | 'confirming' | 'done' | 'unconfirmed' | 'failed';
  requestedAt: string;
  members: number | null;
  batches: number | null;
  batchesSent: number;
  sessions: number;
  added: number | null;
  removed: number | null;
  lastError: { code: string; message: string } | null;
}
