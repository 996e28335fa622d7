import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseThreads } from './thread-calibration';

/** dims = [time, batch, input, units, output, flags]; see src/addon.cc. */
export type NativeDims = [number, number, number, number, number, number];
export type NativeArrays = Array<Float32Array | null>;

/** [sequences, positions, tableRows, rowSize, filters, width] of charCnnForward/Backward. */
export type ConvMaxDims = [number, number, number, number, number, number];

/** Flag bits of NativeDims[5]. */
export const NATIVE_FLAGS = { peephole: 1, projection: 2, mask: 4, sigmoid: 8 } as const;

/**
 * One direction of lstmPackedForward: [rows, rowIndex, w, u, bias, peep, out, outIndex,
 * outColumn], optionally followed by [finalH, finalC] to receive each sequence's final state.
 */
export type PackedLstmDirection =
  PackedLstmInputs | [...PackedLstmInputs, finalH: Float32Array, finalC: Float32Array];
type PackedLstmInputs = [
  rows: Float32Array,
  rowIndex: Int32Array,
  w: Float32Array | null,
  u: Float32Array,
  bias: Float32Array,
  peep: Float32Array | null,
  out: Float32Array,
  outIndex: Int32Array,
  outColumn: number,
];

/** The functions of unfold_rnn.node (src/addon.cc documents each argument list). */
export interface RnnNativeAddon {
  /**
   * The training forwards return their cache and the backwards their gradients: new arrays,
   * or `outputs` (the caller's, one per result, each of the exact length, null where a result
   * is empty), zeroed and filled.
   */
  lstmForward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  lstmBackward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  gruForward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  gruBackward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  elmanForward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  elmanBackward(dims: NativeDims, arrays: NativeArrays, outputs?: NativeArrays): Float32Array[];
  /**
   * The forwards with no cache, for when no gradient will be asked (evaluation, decoding,
   * tagging): the last array is the caller's `out`, which gets the outputs of every step
   * [T*B, outSize], then (LSTM only) the final cell state [B, n]. Gates are kept for two chunks
   * of steps only, so memory stays flat in the sequence length.
   */
  lstmInfer(dims: NativeDims, arrays: NativeArrays): void;
  gruInfer(dims: NativeDims, arrays: NativeArrays): void;
  elmanInfer(dims: NativeDims, arrays: NativeArrays): void;
  /** dims [M, N, K, transA, transB, 0]: [C] = op(A) op(B), row-major. */
  matMul(dims: NativeDims, arrays: NativeArrays): Float32Array[];
  /**
   * Embedding lookup: out [ids.length, dim] = rows `ids` of table [rows, dim]. Throws on an id
   * outside [0, rows).
   */
  gatherRows(rows: number, dim: number, table: Float32Array, ids: Int32Array): Float32Array;
  /**
   * The lookup's gradient: grad [rows, dim] with grad[ids[n]] += dy[n] (repeated ids sum).
   * Throws on an id outside [0, rows).
   */
  scatterAddRows(rows: number, dim: number, dy: Float32Array, ids: Int32Array): Float32Array;
  /**
   * 1-D convolution + ReLU + max over time over rows of a table picked by id
   * (domain/rnn/conv-max-over-time.ts): first written for the character CNN, whose name it
   * keeps; the sentence CNN runs on it too, with the batch's word vectors as the table. dims
   * [sequences, positions, tableRows, rowSize, filters, width]; ids [sequences, positions] (0 =
   * padding: no window starts there, and a window reads row 0 past the end), table
   * [tableRows, rowSize], kernel [width * rowSize, filters], bias [filters]. Returns [features
   * [sequences, filters], best [sequences, filters]]: best is the first position reaching a
   * positive max, -1 when it is 0. Throws on an id outside [0, tableRows) or a wrong length.
   */
  charCnnForward(
    dims: ConvMaxDims,
    ids: Int32Array,
    table: Float32Array,
    kernel: Float32Array,
    bias: Float32Array,
  ): [Float32Array, Int32Array];
  /**
   * A dropout mask in place (src/dropout_mask.h): each element of `out` becomes 1 / keep with
   * probability keep, else 0; keep in (0, 1], seed a 32-bit unsigned integer (the same seed,
   * the same mask).
   */
  dropoutMask(out: Float32Array, keep: number, seed: number): void;
  /**
   * One optimizer update in place (src/optimizer_step.h): kind 0 SGD, 1 momentum, 2 Nesterov,
   * 3 RMSProp, 4 Adam; hyper [rate (Adam's bias-corrected), decay, decay2, epsilon,
   * weightDecay]; s1 / s2 the kind's slots or null, as long as w. g is as long as w, or with
   * `ids` (distinct rows of w) their gradient [ids, dim]: only those rows change.
   */
  optimizerStep(
    kind: number,
    hyper: Float64Array,
    w: Float32Array,
    s1: Float32Array | null,
    s2: Float32Array | null,
    g: Float32Array,
    ids?: Int32Array,
  ): void;
  /**
   * Its gradient from dy [sequences, filters] and the forward's best: [dTable, dKernel, dBias].
   * With `dTableInto` [rows, rowSize] the table's gradient is added to it (several banks over one
   * table share one array) and it is the dTable returned.
   */
  charCnnBackward(
    dims: ConvMaxDims,
    ids: Int32Array,
    table: Float32Array,
    kernel: Float32Array,
    best: Int32Array,
    dy: Float32Array,
    dTableInto?: Float32Array,
  ): [Float32Array, Float32Array, Float32Array];
  /**
   * The softmax output layer and its cross-entropy (src/output_softmax.h): dims [rows, input,
   * classes, tied, 0, 0]; h [rows, input]; kernel [input, classes], or [classes, input] when
   * tied (the embedding table); ids [rows] (outside [0, classes): an infinite loss); weights
   * [rows]; bias [classes]; probs [rows, classes] receives the softmax. Returns [lossSum,
   * correct, weightSum] over the weighted rows (a NaN or infinite logit in one: lossSum NaN).
   * Label smoothing s in [0, 1) (default 0) scores each row against (1 - s) one-hot + s / classes.
   */
  outputSoftmaxForward(
    dims: NativeDims,
    h: Float32Array,
    kernel: Float32Array,
    ids: Int32Array,
    weights: Float32Array,
    bias: Float32Array,
    probs: Float32Array,
    smoothing?: number,
  ): [number, number, number];
  /**
   * Its gradient: probs (the forward's, overwritten) become (probs - smoothed one-hot) x weight x
   * scale, and through the layer [dh, dKernel (the kernel's shape), dBias].
   */
  outputSoftmaxBackward(
    dims: NativeDims,
    h: Float32Array,
    kernel: Float32Array,
    ids: Int32Array,
    weights: Float32Array,
    probs: Float32Array,
    scale: number,
    smoothing?: number,
  ): [Float32Array, Float32Array, Float32Array];
  /**
   * One decoding step of additive decoder attention for every decoder row
   * (src/decoder_attention.h; domain/rnn/kernels/native-decoder-attention.ts calls it): dims
   * [rows, batch, sourceTime, decoderSize, attentionSize, encoderSize]; rowSources [rows] (the
   * memory row each reads); arrays [top [rows, D], keys [batch, S, A], values [batch, S, E],
   * mask [batch, S] | null, W_dec [D, A], v [A], W_c [E + D, D], b_c [D]]. Returns [attended
   * [rows, D], weights [rows, S]]. Throws on a wrong length or a source outside [0, batch).
   * Absent from addons built before it.
   */
  decoderAttention?(
    dims: NativeDims,
    rowSources: Int32Array,
    arrays: NativeArrays,
  ): [Float32Array, Float32Array];
  /**
   * Inference-only LSTM over sequences sorted longest first, packed (src/lstm_packed.h): dims
   * [steps, batch, units, outStride]; `lengths` [batch] non-increasing; each direction is [rows,
   * rowIndex [steps * batch] (the row step t of sequence b reads, at t * batch + b), w | null,
   * u, bias, peep | null, out [outRows, outStride], outIndex [steps * batch] (the out row of
   * that step's output), outColumn (where in that row)], optionally then [finalH [batch, n],
   * finalC [batch, n]]: each sequence's h and c after its last step (a backward direction's:
   * after its first element), in the order of `lengths`, written only when given. With w, `rows`
   * are inputs the addon projects (x W); without, input projections already ([rowCount, 4n], no
   * bias). Two directions run side by side when setParallel allows more than one thread. Throws
   * on a wrong length or a row index out of range. Absent from addons built before it.
   */
  lstmPackedForward?(
    dims: [number, number, number, number],
    lengths: Int32Array,
    directions: PackedLstmDirection[],
  ): void;
  /**
   * A recurrent transducer stepped chunk by chunk on one stream, weights and state kept natively
   * (src/stream_addon.cc documents `spec` and `arrays`; domain/rnn/kernels/native-stream.ts
   * builds them from a model).
   */
  StreamSession: new (spec: Int32Array, arrays: Array<Float32Array | null>) => NativeStreamHandle;
  /** OpenBLAS threads per product. */
  setThreads(threads: number): number;
  /** 2: the time-parallel products run on a second thread beside the recurrence; 1: one thread. */
  setParallel(threads: number): number;
  info(): { blas: string; threads: number; cores: number; parallel: number };
}

