import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import type { IntrospectionEngine } from '../rnn/introspection';
import { parseModelConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { withKernel } from '../rnn/testing/with-kernel';
import { layerDynamics } from './layer-dynamics';
import { traceExample } from './layer-traces';
import { greedyAnswer } from './seq2seq-input';

/**
 * An encoder-decoder looked inside (traceExample): the encoder's layer over the source, the
 * decoder's over the target (teacher-forced on the model's greedy answer), the attention, and
 * ||dLoss/dh_t|| at every decoder step and every encoder step, against TF.js autodiff of a
 * forward written here step by step in TF.js ops with a zero probe added to every step's output
 * h_t, of the encoder and of the decoder (dLoss/dp_t = dLoss/dh_t; an LSTM's c_t is held, as the
 * introspection reports, inside/README.md). The encoder's probed final state is the decoder's
 * start, so its gradient reaches the encoder through that state and, with attention, through the
 * attention's context. Float32 sums in another order: within AUTODIFF_TOLERANCE of the largest
 * norm, as in gradient-norm-autodiff.spec.ts.
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native introspection engine skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

const AUTODIFF_TOLERANCE = 2e-6;
const [SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS] = [7, 6, 3, 3];
/** The decoder reads vectors of another size than the encoder: its layer's input is its own. */
const TARGET_EMBEDDING = 2;
const SOURCE = Int32Array.from([2, 5, 3, 6, 4, 2, 3]);
/** The longest greedy answer: the first target steps of an untrained model. */
const MAX_ANSWER = 5;

const ENGINES: { engine: IntrospectionEngine; kernel: 'native' | 'tfjs'; name: string }[] = [
  ...(load.addon
    ? [{ engine: 'auto' as const, kernel: 'native' as const, name: 'native addon' }]
    : []),
  { engine: 'tensor-ops', kernel: 'tfjs', name: 'TF.js tensor ops' },
];

interface Case {
  cell: 'lstm' | 'rnn' | 'gru';
  attention: 'none' | 'additive';
  /** A bidirectional encoder layer (concatenated), bridged into the decoder's start state. */
  bidirectional?: boolean;
}

const CASES: Case[] = [
  { cell: 'lstm', attention: 'none', bidirectional: false },
  { cell: 'lstm', attention: 'additive', bidirectional: false },
  { cell: 'gru', attention: 'additive', bidirectional: false },
  { cell: 'rnn', attention: 'none', bidirectional: false },
  { cell: 'lstm', attention: 'additive', bidirectional: true },
  { cell: 'gru', attention: 'none', bidirectional: true },
];

const directionsOf = (which: Case): ('fw' | 'bw')[] =>
  which.bidirectional ? ['fw', 'bw'] : ['fw'];

/** A one-layer encoder-decoder with every parameter uniform in ±0.7. */
function smallRandomModel({ cell, attention, bidirectional }: Case): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'encoder-decoder',
      input: { kind: 'tokens', vocabSize: SOURCE_VOCAB, embeddingSize: EMBEDDING },
      layers: [{ cell, units: UNITS, ...(bidirectional ? { bidirectional: 'concat' } : {}) }],
      decoder: {
        vocabSize: TARGET_VOCAB,
        embeddingSize: TARGET_EMBEDDING,
        layers: [{ cell, units: UNITS }],
        attention,
      },
      output: { size: TARGET_VOCAB, activation: 'softmax' },
      seed: 5,
    }),
  );
  const rng = createRng(23);
  for (const [name, variable] of model.params)
    model.setParam(
      name,
      Float32Array.from({ length: variable.size }, () => 1.4 * (rng.next() - 0.5)),
    );
  return model;
}

