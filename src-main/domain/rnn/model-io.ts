import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { parseModelConfig } from './model-config';
import { modelParamSpecs } from './model-params';
import { RnnModel } from './rnn-model';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Save format: we keep our own model class (not tf.layers), because training needs what
 * model.fit cannot do (truncated BPTT with carried state, sequence-level custom gradients,
 * masks per step), so there is no tf.layers topology to save. The files follow the TF.js
 * model-artifacts layout so the standard loaders read them:
 * - model.json: `{ format: 'unfold-rnn', generatedBy, modelTopology: <our config>, weightsManifest }`,
 *   the ModelJSON shape of tf.io, readable by
 *   `tf.io.getModelArtifactsForJSON` / `tf.io.loadWeights`;
 * - weights.bin: float32 little-endian, in manifest order (`tf.io.encodeWeights`).
 * Weight names are layer paths (`encoder/layer0/fw/kernel`) with tf.layers' shapes and gate
 * orders, so a converter can map them onto tf.layers LSTM/GRU/SimpleRNN layers.
 */
export async function modelArtifacts(model: RnnModel): Promise<tf.io.ModelArtifacts> {
  const named = modelParamSpecs(model.config).map((spec) => ({
    name: spec.name,
    tensor: model.param(spec.name) as tf.Tensor,
  }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return {
    modelTopology: model.config as unknown as tf.io.ModelJSON['modelTopology'],
    format: 'unfold-rnn',
    generatedBy: 'unfold',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
}

export function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): RnnModel {
  if (artifacts.format !== 'unfold-rnn') {
    throw new UnfoldError(
      'BAD_MODEL_FILE',
      `This model.json is in the "${artifacts.format ?? 'unknown'}" format, not an Unfold RNN model.`,
    );
  }
  const config = parseModelConfig(artifacts.modelTopology);
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new UnfoldError(
      'BAD_MODEL_FILE',
      'The model has no weights: weights.bin is missing next to model.json.',
    );
  }
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const params = new Map<string, tf.Variable>();
  for (const spec of modelParamSpecs(config)) {
    const tensor = tensors[spec.name];
    if (!tensor || tensor.shape.join('x') !== spec.shape.join('x')) {
      tf.dispose(Object.values(tensors));
      throw new UnfoldError(
        'BAD_MODEL_FILE',
        `The weights do not match the config: ${spec.name} is missing or has the wrong shape.`,
      );
    }
    params.set(spec.name, tf.variable(tensor, true, `${spec.name}_loaded_${nextId()}`));
  }
  tf.dispose(Object.values(tensors));
  return new RnnModel(config, params);
}

let ids = 0;
function nextId(): number {
  ids += 1;
  return ids;
}

/** A tf.io handler that writes model.json + weights.bin atomically into a folder. */
export function fileSaveHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const folder = dirname(modelJsonPath);
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const manifest: tf.io.WeightsManifestConfig = [
        { paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] },
      ];
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: manifest,
      };
      // Weights first: a model.json on disk always points at complete weights.
      await writeFileAtomically(join(folder, WEIGHTS_FILE), new Uint8Array(weightData));
      await writeJsonAtomically(modelJsonPath, json);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** A tf.io handler that reads what fileSaveHandler wrote. */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new UnfoldError(
          'BAD_MODEL_FILE',
          `Cannot read ${modelJsonPath}: ${(error as Error).message}`,
        );
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        const specs: tf.io.WeightsManifestEntry[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            const bytes = await readFile(join(dirname(modelJsonPath), path));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
          specs.push(...group.weights);
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

export async function saveModel(model: RnnModel, modelJsonPath: string): Promise<void> {
  const handler = fileSaveHandler(modelJsonPath);
  await handler.save?.(await modelArtifacts(model));
}

export async function loadModel(modelJsonPath: string): Promise<RnnModel> {
  const artifacts = await fileLoadHandler(modelJsonPath).load?.();
  if (!artifacts) throw new UnfoldError('BAD_MODEL_FILE', `Cannot load ${modelJsonPath}.`);
  return modelFromArtifacts(artifacts);
}
