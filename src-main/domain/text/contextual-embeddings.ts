/**
 * Contextual embeddings (Peters et al. 2018) from a trained bidirectional LM experiment: its
 * layers for tokenised sentences, and the record a tagger or classifier keeps of the biLM it
 * was trained with (`contextual-embeddings.json` beside its model), checked again whenever the
 * task model runs, so that a task model never reads layers of another biLM than its own.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { initTfBackend } from '../backend/tf-backend';
import { UnfoldError, throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import {
  EXPERIMENT_FILES,
  experimentDir,
  experimentModelFile,
  experimentTrainingState,
} from '../experiments/experiment-folder';
import {
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from '../experiments/experiment-records';
import type { SequenceExample } from '../rnn/batching';
import { loadModel } from '../rnn/model-io';
import type { RnnModel } from '../rnn/rnn-model';
import type { CharacterVocabulary } from './characters';
import { contextualLayersOf } from './lm/bilm-steps';
import type { ContextualLayers } from './lm/bilm-steps';
import { LmVocabulary, lmCharactersOf } from './lm/lm-vocabulary';
import { parseStoredJson } from './stored-json';

/** The task file that names the biLM a tagger or classifier reads. */
export const CONTEXTUAL_EMBEDDINGS_FILE = 'contextual-embeddings.json';

const RecordSchema = z.object({
  format: z.literal('unfold-contextual-embeddings'),
  version: z.literal(1),
  /** The name the config gave (an experiment of the data folder, or a path). */
  experiment: z.string(),
  /** Its folder when the task model was trained. */
  dir: z.string(),
  /** SHA-256 of the biLM's weights then: a retrained biLM is another biLM. */
  weightsSha256: z.string(),
  layers: z.number().int().positive(),
  size: z.number().int().positive(),
});
export type ContextualEmbeddingsRecord = z.infer<typeof RecordSchema>;

/** A trained biLM loaded to give contextual layers. */
export interface BidirectionalLm {
  dir: string;
  /** The number of layers per token (the token representation, then each recurrent layer). */
  layers: number;
  /** The size of each layer's vector (both directions side by side). */
  size: number;
  weightsSha256: string;
  /** Each sentence's layers (sentences as words). */
  layersOf(sentences: readonly (readonly string[])[]): ContextualLayers[];
  dispose(): void;
}

async function weightsSha256(dir: string): Promise<string> {
  const bytes = await readFile(join(dir, EXPERIMENT_FILES.modelFolder, 'weights.bin'));
  return createHash('sha256').update(bytes).digest('hex');
}

export function bidirectionalLmFrom(
  dir: string,
  model: RnnModel,
  vocabulary: LmVocabulary,
  characters: CharacterVocabulary,
  sha256: string,
): BidirectionalLm {
  const input = model.config.input;
  const tokenSize = input.kind === 'tokens' ? input.embeddingSize + (input.chars?.filters ?? 0) : 0;
  return {
    dir,
    layers: model.config.layers.length + 1,
    size: 2 * tokenSize,
    weightsSha256: sha256,
    layersOf: (sentences) => contextualLayersOf(model, vocabulary, characters, sentences),
    dispose: () => model.dispose(),
  };
}

