/**
 * One input through a trained model, looked at layer by layer with the engine's introspection
 * (../rnn/introspection.ts): gates and states per step, their saturation and unit order, and
 * ||dLoss/dh_t|| for every step. The loss is the model's own answer's (there is no label for a
 * typed sentence or a recording) or, when asked, a corpus utterance's reference (a language
 * model's: its text's next units, lm-input.ts): the cross-entropy of that class, at one chosen
 * output step of a per-step model or over the whole sequence.
 */
import * as tf from '@tensorflow/tfjs';
import type { InsideLayer, InsideSeries, InsideSeriesName } from '../../api/inside';
import { UnfoldError } from '../errors';
import { disposeBatch, makeBatch, modelBatchOf } from '../rnn/batching';
import type { SequenceExample } from '../rnn/batching';
import type { CellKind } from '../rnn/cell-kinds';
import { introspect } from '../rnn/introspection';
import type { IntrospectionEngine, LayerTrace, ShapedArray } from '../rnn/introspection';
import { sequenceLoss } from '../rnn/losses';
import type { ForwardResult, RnnModel } from '../rnn/rnn-model';
import {
  batchTargetOf,
  directionOutputs,
  modelOutputs,
  outputStepsOf,
  outputsOfLogits,
  type ModelOutputs,
} from './model-outputs';
import { saturationOf, unitsByVariance } from './unit-statistics';

/** The series of each cell family, in the order the view shows them. */
const SERIES_ORDER: Record<CellKind, InsideSeriesName[]> = {
  rnn: ['hidden'],
  gru: ['update', 'reset', 'candidate', 'hidden'],
  lstm: ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'],
  peephole: ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'],
  lstmp: ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'],
};

const GATES = new Set<InsideSeriesName>(['input', 'forget', 'output', 'update', 'reset']);

export function seriesTitle(cell: CellKind, name: InsideSeriesName): string {
  switch (name) {
    case 'input':
      return 'input gate i';
    case 'forget':
      return 'forget gate f';
    case 'output':
      return 'output gate o';
    case 'candidate':
      return cell === 'gru' ? 'candidate state h̃' : 'candidate g';
    case 'cell':
      return 'cell state c';
    case 'update':
      return 'update gate z';
    case 'reset':
      return 'reset gate r';
    case 'hidden':
      return cell === 'lstmp'
        ? 'projection output r'
        : cell === 'rnn' || cell === 'gru'
          ? 'hidden state h'
          : 'output h';
  }
}

/** Whether the model answers per step (an output step can be chosen) or once per sequence. */
export function answersPerStep(model: RnnModel): boolean {
  return model.config.pattern !== 'encoder';
}

function checkTraceable(model: RnnModel): void {
  if (model.config.layers.length === 0)
    throw new UnfoldError(
      'INSIDE_NO_RECURRENT_LAYER',
      'This model has no recurrent layer (a convolution encoder): there are no gates or states to show.',
    );
}

/** The model's predicted class ids: one per step (per-step models) or one. */
export function predictedClasses(model: RnnModel, example: SequenceExample): Int32Array {
  return modelOutputs(model, example, answersPerStep(model)).predicted;
}

function seriesOf(cell: CellKind, name: InsideSeriesName, array: ShapedArray): InsideSeries {
  // introspect's arrays are [time, batch = 1, units]: row-major [steps, units] already.
  const steps = array.shape[0] as number;
  const units = array.shape[2] as number;
  return {
    name,
    title: seriesTitle(cell, name),
    data: array.data,
    units,
    saturation: GATES.has(name) ? saturationOf(array.data) : null,
    varianceOrder: unitsByVariance(array.data, steps, units),
  };
}

function layerOf(trace: LayerTrace): InsideLayer {
  const cell = trace.cellKind as CellKind;
  const arrays: Partial<Record<InsideSeriesName, ShapedArray>> = {
    ...(trace.gates as Partial<Record<InsideSeriesName, ShapedArray>>),
    hidden: trace.hidden,
    ...(trace.cellState ? { cell: trace.cellState } : {}),
  };
  return {
    key: trace.layer,
    cell,
    // An encoder-decoder's decoder runs over its target; every other layer over the input.
    sequence: trace.layer.startsWith('decoder/') ? 'target' : 'source',
    series: SERIES_ORDER[cell].flatMap((name) => {
      const array = arrays[name];
      return array ? [seriesOf(cell, name, array)] : [];
    }),
    gradNorm: trace.gradNorm.data,
  };
}

export interface TracedExample {
  layers: InsideLayer[];
  predicted: Int32Array;
  /** The activated outputs the prediction was read from. */
  outputs: ModelOutputs;
  /**
   * An encoder-decoder's target: the ids its decoder read them from (the example's target) and,
   * with decoder attention, the weights [target steps, source steps]; null for other models.
   */
  target: { ids: Int32Array; attention: Float32Array | null } | null;
  /**
   * A bidirectional LM's backward direction's outputs (the previous unit's distribution), in the
   * text's time order like its layers; null for other models.
   */
  backward: ModelOutputs | null;
}

/**
 * The output shape of every layer direction on the whole example, by key in the order they run:
 * from a forward pass of its first step alone, [1, rows, units] -> [steps, rows, units] (every
 * layer runs over the input's steps but an encoder-decoder's decoder, which reads its whole
 * target in that pass too). The trace's one pass needs them before it starts.
 */
