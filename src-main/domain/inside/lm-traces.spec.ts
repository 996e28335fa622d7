import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { NO_REFERENCE } from '../../api/inside';
import { initTfBackend } from '../backend/tf-backend';
import type { CellKind } from '../rnn/cell-kinds';
import type { IntrospectionEngine } from '../rnn/introspection';
import { parseModelConfig } from '../rnn/model-config';
import type { LayerConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { withKernel } from '../rnn/testing/with-kernel';
import { bilmCharacters } from '../text/lm/bilm-streams';
import { languageModelFrom } from '../text/lm/language-model';
import type { LmUnitRule } from '../text/lm/lm-text';
import { EOS_TOKEN, LmVocabulary } from '../text/lm/lm-vocabulary';
import { PAD_ID, UNK_ID } from '../text/vocabulary';
import { keptInputs, tracePrepared, type InsideModel } from './inside-model';
import { layerDynamics } from './layer-dynamics';
import { traceExample } from './layer-traces';
import { preparedLm, type LmReader } from './lm-input';
import { cellStep, weightsOf } from './testing/tf-cell-step';

/**
 * Language models looked inside: a typed text read as the LM reads it (sentenceReading: its
 * units, `<unk>`, the end of sentence first), the text's next units as the reference of each
 * step, and ||dLoss/dh_t|| checked against TF.js autodiff of a forward pass written here step by
 * step (embedding lookup, the cell of testing/tf-cell-step.ts, the output layer) on both
 * introspection engines; a bidirectional LM's backward direction over the reversed text, flipped
 * to the text's time, with its own outputs and reference.
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native introspection engine skipped: ${load.reason}`);

const ENGINES: { engine: IntrospectionEngine; kernel: 'native' | 'tfjs'; name: string }[] = [
  ...(load.addon
    ? [{ engine: 'auto' as const, kernel: 'native' as const, name: 'native addon' }]
    : []),
  { engine: 'tensor-ops', kernel: 'tfjs', name: 'TF.js tensor ops' },
];

/** Rounding alone between two float32 sums of the same products (gradient-norm-autodiff.spec.ts). */
const AUTODIFF_TOLERANCE = 2e-6;

const SENTENCES = [
  ['the', 'dog', 'runs'],
  ['the', 'cat', 'sleeps'],
  ['a', 'dog', 'sleeps'],
].map((units, i) => ({ id: `s${i}`, units }));

const WORDS = LmVocabulary.fromTraining(SENTENCES, {
  minCount: 1,
  maxVocabulary: 100,
  lowercase: true,
});
const WORD_RULE: LmUnitRule = { level: 'word', tokenizer: 'whitespace' };

beforeAll(async () => {
  await initTfBackend();
});

/** An LM over `vocabulary` with every parameter uniform in ±0.5. */
function smallRandomLm(
  vocabulary: LmVocabulary,
  layer: LayerConfig,
  extra: Record<string, unknown> = {},
  input: Record<string, unknown> = {},
): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'decoder',
      input: {
        kind: 'tokens',
        vocabSize: vocabulary.size,
        embeddingSize: 3,
        unknownId: UNK_ID,
        ...input,
      },
      layers: [layer],
      output: { size: vocabulary.size, activation: 'softmax' },
      seed: 5,
      ...extra,
    }),
  );
  const rng = createRng(23);
  for (const [name, variable] of model.params)
    model.setParam(
      name,
      Float32Array.from({ length: variable.size }, () => rng.next() - 0.5),
    );
  return model;
}

function insideOf(model: RnnModel, reader: LmReader): InsideModel {
  return {
    dir: '/experiments/tiny-lm',
    name: 'tiny-lm',
    task: 'lm',
    model,
    labels: reader.vocabulary.vocabulary.toJSON().words,
    reads: 'text',
    prepare: (input) =>
      input.kind === 'text'
        ? Promise.resolve(preparedLm(reader, input.text))
        : Promise.reject(new Error('text only')),
    inputs: keptInputs(),
    dispose: () => model.dispose(),
  };
}

/** A row of the step-by-step forward: the ids it reads and the layer direction that reads them. */
interface ForwardRow {
  ids: readonly number[];
  prefix: string;
}

/** A scored prediction: row, step of that row (its own reading order) and the class. */
type Scored = { row: number; step: number; target: number }[];

/**
 * The LM's forward pass written step by step with a probe added to every step's output: the mean
 * cross-entropy of the scored predictions, and the outputs h_t of each row.
 */
