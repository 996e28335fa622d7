import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import type { LayerConfig } from '../model-config';
import { parseModelConfig } from '../model-config';
import { createRng } from '../random';
import { RnnModel } from '../rnn-model';
import { withKernel } from '../testing/with-kernel';
import { NativeModelStream, nativeStreamRefusal } from './native-stream';

/**
 * The native streaming session (batch 1, state kept natively between chunks) gives what the
 * whole-sequence forward gives, on both kernels: per-frame softmax of the logits and the final
 * state of every layer, for every cell kind the kernel supports, across chunk boundaries.
 */

const load = loadRnnNative();
const addon = load.addon;
if (!addon) console.warn(`native stream tests skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

const INPUT = 7;
const CLASSES = 6;
const FRAMES = 23;
/** Chunk sizes summing to FRAMES: single frames, odd sizes, a long one. */
const CHUNKS = [1, 5, 2, 1, 7, 7];

function randomValues(count: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => (2 * rng.next() - 1) * scale);
}

function makeModel(layers: LayerConfig[], residual: boolean, seed: number): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: INPUT },
      layers,
      residual,
      output: { size: CLASSES },
      seed,
    }),
  );
  // Random values everywhere (peepholes and biases start at zero in a fresh model).
  let k = 0;
  for (const [name, variable] of model.params)
    model.setParam(name, randomValues(variable.size, seed * 100 + k++, 0.6));
  return model;
}

interface Reference {
  probabilities: Float32Array;
  states: Array<{ h: Float32Array; c: Float32Array | null }>;
}

function wholeSequence(model: RnnModel, x: Float32Array): Reference {
  let reference: Reference = { probabilities: new Float32Array(0), states: [] };
  tf.tidy(() => {
    const forward = model.forward(
      { inputs: tf.tensor3d(x, [1, FRAMES, INPUT]), mask: null },
      { training: false },
    );
    reference = {
      probabilities: tf.softmax(forward.logits).dataSync() as Float32Array,
      states: forward.finalStates.map((s) => ({
        h: s.h.dataSync() as Float32Array,
        c: s.c ? (s.c.dataSync() as Float32Array) : null,
      })),
    };
  });
  return reference;
}

function streamed(stream: NativeModelStream, x: Float32Array): Float32Array {
  const out = new Float32Array(FRAMES * CLASSES);
  let frame = 0;
  for (const frames of CHUNKS) {
    const chunk = x.subarray(frame * INPUT, (frame + frames) * INPUT);
    out.set(stream.step(frames, chunk), frame * CLASSES);
    frame += frames;
  }
  return out;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

const CASES: Array<{ name: string; layers: LayerConfig[]; residual: boolean }> = [
  {
    name: 'lstm',
    layers: [
      { cell: 'lstm', units: 12 },
      { cell: 'lstm', units: 12 },
    ],
    residual: false,
  },
  {
    name: 'peephole',
    layers: [
      { cell: 'peephole', units: 12 },
      { cell: 'peephole', units: 9 },
    ],
    residual: false,
  },
  {
    name: 'lstmp',
    layers: [
      { cell: 'lstmp', units: 12, projection: 5 },
      { cell: 'lstmp', units: 10, projection: 4 },
    ],
    residual: false,
  },
  {
    name: 'gru',
    layers: [
      { cell: 'gru', units: 12 },
      { cell: 'gru', units: 12 },
    ],
    residual: false,
  },
  {
    name: 'rnn (tanh)',
    layers: [
      { cell: 'rnn', units: 12 },
      { cell: 'rnn', units: 12 },
    ],
    residual: false,
  },
  {
    name: 'rnn (sigmoid)',
    layers: [
      { cell: 'rnn', units: 12, activation: 'sigmoid' },
      { cell: 'rnn', units: 8, activation: 'sigmoid' },
    ],
    residual: false,
  },
  {
    name: 'residual lstm, 3 layers',
    layers: [
      { cell: 'lstm', units: 12 },
      { cell: 'lstm', units: 12 },
      { cell: 'gru', units: 12 },
    ],
    residual: true,
  },
];

describe.runIf(addon)('the native streaming session', () => {
  const native = addon!;

  CASES.forEach(({ name, layers, residual }, index) => {
    it(`${name}: chunk by chunk equals the whole-sequence forward on both kernels`, () => {
      const model = makeModel(layers, residual, 11 + index);
      const x = randomValues(FRAMES * INPUT, 500 + index, 1.5);
      try {
        const stream = new NativeModelStream(native, model, 'softmax');
        const probabilities = streamed(stream, x);
        for (const kernel of ['native', 'tfjs'] as const) {
          const reference = withKernel(kernel, () => wholeSequence(model, x));
          expect(maxDifference(probabilities, reference.probabilities)).toBeLessThan(1e-5);
          reference.states.forEach((state, l) => {
            const carried = stream.state(l);
            expect(maxDifference(carried.h, state.h)).toBeLessThan(1e-5);
            if (state.c) expect(maxDifference(carried.c, state.c)).toBeLessThan(1e-5);
            else expect(carried.c.length).toBe(0);
          });
        }
        // A reset starts a new stream: the same input gives the same outputs again.
        stream.reset();
        expect(maxDifference(streamed(stream, x), probabilities)).toBe(0);
      } finally {
        model.dispose();
      }
    });
  });

  it('gives the logits or their sigmoid when asked', () => {
    const model = makeModel([{ cell: 'gru', units: 6 }], false, 3);
    const x = randomValues(FRAMES * INPUT, 9, 1);
    try {
      const logits = new NativeModelStream(native, model, 'linear').step(FRAMES, x);
      const squashed = new NativeModelStream(native, model, 'sigmoid').step(FRAMES, x);
      const reference = tf.tidy(
        () =>
          model
            .forward(
              { inputs: tf.tensor3d(x, [1, FRAMES, INPUT]), mask: null },
              { training: false },
            )
            .logits.dataSync() as Float32Array,
      );
      expect(maxDifference(logits, reference)).toBeLessThan(1e-5);
      expect(
        maxDifference(
          squashed,
          reference.map((v) => 1 / (1 + Math.exp(-v))),
        ),
      ).toBeLessThan(1e-6);
    } finally {
      model.dispose();
    }
  });

  it('checks the lengths of what it is given', () => {
    const model = makeModel([{ cell: 'lstm', units: 4 }], false, 5);
    try {
      const stream = new NativeModelStream(native, model, 'softmax');
      expect(() => stream.step(3, new Float32Array(2 * INPUT))).toThrow(/x: 3 frames need 21/);
      expect(() => stream.step(2, new Float32Array(2 * INPUT), new Float32Array(CLASSES))).toThrow(
        /out: 2 frames need 12/,
      );
      expect(
        () => new native.StreamSession(Int32Array.from([1, 0, 1, CLASSES, 0, INPUT, 4, 4, 0]), []),
      ).toThrow(/expected 7 arrays/);
    } finally {
      model.dispose();
    }
  });
});

describe('which models stream natively', () => {
  const base = {
    pattern: 'transducer' as const,
    input: { kind: 'features' as const, size: 3 },
    layers: [{ cell: 'lstm' as const, units: 4 }],
    output: { size: 2 },
  };

  it('accepts a unidirectional transducer on features', () => {
    expect(nativeStreamRefusal(parseModelConfig(base))).toBeNull();
    expect(nativeStreamRefusal(parseModelConfig({ ...base, residual: true }))).toBeNull();
  });

  it('refuses what needs the whole sequence or other inputs', () => {
    expect(
      nativeStreamRefusal(
        parseModelConfig({
          ...base,
          layers: [{ cell: 'lstm', units: 4, bidirectional: 'concat' }],
        }),
      ),
    ).toMatch(/bidirectional/);
    expect(
      nativeStreamRefusal(parseModelConfig({ ...base, pattern: 'encoder', pooling: 'mean' })),
    ).toMatch(/not a transducer/);
  });

  it('refuses a config key it does not know rather than compute something else', () => {
    const config = { ...parseModelConfig(base), somethingNew: true } as ReturnType<
      typeof parseModelConfig
    >;
    expect(nativeStreamRefusal(config)).toMatch(/does not compute somethingNew/);
  });
});
