/** The colour range of the model's outputs, for the Inside view's panel and `unfold inspect`'s PNG. */
import type { InsideOutputs } from '@api/inside';
import type { ValueRange } from '../plot/heatmap';

/** Probabilities 0..1; raw (linear) outputs from their smallest to their largest value. */
export function outputRange(outputs: InsideOutputs): ValueRange {
  if (outputs.activation !== 'linear') return { min: 0, max: 1 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of outputs.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return Number.isFinite(min) && max > min ? { min, max } : { min: min - 1, max: min + 1 };
}
