import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import type { SequenceExample } from '../rnn/batching';
import { parseModelConfig } from '../rnn/model-config';
import type { LayerConfig } from '../rnn/model-config';
import { RnnModel } from '../rnn/rnn-model';
import { classifyTrajectory, trajectory, type StateMap } from './free-dynamics';
import { layerDynamics, layerStepper } from './layer-dynamics';
import { traceExample } from './layer-traces';
import { project2d } from './pca';
import { saturationOf, unitsByVariance } from './unit-statistics';

beforeAll(async () => {
  await initTfBackend();
});

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function transducer(layer: LayerConfig, inputSize: number, seed = 4): RnnModel {
  return new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: inputSize },
      layers: [layer],
      output: { size: 2 },
      seed,
    }),
  );
}

function featureExample(values: number[], size: number): SequenceExample {
  return { inputs: Float32Array.from(values), length: values.length / size, target: 0 };
}

describe('gates and states of a 1-unit LSTM with chosen weights', () => {
  it('are the values worked out by hand, with their saturation', () => {
    const model = transducer({ cell: 'lstm', units: 1 }, 1);
    // Gate order i, f, g, o. The forget gate is held open by its bias (s(5) = 0.9933).
    model.setParam('encoder/layer0/fw/kernel', Float32Array.from([1, 0, 2, -1]));
    model.setParam('encoder/layer0/fw/recurrent_kernel', Float32Array.from([0.5, 0, 0.5, 0]));
    model.setParam('encoder/layer0/fw/bias', Float32Array.from([0, 5, 0, 0]));
    const xs = [1, -2, 0.5];
    const tensors = tf.memory().numTensors;
    const { layers } = traceExample(model, featureExample(xs, 1), null);
    expect(tf.memory().numTensors).toBe(tensors);
    const series = (name: string): number[] =>
      Array.from(layers[0]?.series.find((s) => s.name === name)?.data ?? []);
    let h = 0;
    let c = 0;
    const expected = { input: [] as number[], forget: [] as number[], cell: [] as number[] };
    const outputs: number[] = [];
    for (const x of xs) {
      const i = sigmoid(x + 0.5 * h);
      const f = sigmoid(5);
      const g = Math.tanh(2 * x + 0.5 * h);
      const o = sigmoid(-x);
      c = f * c + i * g;
      h = o * Math.tanh(c);
      expected.input.push(i);
      expected.forget.push(f);
      expected.cell.push(c);
      outputs.push(h);
    }
    for (const [name, values] of Object.entries(expected))
      series(name).forEach((v, t) => expect(v).toBeCloseTo(values[t] as number, 5));
    series('hidden').forEach((v, t) => expect(v).toBeCloseTo(outputs[t] as number, 5));
    expect(layers[0]?.series.map((s) => s.name)).toEqual([
      'input',
      'forget',
      'output',
      'candidate',
      'cell',
      'hidden',
    ]);
    const forget = layers[0]?.series.find((s) => s.name === 'forget');
    expect(forget?.saturation).toEqual({ low: 0, high: 1 });
    expect(layers[0]?.series.find((s) => s.name === 'cell')?.saturation).toBeNull();
    model.dispose();
  });
});