/** Loads a trained bidirectional LM experiment (its folder), refusing anything else by name. */
export async function loadBidirectionalLm(dir: string): Promise<BidirectionalLm> {
  await initTfBackend();
  if ((await experimentTrainingState(dir)) !== 'trained')
    throw new UnfoldError(
      'CONTEXTUAL_EMBEDDINGS_MISSING',
      `There is no trained experiment at ${dir}: contextual embeddings need a trained bidirectional language model (unfold train --task lm with model.direction "bidirectional").`,
    );
  const config = await readExperimentConfig(dir);
  if (config.task !== 'lm' || config.model.direction !== 'bidirectional')
    throw new UnfoldError(
      'NOT_A_BIDIRECTIONAL_LM',
      `${dir} is ${config.task === 'lm' ? 'a forward language model' : `a ${config.task} experiment`}: contextual embeddings need a bidirectional language model (task lm, model.direction "bidirectional").`,
    );
  const labels = await readExperimentLabels(dir);
  const file = join(dir, 'labels.json');
  const characters = lmCharactersOf(labels, file);
  if (!characters)
    throw new UnfoldError('LM_NO_CHARACTERS', `${file} has no character set: train ${dir} again.`);
  const vocabulary = LmVocabulary.fromLabels(labels, file);
  const sha256 = await weightsSha256(dir);
  const model = await loadModel(experimentModelFile(dir));
  return bidirectionalLmFrom(dir, model, vocabulary, characters, sha256);
}

/** The biLM a task config names, for training: its folder in the data folder (or the path given). */
export async function loadNamedBidirectionalLm(
  experiment: string,
  dataDir: string,
): Promise<{ lm: BidirectionalLm; record: ContextualEmbeddingsRecord }> {
  const dir = resolve(experimentDir(experiment, dataDir));
  const lm = await loadBidirectionalLm(dir);
  return {
    lm,
    record: {
      format: 'unfold-contextual-embeddings',
      version: 1,
      experiment,
      dir,
      weightsSha256: lm.weightsSha256,
      layers: lm.layers,
      size: lm.size,
    },
  };
}

export function recordToBytes(record: ContextualEmbeddingsRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record, null, 2));
}

/**
 * The biLM a trained task model recorded, loaded again: refused, naming it, when its folder is
 * gone or holds another model than the one the task model was trained with.
 */
export async function loadRecordedBidirectionalLm(
  bytes: Uint8Array | null,
  taskName: string,
): Promise<BidirectionalLm> {
  const taskDir = taskName;
  if (!bytes)
    throw new UnfoldError(
      'CONTEXTUAL_EMBEDDINGS_RECORD',
      `${taskDir} was trained with contextual embeddings but has no ${CONTEXTUAL_EMBEDDINGS_FILE} naming its biLM: train it again.`,
    );
  const file = `${CONTEXTUAL_EMBEDDINGS_FILE} of ${taskName}`;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new UnfoldError(
      'CONTEXTUAL_EMBEDDINGS_RECORD',
      `${file}: not JSON (${(error as Error).message}).`,
    );
  }
  const record = parseStoredJson(RecordSchema, value, file, 'contextual-embeddings record');
  if ((await experimentTrainingState(record.dir)) !== 'trained')
    throw new UnfoldError(
      'CONTEXTUAL_EMBEDDINGS_MISSING',
      `${basename(taskDir)} reads contextual embeddings from the bidirectional LM "${record.experiment}" (${record.dir}), which is no longer there: restore it, or train ${basename(taskDir)} again with another biLM.`,
    );
  const lm = await loadBidirectionalLm(record.dir);
  if (
    lm.weightsSha256 !== record.weightsSha256 ||
    lm.layers !== record.layers ||
    lm.size !== record.size
  ) {
    lm.dispose();
    throw new UnfoldError(
      'CONTEXTUAL_EMBEDDINGS_CHANGED',
      `The bidirectional LM "${record.experiment}" (${record.dir}) was retrained after ${basename(taskDir)} was trained with it: its layers are not the ones ${basename(taskDir)} learnt to mix. Train ${basename(taskDir)} again.`,
    );
  }
  return lm;
}

/** Examples with each sentence's biLM layers (`contextual`, [tokens, layers * size]). */
export function withContextualLayers<T extends SequenceExample>(
  lm: BidirectionalLm | null,
  examples: T[],
  sentences: readonly (readonly string[])[],
): T[] {
  if (!lm) return examples;
  const layers = lm.layersOf(sentences);
  return examples.map((example, i) => ({ ...example, contextual: layers[i]?.values }));
}

