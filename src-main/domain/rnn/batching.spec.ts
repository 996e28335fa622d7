import { describe, expect, it } from 'vitest';
import { planBatches } from './batching';
import type { SequenceExample } from './batching';
import { createRng } from './random';

const examples: SequenceExample[] = Array.from({ length: 100 }, (_, i) => {
  const length = 1 + ((i * 37) % 50);
  return { inputs: new Float32Array(length), length, target: 0 };
});

function paddedFrames(plan: number[][]): number {
  return plan.reduce(
    (sum, batch) =>
      sum + batch.length * Math.max(...batch.map((i) => (examples[i] as SequenceExample).length)),
    0,
  );
}

describe('planBatches', () => {
  it('uses every example once, and length bucketing cuts the padding', () => {
    const bucketed = planBatches(examples, 10, createRng(1), true);
    const plain = planBatches(examples, 10, createRng(1), false);
    for (const plan of [bucketed, plain])
      expect(plan.flat().sort((a, b) => a - b)).toEqual(examples.map((_, i) => i));
    const real = examples.reduce((sum, e) => sum + e.length, 0);
    expect(paddedFrames(bucketed) - real).toBeLessThan((paddedFrames(plain) - real) / 5);
  });
  it('is reproducible from the seed', () => {
    expect(planBatches(examples, 8, createRng(4), true)).toEqual(
      planBatches(examples, 8, createRng(4), true),
    );
    expect(planBatches(examples, 8, createRng(4), true)).not.toEqual(
      planBatches(examples, 8, createRng(5), true),
    );
  });
});