function probedLmLoss(
  model: RnnModel,
  rows: readonly ForwardRow[],
  probes: readonly tf.Tensor[],
  scored: Scored,
): { loss: tf.Scalar; hidden: tf.Tensor[][] } {
  const cell = model.config.layers[0]?.cell as CellKind;
  const embedding = model.param('embedding/embeddings');
  const hidden = rows.map(({ ids, prefix }, r) => {
    const w = weightsOf(model, prefix);
    const units = (w.bias.shape[0] as number) / (cell === 'rnn' ? 1 : cell === 'gru' ? 3 : 4);
    const out = w.recurrent.shape[0] as number;
    let h = tf.zeros([1, out]);
    let c = tf.zeros([1, units]);
    const perStep = tf.unstack(probes[r] as tf.Tensor);
    return ids.map((id, t) => {
      const x = tf.gather(embedding, tf.tensor1d([id], 'int32'));
      const next = cellStep(cell, w, x, h, c);
      h = tf.add(next.h, (perStep[t] as tf.Tensor).reshape([1, out]));
      c = next.c;
      return h;
    });
  });
  const losses = scored.map(({ row, step, target }) => {
    const logits = tf.add(
      tf.matMul(hidden[row]?.[step] as tf.Tensor, model.param('output/kernel')),
      model.param('output/bias'),
    );
    return tf.neg(tf.slice(tf.logSoftmax(logits), [0, target], [1, 1]).reshape([]));
  });
  return { loss: tf.div(tf.addN(losses), scored.length) as tf.Scalar, hidden };
}

/** ||dLoss/dh_t|| of every row and step (its reading order) by autodiff, and the outputs h_t. */
function autodiffNorms(
  model: RnnModel,
  rows: readonly ForwardRow[],
  scored: Scored,
): { norms: number[][]; hidden: number[][][] } {
  return tf.tidy(() => {
    const out = model.param(`${rows[0]?.prefix}/recurrent_kernel`).shape[0] as number;
    const probes = rows.map((row) => tf.zeros([row.ids.length, out]));
    const gradients = tf.grads((...p: tf.Tensor[]) => probedLmLoss(model, rows, p, scored).loss)(
      probes,
    );
    const { hidden } = probedLmLoss(model, rows, probes, scored);
    return {
      norms: gradients.map((g) => {
        const values = g.arraySync() as number[][];
        return values.map((v) => Math.hypot(...v));
      }),
      hidden: hidden.map((steps) => steps.map((h) => Array.from(h.dataSync()))),
    };
  });
}

function expectClose(
  got: ArrayLike<number>,
  want: readonly number[],
  tolerance: number,
  what: string,
): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, t) =>
    expect(Math.abs((got[t] as number) - w), `${what} value ${t}`).toBeLessThan(tolerance),
  );
}

/** The same outputs h_t as the forward written here (float32 rounding of other sums). */
const HIDDEN_TOLERANCE = 1e-5;

