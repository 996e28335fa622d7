import { describe, expect, it } from 'vitest';
import { addMetrics, batchesFromMessage, emptyHistory, type TrainingHistory } from './history';
import { LOSS_FIGURE_SPECS, lossFigureOf, sharedLossFigure } from './loss-figures';
import { comparedLossFigureLines, lossFigureLines } from './series';

function run(loss: number[], dev: number[]): TrainingHistory {
  const at = (ys: number[]): { x: number; y: number }[] => ys.map((y, i) => ({ x: i + 1, y }));
  return {
    ...emptyHistory(),
    batchLoss: [{ x: 0.5, y: Math.log(400) }],
    epochLoss: at(loss),
    devLoss: at(dev),
  };
}

describe('lossFigureOf', () => {
  it('charts a word language model by perplexity, a character one by bits per character', () => {
    expect(lossFigureOf({ task: 'lm', level: 'word' })).toBe('perplexity');
    // The level defaults to words.
    expect(lossFigureOf({ task: 'lm' })).toBe('perplexity');
    expect(lossFigureOf({ task: 'lm', level: 'char' })).toBe('bitsPerCharacter');
  });

  it('leaves other tasks (and unknown ones) on accuracy', () => {
    expect(lossFigureOf({ task: 'sentiment' })).toBeNull();
    expect(lossFigureOf({ task: 'pos' })).toBeNull();
    expect(lossFigureOf({ task: 'no-such-task' })).toBeNull();
    expect(lossFigureOf({})).toBeNull();
  });

  it('compares runs by a figure only when they share it', () => {
    expect(sharedLossFigure([{ task: 'lm' }, { task: 'lm', level: 'word' }])).toBe('perplexity');
    expect(sharedLossFigure([{ task: 'lm' }, { task: 'lm', level: 'char' }])).toBeNull();
    expect(sharedLossFigure([{ task: 'lm' }, { task: 'sentiment' }])).toBeNull();
  });
});

describe('lossFigureLines', () => {
  it('turns the loss in nats into perplexity: exp(loss), per epoch for train and dev', () => {
    const lines = lossFigureLines(
      run([Math.log(200), Math.log(150)], [Math.log(180)]),
      'perplexity',
      true,
    );
    expect(lines.map((l) => l.label)).toEqual(['batch', 'train', 'dev']);
    const [batch, train, dev] = lines.map((l) =>
      l.points.map((p) => [p.x, Number(p.y.toFixed(6))]),
    );
    expect(batch).toEqual([[0.5, 400]]);
    expect(train).toEqual([
      [1, 200],
      [2, 150],
    ]);
    expect(dev).toEqual([[1, 180]]);
    expect(lines[2]?.dash).toBeDefined();
  });

  it('turns it into bits per character: loss / ln 2', () => {
    const lines = lossFigureLines(run([2 * Math.LN2], [3 * Math.LN2]), 'bitsPerCharacter', false);
    expect(lines.map((l) => [l.label, l.points.map((p) => Number(p.y.toFixed(9)))])).toEqual([
      ['train', [2]],
      ['dev', [3]],
    ]);
    expect(LOSS_FIGURE_SPECS.bitsPerCharacter.yLabel).toContain('bits per character');
    expect(LOSS_FIGURE_SPECS.perplexity.title).toBe('Perplexity');
  });

  it('overlays several runs, leaving out lines a run has no points for', () => {
    const lines = comparedLossFigureLines(
      [
        { name: 'small', history: run([Math.log(300)], [Math.log(320)]) },
        { name: 'big', history: run([Math.log(250)], []) },
      ],
      'perplexity',
    );
    expect(lines.map((l) => l.label)).toEqual(['small train', 'small dev', 'big train']);
    expect(lines[2]?.points[0]?.y).toBeCloseTo(250, 6);
  });
});

describe('window points of truncated BPTT', () => {
  it("place a language model epoch's window reports within the epoch", () => {
    let h = emptyHistory();
    const report = (message: string, metrics: Record<string, number>): void => {
      h = addMetrics(h, metrics, batchesFromMessage(message));
    };
    report('epoch 2/3, window 1/4', { epoch: 2, batch: 1, window: 1, windows: 4, loss: 5 });
    report('epoch 2/3, window 2/4', { epoch: 2, batch: 1, window: 2, windows: 4, loss: 4 });
    report('epoch 2/3, batch 1/1', { epoch: 2, batch: 1, loss: 3.5 });
    expect(h.batchLoss).toEqual([
      { x: 1.25, y: 5 },
      { x: 1.5, y: 4 },
      { x: 2, y: 3.5 },
    ]);
    // With several batches an epoch, a window sits within its batch's share.
    report('epoch 3/3, batch 2/4, window 1/2', {
      epoch: 3,
      batch: 2,
      window: 1,
      windows: 2,
      loss: 3,
    });
    expect(h.batchLoss[3]).toEqual({ x: 2.375, y: 3 });
  });
});
