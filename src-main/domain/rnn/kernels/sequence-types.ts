import type * as tf from '@tensorflow/tfjs';

/**
 * What one recurrent layer computes over a whole sequence, time-major.
 * Every kernel (Elman, LSTM family, GRU) returns this from its forward pass and takes the
 * cache back in its backward pass, so one custom-gradient wrapper serves them all.
 */
export interface SequenceForward {
  /** Output per time step, each [batch, outputSize]. Padded steps repeat the previous output. */
  outputs: tf.Tensor[];
  /** Cell state after the last step, [batch, cellSize]; null for cells without a cell state. */
  finalCell: tf.Tensor | null;
  /** Everything the backward pass needs, as lists of tensors in a kernel-defined order. */
  cache: tf.Tensor[][];
  /** Named per-step activations for introspection (gates, cell state); same tensors as the cache. */
  gates: Record<string, tf.Tensor[]>;
}

export interface SequenceGradients {
  /** Gradient with respect to the input sequence, [time, batch, inputSize]. */
  dx: tf.Tensor3D;
  /** Gradients for the weights, in the same order as the kernel's weight list. */
  dWeights: tf.Tensor[];
  /** Gradient with respect to the initial output/hidden state, [batch, outputSize]. */
  dh0: tf.Tensor;
  /** Gradient with respect to the initial cell state; null for cells without one. */
  dc0: tf.Tensor | null;
  /** Gradient of the loss with respect to the output/hidden state at each step (for introspection). */
  dhPerStep: tf.Tensor[];
}

export interface SequenceInputs {
  /** [time, batch, inputSize] */
  x: tf.Tensor3D;
  weights: tf.Tensor[];
  h0: tf.Tensor;
  c0: tf.Tensor | null;
  /** [time, batch, 1] of 0/1: 0 marks a padded step that must change neither state nor gradient. */
  mask: tf.Tensor3D | null;
  /**
   * Run over time reversed (the backward direction of a bidirectional layer): x and mask are
   * given, and outputs come back, in the original time order; the final states are those after
   * the last processed step (original time 0). Read by runSequence and the native runner only:
   * a kernel's own forward/backward always walk the steps in the order given.
   */
  reverse?: boolean;
}

export interface SequenceKernel {
  /** Size of the output (= recurrent state fed back) per step. */
  outputSize: number;
  /** Size of the cell state, 0 when there is none. */
  cellSize: number;
  forward(inputs: SequenceInputs): SequenceForward;
  /**
   * BPTT: walks back from the last step. `dOutputs` is dLoss/dOutput per step,
   * `dFinalCell` dLoss/dFinalCell (or null).
   */
  backward(
    inputs: SequenceInputs,
    cache: tf.Tensor[][],
    dOutputs: tf.Tensor[],
    dFinalCell: tf.Tensor | null,
  ): SequenceGradients;
}

/** What running a layer over a sequence gives (kernels/sequence-op.ts, the native runner). */
export interface SequenceResult {
  /** [time, batch, outputSize] */
  outputs: tf.Tensor3D;
  /**
   * Output/hidden state after the last processed (unpadded) step, [batch, outputSize]: for a
   * reversed run, the one at original time 0.
   */
  finalOutput: tf.Tensor;
  /** Cell state after the last step, or null for cells without one. */
  finalCell: tf.Tensor | null;
}
