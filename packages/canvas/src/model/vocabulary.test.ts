import { describe, expect, it } from '@jest/globals';
import { userFieldPattern } from './condition.schema.js';
import { profileFields } from './vocabulary.js';

describe('the user-field pattern built from the vocabulary', () => {
  it('accepts every profile field and custom attributes, and nothing else', () => {
    for (const field of profileFields) expect(userFieldPattern.test(field)).toBe(true);
    for (const field of ['traits.plan', 'traits.cart.total', 'traits.a-b_$'])
      expect(userFieldPattern.test(field)).toBe(true);
    for (const field of ['password', 'appXname', 'traits.', 'traits', 'app.name.x', 'country ', 'os.nameX'])
      expect(userFieldPattern.test(field)).toBe(false);
  });
});
