import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import type { CellKind } from '../rnn/cell-kinds';
import type { IntrospectionEngine } from '../rnn/introspection';
import { parseModelConfig } from '../rnn/model-config';
import type { LayerConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { withKernel } from '../rnn/testing/with-kernel';
import { predictedClasses, traceExample } from './layer-traces';
import { cellStep, weightsOf } from './testing/tf-cell-step';

/**
 * ||dLoss/dh_t|| as the Inside view gets it (traceExample -> rnn/introspection.ts), on both
 * introspection engines, against two references computed here from a forward pass written step
 * by step in TF.js ops, with a "probe" p_t added to every step's output h_t (r_t for an LSTMP)
 * before it reaches the output layer and the next step, so that dLoss/dp_t = dLoss/dh_t:
 * (a) TF.js autodiff of that forward (tf.grads with respect to zero probes): nothing of the
 *     engine's hand-written BPTT or of introspect's probes is used;
 * (b) central finite differences of that forward's loss on a few steps, one unit at a time.
 * For the LSTM family h_t is perturbed with c_t held, which is what the introspection reports
 * (dLoss/dh_t through the gates, not dLoss/dc_t; inside/README.md).
 *
 * Tolerances (float32 throughout; small random weights, norms 0.05-0.6 at their largest):
 * - Autodiff: both sides are float32 sums of the same products in another order, so they differ
 *   by rounding alone: at most 1.5e-7 of the sequence's largest norm, measured over every case
 *   and engine. AUTODIFF_TOLERANCE, 2e-6 of that norm, is >10x that and far below what a wrong
 *   term in a BPTT gives (of the order of the norm itself).
 * - Finite differences: the loss (~1) is a float32 value with rounding noise of a few 1e-7, and
 *   central differences divide that noise by 2h, so a large step is best: h = 1/8 and h/2
 *   combined by Richardson extrapolation, (4 D(h/2) - D(h)) / 3, whose truncation error is
 *   O(h^4). Measured, noise dominates: the worst error of a norm was 0.8e-6, 1.8e-6, 4e-6 and
 *   6.5e-6 for h = 1/4, 1/8, 1/16, 1/32 (it grows as h shrinks), independent of the norm's size.
 *   So FD_TOLERANCE is absolute: 2e-5, >10x the worst at h = 1/8, under 0.5 % of the smallest
 *   norm checked.
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native introspection engine skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

const AUTODIFF_TOLERANCE = 2e-6;
const FD_TOLERANCE = 2e-5;
const FD_STEP = 1 / 8;

const [STEPS, INPUT_SIZE, CLASSES] = [6, 2, 3];
const OUTPUT_STEP = 3;
/** The steps checked by finite differences (step 5 lies after OUTPUT_STEP: its norm is 0). */
const FD_STEPS = [0, 2, 3, 5];
const INPUTS = Array.from({ length: STEPS * INPUT_SIZE }, (_, i) => Math.sin(1.3 * i + 0.4));

/** Each introspection engine, with the sequence kernel that goes with it. */
const ENGINES: { engine: IntrospectionEngine; kernel: 'native' | 'tfjs'; name: string }[] = [
  ...(load.addon
    ? [{ engine: 'auto' as const, kernel: 'native' as const, name: 'native addon' }]
    : []),
  { engine: 'tensor-ops', kernel: 'tfjs', name: 'TF.js tensor ops' },
];

const CELLS: LayerConfig[] = [
  { cell: 'rnn', units: 3 },
  { cell: 'lstm', units: 3 },
  { cell: 'peephole', units: 3 },
  { cell: 'lstmp', units: 4, projection: 2 },
  { cell: 'gru', units: 3 },
];

interface LossCase {
  name: string;
  pattern: 'transducer' | 'encoder';
  outputStep: number | null;
}

const LOSSES: LossCase[] = [
  { name: `one output step (${OUTPUT_STEP})`, pattern: 'transducer', outputStep: OUTPUT_STEP },
  { name: 'the sequence loss (mean over steps)', pattern: 'transducer', outputStep: null },
  { name: 'a sequence classifier’s one answer', pattern: 'encoder', outputStep: null },
];

/** A one-layer model with every parameter uniform in ±0.5 (peepholes and biases included). */
function smallRandomModel(layer: LayerConfig, pattern: LossCase['pattern']): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern,
      input: { kind: 'features', size: INPUT_SIZE },
      layers: [layer],
      output: { size: CLASSES },
      seed: 3,
    }),
  );
  const rng = createRng(17);
  for (const [name, variable] of model.params)
    model.setParam(
      name,
      Float32Array.from({ length: variable.size }, () => rng.next() - 0.5),
    );
  return model;
}

