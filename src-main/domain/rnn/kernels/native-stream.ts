/**
 * A model's recurrent stack and output layer as one native streaming session (batch 1): the
 * weights are copied into the addon once, every layer's state stays there between chunks, and a
 * chunk of frames is one call that fills a caller's buffer (no tensors, no per-call weight reads).
 * Only what the session computes exactly as RnnModel.forward does is accepted: a transducer on
 * feature input whose layers are unidirectional, optionally residual; anything else gets the
 * reason it cannot stream natively, and the caller keeps the TF.js path.
 */
import type { NativeStreamHandle, RnnNativeAddon } from '../../../native/rnn-native';
import { NATIVE_FLAGS } from '../../../native/rnn-native';
import { cellSpecOf } from '../model-params';
import type { ModelConfig } from '../model-config';
import type { RnnModel } from '../rnn-model';
import { nativeCellOf } from './native-sequence';

/** What the output layer applies to its logits (the session's `activation` entry). */
export const STREAM_ACTIVATIONS = { linear: 0, softmax: 1, sigmoid: 2 } as const;
export type StreamActivation = keyof typeof STREAM_ACTIVATIONS;

const FAMILY = { lstm: 0, gru: 1, elman: 2 } as const;

/**
 * Model config keys of a plain stacked transducer, which the native inference paths (this
 * session, the word transducer) know how to compute, or which do not change inference; any
 * other key set means the model needs what only the TF.js forward does.
 */
export const PLAIN_TRANSDUCER_KEYS: ReadonlySet<string> = new Set([
  'format',
  'version',
  'name',
  'pattern',
  'input',
  'layers',
  'residual',
  'dropout',
  'variationalDropout',
  'pooling',
  'output',
  'seed',
]);

/** Why this model cannot run as a native stream, or null when it can. */
export function nativeStreamRefusal(config: ModelConfig): string | null {
  if (config.pattern !== 'transducer') return `a ${config.pattern} model is not a transducer`;
  if (config.input.kind !== 'features') return 'its input is tokens, not features';
  if (config.layers.length === 0) return 'it has no recurrent layers';
  if (config.layers.some((layer) => layer.bidirectional))
    return 'a bidirectional layer needs the whole sequence';
  if (config.output.tiedEmbeddings) return 'its output layer is tied to embeddings';
  const unknown = Object.entries(config).filter(
    ([key, value]) => value !== undefined && !PLAIN_TRANSDUCER_KEYS.has(key),
  );
  if (unknown.length > 0)
    return `the native stream does not compute ${unknown.map(([key]) => key).join(', ')}`;
  return null;
}

/** A model stepped frame chunk by frame chunk on the native side. */
export class NativeModelStream {
  readonly inputSize: number;
  readonly classes: number;
  private readonly session: NativeStreamHandle;

  /** Copies the model's current weights: later changes to the model are not seen. */
  constructor(addon: RnnNativeAddon, model: RnnModel, activation: StreamActivation) {
    const config = model.config;
    const refusal = nativeStreamRefusal(config);
    if (refusal || config.input.kind !== 'features')
      throw new Error(`cannot stream this model natively: ${refusal ?? 'token input'}`);
    const inputSize = config.input.size;
    const values = (name: string): Float32Array =>
      Float32Array.from(model.param(name).dataSync() as Float32Array);
    const optional = (name: string): Float32Array | null =>
      model.params.has(name) ? values(name) : null;
    const spec: number[] = [
      config.layers.length,
      config.residual ? 1 : 0,
      STREAM_ACTIVATIONS[activation],
      config.output.size,
    ];
    const arrays: Array<Float32Array | null> = [];
    let input = inputSize;
    config.layers.forEach((layer, l) => {
      const cell = nativeCellOf(cellSpecOf(layer));
      const output = cell.projection ?? cell.units;
      const flags =
        (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
        (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
        (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0);
      spec.push(FAMILY[cell.family], input, cell.units, output, flags);
      const prefix = `encoder/layer${l}/fw`;
      arrays.push(
        values(`${prefix}/kernel`),
        values(`${prefix}/recurrent_kernel`),
        values(`${prefix}/bias`),
        cell.peephole ? optional(`${prefix}/peephole`) : null,
        cell.projection !== null ? optional(`${prefix}/projection`) : null,
      );
      input = output;
    });
    arrays.push(values('output/kernel'), values('output/bias'));
    this.session = new addon.StreamSession(Int32Array.from(spec), arrays);
    this.inputSize = inputSize;
    this.classes = config.output.size;
  }

  /**
   * x [frames, inputSize] -> [frames, classes] in `out` (allocated when not given), the state
   * carried on from the last call.
   */
  step(frames: number, x: Float32Array, out?: Float32Array): Float32Array {
    const result = out ?? new Float32Array(frames * this.classes);
    this.session.step(frames, x, result);
    return result;
  }

  /** Zero state: the next step starts a new stream. */
  reset(): void {
    this.session.reset();
  }

  /** Copies of layer `layer`'s state: h, and c for the LSTM family (else empty). */
  state(layer: number): { h: Float32Array; c: Float32Array } {
    const [h, c] = this.session.state(layer);
    return { h, c };
  }
}

/** The model as a native stream, or why not (no addon, or a model it cannot compute). */
export function openNativeModelStream(
  addon: RnnNativeAddon | null,
  model: RnnModel,
  activation: StreamActivation,
): { stream: NativeModelStream; reason: null } | { stream: null; reason: string } {
  if (!addon) return { stream: null, reason: 'the native kernel is not loaded' };
  if (typeof addon.StreamSession !== 'function')
    return { stream: null, reason: 'the native kernel was built without streaming sessions' };
  const refusal = nativeStreamRefusal(model.config);
  if (refusal) return { stream: null, reason: refusal };
  return { stream: new NativeModelStream(addon, model, activation), reason: null };
}
