import { z } from 'zod';
import { operators, profileFields, traitFieldSource } from './vocabulary.js';

export { operators };
export const Operator = z.enum(operators);
export type Operator = z.infer<typeof Operator>;

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const ConditionValue = z.union([Scalar, z.array(Scalar).max(1000)]);
export type ConditionValue = z.infer<typeof ConditionValue>;

/** A user-property field: a custom attribute (`traits.<name>`) or one of `profileFields`. */
export const userFieldPattern = new RegExp(
  `^(${[traitFieldSource, ...profileFields.map((f) => f.replace(/\./g, String.raw`\.`))].join('|')})$`,
);

export const UserCondition = z
  .object({
    field: z
      .string()
      .regex(
        userFieldPattern,
        'a user field: traits.<name>, age, gender, country, region, city, hasEmail, hasPhone, ' +
          'app.version, os.name, device.type, …',
      ),
    op: Operator,
    value: ConditionValue.optional(),
  })
  .strict()
  .describe(
    'A test on the user profile at the moment it is evaluated. Country, region and city compare normalised places.',
  );
export type UserCondition = z.infer<typeof UserCondition>;

export const EventCondition = z
  .object({
    property: z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a property path such as "cart.total"'),
    op: Operator,
    value: ConditionValue.optional(),
  })
  .strict()
  .describe('A test on a property of the triggering event.');
export type EventCondition = z.infer<typeof EventCondition>;
