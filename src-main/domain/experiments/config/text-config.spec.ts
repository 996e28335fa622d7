import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from './experiment-config';

const SENTIMENT = {
  name: 'n',
  task: 'sentiment',
  corpus: 'mr',
  data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
  training: { epochs: 1, batchSize: 50, optimizer: { kind: 'adam', learningRate: 0.001 } },
};

describe('the sentiment config', () => {
  it('reads a recurrent model written before the CNN existed (no kind) as recurrent', () => {
    const config = parseExperimentConfig({
      ...SENTIMENT,
      model: { layers: [{ cell: 'lstm', units: 8 }], pooling: 'max' },
    });
    expect(config.model).toEqual({
      kind: 'recurrent',
      layers: [{ cell: 'lstm', units: 8 }],
      pooling: 'max',
      dropout: 0,
      residual: false,
      variationalDropout: false,
    });
  });

  it('takes every pooling of the engine, attention included', () => {
    const model = { layers: [{ cell: 'gru', units: 4 }], pooling: 'attention' };
    expect(parseExperimentConfig({ ...SENTIMENT, model }).model).toMatchObject({
      kind: 'recurrent',
      pooling: 'attention',
    });
  });

  it("gives a CNN Kim's settings unless told otherwise", () => {
    expect(parseExperimentConfig({ ...SENTIMENT, model: { kind: 'cnn' } }).model).toEqual({
      kind: 'cnn',
      widths: [3, 4, 5],
      filters: 100,
      dropout: 0.5,
    });
    expect(
      parseExperimentConfig({ ...SENTIMENT, model: { kind: 'cnn', widths: [2], filters: 7 } })
        .model,
    ).toEqual({ kind: 'cnn', widths: [2], filters: 7, dropout: 0.5 });
  });

  it('names the bad field of a model that is neither', () => {
    expect(() => parseExperimentConfig({ ...SENTIMENT, model: { kind: 'transformer' } })).toThrow(
      /model\.kind/,
    );
    expect(() =>
      parseExperimentConfig({ ...SENTIMENT, model: { kind: 'cnn', widths: [] } }),
    ).toThrow(/model\.widths/);
  });
});
