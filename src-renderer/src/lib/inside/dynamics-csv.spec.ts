import { describe, expect, it } from 'vitest';
import type { InsideDynamics } from '@api/inside';
import { dynamicsCsv } from './dynamics-csv';

const path: InsideDynamics = {
  layer: 'encoder/layer0/fw',
  scale: 1,
  points: Float32Array.from([0.5, -1, 0, 0.25]),
  explained: [0.9, 0.1],
  norms: Float32Array.from([2, 0.5]),
  states: Float32Array.from([0, 2, 0, 0.5]),
  stateSizes: { output: 2, cell: 0 },
  behaviour: { kind: 'fixed-point', settledAt: 1 },
};

describe('the dynamics as CSV', () => {
  it('has each state of the path with its components, its norm and its units', () => {
    expect(dynamicsCsv(path)).toBe(
      'state,pc1,pc2,norm,h0,h1\n0,0.5,-1,2,0,2\n1,0,0.25,0.5,0,0.5\n',
    );
  });

  it('names an LSTM’s output units h and its cell units c, in the state’s order', () => {
    const lstm: InsideDynamics = {
      ...path,
      states: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      stateSizes: { output: 1, cell: 3 },
    };
    expect(dynamicsCsv(lstm).split('\n').slice(0, 3)).toEqual([
      'state,pc1,pc2,norm,h0,c0,c1,c2',
      '0,0.5,-1,2,1,2,3,4',
      '1,0,0.25,0.5,5,6,7,8',
    ]);
  });
});
