import * as tf from '@tensorflow/tfjs';
import type { ParameterGradientNorm } from './gradient-report';
import { sumOfSquares } from './sparse-rows';
import type { SparseRows } from './sparse-rows';

export interface GradientMeasure {
  /** The L2 norm over every gradient, dense and sparse. */
  globalNorm: number;
  /** Each parameter's norm, in `order` (then any gradient `order` does not name); null unless asked for. */
  parameters: ParameterGradientNorm[] | null;
}

/**
 * The norm of a batch's gradients, and each parameter's when `perParameter`: one reduction on
 * the backend and one read-back either way (per parameter, the sums of squares are stacked and
 * read together), so measuring every batch costs next to nothing. Sparse rows are summed in JS.
 */
export function measureGradients(
  grads: ReadonlyMap<string, tf.Tensor>,
  sparseGrads: ReadonlyMap<string, SparseRows>,
  options: { perParameter: boolean; order?: Iterable<string> },
): GradientMeasure {
  const names = [...grads.keys()];
  const denseSquares = (): Float32Array =>
    tf.tidy(() => {
      const sums = names.map((n) => tf.sum(tf.square(grads.get(n) as tf.Tensor)));
      return (options.perParameter ? tf.stack(sums) : tf.addN(sums)).dataSync() as Float32Array;
    });
  const dense = names.length > 0 ? denseSquares() : new Float32Array(0);
  let sparseTotal = 0;
  const sparseSquares = new Map<string, number>();
  for (const [name, rows] of sparseGrads) {
    const value = sumOfSquares(rows);
    sparseSquares.set(name, value);
    sparseTotal += value;
  }
  if (!options.perParameter)
    return { globalNorm: Math.sqrt((dense[0] ?? 0) + sparseTotal), parameters: null };
  const squares = new Map<string, number>(names.map((name, i) => [name, dense[i] as number]));
  for (const [name, value] of sparseSquares) squares.set(name, value);
  let total = 0;
  for (const value of squares.values()) total += value;
  const ordered = [...new Set([...(options.order ?? []), ...squares.keys()])].filter((name) =>
    squares.has(name),
  );
  return {
    globalNorm: Math.sqrt(total),
    parameters: ordered.map((name) => ({ name, norm: Math.sqrt(squares.get(name) as number) })),
  };
}
