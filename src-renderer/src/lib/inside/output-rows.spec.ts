import { describe, expect, it } from 'vitest';
import type { InsideOutputs } from '@api/inside';
import { outputRange, outputSeries, outputsCsv, shownClassCount } from './output-rows';

const outputs: InsideOutputs = {
  activation: 'softmax',
  classes: Int32Array.from([2, 0, 1]),
  labels: ['NOUN', 'DET', 'a,b'],
  // Two steps x three classes.
  data: Float32Array.from([0.5, 0.25, 0.25, 0.75, 0.125, 0.125]),
  steps: 2,
  totalClasses: 5,
};

describe('the output panel', () => {
  it('shows the first classes carried, as a [steps, rows] series', () => {
    expect(shownClassCount(outputs, 10)).toBe(3);
    expect(shownClassCount(outputs, 0)).toBe(3);
    const two = outputSeries(outputs, 2);
    expect(two.units).toBe(2);
    expect(two.steps).toBe(2);
    expect(Array.from(two.data)).toEqual([0.5, 0.25, 0.75, 0.125]);
  });

  it('draws probabilities on 0..1 and raw outputs on their own range', () => {
    expect(outputRange(outputs)).toEqual({ min: 0, max: 1 });
    expect(outputRange({ ...outputs, activation: 'linear' })).toEqual({ min: 0.125, max: 0.75 });
  });

  it('exports one row per step, a column per class, labels quoted where needed', () => {
    expect(outputsCsv(outputs)).toBe('step,NOUN,DET,"a,b"\n0,0.5,0.25,0.25\n1,0.75,0.125,0.125\n');
  });
});
