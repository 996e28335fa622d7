import { describe, expect, it } from 'vitest';
import type { CellSibling, ExperimentConfig } from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';
import type { InsideLayer } from '@api/inside';
import type { JobInfo } from '@api/jobs';
import { SERIES_COLOURS } from '../plot/line-chart';
import { gradientLines, modelLabel, siblingState, siblingTrainJob } from './gradient-comparison';

function experiment(name: string, trained: boolean): ExperimentListItem {
  return {
    name,
    task: 'sentiment',
    corpus: 'reviews',
    created: null,
    metrics: trained ? { training: { epochs: 1 } } : {},
    status: trained ? 'done' : 'incomplete',
    epochs: trained ? 1 : null,
  };
}

function trainJob(name: string, state: JobInfo['state']): JobInfo {
  return {
    id: `job-${name}-${state}`,
    kind: 'experiment-train',
    title: `Train experiment ${name}`,
    subject: { kind: 'experiment', name },
    state,
    progress: { fraction: null },
    createdAt: '2026-01-01T00:00:00Z',
  };
}

function layer(key: string, cell: InsideLayer['cell'], gradNorm: number[]): InsideLayer {
  return { key, cell, series: [], gradNorm: Float32Array.from(gradNorm) };
}

describe('siblingState', () => {
  it('is training while a train job of that name is queued or running, else what the list says', () => {
    const list = [experiment('x-gru', true), experiment('x-elman', false)];
    expect(siblingState('x-gru', list, [])).toBe('trained');
    expect(siblingState('x-elman', list, [])).toBe('unfinished');
    expect(siblingState('x-lstm', list, [])).toBe('missing');
    expect(siblingState('x-elman', list, [trainJob('x-elman', 'running')])).toBe('training');
    expect(siblingState('x-lstm', list, [trainJob('x-lstm', 'queued')])).toBe('training');
    // A failed job, or one of another experiment, leaves it missing (the button tries again).
    expect(
      siblingState('x-lstm', list, [trainJob('x-lstm', 'failed'), trainJob('y', 'running')]),
    ).toBe('missing');
  });
});

describe('siblingTrainJob', () => {
  it('is an ordinary experiment-train job with the derived config', () => {
    const config = { name: 'x-gru', task: 'sentiment' } as unknown as ExperimentConfig;
    const sibling: CellSibling = { cell: 'gru', name: 'x-gru', config, dropped: [] };
    expect(siblingTrainJob(sibling)).toEqual({
      kind: 'experiment-train',
      params: { config, resume: false },
    });
  });
});

describe('gradientLines', () => {
  const own = {
    label: modelLabel('x', 'lstm', []),
    layers: [
      layer('encoder/layer0/fw', 'lstm', [0.1, 1]),
      layer('encoder/layer0/bw', 'lstm', [1, 0.1]),
    ],
  };

  it('alone: one line per layer direction, in the series colours', () => {
    const lines = gradientLines(own, []);
    expect(lines.map((l) => [l.label, l.colour, l.dash])).toEqual([
      ['encoder/layer0/fw', SERIES_COLOURS[0], undefined],
      ['encoder/layer0/bw', SERIES_COLOURS[1], undefined],
    ]);
    expect(lines[0]?.points).toEqual([
      { x: 0, y: expect.closeTo(0.1, 6) },
      { x: 1, y: 1 },
    ]);
    expect(lines[0]?.markers).toBe(true);
  });

  it('compared: one colour per model named by its cell, one dash per layer direction', () => {
    const elman = {
      label: modelLabel('x-elman', 'rnn', []),
      layers: [
        layer('encoder/layer0/fw', 'rnn', [0.001, 1]),
        layer('encoder/layer0/bw', 'rnn', [1, 0.001]),
      ],
    };
    const lines = gradientLines(own, [elman]);
    expect(lines.map((l) => [l.label, l.colour, l.dash])).toEqual([
      ['LSTM · x encoder/layer0/fw', SERIES_COLOURS[0], undefined],
      ['LSTM · x encoder/layer0/bw', SERIES_COLOURS[0], [6, 4]],
      ['Elman RNN · x-elman encoder/layer0/fw', SERIES_COLOURS[1], undefined],
      ['Elman RNN · x-elman encoder/layer0/bw', SERIES_COLOURS[1], [6, 4]],
    ]);
    expect(lines[2]?.points.map((p) => p.y)).toEqual([expect.closeTo(0.001, 6), 1]);
  });

  it('a one-direction model is labelled by its cell alone; a model of other cells by them', () => {
    const single = {
      label: modelLabel('p', null, [layer('a', 'peephole', [1])]),
      layers: [layer('a', 'peephole', [1])],
    };
    const gru = { label: modelLabel('p-gru', 'gru', []), layers: [layer('a', 'gru', [1])] };
    expect(gradientLines(single, [gru]).map((l) => l.label)).toEqual([
      'peephole · p',
      'GRU · p-gru',
    ]);
  });
});

describe("an encoder-decoder's gradient lines", () => {
  it('put the decoder’s steps after the source’s on the one time line', () => {
    const encoder = layer('encoder/layer0/fw', 'lstm', [0.1, 0.2, 0.3]);
    const decoder = {
      ...layer('decoder/layer0/fw', 'lstm', [0.5, 0.4]),
      sequence: 'target' as const,
    };
    const lines = gradientLines(
      { label: 'LSTM · g2p', layers: [encoder, decoder], targetOffset: 3 },
      [],
    );
    expect(lines.map((line) => line.points.map((p) => p.x))).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });
});
