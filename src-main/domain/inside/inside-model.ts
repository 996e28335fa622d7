/**
 * A trained experiment opened for looking inside: its model, its labels and the task's own way
 * of turning an input into what the model reads (speech: the recogniser's features of a WAV or
 * corpus utterance; text: the task's tokeniser and word encoder, a language model's units), then
 * the traces and the dynamics of one input.
 */
import { basename, join } from 'node:path';
import type {
  DynamicsOptions,
  InsideAxis,
  InsideDynamics,
  InsideInput,
  InsideLayer,
  InsideLossTarget,
  InsideTrace,
} from '../../api/inside';
import type { MonoAudio } from '../audio/types';
import { readAudioFile } from '../audio/wav';
import { MANIFEST_FILE } from '../corpus/manifest';
import { alignmentPath, splitDataDir } from '../corpus/store/layout';
import { readCorpus } from '../corpus/store/read-corpus';
import { initTfBackend } from '../backend/tf-backend';
import { UnfoldError } from '../errors';
import type { SpeechConfig } from '../experiments/config/speech-config';
import { EXPERIMENT_FILES, experimentModelFile } from '../experiments/experiment-folder';
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
import { referenceTargets, utteranceReference } from './corpus-reference';
import type { Seq2seqLabels } from '../text/seq2seq/symbol-tables';
import { InputCache } from './input-cache';
import { layerDynamics, STATE_SERIES } from './layer-dynamics';
import { insideOutputsOf } from './model-outputs';
import { answersPerStep, traceExample, type TracedExample } from './layer-traces';
import { preparedSeq2seq } from './seq2seq-input';
import { preparedLm, type LmReader } from './lm-input';
import { LmVocabulary, lmCharactersOf, type LmLabels } from '../text/lm/lm-vocabulary';

/** Where a corpus named by an input lives: a CLI takes paths too, the API names in the data folder. */
export type CorpusResolver = (nameOrPath: string) => Promise<string>;

export interface PreparedInput {
  example: SequenceExample;
  axis: InsideAxis;
  features: { data: Float32Array; dims: number } | null;
  /**
   * A corpus utterance's reference labels (corpus-reference.ts), a language model's next units
   * (lm-input.ts); absent or null for other input.
   */
  reference?: string[] | null;
  /** A bidirectional LM's backward reference: the unit before each step's (lm-input.ts). */
  backwardReference?: string[] | null;
  /**
   * The files it was read from (a WAV; a recording and the corpus files naming it): a change
   * makes a kept copy stale.
   */
  sources: readonly string[];
}

/** What is kept of an input between requests: prepared, and each layer's states once traced. */
export interface KeptInput {
  prepared: PreparedInput;
  /** Each layer's STATE_SERIES over the input (the dynamics start there); null until traced. */
  states: readonly InsideLayer[] | null;
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
  /** The last few inputs, prepared and with their states (input-cache.ts). */
  inputs: InputCache<KeptInput>;
  dispose(): void;
}

