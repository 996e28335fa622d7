import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { loadModel, saveModel } from './model-io';
import type { Optimizer } from './optimizers';
import type { RnnModel } from './rnn-model';

export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  optimizerStep: number;
  learningRate: number;
  bestMetric: number | null;
  bestEpoch: number | null;
  epochsWithoutImprovement: number;
  history: EpochRecord[];
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  devLoss: number | null;
  devAccuracy: number | null;
  learningRate: number;
  seconds: number;
}

type Slot = 'last' | 'best';

/**
 * With weight averaging (weight-average.ts) the checkpoint's model is the averaged one, the
 * model a user evaluates and uses; the weights training goes on from are kept beside the
 * optimizer's slots under `<param>/training`, and a resumed run takes them back.
 */
const TRAINING_WEIGHTS_SUFFIX = '/training';

/**
 * Checkpoints are folders (model.json, weights.bin, optimizer.bin, state.json) that are never
 * modified once written; `last.json` / `best.json` point at one of them and are replaced
 * atomically, so a crash mid-write leaves the previous checkpoint in force.
 */
export async function writeCheckpoint(
  dir: string,
  slots: Slot[],
  model: RnnModel,
  optimizer: Optimizer,
  state: TrainState,
  /** The weights training goes on from, when the model's are averages (see above). */
  trainingWeights: Map<string, tf.Tensor> = new Map(),
): Promise<string> {
  const name = `ckpt-${String(state.epoch).padStart(4, '0')}-${Date.now().toString(36)}`;
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await saveModel(model, join(folder, 'model.json'));
  const slotTensors = [
    ...[...optimizer.slots].map(([slotName, tensor]) => ({
      name: slotName,
      tensor: tensor as tf.Tensor,
    })),
    ...[...trainingWeights].map(([param, tensor]) => ({
      name: `${param}${TRAINING_WEIGHTS_SUFFIX}`,
      tensor,
    })),
  ];
  const { data, specs } = await tf.io.encodeWeights(slotTensors);
  await writeFileAtomically(
    join(folder, 'optimizer.bin'),
    new Uint8Array(tf.io.CompositeArrayBuffer.join(data)),
  );
  await writeJsonAtomically(join(folder, 'state.json'), { ...state, optimizerSlots: specs });
  for (const slot of slots) await writeJsonAtomically(join(dir, `${slot}.json`), { folder: name });
  await pruneCheckpoints(dir);
  return folder;
}

async function readPointer(dir: string, slot: Slot): Promise<string | null> {
  try {
    const pointer = JSON.parse(await readFile(join(dir, `${slot}.json`), 'utf8')) as {
      folder: string;
    };
    return pointer.folder;
  } catch {
    return null;
  }
}

/** Removes checkpoint folders that neither last.json nor best.json points at. */
async function pruneCheckpoints(dir: string): Promise<void> {
  const keep = new Set([await readPointer(dir, 'last'), await readPointer(dir, 'best')]);
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('ckpt-') && !keep.has(entry))
      await rm(join(dir, entry), { recursive: true, force: true });
  }
}

export function checkpointModelPath(dir: string, folder: string): string {
  return join(dir, folder, 'model.json');
}

export async function checkpointFolder(dir: string, slot: Slot): Promise<string | null> {
  const folder = await readPointer(dir, slot);
  return folder ? join(dir, folder) : null;
}

/** The epochs completed by a slot's checkpoint, or null when there is none. */
export async function checkpointEpoch(dir: string, slot: Slot): Promise<number | null> {
  const folder = await checkpointFolder(dir, slot);
  if (!folder) return null;
  try {
    const state = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as TrainState;
    return state.epoch;
  } catch {
    return null;
  }
}

/** Loads the weights, optimizer slots and state of a checkpoint into a live model and optimizer. */
export async function restoreCheckpoint(
  dir: string,
  slot: Slot,
  model: RnnModel,
  optimizer: Optimizer,
): Promise<TrainState> {
  const folder = await checkpointFolder(dir, slot);
  if (!folder)
    throw new UnfoldError(
      'NO_CHECKPOINT',
      `No ${slot} checkpoint in ${dir}: start a new run instead of resuming.`,
    );
  const saved = await loadModel(join(folder, 'model.json'));
  for (const [name, variable] of model.params) variable.assign(saved.param(name));
  saved.dispose();
  const state = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as TrainState & {
    optimizerSlots: tf.io.WeightsManifestEntry[];
  };
  const bytes = await readFile(join(folder, 'optimizer.bin'));
  const slots = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    state.optimizerSlots,
  );
  optimizer.dispose();
  for (const [name, tensor] of Object.entries(slots)) {
    if (name.endsWith(TRAINING_WEIGHTS_SUFFIX)) {
      model.params.get(name.slice(0, -TRAINING_WEIGHTS_SUFFIX.length))?.assign(tensor);
    } else {
      optimizer.slots.set(name, tf.variable(tensor, false));
    }
    tensor.dispose();
  }
  optimizer.step = state.optimizerStep;
  optimizer.learningRate = state.learningRate;
  const { optimizerSlots: _ignored, ...rest } = state;
  return rest;
}
