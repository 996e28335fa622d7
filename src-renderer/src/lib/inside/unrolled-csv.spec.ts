import { describe, expect, it } from 'vitest';
import type { InsideLayer, InsideTrace } from '@api/inside';
import { unrolledCsv } from './unrolled-csv';
import { unrolledRows } from './unrolled-network';

/** 3 steps, 2 hidden units: unit u at step t is t + 10 u (fw) and -(t + 10 u) (bw). */
function layer(key: string, sign: number): InsideLayer {
  return {
    key,
    cell: 'rnn',
    series: [
      {
        name: 'hidden',
        title: 'hidden state h',
        data: Float32Array.from([0, 10, 1, 11, 2, 12], (v) => sign * v),
        units: 2,
        saturation: null,
        varianceOrder: Int32Array.from([1, 0]),
      },
    ],
    gradNorm: new Float32Array(3),
  };
}

const textTrace: InsideTrace = {
  experiment: 'tiny',
  task: 'sentiment',
  steps: 3,
  axis: { kind: 'tokens', tokens: ['the', 'film, "new"', 'was'] },
  features: null,
  predicted: ['positive'],
  perStep: false,
  outputStep: null,
  layers: [layer('encoder/layer0/fw', 1), layer('encoder/layer0/bw', -1)],
  outputs: {
    activation: 'softmax',
    classes: Int32Array.from([0, 1]),
    labels: ['positive', 'negative'],
    data: Float32Array.from([0.75, 0.25]),
    steps: 1,
    totalClasses: 2,
  },
};

describe('the unrolled network as CSV', () => {
  it('has every step: its token, each direction’s hidden state per unit, and the answer', () => {
    expect(unrolledCsv(unrolledRows(textTrace), textTrace.steps)).toBe(
      [
        'step,input x,encoder/layer0/fw h[0],encoder/layer0/fw h[1],encoder/layer0/bw h[0],encoder/layer0/bw h[1],output y',
        '0,the,0,10,0,-10,',
        '1,"film, ""new""",1,11,-1,-11,',
        '2,was,2,12,-2,-12,positive',
        '',
      ].join('\n'),
    );
  });

  it('has a speech input’s features as the strips colour them: standardised per feature', () => {
    const speech: InsideTrace = {
      ...textTrace,
      axis: { kind: 'frames', frameShiftSeconds: 0.01 },
      features: { data: Float32Array.from([0, 5, 2, 5, 4, 5]), dims: 2 },
      layers: [layer('encoder/layer0/fw', 1)],
      perStep: true,
      predicted: ['a', 'b', 'c'],
    };
    const lines = unrolledCsv(unrolledRows(speech), speech.steps).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'step,input x[0],input x[1],encoder/layer0/fw h[0],encoder/layer0/fw h[1],output y',
    );
    // Feature 0 is 0, 2, 4: -1.22, 0, 1.22 standard deviations; feature 1 is constant: 0.
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => Number(r[1]))).toEqual([
      expect.closeTo(-Math.sqrt(1.5), 5),
      0,
      expect.closeTo(Math.sqrt(1.5), 5),
    ]);
    expect(rows.map((r) => r[2])).toEqual(['0', '0', '0']);
    expect(rows.map((r) => r.slice(3))).toEqual([
      ['0', '10', 'a'],
      ['1', '11', 'b'],
      ['2', '12', 'c'],
    ]);
  });
});
