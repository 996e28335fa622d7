import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { createRng } from '../../rnn/random';
import { RnnModel } from '../../rnn/rnn-model';
import { beamSearch, greedyDecode } from './beam-search';
import type { DecodedOutput } from './beam-search';
import { stepsNatively } from './decoder-rows';
import { seq2seqModelConfig } from './seq2seq-task';
import { TARGET_BOS_ID, TARGET_EOS_ID } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';
import { decodeSources, outputLimit } from './translate-sources';

const LABELS: Seq2seqLabels = {
  task: 'seq2seq',
  labels: ['<s>', '</s>', 'p', 'q', 'r', 's'],
  sourceSymbols: ['', '', 'a', 'b', 'c'],
  levels: { source: 'characters', target: 'tokens' },
  maxSourceLength: 6,
  maxTargetLength: 6,
};

/** An untrained encoder-decoder: arbitrary but deterministic outputs. */
function untrained(
  cell: 'lstm' | 'gru',
  residual: boolean,
  attention: 'none' | 'additive' = 'none',
): RnnModel {
  return new RnnModel(
    seq2seqModelConfig(
      {
        name: 'untrained',
        model: {
          layers: [
            { cell, units: 12 },
            { cell, units: 12 },
          ],
          attention,
          sourceEmbeddingSize: 6,
          targetEmbeddingSize: 6,
          dropout: 0,
          residual,
        },
        seed: 9,
      },
      LABELS,
    ),
  );
}

let models: RnnModel[] = [];
/** With decoder attention: its encoder memory is gathered by source at every step. */
let attending: RnnModel;

beforeAll(async () => {
  await initTfBackend();
  models = [untrained('lstm', false), untrained('gru', true)];
  attending = untrained('lstm', false, 'additive');
  // Biases start at zero: random ones, so that adding them is exercised too.
  const rng = createRng(5);
  for (const model of [...models, attending])
    for (const [name, param] of model.params)
      if (name.endsWith('bias'))
        model.setParam(
          name,
          Float32Array.from({ length: param.size }, () => rng.next() - 0.5),
        );
});

afterAll(() => {
  for (const model of [...models, attending]) model.dispose();
});

function sources(count: number): Int32Array[] {
  const rng = createRng(3);
  return Array.from({ length: count }, () =>
    Int32Array.from(
      { length: 1 + Math.floor(rng.next() * 6) },
      () => 2 + Math.floor(rng.next() * 3),
    ),
  );
}

/**
 * The plainest greedy decode of one source: the whole teacher-forced forward pass over the output
 * so far at every step (no decoder states carried, no batching), its last step's most probable
 * symbol.
 */
function referenceGreedy(model: RnnModel, source: Int32Array, limit: number): DecodedOutput {
  const ids: number[] = [];
  let logProb = 0;
  for (;;) {
    const logProbs = tf.tidy(() => {
      const out = model.forward(
        {
          inputs: tf.tensor2d(source, [1, source.length], 'int32'),
          mask: null,
          decoderInputs: tf.tensor2d([TARGET_BOS_ID, ...ids], [1, ids.length + 1], 'int32'),
        },
        { training: false },
      );
      const vocab = out.logits.shape[2] as number;
      const last = tf.slice(out.logits, [ids.length, 0, 0], [1, 1, vocab]);
      return Array.from(tf.logSoftmax(tf.reshape(last, [vocab])).dataSync());
    });
    const token = logProbs.indexOf(Math.max(...logProbs));
    logProb += logProbs[token] as number;
    if (token === TARGET_EOS_ID) return { ids, logProb, score: 0, finished: true };
    ids.push(token);
    if (ids.length >= limit) return { ids, logProb, score: 0, finished: false };
  }
}

const common = { lengthNormalization: 1, eosId: TARGET_EOS_ID };

/**
 * Native against tensor-op outputs of a model with attention: the same n-best lists, and the
 * numbers within `tolerance` (the native attention's tanh is the addon's vectorised one, not
 * libm's tanhf that the wasm path calls, and it sums its scores in another order: ~1e-7 per
 * value, ~1e-6 in a log-probability).
 */
