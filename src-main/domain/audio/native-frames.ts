/**
 * The native twin of FrameKernel's per-frame maths (src-main/native/src/feature_frames.cc), in
 * the addon that holds the native RNN kernels. It takes FrameKernel's own tables (window, mel
 * filter bank, DCT, lifter), so both paths compute the same numbers up to float64 rounding, and
 * does a whole utterance in one call: about 3 times the TypeScript kernel's speed
 * (`npm run bench:features -- --side-by-side`). The TypeScript kernel stays the fallback.
 *
 * UNFOLD_FEATURE_KERNEL: unset / `auto` native when the addon has it, `js` always TypeScript.
 */
import { loadRnnNativeAddon } from '../../native/rnn-native';

/** An instance of the addon's FeatureKernel class (see src/feature_addon.cc). */
export interface NativeFrameKernel {
  readonly dims: number;
  /** Frame f from samples[start + f * shift], its dims values at out[outOffset + f * dims]. */
  compute(
    samples: Float32Array,
    start: number,
    frames: number,
    shift: number,
    out: Float32Array,
    outOffset: number,
  ): void;
}

/** The tables and settings FrameKernel hands over; kind: 0 spectrogram, 1 fbank, 2 mfcc. */
export interface NativeFrameTables {
  kind: 0 | 1 | 2;
  frameLength: number;
  fftSize: number;
  sampleScale: number;
  preemphasis: number;
  removeDcOffset: boolean;
  rawEnergy: boolean;
  useEnergy: boolean;
  melBands: number;
  numCeps: number;
  window: Float64Array;
  melFirst: Int32Array;
  melWidth: Int32Array;
  melOffset: Int32Array;
  melWeights: Float64Array;
  dct: Float64Array;
  lifter: Float64Array;
}

type NativeFrameKernelClass = new (
  params: Float64Array,
  window: Float64Array,
  melFirst: Int32Array,
  melWidth: Int32Array,
  melOffset: Int32Array,
  melWeights: Float64Array,
  dct: Float64Array,
  lifter: Float64Array,
) => NativeFrameKernel;

export interface NativeFramesChoice {
  kernel: 'native' | 'js';
  /** Why the TypeScript kernel is used, when it is. */
  reason: string | null;
}

let cached: { choice: NativeFramesChoice; constructor: NativeFrameKernelClass | null } | null =
  null;

function load(env: NodeJS.ProcessEnv): {
  choice: NativeFramesChoice;
  constructor: NativeFrameKernelClass | null;
} {
  if (env.UNFOLD_FEATURE_KERNEL === 'js')
    return { choice: { kernel: 'js', reason: 'UNFOLD_FEATURE_KERNEL=js' }, constructor: null };
  // The addon alone: the feature kernel runs on the calling thread, so choosing the sequence
  // kernels' thread count (a measurement on a machine's first run) is not its business.
  const loaded = loadRnnNativeAddon(env);
  if (!loaded.addon) return { choice: { kernel: 'js', reason: loaded.reason }, constructor: null };
  const candidate = (loaded.addon as unknown as { FeatureKernel?: unknown }).FeatureKernel;
  if (typeof candidate !== 'function')
    return {
      choice: {
        kernel: 'js',
        reason: `${loaded.path} has no FeatureKernel (built before it existed: run node src-main/native/build.mjs)`,
      },
      constructor: null,
    };
  return {
    choice: { kernel: 'native', reason: null },
    constructor: candidate as NativeFrameKernelClass,
  };
}

/** Which kernel FrameKernel uses in this process, and why not the native one. */
export function nativeFramesChoice(env: NodeJS.ProcessEnv = process.env): NativeFramesChoice {
  cached ??= load(env);
  return cached.choice;
}

/** A native kernel for the tables, or null when the addon or its FeatureKernel is missing. */
export function createNativeFrameKernel(
  tables: NativeFrameTables,
  env: NodeJS.ProcessEnv = process.env,
): NativeFrameKernel | null {
  cached ??= load(env);
  if (!cached.constructor) return null;
  const t = tables;
  const params = Float64Array.of(
    t.kind,
    t.frameLength,
    t.fftSize,
    t.sampleScale,
    t.preemphasis,
    t.removeDcOffset ? 1 : 0,
    t.rawEnergy ? 1 : 0,
    t.useEnergy ? 1 : 0,
    t.melBands,
    t.numCeps,
  );
  return new cached.constructor(
    params,
    t.window,
    t.melFirst,
    t.melWidth,
    t.melOffset,
    t.melWeights,
    t.dct,
    t.lifter,
  );
}
