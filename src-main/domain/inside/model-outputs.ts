/**
 * The model's outputs on one input, as the Inside view shows them under the gates: its output
 * activation (softmax, sigmoid) per step of a per-step model or for a sequence's one answer, the
 * predicted classes, and the classes worth showing (the highest peaks) when there are many.
 */
import * as tf from '@tensorflow/tfjs';
import type { InsideOutputs } from '../../api/inside';
import { MAX_INSIDE_OUTPUT_CLASSES } from '../../api/inside';
import { disposeBatch, makeBatch, modelBatchOf } from '../rnn/batching';
import type { SequenceExample } from '../rnn/batching';
import { activateOutput } from '../rnn/rnn-model';
import type { RnnModel } from '../rnn/rnn-model';

export interface ModelOutputs {
  /** Row-major [steps, classes], after the output activation. */
  values: Float32Array;
  /** Rows: the input's steps (per-step models) or 1 (one answer per sequence). */
  steps: number;
  classes: number;
  /** The argmax of each row. */
  predicted: Int32Array;
  /** The output shape of every layer direction by key, in the order they ran (for introspect). */
  layerShapes: Map<string, number[]>;
}

/** The index of the largest value of each row of a row-major [rows, columns] array. */
export function rowArgmax(values: Float32Array, rows: number, columns: number): Int32Array {
  const best = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let top = 0;
    for (let c = 1; c < columns; c++)
      if ((values[r * columns + c] as number) > (values[r * columns + top] as number)) top = c;
    best[r] = top;
  }
  return best;
}

/** The model's activated outputs read from its logits, and the argmax of each row. */
export function outputsOfLogits(
  model: RnnModel,
  logits: tf.Tensor,
): Omit<ModelOutputs, 'layerShapes'> {
  // Per-step logits are time-major [steps, 1, classes], a sequence's [1, classes]: with batch 1
  // both are row-major [rows, classes].
  const activated = tf.tidy(() => activateOutput(model.config, logits));
  const values = Float32Array.from(activated.dataSync());
  // A linear output is the logits themselves: the caller's.
  if (activated !== logits) activated.dispose();
  const classes = model.config.output.size;
  const steps = values.length / classes;
  return { values, steps, classes, predicted: rowArgmax(values, steps, classes) };
}

/**
 * A bidirectional LM's outputs split by direction: its logits are time-major [steps, 2 rows,
 * classes], the forward row's then the backward row's at each step. The backward row ran over the
 * text reversed, so its rows are put back in the text's time order (row t: the backward LM having
 * read the text from its end back to unit t).
 */
export function directionOutputs(outputs: Omit<ModelOutputs, 'layerShapes'>): {
  forward: Omit<ModelOutputs, 'layerShapes'>;
  backward: Omit<ModelOutputs, 'layerShapes'>;
} {
  const { values, classes } = outputs;
  const steps = outputs.steps / 2;
  const direction = (row: number): Omit<ModelOutputs, 'layerShapes'> => {
    const picked = new Float32Array(steps * classes);
    for (let t = 0; t < steps; t++) {
      const runStep = row === 0 ? t : steps - 1 - t;
      const from = (runStep * 2 + row) * classes;
      picked.set(values.subarray(from, from + classes), t * classes);
    }
    return { values: picked, steps, classes, predicted: rowArgmax(picked, steps, classes) };
  };
  return { forward: direction(0), backward: direction(1) };
}

/**
 * The target an example is batched with when its answer is not known yet: none that counts (the
 * loss's targets come later), but an encoder-decoder keeps its own, which its decoder reads
 * (teacher forcing) and whose length is the decoder's steps.
 */
export function batchTargetOf(
  model: RnnModel,
  example: SequenceExample,
  perStep: boolean,
): SequenceExample['target'] {
  if (model.config.pattern === 'encoder-decoder') {
    if (!(example.target instanceof Int32Array) || example.target.length === 0)
      throw new Error('an encoder-decoder example is traced with the output its decoder reads');
    return example.target;
  }
  return perStep ? new Int32Array(example.length) : 0;
}

/** How many output steps the model gives for the example: a per-step model's, its decoder's. */
export function outputStepsOf(model: RnnModel, example: SequenceExample): number {
  return model.config.pattern === 'encoder-decoder'
    ? (batchTargetOf(model, example, true) as Int32Array).length
    : example.length;
}

/** One forward pass of the example: the activated outputs and the argmax of each row. */
export function modelOutputs(
  model: RnnModel,
  example: SequenceExample,
  perStep: boolean,
): ModelOutputs {
  const batch = makeBatch(model.config, [
    { ...example, target: batchTargetOf(model, example, perStep) },
  ]);
  const layerShapes = new Map<string, number[]>();
  let logits: tf.Tensor | null = null;
  try {
    logits = tf.tidy(
      () =>
        model.forward(modelBatchOf(batch), {
          training: false,
          onLayer: (info) => {
            layerShapes.set(info.key, info.result.outputs.shape);
          },
        }).logits,
    );
    return { ...outputsOfLogits(model, logits), layerShapes };
  } finally {
    logits?.dispose();
    disposeBatch(batch);
  }
}

/** Up to `max` class ids by falling peak over the rows (ties: the lower id first). */
export function classesByPeak(
  values: Float32Array,
  rows: number,
  columns: number,
  max: number,
): Int32Array {
  const peaks = new Float64Array(columns).fill(-Infinity);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      peaks[c] = Math.max(peaks[c] as number, values[r * columns + c] as number);
  const order = Array.from({ length: columns }, (_, c) => c);
  order.sort((a, b) => (peaks[b] as number) - (peaks[a] as number) || a - b);
  return Int32Array.from(order.slice(0, Math.max(0, max)));
}

/** What the trace carries of the outputs: the top classes' columns, labelled. */
export function insideOutputsOf(
  activation: InsideOutputs['activation'],
  outputs: ModelOutputs,
  labels: readonly string[],
  max = MAX_INSIDE_OUTPUT_CLASSES,
): InsideOutputs {
  const { values, steps, classes: columns } = outputs;
  const classes = classesByPeak(values, steps, columns, max);
  const data = new Float32Array(steps * classes.length);
  for (let t = 0; t < steps; t++)
    classes.forEach((c, k) => (data[t * classes.length + k] = values[t * columns + c] as number));
  return {
    activation,
    classes,
    labels: Array.from(classes, (c) => labels[c] ?? String(c)),
    data,
    steps,
    totalClasses: columns,
  };
}