/** One native streaming session (batch 1). */
export interface NativeStreamHandle {
  /** x [frames, input] -> out [frames, classes] (its first frames * classes values), state carried. */
  step(frames: number, x: Float32Array, out: Float32Array): void;
  /** Zero state, for a new stream. */
  reset(): void;
  /** Copies of layer `layer`'s state: [h, c] (c empty without a cell state). */
  state(layer: number): [Float32Array, Float32Array];
}

export type RnnNativeLoad =
  | {
      addon: RnnNativeAddon;
      path: string;
      /** Threads per kernel call (see NativeThreads.parallel). */
      threads: number;
      /** How that count was chosen (thread-calibration.ts). */
      threadsChosenBy: string;
      reason: null;
    }
  | { addon: null; path: null; threads: 0; threadsChosenBy: null; reason: string };

const ADDON_FILE = join('build', 'Release', 'unfold_rnn.node');

/**
 * Where the built addon may be: UNFOLD_RNN_NATIVE_PATH alone when set (a packaged app points it
 * at its resources; a non-existent path disables the addon), else beside this module (source
 * runs: tsx, vitest) or under the working directory's src-main/native (bundled main process).
 */
function candidatePaths(env: NodeJS.ProcessEnv): string[] {
  if (env.UNFOLD_RNN_NATIVE_PATH) return [env.UNFOLD_RNN_NATIVE_PATH];
  const paths: string[] = [];
  try {
    paths.push(join(dirname(fileURLToPath(import.meta.url)), ADDON_FILE));
  } catch {
    // import.meta.url is not a file URL in some bundles
  }
  paths.push(join(process.cwd(), 'src-main', 'native', ADDON_FILE));
  return [...new Set(paths)];
}

