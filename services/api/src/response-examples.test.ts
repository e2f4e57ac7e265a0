import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { DryRunView } from './dry-run-view.js';
import { QuotaPlanView } from './quota-plan.js';

const examplesOf = (schema: z.ZodType) => (schema.meta()?.examples as unknown[] | undefined) ?? [];

describe('response examples in the OpenAPI document', () => {
  it.each([
    ['DryRunView', DryRunView],
    ['QuotaPlanView', QuotaPlanView],
  ] as const)('%s: every example is an answer the schema accepts', (_name, schema) => {
    const examples = examplesOf(schema);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(schema.safeParse(example).error?.issues).toBeUndefined();
  });
});
