/**
 * A trained experiment opened for looking inside: its model, its labels and the task's own way
 * of turning an input into what the model reads (speech: the recogniser's features of a WAV or
 * corpus utterance; text: the task's tokeniser and word encoder), then the traces and the
 * dynamics of one input.
 */
import { basename, join } from 'node:path';
import type {
  DynamicsOptions,
  InsideAxis,
  InsideDynamics,
  InsideInput,
  InsideTrace,
} from '../../api/inside';
import type { FeatureMatrix } from '../audio/feature-matrix';
import { readAudioFile } from '../audio/wav';
import { readCorpus } from '../corpus/store/read-corpus';
import { initTfBackend } from '../backend/tf-backend';
import { UnfoldError } from '../errors';
import type { SpeechConfig } from '../experiments/config/speech-config';
import { experimentModelFile } from '../experiments/experiment-folder';
import {
  readCommonConfig,
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from '../experiments/experiment-records';
import type { SequenceExample } from '../rnn/batching';
import { loadModel } from '../rnn/model-io';
import type { RnnModel } from '../rnn/rnn-model';
import { speechData } from '../speech/dataset';
import { featuresOf } from '../speech/recognizer';
import { featureConfigOf } from '../speech/speech-data';
import { tokenizeText } from '../text/tokenize';
import { WORD_ENCODER_FILE, WordEncoder } from '../text/word-encoder';
import { layerDynamics } from './layer-dynamics';
import { answersPerStep, traceExample, type TracedExample } from './layer-traces';

/** Where a corpus named by an input lives: a CLI takes paths too, the API names in the data folder. */
export type CorpusResolver = (nameOrPath: string) => Promise<string>;

export interface PreparedInput {
  example: SequenceExample;
  axis: InsideAxis;
  features: { data: Float32Array; dims: number } | null;
}

type InputReader = (input: InsideInput, resolveCorpus: CorpusResolver) => Promise<PreparedInput>;

export interface InsideModel {
  dir: string;
  name: string;
  task: string;
  model: RnnModel;
  labels: readonly string[];
  /** What the model reads: 'text' or 'audio'. */
  reads: 'text' | 'audio';
  prepare: InputReader;
  dispose(): void;
}

function wrongInput(dir: string, reads: 'text' | 'audio', input: InsideInput): UnfoldError {
  return new UnfoldError(
    'INSIDE_WRONG_INPUT',
    `${basename(dir)} reads ${reads === 'text' ? 'text: give a sentence' : 'audio: give a WAV file or a corpus utterance'}, not ${input.kind === 'text' ? 'text' : 'audio'}.`,
  );
}

/** Mono audio cut to [start, end) seconds. */
function cutSegment(
  audio: { sampleRate: number; samples: Float32Array },
  segment: { start: number; end: number } | undefined,
): { sampleRate: number; samples: Float32Array } {
  if (!segment) return audio;
  const from = Math.max(0, Math.round(segment.start * audio.sampleRate));
  const to = Math.min(audio.samples.length, Math.round(segment.end * audio.sampleRate));
  return {
    sampleRate: audio.sampleRate,
    samples: audio.samples.subarray(from, Math.max(from, to)),
  };
}

function speechReader(dir: string, config: SpeechConfig): InputReader {
  const features = featureConfigOf(config);
  const axis: InsideAxis = { kind: 'frames', frameShiftSeconds: features.frameShiftMs / 1000 };
  const asPrepared = (matrix: FeatureMatrix): PreparedInput => ({
    example: { inputs: matrix.data, length: matrix.frames, target: 0 },
    axis,
    features: { data: matrix.data, dims: matrix.dims },
  });
  return async (input, resolveCorpus) => {
    if (input.kind === 'text') throw wrongInput(dir, 'audio', input);
    if (input.kind === 'wav')
      return asPrepared(
        await featuresOf(await readAudioFile(input.path), features, config.features.cmvn),
      );
    const corpus = await readCorpus(await resolveCorpus(input.corpus ?? config.corpus));
    const utterance = speechData(corpus).utterances.find((u) => u.id === input.utterance);
    const recording = speechData(corpus).recordings.find((r) => r.id === utterance?.recordingId);
    if (!utterance || !recording)
      throw new UnfoldError(
        'INSIDE_NO_UTTERANCE',
        `${corpus.manifest.name} has no utterance ${input.utterance}.`,
      );
    const audio = await readAudioFile(join(corpus.dir, recording.path));
    // One utterance alone is normalised on its own, as the recogniser does.
    return asPrepared(
      await featuresOf(cutSegment(audio, utterance.segment), features, config.features.cmvn),
    );
  };
}

function textReader(dir: string, encoder: WordEncoder): InputReader {
  return (input) => {
    if (input.kind !== 'text') return Promise.reject(wrongInput(dir, 'text', input));
    const tokens = tokenizeText(input.text).map((t) => t.text);
    if (tokens.length === 0)
      return Promise.reject(new UnfoldError('INSIDE_EMPTY_TEXT', 'The text has no words.'));
    return Promise.resolve({
      example: { ...encoder.encode(tokens, { training: false }), length: tokens.length, target: 0 },
      axis: { kind: 'tokens', tokens },
      features: null,
    });
  };
}

/** Opens a trained experiment: a speech task's, or a text task's with a word encoder. */
export async function loadInsideModel(dir: string): Promise<InsideModel> {
  await initTfBackend();
  const common = await readCommonConfig(dir);
  let prepare: InputReader;
  let reads: 'text' | 'audio';
  if (common.task === 'words' || common.task === 'phones') {
    const config = (await readExperimentConfig(dir)) as SpeechConfig;
    prepare = speechReader(dir, config);
    reads = 'audio';
  } else {
    const stored = await readTaskFile(dir, WORD_ENCODER_FILE);
    if (!stored)
      throw new UnfoldError(
        'INSIDE_UNSUPPORTED_TASK',
        `${dir} is a ${common.task} experiment with no ${WORD_ENCODER_FILE}: Unfold cannot prepare its input to look inside.`,
      );
    prepare = textReader(dir, WordEncoder.fromBytes(stored, WORD_ENCODER_FILE));
    reads = 'text';
  }
  const labels = (await readExperimentLabels(dir)).labels;
  const model = await loadModel(experimentModelFile(dir));
  return {
    dir,
    name: basename(dir),
    task: common.task,
    model,
    labels,
    reads,
    prepare,
    dispose: () => model.dispose(),
  };
}

/** One input's trace as the Inside view and `unfold inspect` show it. */
export function insideTraceOf(
  inside: InsideModel,
  prepared: PreparedInput,
  traced: TracedExample,
  outputStep: number | null,
): InsideTrace {
  return {
    experiment: inside.name,
    task: inside.task,
    steps: prepared.example.length,
    axis: prepared.axis,
    features: prepared.features,
    predicted: Array.from(traced.predicted, (k) => inside.labels[k] ?? String(k)),
    perStep: answersPerStep(inside.model),
    outputStep,
    layers: traced.layers,
  };
}

/** Prepares the input and traces it. */
export async function traceInput(
  inside: InsideModel,
  input: InsideInput,
  options: { resolveCorpus: CorpusResolver; outputStep?: number | null | undefined },
): Promise<InsideTrace> {
  const prepared = await inside.prepare(input, options.resolveCorpus);
  const outputStep = options.outputStep ?? null;
  return insideTraceOf(
    inside,
    prepared,
    traceExample(inside.model, prepared.example, outputStep),
    outputStep,
  );
}

/** The dynamics of one layer, starting (when asked) from its state at a step of the input. */
export async function inputDynamics(
  inside: InsideModel,
  input: InsideInput,
  options: DynamicsOptions & { resolveCorpus: CorpusResolver },
): Promise<InsideDynamics> {
  const prepared = await inside.prepare(input, options.resolveCorpus);
  const traced =
    options.startStep === null ? null : traceExample(inside.model, prepared.example, null);
  return layerDynamics(inside.model, traced?.layers ?? null, options);
}
