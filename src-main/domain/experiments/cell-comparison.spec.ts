import { describe, expect, it } from 'vitest';
import { presetConfig } from './presets';
import { lmWordLstm } from './lm-presets';
import {
  cellComparison,
  recurrentLayersOf,
  COMPARISON_CELLS,
  comparisonName,
  type CellComparison,
} from './config/cell-comparison';
import { parseExperimentConfig, type ExperimentConfig } from './config/experiment-config';

function okComparison(comparison: CellComparison): Extract<CellComparison, { ok: true }> {
  if (!comparison.ok) throw new Error(comparison.problem);
  return comparison;
}

function withLayers(config: ExperimentConfig, layers: unknown[]): unknown {
  return { ...config, model: { ...config.model, layers } };
}

describe('cellComparison', () => {
  const words = parseExperimentConfig(presetConfig('small-words-lstm', 'digits', 'tiny'));

  it('gives an LSTM experiment its Elman and GRU siblings, the same but for the cell', () => {
    const comparison = okComparison(cellComparison(words));
    expect(comparison.own).toBe('lstm');
    expect(comparison.refused).toEqual([]);
    expect(comparison.siblings.map((s) => [s.cell, s.name])).toEqual([
      ['rnn', 'tiny-elman'],
      ['gru', 'tiny-gru'],
    ]);
    for (const sibling of comparison.siblings) {
      // Valid for the task's schema, and nothing but the name and the cells differ.
      expect(parseExperimentConfig(sibling.config)).toEqual(sibling.config);
      expect(sibling.config.model).toEqual({
        ...words.model,
        layers: [{ cell: sibling.cell, units: 64, bidirectional: 'concat' }],
      });
      expect({ ...sibling.config, name: words.name, model: words.model }).toEqual(words);
      expect(sibling.dropped).toEqual([]);
    }
  });

  it('names siblings after the experiment and the cell', () => {
    expect(COMPARISON_CELLS.map((cell) => comparisonName('x', cell))).toEqual([
      'x-elman',
      'x-lstm',
      'x-gru',
    ]);
  });

  it('drops peepholes and projections when the cell changes, and says why', () => {
    const mixed = withLayers(words, [
      { cell: 'peephole', units: 8 },
      { cell: 'lstmp', units: 8, projection: 4 },
    ]);
    const comparison = okComparison(cellComparison(mixed));
    // Peephole and LSTMP layers are no plain LSTM: all three siblings are trained.
    expect(comparison.own).toBeNull();
    expect(comparison.siblings.map((s) => s.name)).toEqual(['tiny-elman', 'tiny-lstm', 'tiny-gru']);
    const gru = comparison.siblings.find((s) => s.cell === 'gru');
    expect(gru && recurrentLayersOf(gru.config)).toEqual([
      { cell: 'gru', units: 8 },
      { cell: 'gru', units: 8 },
    ]);
    expect(gru?.dropped).toEqual([
      'layer 1: the peephole connections (only the peephole LSTM has them)',
      'layer 2: the recurrent projection to 4 (only the LSTMP has one)',
    ]);
  });

  it('keeps an Elman activation for the Elman sibling only', () => {
    const elman = withLayers(words, [{ cell: 'rnn', units: 8, activation: 'sigmoid' }]);
    const comparison = okComparison(cellComparison(elman));
    expect(comparison.own).toBe('rnn');
    expect(
      comparison.siblings.map((s) => [s.cell, recurrentLayersOf(s.config), s.dropped]),
    ).toEqual([
      [
        'lstm',
        [{ cell: 'lstm', units: 8 }],
        ['layer 1: the sigmoid activation (only the Elman RNN takes one)'],
      ],
      [
        'gru',
        [{ cell: 'gru', units: 8 }],
        ['layer 1: the sigmoid activation (only the Elman RNN takes one)'],
      ],
    ]);
    const mixed = okComparison(
      cellComparison(
        withLayers(words, [
          { cell: 'gru', units: 8 },
          { cell: 'rnn', units: 8, activation: 'sigmoid' },
        ]),
      ),
    );
    const elmanSibling = mixed.siblings.find((s) => s.cell === 'rnn');
    expect(elmanSibling && recurrentLayersOf(elmanSibling.config)).toEqual([
      { cell: 'rnn', units: 8 },
      { cell: 'rnn', units: 8, activation: 'sigmoid' },
    ]);
  });

  it('refuses a sibling the task’s schema rejects, with the schema’s reason', () => {
    // Tied embeddings read the top layer's output: an LSTMP's projection, a plain cell's units.
    const lm = parseExperimentConfig({
      ...lmWordLstm('ptb', 'lm'),
      words: { tokenizer: 'text', minCount: 2, embeddingSize: 100 },
      model: { layers: [{ cell: 'lstmp', units: 200, projection: 100 }] },
      tiedEmbeddings: true,
    });
    const comparison = okComparison(cellComparison(lm));
    expect(comparison.siblings).toEqual([]);
    expect(comparison.refused.map((r) => r.name)).toEqual(['lm-elman', 'lm-lstm', 'lm-gru']);
    expect(comparison.refused[0]?.problem).toMatch(/words\.embeddingSize.*output size \(200\)/);
  });

  it('gives a language model, a biLM and an encoder-decoder their siblings (the Inside view traces them)', () => {
    for (const preset of ['lm-word-lstm', 'lm-word-bilm', 'seq2seq-g2p-lstm'] as const) {
      const config = parseExperimentConfig(presetConfig(preset, 'text', preset));
      const comparison = okComparison(cellComparison(config));
      expect(comparison.own).toBe('lstm');
      expect(comparison.refused).toEqual([]);
      expect(comparison.siblings.map((s) => s.cell)).toEqual(['rnn', 'gru']);
      for (const sibling of comparison.siblings) {
        // An encoder-decoder's decoder takes the encoder's cells: changing them changes both.
        expect(recurrentLayersOf(sibling.config).map((l) => l.cell)).toEqual(
          recurrentLayersOf(config).map(() => sibling.cell),
        );
        expect({ ...sibling.config, name: config.name, model: config.model }).toEqual(config);
      }
    }
  });

  it('says why a config without recurrent layers, or an invalid one, has no comparison', () => {
    const cnn = cellComparison(presetConfig('sentiment-kim-cnn', 'reviews', 'kim'));
    expect(cnn).toEqual({
      ok: false,
      problem: expect.stringMatching(/kim has no recurrent layers/),
    });
    const invalid = cellComparison({ ...words, model: { layers: [] } });
    expect(invalid).toEqual({
      ok: false,
      problem: expect.stringMatching(/invalid at model\.layers/),
    });
  });
});