/** Sentences per call of layersOf in withContextualLayersInSteps: a progress step. */
export const CONTEXTUAL_SENTENCES_PER_STEP = 256;

/**
 * withContextualLayers for a corpus (a training or evaluation set: a minute of the biLM for
 * EWT's 12,500 training sentences on one thread): in steps of CONTEXTUAL_SENTENCES_PER_STEP
 * sentences, with progress, cancellation and a yield between steps.
 */
export async function withContextualLayersInSteps<T extends SequenceExample>(
  lm: BidirectionalLm | null,
  examples: T[],
  sentences: readonly (readonly string[])[],
  { onProgress, signal, what }: LongOperationOptions & { what: string },
): Promise<T[]> {
  if (!lm) return examples;
  const out: T[] = [];
  for (let first = 0; first < sentences.length; first += CONTEXTUAL_SENTENCES_PER_STEP) {
    throwIfAborted(signal);
    const end = Math.min(first + CONTEXTUAL_SENTENCES_PER_STEP, sentences.length);
    out.push(...withContextualLayers(lm, examples.slice(first, end), sentences.slice(first, end)));
    onProgress?.({
      fraction: end / sentences.length,
      message: `biLM layers of the ${what}: ${end} of ${sentences.length} sentences`,
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** The engine's `input.contextual` of a biLM. */
export function contextualInputOf(lm: Pick<BidirectionalLm, 'layers' | 'size'>): {
  layers: number;
  size: number;
} {
  return { layers: lm.layers, size: lm.size };
}

/** What a task adds to its training plan for a biLM: the record beside its model, the summary's figures. */
export function contextualPlanParts(named: { record: ContextualEmbeddingsRecord }): {
  files: Record<string, Uint8Array>;
  summary: Record<string, unknown>;
} {
  const { record } = named;
  return {
    files: { [CONTEXTUAL_EMBEDDINGS_FILE]: recordToBytes(record) },
    summary: {
      contextualEmbeddings: {
        experiment: record.experiment,
        layers: record.layers,
        size: record.size,
      },
    },
  };
}

/**
 * The biLM a trained task model reads (through its recorded file), or null when the model has
 * no contextual input. The caller disposes it.
 */
export async function recordedLmOf(
  model: RnnModel,
  readStoredFile: (name: string) => Promise<Uint8Array | null>,
  taskName: string,
): Promise<BidirectionalLm | null> {
  const input = model.config.input;
  if (input.kind !== 'tokens' || !input.contextual) return null;
  return loadRecordedBidirectionalLm(await readStoredFile(CONTEXTUAL_EMBEDDINGS_FILE), taskName);
}

/**
 * What a tagger's or classifier's training plan takes of the biLM its config names: the biLM
 * (the caller disposes it), the engine input part, the record and summary figures; with no
 * biLM named, nulls and empty parts.
 */
export async function plannedContextualEmbeddings(
  choice: { experiment: string } | null | undefined,
  dataDir: string,
): Promise<{
  lm: BidirectionalLm | null;
  input: { contextual?: { layers: number; size: number } };
  files: Record<string, Uint8Array>;
  summary: Record<string, unknown>;
}> {
  if (!choice) return { lm: null, input: {}, files: {}, summary: {} };
  const named = await loadNamedBidirectionalLm(choice.experiment, dataDir);
  return {
    lm: named.lm,
    input: { contextual: contextualInputOf(named.lm) },
    ...contextualPlanParts(named),
  };
}

/**
 * A trained text task's model and the biLM it reads (null when none), checked against its
 * record; the model is disposed when the biLM cannot be loaded.
 */
export async function loadModelWithRecordedLm(
  dir: string,
): Promise<{ model: RnnModel; contextual: BidirectionalLm | null }> {
  const model = await loadModel(experimentModelFile(dir));
  try {
    const contextual = await recordedLmOf(model, (name) => readTaskFile(dir, name), basename(dir));
    return { model, contextual };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
