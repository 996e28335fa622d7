import { describe, expect, it } from 'vitest';
import type { InsideLayer, InsideTrace } from '@api/inside';
import {
  decoderInputTokens,
  gradientPartsText,
  layerSteps,
  sequenceView,
  traceSequences,
} from './trace-sequences';
import { sequenceStepLabels, sortForSequence } from './sequence-sort';
import { unrolledRows } from './unrolled-network';

const layer = (key: string, sequence?: 'source' | 'target'): InsideLayer => ({
  key,
  cell: 'gru',
  ...(sequence ? { sequence } : {}),
  series: [],
  gradNorm: new Float32Array(sequence === 'target' ? 3 : 4),
});

const seq2seq: InsideTrace = {
  experiment: 'g2p',
  task: 'seq2seq',
  steps: 4,
  axis: { kind: 'tokens', tokens: ['d', 'o', 'b', 'a'] },
  features: null,
  predicted: ['T', 'UW1', '</s>'],
  perStep: true,
  outputStep: null,
  layers: [layer('encoder/layer0/fw', 'source'), layer('decoder/layer0/fw', 'target')],
  outputs: {
    activation: 'softmax',
    classes: Int32Array.from([0]),
    labels: ['T'],
    data: new Float32Array(3),
    steps: 3,
    totalClasses: 6,
  },
  target: {
    steps: 3,
    axis: { kind: 'tokens', tokens: ['T', 'UW1', '</s>'] },
    attention: null,
  },
};

describe("a trace's sequences", () => {
  it('groups an encoder-decoder by sequence, each with its own steps and tokens', () => {
    const groups = traceSequences(seq2seq);
    expect(groups.map((g) => [g.sequence, g.steps, g.layers.map((l) => l.key)])).toEqual([
      ['source', 4, ['encoder/layer0/fw']],
      ['target', 3, ['decoder/layer0/fw']],
    ]);
    expect(groups[1]?.axis).toEqual({ kind: 'tokens', tokens: ['T', 'UW1', '</s>'] });
    expect(layerSteps(seq2seq, seq2seq.layers[1] as InsideLayer)).toBe(3);
    expect(decoderInputTokens(['T', 'UW1', '</s>'])).toEqual(['<s>', 'T', 'UW1']);
  });

  it('views one sequence as a single-sequence trace; other models are one group as they are', () => {
    const target = sequenceView(seq2seq, 'target');
    expect([target.steps, target.layers.length, target.perStep, target.target]).toEqual([
      3,
      1,
      true,
      null,
    ]);
    const source = sequenceView(seq2seq, 'source');
    expect([source.steps, source.layers.length, source.perStep, source.predicted]).toEqual([
      4,
      1,
      false,
      [],
    ]);
    const single: InsideTrace = { ...seq2seq, layers: [layer('encoder/layer0/fw')], target: null };
    expect(sequenceView(single, 'source')).toBe(single);
    expect(traceSequences(single).map((g) => [g.sequence, g.title, g.steps])).toEqual([
      ['source', '', 4],
    ]);
  });
});

describe("an encoder-decoder's unrolled parts", () => {
  it('draw the encoder without an answer, the decoder reading its previous symbol', () => {
    const encoder = unrolledRows(sequenceView(seq2seq, 'source'), 'encoder');
    expect(encoder.map((r) => r.kind)).toEqual(['input']);
    expect(encoder[0]?.texts).toEqual(['d', 'o', 'b', 'a']);
    const decoder = unrolledRows(sequenceView(seq2seq, 'target'), 'decoder');
    expect(decoder.map((r) => [r.kind, r.texts])).toEqual([
      ['input', ['<s>', 'T', 'UW1']],
      ['output', ['T', 'UW1', '</s>']],
    ]);
    expect(decoder[0]?.label).toBe('input x (previous symbol)');
  });
});

describe('the gradient chart of an encoder-decoder', () => {
  it('says where each part lies on its one time line and how the gradient reaches the encoder', () => {
    expect(gradientPartsText({ ...seq2seq, outputStep: 1 })).toBe(
      'Steps 0–3: the encoder over the source; 4–6: the decoder over its answer; output step 1 of the decoder is at 5. The gradient reaches the encoder only through the decoder’s start state: back through every decoder step, then every source step.',
    );
    const attending = {
      ...seq2seq,
      target: { ...seq2seq.target!, attention: new Float32Array(12) },
    };
    expect(gradientPartsText(attending)).toMatch(/start state and through the attention/);
    expect(gradientPartsText({ ...seq2seq, target: null })).toBe('');
  });

  it('offers the labels of both sequences, each sorting only its own layers', () => {
    const labels = sequenceStepLabels(seq2seq);
    const texts = labels.map((l) => [l.sequence, l.text]);
    // The source's letters, then the decoder's answers and what it reads at each step.
    expect(texts).toContainEqual(['source', 'encoder: the input word is “d” (1 step)']);
    expect(texts).toContainEqual(['target', 'decoder: the model answers “UW1” (1 step)']);
    expect(texts).toContainEqual(['target', 'decoder: the input word is “<s>” (1 step)']);
    expect(labels.findIndex((l) => l.sequence === 'target')).toBeGreaterThan(
      labels.findIndex((l) => l.sequence === 'source'),
    );
    expect(new Set(labels.map((l) => l.key)).size).toBe(labels.length);
    const said = labels.find((l) => l.text === 'decoder: the model answers “UW1” (1 step)');
    expect(Array.from(said?.indicator ?? [])).toEqual([0, 1, 0]);
    const sort = { kind: 'correlation', label: said as NonNullable<typeof said> } as const;
    expect(sortForSequence(sort, 'target')).toBe(sort);
    expect(sortForSequence(sort, 'source')).toEqual({ kind: 'variance' });
    // A single-sequence trace's labels are the source's, keyed as before.
    const single = { ...seq2seq, target: null, layers: [layer('encoder/layer0/fw')] };
    expect(sequenceStepLabels(single).every((l) => l.sequence === 'source')).toBe(true);
  });
});