/** The steps a loss scores, with the class it scores at each (its mean is the loss). */
type Scored = { step: number; target: number }[];

/**
 * The model's forward pass for `rows` copies of the input, row k with its own probes added to
 * every step's output: the loss of each row [rows], and the outputs h_t [rows, out] per step.
 * `probes` is [steps, rows, out].
 */
function probedForward(
  model: RnnModel,
  probes: tf.Tensor,
  scored: Scored,
): { losses: tf.Tensor; hidden: tf.Tensor[] } {
  const cell = model.config.layers[0]?.cell as CellKind;
  const w = weightsOf(model, 'encoder/layer0/fw');
  const [, rows, out] = probes.shape as [number, number, number];
  const units = (w.bias.shape[0] as number) / (cell === 'rnn' ? 1 : cell === 'gru' ? 3 : 4);
  const inputs = tf.tensor2d(INPUTS, [STEPS, INPUT_SIZE]);
  const perStep = tf.unstack(probes);
  let h = tf.zeros([rows, out]);
  let c = tf.zeros([rows, units]);
  const hidden: tf.Tensor[] = [];
  for (let t = 0; t < STEPS; t++) {
    const x = tf.tile(tf.slice(inputs, [t, 0], [1, INPUT_SIZE]), [rows, 1]);
    const next = cellStep(cell, w, x, h, c);
    h = tf.add(next.h, perStep[t] as tf.Tensor);
    c = next.c;
    hidden.push(h);
  }
  const stepLosses = scored.map(({ step, target }) => {
    const logits = tf.add(
      tf.matMul(hidden[step] as tf.Tensor, model.param('output/kernel')),
      model.param('output/bias'),
    );
    const chosen = tf.tensor1d(
      Float32Array.from({ length: CLASSES }, (_, k) => (k === target ? 1 : 0)),
    );
    return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), chosen), 1));
  });
  return { losses: tf.div(tf.addN(stepLosses), scored.length), hidden };
}

function rowNorm(values: ArrayLike<number>, from: number, size: number): number {
  let sum = 0;
  for (let k = from; k < from + size; k++) sum += (values[k] as number) ** 2;
  return Math.sqrt(sum);
}

/** ||dLoss/dh_t|| of every step by TF.js autodiff through zero probes; and the outputs h_t. */
function autodiffNorms(
  model: RnnModel,
  out: number,
  scored: Scored,
): { norms: number[]; hidden: Float32Array } {
  return tf.tidy(() => {
    const probes = tf.zeros([STEPS, 1, out]);
    const [gradient] = tf.grads((p: tf.Tensor) => tf.sum(probedForward(model, p, scored).losses))([
      probes,
    ]);
    const values = (gradient as tf.Tensor).dataSync();
    const hidden = tf.stack(probedForward(model, probes, scored).hidden).dataSync() as Float32Array;
    return {
      norms: Array.from({ length: STEPS }, (_, t) => rowNorm(values, t * out, out)),
      hidden: Float32Array.from(hidden),
    };
  });
}

/**
 * ||dLoss/dh_t|| at `steps` by central finite differences of the loss, Richardson-extrapolated
 * from steps h and h/2; every perturbed copy is one row of a single batched forward pass.
 */