/** An Elman transducer worked in float64 JS, with an offset added to h after one step. */
function elmanLoss(
  model: RnnModel,
  xs: number[][],
  targets: number[],
  scored: number[],
  perturb: { step: number; unit: number; by: number } | null,
): number {
  const read = (name: string): Float32Array => model.param(name).dataSync() as Float32Array;
  const w = read('encoder/layer0/fw/kernel');
  const u = read('encoder/layer0/fw/recurrent_kernel');
  const b = read('encoder/layer0/fw/bias');
  const wo = read('output/kernel');
  const bo = read('output/bias');
  const n = b.length;
  const inputSize = (xs[0] as number[]).length;
  let h = new Array<number>(n).fill(0);
  let loss = 0;
  xs.forEach((x, t) => {
    h = Array.from({ length: n }, (_, j) => {
      let z = b[j] as number;
      for (let i = 0; i < inputSize; i++) z += (x[i] as number) * (w[i * n + j] as number);
      for (let i = 0; i < n; i++) z += (h[i] as number) * (u[i * n + j] as number);
      return Math.tanh(z);
    });
    if (perturb && perturb.step === t) h[perturb.unit] = (h[perturb.unit] as number) + perturb.by;
    if (!scored.includes(t)) return;
    const logits = [0, 1].map((k) => {
      let z = bo[k] as number;
      for (let i = 0; i < n; i++) z += (h[i] as number) * (wo[i * 2 + k] as number);
      return z;
    });
    const top = Math.max(...logits);
    const logSum = top + Math.log(logits.reduce((s, z) => s + Math.exp(z - top), 0));
    loss += logSum - (logits[targets[t] as number] as number);
  });
  return loss / scored.length;
}

describe('gradient norms through time', () => {
  it('match central finite differences for one output step and for the sequence loss', () => {
    const model = transducer({ cell: 'rnn', units: 3 }, 2, 7);
    const xs = [
      [0.5, -1],
      [1, 0.2],
      [-0.3, 0.8],
      [0.9, -0.4],
      [0.1, 0.3],
    ];
    const example = featureExample(xs.flat(), 2);
    const eps = 1e-4;
    for (const outputStep of [2, null]) {
      const { layers, predicted } = traceExample(model, example, outputStep);
      const targets = Array.from(predicted);
      const scored = outputStep === null ? xs.map((_, t) => t) : [outputStep];
      const norms = Array.from(layers[0]?.gradNorm ?? []);
      expect(norms).toHaveLength(5);
      norms.forEach((got, step) => {
        const gradient = [0, 1, 2].map(
          (unit) =>
            (elmanLoss(model, xs, targets, scored, { step, unit, by: eps }) -
              elmanLoss(model, xs, targets, scored, { step, unit, by: -eps })) /
            (2 * eps),
        );
        const want = Math.hypot(...gradient);
        if (outputStep !== null && step > outputStep) expect(got).toBe(0);
        else expect(got).toBeCloseTo(want, 4);
      });
    }
    model.dispose();
  });
});

const linear =
  (matrix: number[][]): StateMap =>
  (h) =>
    Float32Array.from(matrix[0] as number[], (_, j) =>
      matrix.reduce((sum, row, i) => sum + (h[i] as number) * (row[j] as number), 0),
    );

describe('dynamics of a linear recurrent map', () => {
  const start = Float32Array.from([1, 0.5]);
  it('converges to its fixed point when the spectral radius is below 1', () => {
    const map = linear([
      [0.5, 0.2],
      [0, 0.4],
    ]);
    const states = trajectory(map, start, 200);
    expect(classifyTrajectory(map, states)).toMatchObject({ kind: 'fixed-point' });
    expect(Math.abs(states[200]?.[0] ?? 1)).toBeLessThan(1e-6);
  });

  it('diverges when it is above 1', () => {
    const map = linear([
      [1.2, 0],
      [0.3, 1.1],
    ]);
    const states = trajectory(map, start, 200);
    const behaviour = classifyTrajectory(map, states);
    expect(behaviour.kind).toBe('diverges');
    // 1.2^t passes 1e6 near t = 76: the trajectory stops there.
    expect(states.length).toBeLessThan(100);
  });

  it('cycles with the rotation’s period', () => {
    for (const period of [3, 6, 7]) {
      const angle = (2 * Math.PI) / period;
      const map = linear([
        [Math.cos(angle), Math.sin(angle)],
        [-Math.sin(angle), Math.cos(angle)],
      ]);
      expect(classifyTrajectory(map, trajectory(map, start, 300))).toEqual({
        kind: 'cycle',
        period,
      });
    }
  });

  it('wanders with a positive Lyapunov exponent under the logistic map at r = 4 (ln 2)', () => {
    const map: StateMap = (x) => Float32Array.from(x, (v) => 4 * v * (1 - v));
    const behaviour = classifyTrajectory(map, trajectory(map, Float32Array.from([0.3]), 400));
    expect(behaviour.kind).toBe('wanders');
    if (behaviour.kind === 'wanders') expect(behaviour.lyapunov).toBeGreaterThan(0.3);
  });
});