/** One step of a cell (rnn/README.md's equations; LSTM gates i, f, g, o; GRU reset before U). */
function cellStep(
  model: RnnModel,
  prefix: string,
  cell: Case['cell'],
  x: tf.Tensor,
  h: tf.Tensor,
  c: tf.Tensor,
): { h: tf.Tensor; c: tf.Tensor } {
  const w = model.param(`${prefix}/kernel`);
  const u = model.param(`${prefix}/recurrent_kernel`);
  const b = model.param(`${prefix}/bias`);
  const pre = (from: number, width: number): tf.Tensor =>
    tf.add(
      tf.add(
        tf.matMul(x, tf.slice(w, [0, from], [-1, width])),
        tf.matMul(h, tf.slice(u, [0, from], [-1, width])),
      ),
      tf.slice(b, [from], [width]),
    );
  if (cell === 'rnn') return { h: tf.tanh(pre(0, UNITS)), c };
  if (cell === 'gru') {
    const [z, r] = tf.split(tf.sigmoid(pre(0, 2 * UNITS)), 2, 1) as [tf.Tensor, tf.Tensor];
    const xh = tf.matMul(x, tf.slice(w, [0, 2 * UNITS], [-1, UNITS]));
    const rh = tf.matMul(tf.mul(r, h), tf.slice(u, [0, 2 * UNITS], [-1, UNITS]));
    const hh = tf.tanh(tf.add(tf.add(xh, rh), tf.slice(b, [2 * UNITS], [UNITS])));
    return { h: tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)), c };
  }
  const [zi, zf, zg, zo] = tf.split(pre(0, 4 * UNITS), 4, 1) as tf.Tensor[];
  const cNew = tf.add(
    tf.mul(tf.sigmoid(zf as tf.Tensor), c),
    tf.mul(tf.sigmoid(zi as tf.Tensor), tf.tanh(zg as tf.Tensor)),
  );
  return { h: tf.mul(tf.sigmoid(zo as tf.Tensor), tf.tanh(cNew)), c: cNew };
}

/**
 * The encoder-decoder's loss (mean over the target's steps of the cross-entropy of `answer`),
 * with `sourceProbes` (one per encoder direction, [source steps, 1, units] in the source's
 * order) added to the encoder's outputs and `targetProbes` [target steps, 1, units] to the
 * decoder's. A bidirectional encoder's start state for the decoder is the bridge
 * tanh([h_fw(T); h_bw(0)] W + b), its cell state's likewise.
 */
function probedLoss(
  model: RnnModel,
  which: Case,
  answer: Int32Array,
  sourceProbes: tf.Tensor[],
  targetProbes: tf.Tensor,
): tf.Scalar {
  const { cell, attention } = which;
  // Rows by slicing: a gather's gradient needs a kernel the wasm backend lacks.
  const embed = (table: string, ids: ArrayLike<number>): tf.Tensor[] =>
    Array.from(ids, (id) => tf.slice(model.param(table), [id, 0], [1, -1]));
  // Steps by slicing: unstack's gradient fails when a piece gets none.
  const step = (probes: tf.Tensor, t: number): tf.Tensor =>
    tf.reshape(tf.slice(probes, [t, 0, 0], [1, -1, -1]), [1, UNITS]);
  const sourceVectors = embed('embedding/embeddings', SOURCE);
  const finals: { h: tf.Tensor; c: tf.Tensor }[] = [];
  const perDirection = directionsOf(which).map((dir, d) => {
    let state = { h: tf.zeros([1, UNITS]) as tf.Tensor, c: tf.zeros([1, UNITS]) as tf.Tensor };
    const outputs: tf.Tensor[] = new Array<tf.Tensor>(SOURCE.length);
    const order = Array.from(SOURCE, (_, t) => (dir === 'fw' ? t : SOURCE.length - 1 - t));
    for (const t of order) {
      const next = cellStep(
        model,
        `encoder/layer0/${dir}`,
        cell,
        sourceVectors[t] as tf.Tensor,
        state.h,
        state.c,
      );
      state = { h: tf.add(next.h, step(sourceProbes[d] as tf.Tensor, t)), c: next.c };
      outputs[t] = state.h;
    }
    finals.push(state);
    return outputs;
  });
  const encoded = Array.from({ length: SOURCE.length }, (_, t) =>
    perDirection.length === 1
      ? (perDirection[0]?.[t] as tf.Tensor)
      : tf.concat(
          perDirection.map((outputs) => outputs[t] as tf.Tensor),
          1,
        ),
  );
  const bridge = (part: 'h' | 'c'): tf.Tensor =>
    tf.tanh(
      tf.add(
        tf.matMul(
          tf.concat(
            finals.map((f) => f[part]),
            1,
          ),
          model.param(`bridge/layer0/${part}/kernel`),
        ),
        model.param(`bridge/layer0/${part}/bias`),
      ),
    );
  const [fwFinal] = finals as [{ h: tf.Tensor; c: tf.Tensor }];
  let h = which.bidirectional ? bridge('h') : fwFinal.h;
  let c = which.bidirectional && cell === 'lstm' ? bridge('c') : fwFinal.c;
  const decoderInputs = [0, ...Array.from(answer.subarray(0, answer.length - 1))];
  const losses = embed('decoder_embedding/embeddings', decoderInputs).map((x, t) => {
    const next = cellStep(model, 'decoder/layer0/fw', cell, x, h, c);
    h = tf.add(next.h, step(targetProbes, t));
    c = next.c;
    let top = h;
    if (attention === 'additive') {
      const values = tf.concat(encoded, 0); // [source, units per direction x directions]
      const keys = tf.matMul(values, model.param('attention/encoder_kernel'));
      const query = tf.matMul(h, model.param('attention/decoder_kernel'));
      const scores = tf.matMul(tf.tanh(tf.add(keys, query)), model.param('attention/vector'));
      const weights = tf.softmax(tf.reshape(scores, [1, -1]));
      const context = tf.matMul(weights, values);
      top = tf.tanh(
        tf.add(
          tf.matMul(tf.concat([context, h], 1), model.param('attention/combine/kernel')),
          model.param('attention/combine/bias'),
        ),
      );
    }
    const logits = tf.add(tf.matMul(top, model.param('output/kernel')), model.param('output/bias'));
    return tf.neg(tf.slice(tf.logSoftmax(logits), [0, answer[t] as number], [1, 1]));
  });
  return tf.div(tf.sum(tf.addN(losses)), losses.length) as tf.Scalar;
}

