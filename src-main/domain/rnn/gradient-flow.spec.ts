import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch } from './batching';
import type { SequenceExample } from './batching';
import { measureGradients } from './gradient-flow';
import type { GradientReport } from './gradient-report';
import { reportsParameters } from './gradient-report';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { sumOfSquares } from './sparse-rows';
import { wordExample } from './testing/word-examples';
import { computeGradients, trainModel } from './train';
import type { TrainConfig } from './train';

beforeAll(async () => {
  await initTfBackend();
});

const FEATURES: ModelConfigInput = {
  pattern: 'transducer',
  input: { kind: 'features', size: 2 },
  layers: [
    { cell: 'gru', units: 4, bidirectional: 'concat' },
    { cell: 'lstm', units: 3 },
  ],
  output: { size: 2 },
  seed: 11,
};

function examples(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, n) => {
    const length = 3 + (n % 3);
    return {
      inputs: Float32Array.from({ length: length * 2 }, () => 2 * rng.next() - 1),
      length,
      target: Int32Array.from({ length }, () => (rng.next() > 0.5 ? 1 : 0)),
    };
  });
}

/** Every parameter's sum of squared gradient, read element by element in float64. */
function squaresByHand(
  model: RnnModel,
  data: SequenceExample[],
  sparse = false,
): Map<string, number> {
  const batch = makeBatch(model.config, data);
  const result = computeGradients(model, batch, { sparse });
  const squares = new Map<string, number>();
  for (const [name, g] of result.grads) {
    let sum = 0;
    for (const v of g.dataSync()) sum += v * v;
    squares.set(name, sum);
  }
  for (const [name, rows] of result.sparseGrads) squares.set(name, sumOfSquares(rows));
  tf.dispose([...result.grads.values()]);
  tf.dispose(result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
  disposeBatch(batch);
  return squares;
}

async function reportsOf(
  config: ModelConfigInput,
  data: SequenceExample[],
  training: Partial<TrainConfig>,
): Promise<GradientReport[]> {
  const model = new RnnModel(parseModelConfig(config));
  const reports: GradientReport[] = [];
  try {
    await trainModel(
      model,
      data,
      null,
      {
        epochs: 1,
        batchSize: data.length,
        optimizer: { kind: 'sgd', learningRate: 0.1 },
        ...training,
      },
      { onProgress: (p) => p.gradients && reports.push(p.gradients) },
    );
  } finally {
    model.dispose();
  }
  return reports;
}

const total = (squares: Map<string, number>): number =>
  [...squares.values()].reduce((a, b) => a + b, 0);

describe('gradient norms reported by training', () => {
  const data = examples(4, 5);

  it('reports the global norm computeGradients gives, and each parameter’s, in model.params order', async () => {
    const model = new RnnModel(parseModelConfig(FEATURES));
    const squares = squaresByHand(model, data);
    const names = [...model.params.keys()];
    model.dispose();
    const [report] = await reportsOf(FEATURES, data, {});
    expect(report).toBeDefined();
    expect(report!.step).toBe(1);
    expect(report!.clipNorm).toBeNull();
    expect(report!.clipped).toBe(false);
    expect(report!.globalNorm).toBeGreaterThan(0);
    expect(report!.globalNorm).toBeCloseTo(Math.sqrt(total(squares)), 5);
    const parameters = report!.parameters ?? [];
    expect(parameters.map((p) => p.name)).toEqual(names);
    expect(names).toContain('encoder/layer0/bw/recurrent_kernel');
    for (const { name, norm } of parameters)
      expect(norm, name).toBeCloseTo(Math.sqrt(squares.get(name) ?? NaN), 5);
    // The parts add up to the whole.
    const sum = parameters.reduce((a, p) => a + p.norm * p.norm, 0);
    expect(sum / report!.globalNorm ** 2).toBeCloseTo(1, 6);
  });

  it('reports the norm before clipping, and says whether the batch was clipped', async () => {
    const [free] = await reportsOf(FEATURES, data, {});
    const [clipped] = await reportsOf(FEATURES, data, { clipNorm: 1e-3 });
    const [loose] = await reportsOf(FEATURES, data, { clipNorm: 1e6 });
    expect(clipped!.globalNorm).toBeGreaterThan(1e-3);
    expect(clipped!.globalNorm).toBeCloseTo(free!.globalNorm, 6);
    expect(clipped).toMatchObject({ clipNorm: 1e-3, clipped: true });
    expect(loose).toMatchObject({ clipNorm: 1e6, clipped: false });
    // With clipValue as well, the norm is still the raw gradient's.
    const [both] = await reportsOf(FEATURES, data, { clipNorm: 1e-3, clipValue: 1e-6 });
    expect(both!.globalNorm).toBeCloseTo(free!.globalNorm, 6);
    expect(both!.clipped).toBe(false);
  });

  it('reports every batch, and per-parameter norms on the first, every N-th after and the last', async () => {
    const reports = await reportsOf(FEATURES, examples(10, 8), {
      epochs: 2,
      batchSize: 2,
      gradientReportEvery: 4,
    });
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The run's last batch reports too.
    expect(reports.filter((r) => r.parameters).map((r) => r.step)).toEqual([1, 5, 9, 10]);
    for (const r of reports) expect(Number.isFinite(r.globalNorm) && r.globalNorm > 0).toBe(true);
    expect([1, 21, 41].every((s) => reportsParameters(s, 20))).toBe(true);
    expect(reportsParameters(20, 20)).toBe(false);
  });

  it('counts a sparse word-embedding gradient as the dense one it stands for', async () => {
    const alphabet = 'abcdeht';
    const ids: Record<string, number> = { the: 2, cab: 3, bed: 4 };
    const words: ModelConfigInput = {
      pattern: 'transducer',
      input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 },
      layers: [{ cell: 'lstm', units: 3 }],
      output: { size: 2 },
      seed: 4,
    };
    const sentences = [
      wordExample(['the', 'cab', 'the'], [0, 1, 0], { alphabet, wordId: (w) => ids[w] ?? 1 }),
      wordExample(['bed', 'cab'], [1, 0], { alphabet, wordId: (w) => ids[w] ?? 1 }),
    ];
    const model = new RnnModel(parseModelConfig(words));
    const dense = squaresByHand(model, sentences);
    model.dispose();
    const [report] = await reportsOf(words, sentences, {
      optimizer: { kind: 'sgd', learningRate: 0.1, sparseEmbeddings: 'exact' },
    });
    const table = report!.parameters?.find((p) => p.name === 'embedding/embeddings');
    expect(table?.norm).toBeGreaterThan(0);
    expect(table?.norm).toBeCloseTo(Math.sqrt(dense.get('embedding/embeddings') ?? NaN), 5);
    expect(report!.globalNorm).toBeCloseTo(Math.sqrt(total(dense)), 5);
  });

  it('measures the same global norm with or without the per-parameter split', () => {
    const grads = new Map<string, tf.Tensor>([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor2d([[0, 4]])],
    ]);
    const sparse = new Map([
      ['c', { ids: Int32Array.from([2]), values: Float32Array.from([12]), dim: 1 }],
    ]);
    const whole = measureGradients(grads, sparse, { perParameter: false });
    const split = measureGradients(grads, sparse, { perParameter: true, order: ['c', 'x', 'a'] });
    tf.dispose([...grads.values()]);
    expect(whole).toEqual({ globalNorm: 13, parameters: null });
    expect(split).toEqual({
      globalNorm: 13,
      parameters: [
        { name: 'c', norm: 12 },
        { name: 'a', norm: 3 },
        { name: 'b', norm: 4 },
      ],
    });
    expect(measureGradients(new Map(), new Map(), { perParameter: false }).globalNorm).toBe(0);
  });
});