describe('the plain-JS cell steps', () => {
  it.each<LayerConfig>([
    { cell: 'rnn', units: 3 },
    { cell: 'gru', units: 3 },
    { cell: 'lstmp', units: 4, projection: 2 },
  ])('reproduce the engine’s states ($cell)', (layer) => {
    const model = transducer(layer, 2, 11);
    if (layer.cell === 'lstmp')
      model.setParam(
        'encoder/layer0/fw/peephole',
        Float32Array.from({ length: 12 }, (_, i) => 0.3 * Math.sin(i)),
      );
    const xs = [0.4, -0.7, 1, 0.2, -0.5, 0.9, 0.3, 0.3];
    const { layers } = traceExample(model, featureExample(xs, 2), null);
    const stepper = layerStepper(model, 'encoder/layer0/fw', 1);
    const hidden = layers[0]?.series.find((s) => s.name === 'hidden')?.data ?? new Float32Array();
    const cell = layers[0]?.series.find((s) => s.name === 'cell')?.data;
    let state: Float32Array = new Float32Array(stepper.stateSize);
    for (let t = 0; t < 4; t++) {
      state = stepper.step(state, stepper.project(Float32Array.from(xs.slice(2 * t, 2 * t + 2))));
      const out = stepper.outputSize;
      Array.from(state.subarray(0, out)).forEach((v, j) =>
        expect(v).toBeCloseTo(hidden[t * out + j] as number, 5),
      );
      if (cell)
        Array.from(state.subarray(out)).forEach((v, j) =>
          expect(v).toBeCloseTo(cell[t * stepper.cellSize + j] as number, 5),
        );
    }
    model.dispose();
  });

  it('a layer with its recurrent weights scaled to zero settles at once under zero input', () => {
    const model = transducer({ cell: 'gru', units: 4 }, 2, 5);
    const base = { layer: 'encoder/layer0/fw', startStep: null, drive: { kind: 'zero' as const } };
    const still = layerDynamics(model, null, { ...base, scale: 0, steps: 50 });
    expect(still.behaviour).toEqual({ kind: 'fixed-point', settledAt: 0 });
    expect(still.points).toHaveLength(51 * 2);
    expect(() =>
      layerDynamics(model, null, { ...base, layer: 'encoder/layer3/fw', scale: 1, steps: 5 }),
    ).toThrow(/no recurrent layer encoder\/layer3\/fw/);
    model.dispose();
  });
});

describe('statistics', () => {
  it('saturation counts values beyond 0.05 and 0.95', () => {
    expect(saturationOf(Float32Array.from([0.01, 0.5, 0.97, 0.99]))).toEqual({
      low: 0.25,
      high: 0.5,
    });
  });

  it('orders units by falling variance', () => {
    // [3 steps, 3 units]: unit 2 varies most, unit 0 not at all.
    const data = Float32Array.from([0, 0, 0, 0, 1, 5, 0, 2, -5]);
    expect(Array.from(unitsByVariance(data, 3, 3))).toEqual([2, 1, 0]);
  });

  it('PCA puts points on a line along one component', () => {
    const states = [0, 1, 2, 3].map((t) => Float32Array.from([t, 2 * t, -t]));
    const { points, explained } = project2d(states);
    expect(explained[0]).toBeCloseTo(1, 6);
    expect(explained[1]).toBeCloseTo(0, 6);
    const first = Array.from({ length: 4 }, (_, r) => points[r * 2] as number);
    // Equal steps along the line, in one direction or the other.
    expect(Math.abs((first[1] as number) - (first[0] as number))).toBeCloseTo(Math.sqrt(6), 4);
  });
});
