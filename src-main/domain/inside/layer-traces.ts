/**
 * One input through a trained model, looked at layer by layer with the engine's introspection
 * (../rnn/introspection.ts): gates and states per step, their saturation and unit order, and
 * ||dLoss/dh_t|| for every step. The loss is the model's own answer's (there is no label for a
 * typed sentence or a recording): the cross-entropy of its predicted class, at one chosen output
 * step of a per-step model or over the whole sequence.
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
import type { RnnModel } from '../rnn/rnn-model';
import { modelOutputs, outputsOfLogits, type ModelOutputs } from './model-outputs';
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
  if (model.config.pattern === 'encoder-decoder')
    throw new UnfoldError(
      'INSIDE_UNSUPPORTED_MODEL',
      'Looking inside an encoder-decoder is not supported yet: its decoder reads the encoder through its final state only.',
    );
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
}

/**
 * The output shape of every layer direction on the whole example, by key in the order they run:
 * from a forward pass of its first step alone, [1, rows, units] -> [steps, rows, units] (every
 * layer of a model the trace takes runs over the input's steps). The trace's one pass needs them
 * before it starts.
 */
function layerShapesOf(
  model: RnnModel,
  example: SequenceExample,
  perStep: boolean,
): Map<string, number[]> {
  const first = makeBatch(model.config, [
    { ...example, length: 1, target: perStep ? new Int32Array(1) : 0 },
  ]);
  const shapes = new Map<string, number[]>();
  try {
    tf.tidy(() => {
      model.forward(modelBatchOf(first), {
        training: false,
        onLayer: (info) => {
          shapes.set(info.key, [example.length, ...info.result.outputs.shape.slice(1)]);
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
  options: { engine?: IntrospectionEngine } = {},
): TracedExample {
  checkTraceable(model);
  const perStep = answersPerStep(model);
  if (outputStep !== null && (!perStep || outputStep < 0 || outputStep >= example.length))
    throw new UnfoldError(
      'INSIDE_BAD_OUTPUT_STEP',
      perStep
        ? `Output step ${outputStep} is outside the input's ${example.length} steps (0 to ${example.length - 1}).`
        : 'This model gives one answer per sequence: there is no output step to choose, only the sequence loss.',
    );
  const layerShapes = layerShapesOf(model, example, perStep);
  // The targets are the answer, known only once the pass has the logits (answerLoss).
  const batch = makeBatch(model.config, [
    { ...example, target: perStep ? new Int32Array(example.length) : 0 },
  ]);
  const answer: { outputs?: Omit<ModelOutputs, 'layerShapes'> } = {};
  const answerLoss = (logits: tf.Tensor): tf.Scalar => {
    const { predicted } = (answer.outputs = outputsOfLogits(model, logits));
    const targets = perStep
      ? tf.tensor2d(predicted, [1, example.length], 'int32')
      : tf.tensor1d([predicted[0] as number], 'int32');
    let targetMask = batch.targetMask;
    if (outputStep !== null) {
      const only = new Float32Array(example.length);
      only[outputStep] = 1;
      targetMask = tf.tensor2d(only, [1, example.length]);
    }
    // Tensors made here are the gradient pass's: it disposes them.
    return sequenceLoss(model.config, logits, { ...batch, targets, targetMask }).loss;
  };
  try {
    const traces = introspect(model, batch, { ...options, layerShapes, loss: answerLoss });
    if (!answer.outputs) throw new Error('traceExample: the gradient pass gave no logits');
    const outputs = { ...answer.outputs, layerShapes };
    return { layers: traces.map(layerOf), predicted: outputs.predicted, outputs };
  } finally {
    disposeBatch(batch);
  }
}