/** A cache of inputs for one opened model. */
export function keptInputs(): InputCache<KeptInput> {
  return new InputCache<KeptInput>({ sourcesOf: (kept) => kept.prepared.sources });
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

/**
 * A recording as a speech task reads it: the recogniser's features, normalised alone when the
 * config asks for any CMVN (as the recogniser does for a single utterance).
 */
export async function preparedSpeech(
  audio: MonoAudio,
  config: Pick<SpeechConfig, 'features'>,
  sources: readonly string[],
): Promise<PreparedInput> {
  const features = featureConfigOf(config);
  const matrix = await featuresOf(audio, features, config.features.cmvn);
  return {
    example: { inputs: matrix.data, length: matrix.frames, target: 0 },
    axis: { kind: 'frames', frameShiftSeconds: features.frameShiftMs / 1000 },
    features: { data: matrix.data, dims: matrix.dims },
    sources,
  };
}

function speechReader(dir: string, config: SpeechConfig, labels: readonly string[]): InputReader {
  return async (input, resolveCorpus) => {
    if (input.kind === 'text') throw wrongInput(dir, 'audio', input);
    if (input.kind === 'wav')
      return preparedSpeech(await readAudioFile(input.path), config, [input.path]);
    const corpus = await readCorpus(await resolveCorpus(input.corpus ?? config.corpus));
    const utterance = speechData(corpus).utterances.find((u) => u.id === input.utterance);
    const recording = speechData(corpus).recordings.find((r) => r.id === utterance?.recordingId);
    if (!utterance || !recording)
      throw new UnfoldError(
        'INSIDE_NO_UTTERANCE',
        `${corpus.manifest.name} has no utterance ${input.utterance}.`,
      );
    const audioPath = join(corpus.dir, recording.path);
    // The files that say which audio and which stretch of it the utterance is.
    const listings = corpus.manifest.splits.flatMap((split) =>
      ['wav.scp', 'segments', 'text'].map((file) => join(corpus.dir, splitDataDir(split), file)),
    );
    const prepared = await preparedSpeech(
      cutSegment(await readAudioFile(audioPath), utterance.segment),
      config,
      [
        audioPath,
        join(corpus.dir, MANIFEST_FILE),
        join(corpus.dir, alignmentPath(recording.id)),
        ...listings,
      ],
    );
    const reference = utteranceReference(
      config.task,
      speechData(corpus),
      utterance,
      prepared.example.length,
      featureConfigOf(config),
      labels,
    );
    return { ...prepared, reference };
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
      sources: [],
    });
  };
}

/**
 * Opens a trained experiment: a speech task's, an encoder-decoder's, a language model's (its
 * vocabulary in labels.json), or another text task's with a word encoder.
 */
export async function loadInsideModel(dir: string): Promise<InsideModel> {
  await initTfBackend();
  const common = await readCommonConfig(dir);
  // labels.json once: the classes for every task, and a seq2seq's tables or an LM's vocabulary.
  const storedLabels = await readExperimentLabels(dir);
  const labels = storedLabels.labels;
  let prepare: InputReader;
  let reads: 'text' | 'audio';
  if (common.task === 'words' || common.task === 'phones') {
    const config = (await readExperimentConfig(dir)) as SpeechConfig;
    prepare = speechReader(dir, config, labels);
    reads = 'audio';
  } else if (common.task === 'seq2seq') {
    const tables = storedLabels as Seq2seqLabels;
    // The reader decodes with the model, loaded below before any input is read.
    prepare = (input) =>
      input.kind === 'text'
        ? Promise.resolve(preparedSeq2seq(model, tables, input.text))
        : Promise.reject(wrongInput(dir, 'text', input));
    reads = 'text';
  } else if (common.task === 'lm') {
    const stored = storedLabels as LmLabels;
    const file = join(dir, EXPERIMENT_FILES.labels);
    const { level, tokenizer } = stored;
    const reader: LmReader = {
      vocabulary: LmVocabulary.fromLabels(stored, file),
      rule: { level, tokenizer },
      characters: lmCharactersOf(stored, file),
    };
    prepare = (input) =>
      input.kind === 'text'
        ? Promise.resolve().then(() => preparedLm(reader, input.text))
        : Promise.reject(wrongInput(dir, 'text', input));
    reads = 'text';
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
  const model = await loadModel(experimentModelFile(dir));
  return {
    dir,
    name: basename(dir),
    task: common.task,
    model,
    labels,
    reads,
    prepare,
    inputs: keptInputs(),
    dispose: () => model.dispose(),
  };
}

/** One input's trace as the Inside view and `unfold inspect` show it. */
export function insideTraceOf(
  inside: InsideModel,
  prepared: PreparedInput,
  traced: TracedExample,
  outputStep: number | null,
  lossTarget: InsideLossTarget = 'answer',
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
    outputs: insideOutputsOf(inside.model.config.output.activation, traced.outputs, inside.labels),
    target: traced.target && {
      steps: traced.target.ids.length,
      axis: {
        kind: 'tokens',
        tokens: Array.from(traced.target.ids, (k) => inside.labels[k] ?? String(k)),
      },
      attention: traced.target.attention,
    },
    reference: prepared.reference ?? null,
    backward: traced.backward && {
      predicted: Array.from(traced.backward.predicted, (k) => inside.labels[k] ?? String(k)),
      outputs: insideOutputsOf(
        inside.model.config.output.activation,
        traced.backward,
        inside.labels,
      ),
      reference: prepared.backwardReference ?? null,
    },
    lossTarget,
  };
}

