import type { FeatureMatrix } from '../audio/feature-matrix';

/**
 * Normalisation for audio that arrives live, where per-utterance CMVN cannot see the whole
 * utterance yet: a running mean and variance over the frames seen so far, started from the
 * training data's statistics as a prior worth `priorFrames` frames (so the first frames are
 * not divided by a variance of one sample). It converges to per-utterance CMVN as the stream
 * grows.
 */
export class RunningCmvn {
  private readonly sum: Float64Array;
  private readonly squares: Float64Array;
  private count: number;

  constructor(
    readonly dims: number,
    mean: readonly number[],
    std: readonly number[],
    priorFrames = 100,
  ) {
    this.sum = Float64Array.from({ length: dims }, (_, d) => (mean[d] ?? 0) * priorFrames);
    this.squares = Float64Array.from(
      { length: dims },
      (_, d) => ((std[d] ?? 1) ** 2 + (mean[d] ?? 0) ** 2) * priorFrames,
    );
    this.count = priorFrames;
  }

  /** Adds the frames to the statistics, then normalises them with the updated statistics. */
  apply(frames: FeatureMatrix): FeatureMatrix {
    const { dims } = this;
    const out = new Float32Array(frames.data.length);
    for (let t = 0; t < frames.frames; t++) {
      for (let d = 0; d < dims; d++) {
        const v = frames.data[t * dims + d] as number;
        this.sum[d] = (this.sum[d] as number) + v;
        this.squares[d] = (this.squares[d] as number) + v * v;
      }
      this.count += 1;
      for (let d = 0; d < dims; d++) {
        const mean = (this.sum[d] as number) / this.count;
        const variance = Math.max((this.squares[d] as number) / this.count - mean * mean, 1e-10);
        out[t * dims + d] = ((frames.data[t * dims + d] as number) - mean) / Math.sqrt(variance);
      }
    }
    return { data: out, frames: frames.frames, dims };
  }
}
