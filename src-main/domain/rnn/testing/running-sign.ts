import type { SequenceExample } from '../batching';
import { createRng } from '../random';

/**
 * A per-step toy task for training tests: inputs (v, 1) with v uniform in [-1, 1], and the
 * target at step t is 1 when the running sum of the v so far is positive. Lengths are drawn
 * from [minLength, maxLength] (none is drawn when the two are equal, so fixed-length streams
 * read the generator for their values alone); the same seed gives the same examples.
 */
export function runningSignExamples(
  count: number,
  seed: number,
  minLength = 4,
  maxLength = 9,
): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const length =
      minLength === maxLength
        ? minLength
        : minLength + Math.floor(rng.next() * (maxLength - minLength + 1));
    const inputs = new Float32Array(length * 2);
    const target = new Int32Array(length);
    let sum = 0;
    for (let t = 0; t < length; t++) {
      const v = 2 * rng.next() - 1;
      inputs[t * 2] = v;
      inputs[t * 2 + 1] = 1;
      sum += v;
      target[t] = sum > 0 ? 1 : 0;
    }
    return { inputs, length, target };
  });
}
