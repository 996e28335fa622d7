import { EventEmitter } from 'node:events';
import { deltaContext, deltaFilters, writeDeltaRow } from './deltas';
import type { FeatureConfig, FeatureConfigInput } from './feature-config';
import { featureDims, frameShape, resolveFeatureConfig } from './feature-config';
import { FrameKernel } from './frame-kernel';

/** Frames emitted together: startFrame is the index of the first one in the whole stream. */
export interface FeatureBatch {
  data: Float32Array;
  frames: number;
  dims: number;
  startFrame: number;
}

export interface StreamingFeatureEvents {
  frames: [batch: FeatureBatch];
}

/**
 * Takes PCM chunks of any size and emits feature frames as soon as they are complete: a
 * static frame needs its frameLength samples, a frame with deltas also needs
 * deltaOrder x deltaWindow frames of look-ahead (40 ms for the 39-dim MFCC). `flush()` at the
 * end emits the remaining frames with the same edge rule as the batch extractor, so the
 * concatenated output equals extractFeatures() on the whole audio exactly.
 */
export class StreamingFeatureExtractor extends EventEmitter<StreamingFeatureEvents> {
  readonly config: FeatureConfig;
  readonly dims: number;
  private readonly kernel: FrameKernel;
  private readonly frameLength: number;
  private readonly frameShift: number;
  private readonly filters: Float64Array[];
  private readonly context: number;
  private samples = new Float32Array(16_384);
  /** Absolute index of samples[0] in the stream. */
  private samplesBase = 0;
  private samplesEnd = 0;
  private statics: Float32Array;
  /** Absolute index of the first static frame kept in `statics`. */
  private staticsBase = 0;
  private staticsComputed = 0;
  private framesEmitted = 0;
  private flushed = false;

  constructor(configInput: FeatureConfig | FeatureConfigInput) {
    super();
    this.config = resolveFeatureConfig(configInput);
    this.kernel = new FrameKernel(this.config);
    ({ frameLength: this.frameLength, frameShift: this.frameShift } = frameShape(this.config));
    this.dims = featureDims(this.config);
    this.filters = deltaFilters(this.config.deltaOrder, this.config.deltaWindow);
    this.context = deltaContext(this.config.deltaOrder, this.config.deltaWindow);
    this.statics = new Float32Array(64 * this.kernel.dims);
  }

  /** Frames emitted so far. */
  get emittedFrames(): number {
    return this.framesEmitted;
  }

  /**
   * Adds samples: floats in [-1, 1], or 16-bit integers as the recorder delivers them
   * (scaled by 1/32768, exactly as decodeWav does). Returns the frames completed by this chunk.
   */
  push(chunk: Float32Array | Int16Array): FeatureBatch {
    if (this.flushed)
      throw new Error('push() after flush(): create a new extractor for a new stream');
    this.appendSamples(chunk);
    this.computeStatics();
    return this.emit_(this.staticsComputed - 1 - this.context);
  }

  /** Ends the stream: emits every frame still waiting for look-ahead. */
  flush(): FeatureBatch {
    this.flushed = true;
    return this.emit_(this.staticsComputed - 1);
  }

  private appendSamples(chunk: Float32Array | Int16Array): void {
    // Drop samples no future frame needs, then grow if still too small.
    const keepFrom = this.staticsComputed * this.frameShift;
    const dropped = Math.min(keepFrom, this.samplesEnd) - this.samplesBase;
    const held = this.samplesEnd - this.samplesBase;
    if (dropped > 0) {
      this.samples.copyWithin(0, dropped, held);
      this.samplesBase += dropped;
    }
    const needed = this.samplesEnd - this.samplesBase + chunk.length;
    if (needed > this.samples.length) {
      const grown = new Float32Array(Math.max(needed, this.samples.length * 2));
      grown.set(this.samples.subarray(0, this.samplesEnd - this.samplesBase));
      this.samples = grown;
    }
    const at = this.samplesEnd - this.samplesBase;
    if (chunk instanceof Float32Array) {
      this.samples.set(chunk, at);
    } else {
      for (let i = 0; i < chunk.length; i++) this.samples[at + i] = (chunk[i] as number) / 32_768;
    }
    this.samplesEnd += chunk.length;
  }

  private computeStatics(): void {
    const staticDims = this.kernel.dims;
    while (this.staticsComputed * this.frameShift + this.frameLength <= this.samplesEnd) {
      // Keep the frames deltas still need (from framesEmitted - context on); drop older ones.
      const keepFrom = Math.max(0, this.framesEmitted - this.context);
      let row = this.staticsComputed - this.staticsBase;
      if ((row + 1) * staticDims > this.statics.length) {
        const drop = keepFrom - this.staticsBase;
        if (drop > 0) {
          this.statics.copyWithin(0, drop * staticDims, row * staticDims);
          this.staticsBase = keepFrom;
          row -= drop;
        }
        if ((row + 1) * staticDims > this.statics.length) {
          const grown = new Float32Array(this.statics.length * 2);
          grown.set(this.statics.subarray(0, row * staticDims));
          this.statics = grown;
        }
      }
      const start = this.staticsComputed * this.frameShift - this.samplesBase;
      this.kernel.compute(this.samples, start, this.statics, row * staticDims);
      this.staticsComputed++;
    }
  }

  /** Emits frames framesEmitted .. lastFrame (inclusive). */
  private emit_(lastFrame: number): FeatureBatch {
    const count = Math.max(0, lastFrame - this.framesEmitted + 1);
    const data = new Float32Array(count * this.dims);
    const staticDims = this.kernel.dims;
    const base = this.staticsBase;
    const offsetOf = (frame: number): number => (frame - base) * staticDims;
    for (let i = 0; i < count; i++) {
      writeDeltaRow(
        this.statics,
        offsetOf,
        this.staticsComputed,
        this.framesEmitted + i,
        staticDims,
        this.filters,
        data,
        i * this.dims,
      );
    }
    const batch: FeatureBatch = {
      data,
      frames: count,
      dims: this.dims,
      startFrame: this.framesEmitted,
    };
    this.framesEmitted += count;
    if (count > 0) this.emit('frames', batch);
    return batch;
  }
}
