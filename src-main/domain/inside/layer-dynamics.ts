/**
 * One recurrent layer of a trained model run freely: from zeros or from its state at a step of
 * an input, with zero or constant input, its recurrent weights scaled by a factor; the
 * trajectory projected on its two principal components and classified (free-dynamics.ts).
 */
import { MAX_DYNAMICS_STEPS } from '../../api/inside';
import type {
  DynamicsOptions,
  InsideDynamics,
  InsideLayer,
  InsideSeriesName,
} from '../../api/inside';
import { UnfoldError } from '../errors';
import type { LayerConfig } from '../rnn/model-config';
import { cellSpecOf } from '../rnn/model-params';
import type { RnnModel } from '../rnn/rnn-model';
import { cellStepper, type CellStepper } from './cell-steps';
import { classifyTrajectory, norm, trajectory } from './free-dynamics';
import { project2d } from './pca';

/** The config of the layer a key (`encoder/layer1/bw`) names. */
export function layerConfigOf(model: RnnModel, key: string): LayerConfig {
  const match = /^(encoder|decoder)\/layer(\d+)\/(fw|bw)$/.exec(key);
  const layers =
    match?.[1] === 'decoder' ? (model.config.decoder?.layers ?? []) : model.config.layers;
  const layer = match ? layers[Number(match[2])] : undefined;
  // A bidirectional LM's layers are unidirectional, but its backward stack has `bw` weights.
  const hasBackward =
    layer?.bidirectional || (model.config.bidirectionalLm && match?.[1] === 'encoder');
  if (!layer || (match?.[3] === 'bw' && !hasBackward))
    throw new UnfoldError('INSIDE_NO_LAYER', `The model has no recurrent layer ${key}.`);
  return layer;
}

/** The stepper of a layer direction with its trained weights, recurrent ones scaled. */
export function layerStepper(model: RnnModel, key: string, scale: number): CellStepper {
  const layer = layerConfigOf(model, key);
  const read = (name: string): Float32Array | undefined =>
    model.params.has(`${key}/${name}`)
      ? (model.param(`${key}/${name}`).dataSync() as Float32Array)
      : undefined;
  return cellStepper(
    cellSpecOf(layer),
    {
      kernel: read('kernel') as Float32Array,
      recurrent: read('recurrent_kernel') as Float32Array,
      bias: read('bias') as Float32Array,
      peephole: read('peephole'),
      projection: read('projection'),
    },
    scale,
  );
}

/** The series a layer's state is read from: its output, then (LSTM family) its cell state. */
export const STATE_SERIES = ['hidden', 'cell'] as const satisfies readonly InsideSeriesName[];

/** The layer's state (output, then cell) after step `step` of a trace. */
function stateAt(
  stepper: CellStepper,
  layer: InsideLayer | undefined,
  step: number,
  key: string,
): Float32Array {
  const series = (name: (typeof STATE_SERIES)[number]): Float32Array | undefined =>
    layer?.series.find((s) => s.name === name)?.data;
  const hidden = series('hidden');
  const steps = hidden ? hidden.length / stepper.outputSize : 0;
  if (!hidden || step < 0 || step >= steps)
    throw new UnfoldError(
      'INSIDE_BAD_START_STEP',
      `Step ${step} is outside the ${steps} steps of layer ${key}.`,
    );
  const state = new Float32Array(stepper.stateSize);
  state.set(hidden.subarray(step * stepper.outputSize, (step + 1) * stepper.outputSize));
  const cell = series('cell');
  if (cell && stepper.cellSize > 0)
    state.set(
      cell.subarray(step * stepper.cellSize, (step + 1) * stepper.cellSize),
      stepper.outputSize,
    );
  return state;
}

/** Runs a layer freely; `traced` (the input's layers) is needed only to start from a step. */
export function layerDynamics(
  model: RnnModel,
  traced: readonly InsideLayer[] | null,
  options: DynamicsOptions,
): InsideDynamics {
  if (!(options.steps >= 1 && options.steps <= MAX_DYNAMICS_STEPS))
    throw new UnfoldError(
      'INSIDE_BAD_STEPS',
      `Run the dynamics for 1 to ${MAX_DYNAMICS_STEPS} steps (not ${options.steps}).`,
    );
  const stepper = layerStepper(model, options.layer, options.scale);
  const inputSize = (model.param(`${options.layer}/kernel`).shape[0] as number) ?? 0;
  const drive = new Float32Array(inputSize).fill(
    options.drive.kind === 'constant' ? options.drive.value : 0,
  );
  const projected = stepper.project(drive);
  const start =
    options.startStep === null
      ? new Float32Array(stepper.stateSize)
      : stateAt(
          stepper,
          traced?.find((l) => l.key === options.layer),
          options.startStep,
          options.layer,
        );
  const map = (state: Float32Array): Float32Array => stepper.step(state, projected);
  const states = trajectory(map, start, options.steps);
  const { points, explained } = project2d(states);
  const flat = new Float32Array(states.length * stepper.stateSize);
  states.forEach((state, k) => flat.set(state, k * stepper.stateSize));
  return {
    layer: options.layer,
    scale: options.scale,
    points,
    explained,
    norms: Float32Array.from(states, norm),
    states: flat,
    stateSizes: { output: stepper.outputSize, cell: stepper.cellSize },
    behaviour: classifyTrajectory(map, states),
  };
}
