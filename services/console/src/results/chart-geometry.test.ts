import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chartGeometry, niceCeiling } from './chart-geometry.js';

const box = { width: 600, height: 200, left: 40, right: 10, top: 10, bottom: 30 };

describe('chart geometry', () => {
  it('rounds the scale up to a number gridlines can show', () => {
    expect([0, 1, 3, 7, 18, 240, 1001].map(niceCeiling)).toEqual([1, 1, 5, 10, 20, 250, 2000]);
  });

  it('keeps every point inside the plot, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10 ** 9 }), { minLength: 1, maxLength: 800 }), (values) => {
        const g = chartGeometry(box, values.length, [values]);
        values.forEach((value, i) => {
          expect(g.y(value)).toBeGreaterThanOrEqual(box.top);
          expect(g.y(value)).toBeLessThanOrEqual(box.height - box.bottom);
          expect(g.x(i)).toBeGreaterThanOrEqual(box.left);
          expect(g.x(i)).toBeLessThanOrEqual(box.width - box.right);
        });
        expect(g.path(values).split(' ')).toHaveLength(values.length);
      }),
    );
  });
});
