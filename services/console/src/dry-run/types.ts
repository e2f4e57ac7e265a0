/** A dry run as GET /v1/dry-runs/{id} answers it (decision 38). */
export interface DryRunBranch {
  index: number | null;
  name: string | null;
  next: string | null;
  percent: number | null;
  users: number;
}

export interface DryRunFacebook {
  adAccountId: string | null;
  action: 'add' | 'remove';
  matchKeys: string[];
  synced: number;
  notSynced: { total: number; noMatchKeys: number; consent: number };
  requests: number;
  quotaHours: number | null;
}

export interface DryRunStep {
  stepId: string;
  kind: string;
  name: string | null;
  entered: number;
  proceeded: number;
  exited: number;
  converted: number;
  waiting: number;
  branches: DryRunBranch[] | null;
  facebook: DryRunFacebook | null;
  sampleUserIds: string[];
}

export interface DryRunAccount {
  adAccountId: string;
  steps: string[];
  users: number;
  requests: number;
  usersPerHour: { mean: number; peak: number };
  requestsPerHour: { mean: number; peak: number };
  capacityPerHour: number;
  quotaHours: number;
}

export interface DryRun {
  id: string;
  canvasId: string;
  version: number;
  window: { from: string; to: string };
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: { fraction: number; users: number; totalUsers: number; pass: number; passes: number };
  failure: string | null;
  result: {
    totals: { entered: number; converted: number; exited: number; waiting: number; capped: number };
    steps: DryRunStep[];
    accounts: DryRunAccount[];
    users: { scanned: number; replayed: number; entered: number };
    events: number;
    notes: string[];
  } | null;
}

export const finished = (run: DryRun) => run.status === 'done' || run.status === 'failed' || run.status === 'cancelled';