describe('a word-level LM looked inside', () => {
  const reader: LmReader = { vocabulary: WORDS, rule: WORD_RULE, characters: null };

  it('reads the text as the LM does: the end of sentence first, unknown words as <unk>', () => {
    const prepared = preparedLm(reader, 'The dog zebra runs');
    expect(prepared.axis).toEqual({
      kind: 'tokens',
      tokens: [EOS_TOKEN, 'The', 'dog', '<unk>', 'runs'],
    });
    expect(Array.from(prepared.example.inputs)).toEqual([
      WORDS.eosId,
      WORDS.id('the'),
      WORDS.id('dog'),
      UNK_ID,
      WORDS.id('runs'),
    ]);
    // The text is its own label: at step t the unit t + 1, the end of sentence after the last.
    expect(prepared.reference).toEqual(['the', 'dog', '<unk>', 'runs', EOS_TOKEN]);
    expect(() => preparedLm(reader, '   ')).toThrow(/no words/);
  });

  it("traces every step, scores the reference by default, and its outputs are the LM's next-word distribution", () => {
    const model = smallRandomLm(WORDS, { cell: 'lstm', units: 4 });
    const inside = insideOf(model, reader);
    const text = 'the dog zebra runs';
    const { trace } = tracePrepared(inside, preparedLm(reader, text));
    expect(trace.steps).toBe(5);
    expect(trace.perStep).toBe(true);
    expect(trace.lossTarget).toBe('reference');
    expect(trace.predicted).toHaveLength(5);
    expect(trace.layers.map((l) => l.key)).toEqual(['encoder/layer0/fw']);
    for (const series of trace.layers[0]?.series ?? [])
      expect(series.data, series.name).toHaveLength(5 * 4);
    expect(trace.layers[0]?.gradNorm).toHaveLength(5);
    expect(trace.outputs.steps).toBe(5);
    expect(trace.outputs.totalClasses).toBe(WORDS.size);
    expect(trace.backward ?? null).toBeNull();
    // The next-word probabilities of the LM's own scoring (padding left out of its softmax).
    const scored = languageModelFrom('/x', model, WORDS, WORD_RULE).scoreLine(text);
    const column = (label: string): number => trace.outputs.labels.indexOf(label);
    const pad = column(WORDS.unit(PAD_ID));
    scored.units.forEach((unit, t) => {
      const row = (k: number): number => trace.outputs.data[t * trace.outputs.classes.length + k]!;
      const withoutPadding = row(column(WORDS.unit(unit.id))) / (1 - row(pad));
      expect(Math.log(withoutPadding), `step ${t}`).toBeCloseTo(unit.logProb, 5);
    });
    // The answer is scored when asked.
    expect(
      tracePrepared(inside, preparedLm(reader, text), { lossTarget: 'answer' }).trace.lossTarget,
    ).toBe('answer');
    model.dispose();
  });

  it.each<LayerConfig>([
    { cell: 'lstm', units: 3 },
    { cell: 'gru', units: 3 },
    { cell: 'rnn', units: 3 },
  ])('gives ||dLoss/dh_t|| of the true next words as autodiff does: $cell', (layer) => {
    const model = smallRandomLm(WORDS, layer);
    const inside = insideOf(model, reader);
    const prepared = preparedLm(reader, 'the cat runs a dog');
    const ids = Array.from(prepared.example.inputs);
    const next = [...ids.slice(1), WORDS.eosId];
    for (const outputStep of [null, 2]) {
      const scored = next
        .map((target, step) => ({ row: 0, step, target }))
        .filter((s) => outputStep === null || s.step === outputStep);
      const want = autodiffNorms(model, [{ ids, prefix: 'encoder/layer0/fw' }], scored);
      const norms = want.norms[0] as number[];
      const scale = Math.max(...norms);
      expect(norms[0]).toBeGreaterThan(1e-3 * scale);
      for (const { engine, kernel, name } of ENGINES) {
        const { trace } = withKernel(kernel, () =>
          tracePrepared(inside, prepared, {
            outputStep,
            trace: (m, e, s, o) => traceExample(m, e, s, { ...o, engine }),
          }),
        );
        expect(trace.lossTarget).toBe('reference');
        const hidden = trace.layers[0]?.series.find((s) => s.name === 'hidden')?.data ?? [];
        expectClose(hidden, (want.hidden[0] ?? []).flat(), HIDDEN_TOLERANCE, `${name} h`);
        expectClose(
          trace.layers[0]?.gradNorm ?? [],
          norms,
          AUTODIFF_TOLERANCE * scale,
          `${name} output step ${outputStep}`,
        );
        if (outputStep !== null)
          expect(Array.from(trace.layers[0]?.gradNorm ?? []).slice(outputStep + 1)).toEqual([
            0, 0, 0,
          ]);
      }
    }
    model.dispose();
  });
});

describe('a character-level LM looked inside', () => {
  const sentences = [{ id: 's', units: [...'a cab'] }];
  const chars = LmVocabulary.fromTraining(sentences, {
    minCount: 1,
    maxVocabulary: 100,
    lowercase: false,
  });
  const reader: LmReader = {
    vocabulary: chars,
    rule: { level: 'char', tokenizer: 'text' },
    characters: null,
  };

  it('has one step per character, spaces included, and the next character as the reference', () => {
    const model = smallRandomLm(chars, { cell: 'lstm', units: 3 });
    const { trace } = tracePrepared(insideOf(model, reader), preparedLm(reader, 'ab cz'));
    expect(trace.axis).toEqual({
      kind: 'tokens',
      tokens: [EOS_TOKEN, 'a', 'b', ' ', 'c', '<unk>'],
    });
    expect(trace.reference).toEqual(['a', 'b', ' ', 'c', '<unk>', EOS_TOKEN]);
    expect(trace.steps).toBe(6);
    expect(trace.layers[0]?.gradNorm).toHaveLength(6);
    expect(trace.outputs.steps).toBe(6);
    model.dispose();
  });
});

