import { z } from 'zod';
import { CanvasDefinition, canvasStatuses } from '@canvas/canvas';
import { requestExamples } from '../request-examples.js';
import { IsoDate } from '../schemas.js';
import { audienceHealthCodes } from '../audience-health-problems.js';
import { StepDriftView } from '../step-drift.js';
import { LookalikeView } from '../lookalike-view.js';
import { resyncProblemCodes } from '../resync-problems.js';

export const CanvasBody = CanvasDefinition.meta({ examples: [requestExamples.canvas] });
export const CanvasStatusSchema = z.enum(canvasStatuses);
export const AudienceView = z.object({
  stepId: z.string(),
  adAccountId: z.string(),
  audienceId: z.string(),
  audienceName: z.string().nullable(),
  created: z.boolean().describe('This canvas created the audience'),
  fromStep: z.string().nullable().describe('The step whose audience this step uses'),
  linkedAdSets: z.array(z.string()).describe('Ad sets whose targeting includes the audience'),
  valueTrait: z
    .string()
    .nullable()
    .describe("A value-based audience: the trait each user's LOOKALIKE_VALUE comes from (decision 35)"),
});
export const AccountProblemView = z.object({
  code: z.enum([
    'ad_account_disconnected',
    'tos_not_accepted',
    'token_expires_soon',
    'audience_deleted',
    'ad_account_missing',
    ...audienceHealthCodes,
    ...resyncProblemCodes,
  ]),
  adAccountId: z.string(),
  steps: z.array(z.string()),
  audienceId: z.string().nullable(),
  message: z.string(),
  hint: z.string().describe('What to do about it'),
});
export const CanvasView = z.object({
  id: z.uuid(),
  name: z.string(),
  status: CanvasStatusSchema,
  liveVersion: z.number().int().nullable().describe('The version new entrants get'),
  latestVersion: z.number().int(),
  hasUnlaunchedChanges: z.boolean(),
  definition: CanvasDefinition.describe('The newest version'),
  audiences: z
    .array(AudienceView)
    .describe(
      "The newest version's Facebook steps that have their Meta audience: created at launch or with POST …/audiences",
    ),
  lookalikes: z
    .array(LookalikeView)
    .describe("The lookalikes the newest version's Facebook steps ask for, and where each stands"),
  accountProblems: z
    .array(AccountProblemView)
    .describe(
      'What stops (or will stop) the Facebook steps: ' +
        'ad accounts and audiences the sync or the token check found unusable',
    ),
  drift: z
    .array(StepDriftView)
    .describe(
      'Each Facebook step of the newest version as the reconciliation watch last checked it: what does not add up',
    ),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export const RunView = z.object({
  scheduledAt: IsoDate,
  version: z.number().int(),
  status: z.enum(['pending', 'running', 'finished']),
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  candidates: z.number().int().nullable().describe('Profiles the SQL narrowing kept'),
  evaluated: z.number().int(),
  members: z.number().int().describe('Candidates the segment matched'),
  entered: z.number().int().describe('Members who entered (re-entry rules, cap and control group applied)'),
  removed: z.number().int().describe('Users taken out of a following audience because they stopped qualifying'),
});
export const VersionView = z.object({
  version: z.number().int(),
  state: z.enum(['draft', 'live', 'superseded']),
  createdAt: IsoDate,
  launchedAt: IsoDate.nullable(),
});

export type CanvasView = z.infer<typeof CanvasView>;
export type AudienceView = z.infer<typeof AudienceView>;
export type RunView = z.infer<typeof RunView>;
export type VersionView = z.infer<typeof VersionView>;