/**
 * Threads per kernel call: a count, or `measured` to let thread-calibration.ts choose (by
 * UNFOLD_RNN_THREADS, else by measuring once per machine). The kernel spends them itself: the
 * recurrence on the calling thread, the input projections and weight gradients of finished
 * chunks of steps shared with a helper thread that sleeps (never spins) between them. OpenBLAS
 * runs single-threaded (UNFOLD_RNN_BLAS_THREADS overrides): its own threads split products of
 * 32 rows poorly and spin-wait, which measured 2x slower on this shared 2-core machine.
 */
export interface NativeThreads {
  parallel: number | 'measured';
  blas: number;
}

function threadCounts(env: NodeJS.ProcessEnv): NativeThreads {
  const blas = Number(env.UNFOLD_RNN_BLAS_THREADS);
  return {
    parallel: 'measured',
    blas: Number.isInteger(blas) && blas > 0 ? blas : 1,
  };
}

/** The addon alone, its thread count not chosen yet: all the feature kernel needs. */
export type RnnAddonLoad =
  | { addon: RnnNativeAddon; path: string; reason: null }
  | { addon: null; path: null; reason: string };

let cachedAddon: RnnAddonLoad | null = null;
let cached: RnnNativeLoad | null = null;

/**
 * Loads the addon once per process without choosing the sequence kernels' thread count (which
 * may measure it, ~0.5 s the first time on a machine): for callers that use no sequence kernel.
 */
export function loadRnnNativeAddon(env: NodeJS.ProcessEnv = process.env): RnnAddonLoad {
  cachedAddon ??= loadAddonFrom(candidatePaths(env), threadCounts(env).blas, env);
  return cachedAddon;
}

/**
 * Loads the native sequence kernels once per process. Never throws: a missing build (no
 * compiler or no libopenblas-dev at install time), a missing libopenblas.so.0 at run time or
 * an addon built for another platform returns `addon: null` with the reason. The addon uses
 * only N-API, so one build loads in Node and in Electron alike.
 */
export function loadRnnNative(env: NodeJS.ProcessEnv = process.env): RnnNativeLoad {
  cached ??= withThreads(loadRnnNativeAddon(env), threadCounts(env), env);
  return cached;
}

/** Loads the addon from the first existing path and sets its thread counts; never throws. */
export function loadRnnNativeFrom(
  paths: string[],
  threads: NativeThreads,
  env: NodeJS.ProcessEnv = process.env,
): RnnNativeLoad {
  return withThreads(loadAddonFrom(paths, threads.blas, env), threads, env);
}

function loadAddonFrom(paths: string[], blas: number, env: NodeJS.ProcessEnv): RnnAddonLoad {
  const path = paths.find((p) => existsSync(p));
  if (!path) {
    return {
      addon: null,
      path: null,
      reason: `not built (no ${ADDON_FILE}; run node src-main/native/build.mjs with g++ and libopenblas-dev installed)`,
    };
  }
  // OpenBLAS's own threads (only with UNFOLD_RNN_BLAS_THREADS > 1) spin ~2^28 cycles after each
  // product before sleeping; read when the library loads, so set before it: sleep at once.
  if (blas > 1) env.OPENBLAS_THREAD_TIMEOUT ??= '4';
  try {
    const addon = createRequire(import.meta.url)(path) as RnnNativeAddon;
    addon.setThreads(blas);
    return { addon, path, reason: null };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { addon: null, path: null, reason: `failed to load ${path}: ${message}` };
  }
}

/** The sequence kernels' threads per call: given, or chosen by thread-calibration.ts. */
function withThreads(
  loaded: RnnAddonLoad,
  threads: NativeThreads,
  env: NodeJS.ProcessEnv,
): RnnNativeLoad {
  if (!loaded.addon)
    return { addon: null, path: null, threads: 0, threadsChosenBy: null, reason: loaded.reason };
  const { addon, path } = loaded;
  const choice =
    threads.parallel === 'measured'
      ? chooseThreads(addon, env)
      : { parallel: threads.parallel, chosenBy: 'given' };
  return {
    addon,
    path,
    threads: addon.setParallel(choice.parallel),
    threadsChosenBy: choice.chosenBy,
    reason: null,
  };
}