describe('a bidirectional LM looked inside', () => {
  const characters = bilmCharacters(SENTENCES);
  const reader: LmReader = { vocabulary: WORDS, rule: WORD_RULE, characters };

  it('reads the sentence between its two ends both ways, on one time axis, with both references', () => {
    // Token representation 3 + 3 = 6 = the layer's size (the biLM's one-size rule).
    const model = smallRandomLm(
      WORDS,
      { cell: 'lstm', units: 6 },
      { bidirectionalLm: true },
      { chars: { vocabSize: characters.size, embeddingSize: 2, filters: 3, width: 2 } },
    );
    const inside = insideOf(model, reader);
    const prepared = preparedLm(reader, 'the dog sleeps');
    expect(prepared.axis).toEqual({
      kind: 'tokens',
      tokens: [EOS_TOKEN, 'the', 'dog', 'sleeps', EOS_TOKEN],
    });
    const { trace } = tracePrepared(inside, prepared);
    expect(trace.reference).toEqual(['the', 'dog', 'sleeps', EOS_TOKEN, NO_REFERENCE]);
    expect(trace.backward?.reference).toEqual([NO_REFERENCE, EOS_TOKEN, 'the', 'dog', 'sleeps']);
    expect(trace.layers.map((l) => l.key)).toEqual(['encoder/layer0/fw', 'encoder/layer0/bw']);
    for (const layer of trace.layers) expect(layer.gradNorm).toHaveLength(5);
    expect(trace.outputs.steps).toBe(5);
    expect(trace.backward?.outputs.steps).toBe(5);
    expect(trace.backward?.predicted).toHaveLength(5);
    // Unscored ends: the forward LM past the sentence, the backward LM before it.
    expect(trace.layers[0]?.gradNorm[4]).toBe(0);
    expect(trace.layers[1]?.gradNorm[0]).toBe(0);
    // One output step: the forward LM's gradient reaches back, the backward LM's forwards in time.
    const { trace: atStep } = tracePrepared(inside, prepared, { outputStep: 2 });
    expect(Array.from(atStep.layers[0]?.gradNorm ?? []).slice(3)).toEqual([0, 0]);
    expect(Array.from(atStep.layers[1]?.gradNorm ?? []).slice(0, 2)).toEqual([0, 0]);
    expect(atStep.layers[0]?.gradNorm[0]).toBeGreaterThan(0);
    expect(atStep.layers[1]?.gradNorm[4]).toBeGreaterThan(0);
    // The backward direction runs freely from its state at a step, like any layer.
    const dynamics = layerDynamics(model, trace.layers, {
      layer: 'encoder/layer0/bw',
      startStep: 2,
      drive: { kind: 'zero' },
      scale: 1,
      steps: 20,
    });
    expect(dynamics.norms).toHaveLength(21);
    model.dispose();
  });

  it.each(['sequence', 'step 1'])(
    'gives both directions the gradient autodiff gives, the backward one in the text’s time (%s)',
    (loss) => {
      // No character CNN, so that the forward written here is a plain embedding and cell.
      const model = smallRandomLm(WORDS, { cell: 'lstm', units: 3 }, { bidirectionalLm: true });
      const outputStep = loss === 'sequence' ? null : 1;
      const stream = [WORDS.eosId, WORDS.id('a'), WORDS.id('cat'), WORDS.id('runs'), WORDS.eosId];
      const steps = stream.length;
      const back = [...stream].reverse();
      const forwardTargets = stream.map((_, t) => (t + 1 < steps ? (stream[t + 1] as number) : -1));
      const backwardTargets = stream.map((_, t) => (t > 0 ? (stream[t - 1] as number) : -1));
      const example = {
        inputs: Int32Array.from(stream),
        length: steps,
        target: 0,
        backward: { inputs: Int32Array.from(back), target: new Int32Array(steps) },
      };
      // The backward row's step j is the text's step steps - 1 - j.
      const scored: Scored = [
        ...forwardTargets.map((target, t) => ({ row: 0, step: t, target, textStep: t })),
        ...backwardTargets.map((target, t) => ({
          row: 1,
          step: steps - 1 - t,
          target,
          textStep: t,
        })),
      ]
        .filter((s) => s.target >= 0 && (outputStep === null || s.textStep === outputStep))
        .map(({ row, step, target }) => ({ row, step, target }));
      const want = autodiffNorms(
        model,
        [
          { ids: stream, prefix: 'encoder/layer0/fw' },
          { ids: back, prefix: 'encoder/layer0/bw' },
        ],
        scored,
      );
      const forwardNorms = want.norms[0] as number[];
      const backwardNorms = [...(want.norms[1] as number[])].reverse();
      const scale = Math.max(...forwardNorms, ...backwardNorms);
      for (const { engine, kernel, name } of ENGINES) {
        const traced = withKernel(kernel, () =>
          traceExample(model, example, outputStep, {
            engine,
            targets: Int32Array.from([...forwardTargets, ...backwardTargets]),
          }),
        );
        const [fw, bw] = traced.layers;
        const bwHidden = bw?.series.find((s) => s.name === 'hidden')?.data ?? [];
        expectClose(
          bwHidden,
          [...(want.hidden[1] ?? [])].reverse().flat(),
          HIDDEN_TOLERANCE,
          `${name} bw h`,
        );
        expectClose(fw?.gradNorm ?? [], forwardNorms, AUTODIFF_TOLERANCE * scale, `${name} fw`);
        expectClose(bw?.gradNorm ?? [], backwardNorms, AUTODIFF_TOLERANCE * scale, `${name} bw`);
        expect(traced.backward?.steps).toBe(steps);
      }
      model.dispose();
    },
  );
});
