import { describe, expect, it } from '@jest/globals';
import { stockChanges, stockRowsOf } from './stock-settlement.js';

const UNIT = '11111111-1111-4111-8111-111111111111';

describe('stock changes of ended holds', () => {
  it('a consumed hold leaves the stock, a released one only the held', () => {
    const holds = [{ fabUnitId: UNIT, material: 'pla', quantity: 50, unit: 'g' }];
    const stocks = [{ fabUnitId: UNIT, material: 'pla', unit: 'g' }];
    expect(stockChanges(holds, stocks, 'consume')).toEqual([{ fabUnitId: UNIT, material: 'pla', consumed: 50, released: 0 }]);
    expect(stockChanges(holds, stocks, 'release')).toEqual([{ fabUnitId: UNIT, material: 'pla', consumed: 0, released: 50 }]);
  });

  it("converts to the stock's unit when the operator changed it since, and keeps the quantity when it cannot", () => {
    const holds = [
      { fabUnitId: UNIT, material: 'pla', quantity: 250, unit: 'g' },
      { fabUnitId: UNIT, material: 'petg', quantity: 3, unit: 'g' },
      { fabUnitId: UNIT, material: 'abs', quantity: 7, unit: 'g' },
    ];
    const stocks = [
      { fabUnitId: UNIT, material: 'pla', unit: 'kg' },
      { fabUnitId: UNIT, material: 'petg', unit: 'm' },
    ];
    expect(stockChanges(holds, stocks, 'consume').map((c) => c.consumed)).toEqual([0.25, 3, 7]);
  });

  it('locks each stock row once however many holds draw on it', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    const holds = [
      { fabUnitId: UNIT, material: 'pla' },
      { fabUnitId: UNIT, material: 'pla' },
      { fabUnitId: other, material: 'pla' },
      { fabUnitId: UNIT, material: 'petg' },
    ];
    expect(stockRowsOf(holds)).toEqual([
      { fabUnitId: UNIT, material: 'pla' },
      { fabUnitId: other, material: 'pla' },
      { fabUnitId: UNIT, material: 'petg' },
    ]);
  });
});
