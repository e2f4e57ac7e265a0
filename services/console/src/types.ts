export interface AdAccount {
  id: string;
  adAccountId: string;
  name: string;
  status: 'connected' | 'disconnected' | 'tos_not_accepted';
  statusReason: string | null;
  tosUrl: string | null;
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