function layerShapesOf(
  model: RnnModel,
  example: SequenceExample,
  perStep: boolean,
): Map<string, number[]> {
  const first = makeBatch(model.config, [
    {
      ...example,
      length: 1,
      target: perStep ? batchTargetOf(model, { ...example, length: 1 }, true) : 0,
    },
  ]);
  const shapes = new Map<string, number[]>();
  try {
    tf.tidy(() => {
      model.forward(modelBatchOf(first), {
        training: false,
        onLayer: (info) => {
          const shape = info.result.outputs.shape;
          shapes.set(
            info.key,
            info.key.startsWith('decoder/') ? shape : [example.length, ...shape.slice(1)],
          );
        },
      });
    });
  } finally {
    disposeBatch(first);
  }
  return shapes;
}

/**
 * Traces one example. `outputStep` (per-step models only) scores that step alone; null scores
 * every step (per-step models) or the sequence's one answer. One forward and backward pass of the
 * model gives both the answer (its outputs' argmax, read from the pass's logits) and the
 * gradient of the answer's loss that reaches each layer.
 */
export function traceExample(
  model: RnnModel,
  example: SequenceExample,
  outputStep: number | null,
  options: {
    engine?: IntrospectionEngine;
    /**
     * The loss's class ids instead of the answer (the reference: one per step, or one); -1 leaves
     * a step out of the loss. A bidirectional LM's: the forward row's steps, then the backward
     * row's, both in the text's time order (an output step scores both rows at that step).
     */
    targets?: Int32Array | null;
  } = {},
): TracedExample {
  checkTraceable(model);
  const perStep = answersPerStep(model);
  // An encoder-decoder's output steps are its decoder's (its target's), not the input's.
  const steps = outputStepsOf(model, example);
  if (outputStep !== null && (!perStep || outputStep < 0 || outputStep >= steps))
    throw new UnfoldError(
      'INSIDE_BAD_OUTPUT_STEP',
      perStep
        ? `Output step ${outputStep} is outside the ${steps} output steps (0 to ${steps - 1}).`
        : 'This model gives one answer per sequence: there is no output step to choose, only the sequence loss.',
    );
  const layerShapes = layerShapesOf(model, example, perStep);
  // The targets are the reference, or the answer known only once the pass has the logits (answerLoss).
  const batch = makeBatch(model.config, [
    { ...example, target: batchTargetOf(model, example, perStep) },
  ]);
  // A bidirectional LM's batch has a backward row (the text reversed) beside the forward one.
  const rows = model.config.bidirectionalLm ? 2 : 1;
  const answer: {
    outputs?: Omit<ModelOutputs, 'layerShapes'>;
    backward?: Omit<ModelOutputs, 'layerShapes'>;
    attention?: Float32Array;
  } = {};
  const answerLoss = (logits: tf.Tensor, forward: ForwardResult): tf.Scalar => {
    const all = outputsOfLogits(model, logits);
    if (rows === 2) {
      const { forward: ahead, backward } = directionOutputs(all);
      answer.outputs = ahead;
      answer.backward = backward;
    } else answer.outputs = all;
    // [1, target steps, source steps] with batch 1: row-major [target steps, source steps].
    if (forward.alignment) answer.attention = forward.alignment.dataSync() as Float32Array;
    // Row by row in the text's time order: the forward row's, then (biLM) the backward row's.
    const scored =
      options.targets ??
      (answer.backward
        ? Int32Array.from([...answer.outputs.predicted, ...answer.backward.predicted])
        : answer.outputs.predicted);
    // The batch's layout, [rows, steps]: its backward row ran over the text reversed.
    const textStep = (k: number): number => (k >= steps ? 2 * steps - 1 - k : perStep ? k : 0);
    const scoredAt = (k: number): number =>
      scored[(k >= steps ? steps : 0) + textStep(k)] as number;
    const ids = Int32Array.from({ length: rows * (perStep ? steps : 1) }, (_, k) =>
      Math.max(0, scoredAt(k)),
    );
    const targets = perStep
      ? tf.tensor2d(ids, [rows, steps], 'int32')
      : tf.tensor1d([ids[0] as number], 'int32');
    let targetMask = batch.targetMask;
    if (outputStep !== null || (perStep && scored.some((id) => id < 0))) {
      const kept = Float32Array.from({ length: rows * steps }, (_, k) =>
        (outputStep === null || textStep(k) === outputStep) && scoredAt(k) >= 0 ? 1 : 0,
      );
      targetMask = tf.tensor2d(kept, [rows, steps]);
    }
    // Tensors made here are the gradient pass's: it disposes them.
    return sequenceLoss(model.config, logits, { ...batch, targets, targetMask }).loss;
  };
  try {
    const traces = introspect(model, batch, {
      ...(options.engine ? { engine: options.engine } : {}),
      layerShapes,
      loss: answerLoss,
      withAttention: model.config.decoder?.attention === 'additive',
    });
    if (!answer.outputs) throw new Error('traceExample: the gradient pass gave no logits');
    const outputs = { ...answer.outputs, layerShapes };
    const target =
      model.config.pattern === 'encoder-decoder'
        ? { ids: example.target as Int32Array, attention: answer.attention ?? null }
        : null;
    return {
      layers: traces.map(layerOf),
      predicted: outputs.predicted,
      outputs,
      target,
      backward: answer.backward ? { ...answer.backward, layerShapes } : null,
    };
  } finally {
    disposeBatch(batch);
  }
}