function rowNorms(values: ArrayLike<number>, rows: number): number[] {
  return Array.from({ length: rows }, (_, t) =>
    Math.hypot(...Array.from({ length: UNITS }, (_, k) => values[t * UNITS + k] as number)),
  );
}

/** ||dLoss/dh_t|| of every encoder and decoder step by autodiff through zero probes. */
function autodiffNorms(
  model: RnnModel,
  which: Case,
  answer: Int32Array,
): { source: number[][]; target: number[] } {
  return tf.tidy(() => {
    const directions = directionsOf(which).length;
    const probes = [
      ...Array.from({ length: directions }, () => tf.zeros([SOURCE.length, 1, UNITS])),
      tf.zeros([answer.length, 1, UNITS]),
    ];
    const grads = tf.grads((...p: tf.Tensor[]) =>
      probedLoss(model, which, answer, p.slice(0, directions), p[directions] as tf.Tensor),
    )(probes);
    return {
      source: grads.slice(0, directions).map((g) => rowNorms(g.dataSync(), SOURCE.length)),
      target: rowNorms((grads[directions] as tf.Tensor).dataSync(), answer.length),
    };
  });
}

describe('an encoder-decoder looked inside', () => {
  it.each(CASES)(
    '$cell, attention $attention, bidirectional $bidirectional: one trace per sequence, and ||dLoss/dh_t|| of both matches autodiff',
    (which) => {
      const model = smallRandomModel(which);
      const answer = greedyAnswer(model, SOURCE, MAX_ANSWER);
      const example = { inputs: SOURCE, length: SOURCE.length, target: answer };
      const want = autodiffNorms(model, which, answer);
      const scale = Math.max(...want.source.flat(), ...want.target);
      // The encoder's first step gets a real gradient (through the final state alone without attention).
      expect(want.source[0]?.[0]).toBeGreaterThan(1e-4 * scale);
      const encoderKeys = directionsOf(which).map((dir) => `encoder/layer0/${dir}`);
      for (const { engine, kernel, name } of ENGINES) {
        const traced = withKernel(kernel, () => traceExample(model, example, null, { engine }));
        expect(
          traced.layers.map((l) => [l.key, l.sequence]),
          name,
        ).toEqual([...encoderKeys.map((key) => [key, 'source']), ['decoder/layer0/fw', 'target']]);
        const encoders = traced.layers.slice(0, encoderKeys.length);
        const decoder = traced.layers[encoderKeys.length] as (typeof traced.layers)[number];
        for (const series of encoders.flatMap((l) => l.series))
          expect(series.data, `${name} ${series.name}`).toHaveLength(SOURCE.length * UNITS);
        for (const series of decoder.series)
          expect(series.data, `${name} ${series.name}`).toHaveLength(answer.length * UNITS);
        // Teacher-forced on its own greedy answer, the decoder's argmax is that answer.
        expect(Array.from(traced.predicted), name).toEqual(Array.from(answer));
        expect(traced.outputs.steps, name).toBe(answer.length);
        expect(traced.target?.ids, name).toEqual(answer);
        const pairs: [Float32Array, number[], string][] = [
          ...encoders.map((l, d): [Float32Array, number[], string] => [
            l.gradNorm,
            want.source[d] as number[],
            l.key,
          ]),
          [decoder.gradNorm, want.target, 'decoder'],
        ];
        for (const [got, expected, part] of pairs) {
          expect(got, `${name} ${part}`).toHaveLength(expected.length);
          got.forEach((norm, t) =>
            expect(
              Math.abs(norm - (expected[t] as number)),
              `${name} ${part} step ${t}: ${norm} vs autodiff ${expected[t]}`,
            ).toBeLessThan(AUTODIFF_TOLERANCE * scale),
          );
        }
        const attention = traced.target?.attention ?? null;
        if (which.attention === 'none') expect(attention, name).toBeNull();
        else {
          expect(attention, name).toHaveLength(answer.length * SOURCE.length);
          for (let t = 0; t < answer.length; t++) {
            const row = (attention as Float32Array).subarray(
              t * SOURCE.length,
              (t + 1) * SOURCE.length,
            );
            expect(
              row.reduce((a, b) => a + b, 0),
              `${name} attention row ${t}`,
            ).toBeCloseTo(1, 5);
          }
        }
      }
      model.dispose();
    },
  );

  it('scores one decoder step: later decoder steps get no gradient, every encoder step does', () => {
    const model = smallRandomModel({ cell: 'lstm', attention: 'none' });
    const answer = greedyAnswer(model, SOURCE, MAX_ANSWER);
    expect(answer.length).toBeGreaterThan(2);
    const example = { inputs: SOURCE, length: SOURCE.length, target: answer };
    const traced = traceExample(model, example, 1);
    const [encoder, decoder] = traced.layers;
    expect(Array.from(decoder?.gradNorm.subarray(2) ?? [1])).toEqual(
      new Array(answer.length - 2).fill(0),
    );
    expect(decoder?.gradNorm[1]).toBeGreaterThan(0);
    for (const norm of encoder?.gradNorm ?? []) expect(norm).toBeGreaterThan(0);
    // An output step counts the target's steps, not the source's.
    expect(() => traceExample(model, example, answer.length)).toThrow(/output steps/);
    model.dispose();
  });

  it("runs the decoder's layer freely from its state after one of its own steps", () => {
    const model = smallRandomModel({ cell: 'lstm', attention: 'additive' });
    const answer = greedyAnswer(model, SOURCE, MAX_ANSWER);
    const example = { inputs: SOURCE, length: SOURCE.length, target: answer };
    const { layers } = traceExample(model, example, null);
    const decoder = layers.find((l) => l.key === 'decoder/layer0/fw');
    const last = answer.length - 1;
    const options = {
      layer: 'decoder/layer0/fw',
      drive: { kind: 'constant', value: 0.5 } as const,
      scale: 1,
      steps: 20,
    };
    const dynamics = layerDynamics(model, layers, { ...options, startStep: last });
    // Its state (h, then c) after the answer's last step, driven through its own input size.
    const at = (name: string): number[] =>
      Array.from(
        decoder?.series
          .find((s) => s.name === name)
          ?.data.subarray(last * UNITS, (last + 1) * UNITS) ?? [],
      );
    expect(Array.from(dynamics.states.subarray(0, 2 * UNITS))).toEqual([
      ...at('hidden'),
      ...at('cell'),
    ]);
    expect(dynamics.norms).toHaveLength(21);
    expect(dynamics.norms.every(Number.isFinite)).toBe(true);
    // The decoder's steps, not the source's, bound the start.
    expect(() => layerDynamics(model, layers, { ...options, startStep: answer.length })).toThrow(
      new RegExp(`outside the ${answer.length} steps of layer decoder/layer0/fw`),
    );
    model.dispose();
  });
});
