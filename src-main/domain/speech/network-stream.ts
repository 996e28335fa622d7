/**
 * The acoustic network of a live phone recogniser, stepped chunk by chunk with its state carried:
 * on the native kernel a NativeModelStream (weights and state kept natively, one call per chunk
 * into a buffer), else TF.js (`transducerStep`, states as tensors). Both give the per-frame
 * softmax of the logits, as `transducerStep` always has.
 */
import type { FeatureMatrix } from '../audio/feature-matrix';
import { chooseRnnKernel } from '../rnn/kernels/native-sequence';
import { openNativeModelStream } from '../rnn/kernels/native-stream';
import type { NativeModelStream } from '../rnn/kernels/native-stream';
import { disposeLayerStates } from '../rnn/rnn-model';
import type { LayerState, RnnModel } from '../rnn/rnn-model';
import { transducerStep } from './inference';

export interface NetworkStream {
  /** `native`, or `tfjs` with the reason the native stream was not used. */
  readonly engine: 'native' | 'tfjs';
  readonly reason: string | null;
  /** Probabilities [frames, classes] of the chunk's frames, the state carried on. */
  step(chunk: FeatureMatrix): Float32Array;
  /** Forgets the state: the next chunk starts a new stream. */
  reset(): void;
}

class NativeNetworkStream implements NetworkStream {
  readonly engine = 'native' as const;
  readonly reason = null;
  constructor(private readonly stream: NativeModelStream) {}

  step(chunk: FeatureMatrix): Float32Array {
    return this.stream.step(chunk.frames, chunk.data);
  }

  reset(): void {
    this.stream.reset();
  }
}

class TfNetworkStream implements NetworkStream {
  readonly engine = 'tfjs' as const;
  private states: LayerState[] | null = null;
  constructor(
    private readonly model: RnnModel,
    readonly reason: string,
  ) {}

  step(chunk: FeatureMatrix): Float32Array {
    const { probabilities, states } = transducerStep(this.model, chunk, this.states);
    disposeLayerStates(this.states);
    this.states = states;
    return probabilities;
  }

  reset(): void {
    disposeLayerStates(this.states);
    this.states = null;
  }
}

/**
 * The model's network as a stream: native when the kernel choice (UNFOLD_RNN_KERNEL, the addon)
 * gives the native kernel and the model is one the native stream computes, else TF.js.
 */
export function openNetworkStream(model: RnnModel): NetworkStream {
  const choice = chooseRnnKernel();
  const native = openNativeModelStream(choice.addon, model, 'softmax');
  if (native.stream) return new NativeNetworkStream(native.stream);
  return new TfNetworkStream(model, choice.addon ? native.reason : choice.reason);
}