function finiteDifferenceNorms(
  model: RnnModel,
  out: number,
  scored: Scored,
  steps: number[],
): number[] {
  const offsets = [FD_STEP, -FD_STEP, FD_STEP / 2, -FD_STEP / 2];
  const rows = steps.length * out * offsets.length;
  const probes = new Float32Array(STEPS * rows * out);
  steps.forEach((step, s) => {
    for (let unit = 0; unit < out; unit++)
      offsets.forEach((offset, o) => {
        const row = (s * out + unit) * offsets.length + o;
        probes[(step * rows + row) * out + unit] = offset;
      });
  });
  const losses = tf.tidy(() =>
    probedForward(model, tf.tensor3d(probes, [STEPS, rows, out]), scored).losses.dataSync(),
  );
  return steps.map((_, s) => {
    const gradient = Array.from({ length: out }, (_, unit) => {
      const at = (o: number): number => losses[(s * out + unit) * offsets.length + o] as number;
      const wide = (at(0) - at(1)) / (2 * FD_STEP);
      const narrow = (at(2) - at(3)) / FD_STEP;
      return (4 * narrow - wide) / 3;
    });
    return Math.hypot(...gradient);
  });
}

/** What the Inside view scores: the model's own answer at the output step, every step or once. */
function scoredSteps(loss: LossCase, predicted: number[]): Scored {
  if (loss.pattern === 'encoder') return [{ step: STEPS - 1, target: predicted[0] as number }];
  if (loss.outputStep !== null)
    return [{ step: loss.outputStep, target: predicted[loss.outputStep] as number }];
  return predicted.map((target, step) => ({ step, target }));
}

describe('||dLoss/dh_t|| of the introspection', () => {
  for (const loss of LOSSES)
    it.each(CELLS)(
      `match TF.js autodiff and finite differences for ${loss.name}: $cell`,
      (layer) => {
        const model = smallRandomModel(layer, loss.pattern);
        const example = { inputs: Float32Array.from(INPUTS), length: STEPS, target: 0 };
        const out = layer.cell === 'lstmp' ? (layer.projection as number) : layer.units;
        const scored = scoredSteps(loss, Array.from(predictedClasses(model, example)));
        const want = autodiffNorms(model, out, scored);
        const fd = finiteDifferenceNorms(model, out, scored, FD_STEPS);
        const scale = Math.max(...want.norms);
        // Not a comparison of zeros: the first step's gradient is a real one.
        expect(want.norms[0]).toBeGreaterThan(1e-3 * scale);
        for (const { engine, kernel, name } of ENGINES) {
          const traced = withKernel(kernel, () =>
            traceExample(model, example, loss.outputStep, { engine }),
          );
          // The forward written here is the engine's: the same outputs h_t.
          const hidden = traced.layers[0]?.series.find((s) => s.name === 'hidden')?.data ?? [];
          expect(hidden, name).toHaveLength(STEPS * out);
          hidden.forEach((v, k) =>
            expect(Math.abs(v - (want.hidden[k] as number)), name).toBeLessThan(1e-5),
          );
          const got = Array.from(traced.layers[0]?.gradNorm ?? []);
          expect(got, name).toHaveLength(STEPS);
          got.forEach((norm, t) => {
            if (loss.outputStep !== null && t > loss.outputStep)
              expect(norm, `${name} step ${t}`).toBe(0);
            expect(
              Math.abs(norm - (want.norms[t] as number)),
              `${name} step ${t} vs autodiff`,
            ).toBeLessThan(AUTODIFF_TOLERANCE * scale);
          });
          FD_STEPS.forEach((t, s) =>
            expect(
              Math.abs((got[t] as number) - (fd[s] as number)),
              `${name} step ${t} vs finite differences`,
            ).toBeLessThan(FD_TOLERANCE),
          );
        }
        model.dispose();
      },
    );
});
