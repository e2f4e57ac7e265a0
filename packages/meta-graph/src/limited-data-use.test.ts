import { describe, expect, it } from '@jest/globals';
import { limitedDataUseCells, wireRow, withLimitedDataUse } from './limited-data-use.js';

describe('Limited Data Use on customer-list uploads', () => {
  it.each([
    [{ limited_data_use: true, state: 'CA', country: 'US' }, ['LDU', '1', '1000']],
    [{ limitedDataUse: 'true', state: 'California' }, ['LDU', '1', '1000']],
    [{ limited_data_use: true, address: { state: 'ca', country: 'United States' } }, ['LDU', '1', '1000']],
    // LDU on customer lists is California only: elsewhere Meta decides where the person lives
    [{ limited_data_use: true, state: 'CO', country: 'US' }, ['LDU', '0', '0']],
    [{ limited_data_use: true }, ['LDU', '0', '0']],
    [{ limited_data_use: true, state: 'CA', country: 'CA' }, ['LDU', '0', '0']],
  ])('%j → %j', (traits, cells) => {
    expect(limitedDataUseCells(traits)).toEqual(cells);
  });

  it.each([
    [
      { limited_data_use: true, state: 'CA' },
      ['EMAIL', 'DATA_PROCESSING_OPTIONS', 'DATA_PROCESSING_OPTIONS_COUNTRY', 'DATA_PROCESSING_OPTIONS_STATE'],
    ],
    [{ limited_data_use: false, state: 'CA' }, ['EMAIL']],
    [{ state: 'CA' }, ['EMAIL']],
  ])('adds the columns only when consent asks for it: %j', (traits, schema) => {
    expect(withLimitedDataUse(['EMAIL'], ['h'], traits).schema).toEqual(schema);
  });

  it('sends the options as a list and the codes as numbers', () => {
    const schema = [
      'EMAIL',
      'DATA_PROCESSING_OPTIONS',
      'DATA_PROCESSING_OPTIONS_COUNTRY',
      'DATA_PROCESSING_OPTIONS_STATE',
    ];
    expect(wireRow(schema, ['h', 'LDU', '1', '1000'])).toEqual(['h', ['LDU'], 1, 1000]);
    expect(wireRow(['EMAIL'], ['h'])).toEqual(['h']);
  });
});