function expectClose(
  native: DecodedOutput[][],
  reference: DecodedOutput[][],
  tolerance: number,
): void {
  const ids = (lists: DecodedOutput[][]): unknown =>
    lists.map((list) => list.map((d) => ({ ids: d.ids, finished: d.finished })));
  expect(ids(native)).toEqual(ids(reference));
  let worst = 0;
  native.forEach((list, i) =>
    list.forEach((d, k) => {
      const other = reference[i]?.[k] as DecodedOutput;
      worst = Math.max(worst, Math.abs(d.logProb - other.logProb), Math.abs(d.score - other.score));
      expect(d.alignment?.length).toBe(other.alignment?.length);
      d.alignment?.forEach((row, t) =>
        row.forEach((w, s) => {
          worst = Math.max(worst, Math.abs(w - (other.alignment?.[t]?.[s] ?? NaN)));
        }),
      );
    }),
  );
  expect(worst).toBeLessThan(tolerance);
}

describe('decoder rows', () => {
  it('greedy decoding chooses what a step-by-step teacher-forced forward pass chooses', () => {
    const inputs = sources(10);
    for (const model of [...models, attending]) {
      const before = tf.memory().numTensors;
      const decoded = greedyDecode(model, inputs, {
        ...common,
        maxLengths: inputs.map(() => 7),
        batchSize: 4,
      });
      expect(decoded.some((d) => d.ids.length >= 2)).toBe(true);
      inputs.forEach((source, i) => {
        const reference = referenceGreedy(model, source, 7);
        expect(decoded[i]?.ids).toEqual(reference.ids);
        expect(decoded[i]?.finished).toBe(reference.finished);
        expect(decoded[i]?.logProb).toBeCloseTo(reference.logProb, 4);
      });
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('native steps give the tensor-op steps outputs: bit for bit, with attention to 1e-5 (skipped without the addon)', () => {
    if (!loadRnnNative().addon) return;
    const inputs = sources(11);
    const maxLengths = inputs.map((_, i) => 3 + (i % 5));
    for (const model of [...models, attending]) {
      expect(stepsNatively(model)).toBe(true);
      const before = tf.memory().numTensors;
      // With attention, the alignments must be equal too.
      const options = { ...common, maxLengths, batchSize: 4, withAlignment: true };
      for (const beam of [1, 3]) {
        const run = (engine: 'auto' | 'tfjs-encoder' | 'tensor-ops'): DecodedOutput[][] =>
          beam === 1
            ? greedyDecode(model, inputs, { ...options, engine }).map((d) => [d])
            : beamSearch(model, inputs, { ...options, beam, engine });
        const native = run('auto');
        if (model === attending)
          expect(native.flat().every((d) => (d.alignment?.length ?? 0) > 0)).toBe(true);
        // Equal n-best lists and numbers to 1e-5 (see expectClose): the native encoder's packed
        // LSTM kernel sums in another order than TF.js. After the TF.js encoder, the native steps
        // without attention give the tensor-op steps' numbers bit for bit.
        const reference = run('tensor-ops');
        expectClose(native, reference, 1e-5);
        if (model !== attending) expect(run('tfjs-encoder')).toEqual(reference);
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('decodeSources (shortest sources first) returns each source its own outputs, in order', () => {
    const inputs = sources(12);
    const symbols = inputs.map((s) => Array.from(s, (id) => LABELS.sourceSymbols[id] as string));
    for (const model of [...models, attending]) {
      const decoded = decodeSources(model, LABELS, symbols, { beam: 3, lengthNormalization: 1 });
      inputs.forEach((source, i) => {
        const [alone] = beamSearch(model, [source], {
          ...common,
          beam: 3,
          maxLengths: [outputLimit(LABELS, source.length)],
        });
        expect(decoded[i]?.nBest.map((h) => h.symbols.join(' '))).toEqual(
          alone?.map((h) => h.ids.map((id) => LABELS.labels[id]).join(' ')),
        );
        decoded[i]?.nBest.forEach((h, k) =>
          expect(h.logProb).toBeCloseTo(alone?.[k]?.logProb ?? NaN, 4),
        );
      });
    }
  });
});
