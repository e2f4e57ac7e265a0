import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  findWorkspace,
  insertApiKey,
  listApiKeys,
  lockWorkspace,
  revokeApiKey,
  setAudienceNamePrefix,
  setBlockLaunchOnQuotaRisk,
  type ApiKey,
  type Workspace,
} from '@canvas/db';
import { defaultGraphVersion } from '@canvas/meta-graph';
import { generateApiKey } from '../api-key.js';
import { GraphApiVersionView, graphApiVersionView } from '../graph-version-view.js';
import type { ApiDeps } from '../deps.js';
import { requestExamples } from '../request-examples.js';
import { decideRevocation } from '../api-key-revocation.js';
import { apiError, conflict, notFound } from '../problem.js';
import { IdParams, IsoDate, iso, problems } from '../schemas.js';

const ApiKeyView = z.object({
  id: z.uuid(),
  label: z.string(),
  prefix: z.string(),
  createdAt: IsoDate,
  revokedAt: IsoDate.nullable(),
});
const WorkspaceView = z.object({
  id: z.uuid(),
  name: z.string(),
  audienceNamePrefix: z
    .string()
    .nullable()
    .describe(
      'Put before the name of every audience this product creates (e.g. CA_), so they stand out in Ads Manager',
    ),
  blockLaunchOnQuotaRisk: z
    .boolean()
    .describe(
      "Refuse a launch whose ad accounts' users would risk the sync's retry window (quota_at_risk); " +
        'false: the launch only warns',
    ),
  createdAt: IsoDate,
  graphApi: GraphApiVersionView,
});
const WorkspacePatch = z
  .object({
    audienceNamePrefix: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[^\s].*$/, 'a prefix does not start with a space')
      .nullable()
      .optional()
      .describe('null removes the prefix; audiences already created keep their names'),
    blockLaunchOnQuotaRisk: z
      .boolean()
      .optional()
      .describe('true: a launch at risk of the retry window is refused (LAUNCH_PREFLIGHT_FAILED, quota_at_risk)'),
  })
  .strict()
  .meta({ examples: [requestExamples.workspaceSettings] });
const workspaceView = (w: Workspace, deps: ApiDeps) => ({
  id: w.id,
  name: w.name,
  audienceNamePrefix: w.audienceNamePrefix,
  blockLaunchOnQuotaRisk: w.blockLaunchOnQuotaRisk,
  createdAt: w.createdAt.toISOString(),
  graphApi: graphApiVersionView(deps.graphVersion ?? defaultGraphVersion, deps.now()),
});

const view = (key: ApiKey) => ({
  id: key.id,
  label: key.label,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  revokedAt: iso(key.revokedAt),
});

/** The caller's workspace and its API keys. */
export const workspaceRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/workspace',
      {
        schema: {
          tags: ['workspace'],
          summary: 'The workspace of the API key',
          response: { 200: WorkspaceView, ...problems() },
        },
      },
      async (request) => {
        const workspace = await findWorkspace(deps.db, request.caller.workspaceId);
        if (!workspace) throw notFound('the workspace');
        return workspaceView(workspace, deps);
      },
    );

    app.patch(
      '/v1/workspace',
      {
        schema: {
          tags: ['workspace'],
          summary: "Change the workspace's settings",
          description:
            'audienceNamePrefix: put before the name of each audience launches create from now on. ' +
            'blockLaunchOnQuotaRisk: refuse launches whose users would risk the retry window. Fields left out stay.',
          body: WorkspacePatch,
          response: { 200: WorkspaceView, ...problems() },
        },
      },
      async (request) => {
        const { workspaceId } = request.caller;
        const { audienceNamePrefix, blockLaunchOnQuotaRisk } = request.body;
        if (audienceNamePrefix !== undefined) await setAudienceNamePrefix(deps.db, workspaceId, audienceNamePrefix);
        if (blockLaunchOnQuotaRisk !== undefined)
          await setBlockLaunchOnQuotaRisk(deps.db, workspaceId, blockLaunchOnQuotaRisk);
        const workspace = await findWorkspace(deps.db, workspaceId);
        if (!workspace) throw notFound('the workspace');
        return workspaceView(workspace, deps);
      },
    );

    app.get(
      '/v1/api-keys',
      {
        schema: {
          tags: ['workspace'],
          summary: 'List API keys (never the keys themselves)',
          response: { 200: z.object({ data: z.array(ApiKeyView) }), ...problems() },
        },
      },
      async (request) => ({ data: (await listApiKeys(deps.db, request.caller.workspaceId)).map(view) }),
    );

    app.post(
      '/v1/api-keys',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Create an API key; the key is shown once',
          body: z
            .object({ label: z.string().min(1).max(100) })
            .strict()
            .meta({ examples: [requestExamples.createApiKey] }),
          response: {
            201: ApiKeyView.extend({ apiKey: z.string().describe('Shown only in this answer') }),
            ...problems(),
          },
        },
      },
      async (request, reply) => {
        const generated = generateApiKey();
        const key = await insertApiKey(deps.db, {
          id: randomUUID(),
          workspaceId: request.caller.workspaceId,
          label: request.body.label,
          hash: generated.hash,
          prefix: generated.prefix,
        });
        return reply.code(201).send({ ...view(key), apiKey: generated.key });
      },
    );

    app.delete(
      '/v1/api-keys/:id',
      {
        schema: {
          tags: ['workspace'],
          summary: "Revoke an API key: the caller's own, or one created after it",
          description:
            'A key revokes itself and keys created after it, so the oldest live key can ' +
            'revoke every other; the last live key cannot be revoked.',
          params: IdParams,
          response: { 200: ApiKeyView, ...problems(403, 404, 409) },
        },
      },
      async (request) => {
        const { workspaceId, keyId } = request.caller;
        return deps.db.transaction().execute(async (tx) => {
          // one revocation per workspace at a time: two at once could otherwise both count two live keys
          await lockWorkspace(tx, workspaceId);
          const decision = decideRevocation(await listApiKeys(tx, workspaceId), keyId, request.params.id);
          if (decision === 'caller_revoked') throw apiError('UNAUTHORIZED', 'this API key has been revoked');
          if (decision === 'not_found') throw notFound(`API key ${request.params.id}`);
          if (decision === 'older_key')
            throw apiError('API_KEY_OLDER', 'a key revokes itself and keys created after it; use an older key');
          if (decision === 'last_key')
            throw conflict('LAST_API_KEY', 'this is the last active key of the workspace; create another one first');
          const revoked = await revokeApiKey(tx, workspaceId, request.params.id, deps.now());
          if (!revoked) throw notFound(`API key ${request.params.id}`);
          return view(revoked);
        });
      },
    );
  };
