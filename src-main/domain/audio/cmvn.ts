import { UnfoldError } from '../errors';
import type { FeatureMatrix } from './feature-matrix';

/**
 * Cepstral mean and variance normalisation. Statistics are sums (Kaldi's cmvn stats: count,
 * sum, sum of squares per dimension), so a speaker's statistics are just the sum over
 * their utterances, and per-utterance CMVN is the special case of one utterance.
 */
export interface CmvnStats {
  dims: number;
  count: number;
  sum: Float64Array;
  sumOfSquares: Float64Array;
}

export function emptyCmvnStats(dims: number): CmvnStats {
  return { dims, count: 0, sum: new Float64Array(dims), sumOfSquares: new Float64Array(dims) };
}

/** Adds an utterance's frames to the statistics (in place) and returns them. */
export function accumulateCmvnStats(stats: CmvnStats, features: FeatureMatrix): CmvnStats {
  if (features.dims !== stats.dims) {
    throw new UnfoldError(
      'CMVN_DIMS_MISMATCH',
      `CMVN statistics have ${stats.dims} dims but the features have ${features.dims}.`,
    );
  }
  const { data, frames, dims } = features;
  for (let t = 0; t < frames; t++) {
    const row = t * dims;
    for (let d = 0; d < dims; d++) {
      const value = data[row + d] as number;
      stats.sum[d] = (stats.sum[d] as number) + value;
      stats.sumOfSquares[d] = (stats.sumOfSquares[d] as number) + value * value;
    }
  }
  stats.count += frames;
  return stats;
}

export function cmvnStatsOf(features: readonly FeatureMatrix[], dims: number): CmvnStats {
  const stats = emptyCmvnStats(dims);
  for (const utterance of features) accumulateCmvnStats(stats, utterance);
  return stats;
}

/**
 * Returns (x - mean) / std per dimension (std only when normaliseVariance). Like Kaldi's
 * apply-cmvn, the variance is floored (at 1e-10) so a constant dimension does not divide by zero.
 */
export function applyCmvn(
  features: FeatureMatrix,
  stats: CmvnStats,
  options: { normaliseVariance?: boolean } = {},
): FeatureMatrix {
  if (features.dims !== stats.dims) {
    throw new UnfoldError(
      'CMVN_DIMS_MISMATCH',
      `CMVN statistics have ${stats.dims} dims but the features have ${features.dims}.`,
    );
  }
  if (stats.count === 0)
    throw new UnfoldError('CMVN_NO_FRAMES', 'CMVN statistics were computed from no frames.');
  const normaliseVariance = options.normaliseVariance ?? true;
  const { dims, frames } = features;
  const shift = new Float64Array(dims);
  const scale = new Float64Array(dims).fill(1);
  for (let d = 0; d < dims; d++) {
    const mean = (stats.sum[d] as number) / stats.count;
    shift[d] = mean;
    if (normaliseVariance) {
      const variance = (stats.sumOfSquares[d] as number) / stats.count - mean * mean;
      scale[d] = 1 / Math.sqrt(Math.max(variance, 1e-10));
    }
  }
  const data = new Float32Array(features.data.length);
  for (let t = 0; t < frames; t++) {
    const row = t * dims;
    for (let d = 0; d < dims; d++) {
      data[row + d] =
        ((features.data[row + d] as number) - (shift[d] as number)) * (scale[d] as number);
    }
  }
  return { data, frames, dims };
}

/** Per-utterance CMVN. */
export function normaliseUtterance(
  features: FeatureMatrix,
  options: { normaliseVariance?: boolean } = {},
): FeatureMatrix {
  return applyCmvn(features, cmvnStatsOf([features], features.dims), options);
}

/** Per-speaker CMVN: statistics pooled over each speaker's utterances, applied to each. */
export function normaliseBySpeaker<Id extends string>(
  utterances: ReadonlyMap<Id, { speaker: string; features: FeatureMatrix }>,
  options: { normaliseVariance?: boolean } = {},
): Map<Id, FeatureMatrix> {
  const bySpeaker = new Map<string, CmvnStats>();
  for (const { speaker, features } of utterances.values()) {
    const stats = bySpeaker.get(speaker) ?? emptyCmvnStats(features.dims);
    bySpeaker.set(speaker, accumulateCmvnStats(stats, features));
  }
  const result = new Map<Id, FeatureMatrix>();
  for (const [id, { speaker, features }] of utterances) {
    result.set(id, applyCmvn(features, bySpeaker.get(speaker) as CmvnStats, options));
  }
  return result;
}
