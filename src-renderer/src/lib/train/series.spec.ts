import { describe, expect, it } from 'vitest';
import { alignLines } from '../plot/line-chart';
import { emptyHistory, type TrainingHistory } from './history';
import { accuracyLines, comparedLossLines, epochExtent, lossLines } from './series';

function run(loss: number[], dev: number[], rate: number[]): TrainingHistory {
  const at = (ys: number[]): { x: number; y: number }[] => ys.map((y, i) => ({ x: i + 1, y }));
  return { ...emptyHistory(), epochLoss: at(loss), devLoss: at(dev), learningRate: at(rate) };
}

describe('lossLines', () => {
  it('draws batch, train, dev and the learning rate, the rate on its own scale', () => {
    const lines = lossLines(run([1, 0.5], [1.2], [0.01, 0.005]), true);
    expect(lines.map((l) => [l.label, l.scale ?? 'y'])).toEqual([
      ['batch', 'y'],
      ['train', 'y'],
      ['dev', 'y'],
      ['learning rate', 'lr'],
    ]);
    // Columnar: dev has no epoch-2 point, so that cell is empty rather than a gap.
    expect(alignLines(lines.slice(1))).toEqual([
      [1, 2],
      [1, 0.5],
      [1.2, undefined],
      [0.01, 0.005],
    ]);
  });

  it('leaves the batch line out when asked', () => {
    expect(accuracyLines(emptyHistory(), false).map((l) => l.label)).toEqual(['train', 'dev']);
  });
});

describe('comparedLossLines', () => {
  it('overlays two runs, each in its own colour, named in the legend', () => {
    const lines = comparedLossLines([
      { name: 'tiny', history: run([1, 0.5], [1.1, 0.7], [0.01, 0.01]) },
      { name: 'long', history: run([2], [], [0.003]) },
    ]);
    // The run without a dev set has no dev line.
    expect(lines.map((l) => l.label)).toEqual([
      'tiny train',
      'tiny dev',
      'tiny learning rate',
      'long train',
      'long learning rate',
    ]);
    const colours = new Set(lines.map((l) => l.colour));
    expect(colours.size).toBe(2);
    expect(lines[0]?.colour).not.toBe(lines[3]?.colour);
    expect(lines.filter((l) => l.scale === 'lr')).toHaveLength(2);
    expect(alignLines(lines)[4]).toEqual([2, undefined]);
  });
});

describe('epochExtent', () => {
  it('spans from 0 to the longest run or the planned epochs', () => {
    expect(epochExtent([run([1, 1, 1], [], []), run([1], [], [])])).toEqual({ min: 0, max: 3 });
    expect(epochExtent([emptyHistory()], 10)).toEqual({ min: 0, max: 10 });
  });
});
