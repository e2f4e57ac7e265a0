import { lookalikeSpec, type CanvasDefinition, type LookalikeSpec } from '@canvas/canvas';
import type { LookalikeRequestRow, ResolvedSteps } from '@canvas/db';

/**
 * The lookalike's name at Meta, the same for every launch and replica, as Ads Manager names them
 * ("Lookalike (US, 1%) - Source"): after a crash the sync finds an earlier creation by it.
 */
export function lookalikeName(
  spec: LookalikeSpec,
  source: { audienceId: string; audienceName?: string | undefined },
  prefix: string,
): string {
  const label =
    source.audienceName === undefined
      ? `audience ${source.audienceId}`
      : source.audienceName.startsWith(prefix)
        ? source.audienceName.slice(prefix.length)
        : source.audienceName;
  return `${prefix}Lookalike (${spec.countries.join(', ')}, ${spec.ratioPercent}%) - ${label}`;
}

/** The lookalikes a launched version's Facebook steps ask for, of the audiences launch resolved for them. */
export function lookalikeRequests(
  definition: CanvasDefinition,
  resolved: ResolvedSteps,
  context: { workspaceId: string; canvasId: string; prefix: string },
): LookalikeRequestRow[] {
  return definition.steps.flatMap((step): LookalikeRequestRow[] => {
    if (step.kind !== 'facebook_audience' || !step.lookalike) return [];
    const target = resolved[step.id];
    const spec = lookalikeSpec(step.lookalike);
    if (!target || !spec) return [];
    return [
      {
        metaAccountId: target.metaAccountId,
        sourceAudienceId: target.audienceId,
        countries: spec.countries,
        ratioPercent: spec.ratioPercent,
        workspaceId: context.workspaceId,
        canvasId: context.canvasId,
        stepId: step.id,
        name: lookalikeName(spec, target, context.prefix),
      },
    ];
  });
}