export interface TraceOptions {
  /** Per-step models: the loss at this output step only; null: the sequence loss. */
  outputStep?: number | null | undefined;
  /** Absent: the reference when the input has one the model can score, else the answer. */
  lossTarget?: InsideLossTarget | undefined;
  trace?: ExampleTracer;
}

/**
 * Traces a prepared input, the loss scoring the reference or the model's answer: the reference
 * is scored only where the model has its class (a phone or word the model never learnt is left
 * out); with none of them, or no reference, the answer is.
 */
export function tracePrepared(
  inside: InsideModel,
  prepared: PreparedInput,
  options: TraceOptions = {},
): { trace: InsideTrace; traced: TracedExample } {
  const outputStep = options.outputStep ?? null;
  // A bidirectional LM's backward reference follows the forward one's (layer-traces.ts' layout).
  const targets =
    options.lossTarget !== 'answer' && prepared.reference
      ? referenceTargets(
          [...prepared.reference, ...(prepared.backwardReference ?? [])],
          inside.labels,
        )
      : null;
  const traced = (options.trace ?? traceExample)(
    inside.model,
    prepared.example,
    outputStep,
    targets ? { targets } : {},
  );
  const lossTarget = targets ? 'reference' : 'answer';
  return { trace: insideTraceOf(inside, prepared, traced, outputStep, lossTarget), traced };
}

/** A cache key of an input (a WAV by its path, resolved by the caller). */
function inputKey(input: InsideInput): string {
  switch (input.kind) {
    case 'text':
      return JSON.stringify(['text', input.text]);
    case 'wav':
      return JSON.stringify(['wav', input.path]);
    case 'utterance':
      return JSON.stringify(['utterance', input.corpus ?? null, input.utterance]);
  }
}

/** The input prepared, from the model's cache when it was seen before. */
function keptInput(
  inside: InsideModel,
  input: InsideInput,
  resolveCorpus: CorpusResolver,
): Promise<KeptInput> {
  return inside.inputs.get(inputKey(input), async () => ({
    prepared: await inside.prepare(input, resolveCorpus),
    states: null,
  }));
}

/** Each layer with only the series the dynamics start from. */
function statesOf(layers: readonly InsideLayer[]): InsideLayer[] {
  return layers.map((layer) => ({
    ...layer,
    series: layer.series.filter((s) => (STATE_SERIES as readonly string[]).includes(s.name)),
  }));
}

/** traceExample, or a stand-in (tests count the traces). */
export type ExampleTracer = typeof traceExample;

export interface InputRequestOptions {
  resolveCorpus: CorpusResolver;
  trace?: ExampleTracer;
}

/** Prepares the input (or takes it from the cache) and traces it, keeping its states. */
export async function traceInput(
  inside: InsideModel,
  input: InsideInput,
  options: InputRequestOptions & TraceOptions,
): Promise<InsideTrace> {
  const kept = await keptInput(inside, input, options.resolveCorpus);
  const { trace, traced } = tracePrepared(inside, kept.prepared, options);
  kept.states = statesOf(traced.layers);
  return trace;
}

/**
 * The dynamics of one layer, starting (when asked) from its state at a step of the input. Only
 * the first request for an input (unless a trace of it came first) prepares and traces it: the
 * slider's next steps run the free dynamics alone.
 */
export async function inputDynamics(
  inside: InsideModel,
  input: InsideInput,
  options: DynamicsOptions & InputRequestOptions,
): Promise<InsideDynamics> {
  const kept = await keptInput(inside, input, options.resolveCorpus);
  if (options.startStep !== null && !kept.states)
    kept.states = statesOf(
      (options.trace ?? traceExample)(inside.model, kept.prepared.example, null).layers,
    );
  return layerDynamics(inside.model, options.startStep === null ? null : kept.states, options);
}
