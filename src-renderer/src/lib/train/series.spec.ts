import { describe, expect, it } from 'vitest';
import { emptyHistory } from './history';
import { sharedLossRange } from './series';

describe('sharedLossRange', () => {
  it('spans the train and dev losses of every run', () => {
    const a = { ...emptyHistory(), epochLoss: [{ x: 1, y: 0.9 }], devLoss: [{ x: 1, y: 1.2 }] };
    const b = { ...emptyHistory(), epochLoss: [{ x: 1, y: 0.3 }] };
    expect(sharedLossRange([a, b])).toEqual({ min: 0.3, max: 1.2 });
  });

  it('widens a flat range and gives nothing without points', () => {
    const flat = { ...emptyHistory(), epochLoss: [{ x: 1, y: 1 }] };
    expect(sharedLossRange([flat])).toEqual({ min: 0.5, max: 1.5 });
    expect(sharedLossRange([emptyHistory()])).toBeUndefined();
  });
});
