import { join } from 'node:path';
import type { Posteriorgram, TierData } from '../../api/experiments';
import { frameShape } from '../audio/feature-config';
import type { FeatureConfig } from '../audio/feature-config';
import { decodeNpy } from '../audio/npy';
import { readAudioFile } from '../audio/wav';
import type { TextGrid } from '../corpus/formats/textgrid';
import type { Corpus, Utterance } from '../corpus/model';
import type { PhoneFolding } from '../corpus/phone-folding';
import { UnfoldError } from '../errors';
import { frameArgmax, medianSmoothLabels } from '../metrics/frame-decoding';
import { scoringClassMap } from '../metrics/phone-scoring';
import { speechData } from './dataset';
import { silencePhones } from './evaluate-phones';
import { findCorpusDir } from '../corpus/corpus-paths';
import type { PhonesConfig } from '../experiments/config/speech-config';
import type { EvaluationRef } from '../experiments/evaluations';
import { evaluatedCorpusDir, readItemOutput } from '../experiments/evaluations';
import { experimentModelTime } from '../experiments/experiment-folder';
import {
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from '../experiments/experiment-records';
import { modelPhoneFolding, POSTERIOR_OUTPUTS } from './phones-task';
import { featureConfigOf } from './speech-data';
import {
  firstFrameFrom,
  frameCentreSeconds,
  frameLabelsFromTier,
  frameStartSeconds,
  phonesTier,
} from './frame-labels';
import { groupPhonesByClass } from './phone-classes';
import type { Recognizer } from './recognizer';

/** Where a frame's posteriors sit on the time axis of the audio shown. */
export interface FrameTiming {
  hopSeconds: number;
  /** Centre of frame 0, in seconds from the start of the audio shown (the segment). */
  frameOffsetSeconds: number;
}

/**
 * The decoded phone string as a tier: per-frame argmax, the label median filter of
 * `medianWindow` frames (as the evaluation decodes), runs of one phone merged into one
 * interval, silence phones dropped (left as gaps). A run of frames a..b spans from half a hop
 * before frame a's centre to half a hop after frame b's, clipped at 0.
 */
export function decodedPhoneTier(
  posteriors: Float32Array,
  phones: readonly string[],
  options: { medianWindow: number; silence: readonly string[] },
  timing: FrameTiming,
): TierData {
  const smoothed = medianSmoothLabels(frameArgmax(posteriors, phones.length), options.medianWindow);
  const silence = new Set(options.silence);
  const { hopSeconds: hop, frameOffsetSeconds: offset } = timing;
  const intervals: TierData['intervals'] = [];
  let start = 0;
  for (let t = 1; t <= smoothed.length; t++) {
    if (t < smoothed.length && smoothed[t] === smoothed[start]) continue;
    const label = phones[smoothed[start] as number] ?? '';
    if (!silence.has(label)) {
      intervals.push({
        start: Math.max(0, offset + (start - 0.5) * hop),
        end: offset + (t - 0.5) * hop,
        label,
      });
    }
    start = t;
  }
  return { name: 'decoded', intervals };
}

/**
 * The interval tiers of a TextGrid on the time axis of one utterance: shifted so that the
 * segment starts at 0, clipped to it, gaps (empty intervals) left out. Point tiers are skipped.
 */
export function referenceTiers(
  grid: TextGrid,
  segment: { start: number; end: number } | null,
): TierData[] {
  const from = segment?.start ?? -Infinity;
  const to = segment?.end ?? Infinity;
  const shift = segment?.start ?? 0;
  const out: TierData[] = [];
  for (const tier of grid.tiers) {
    if (tier.kind !== 'interval') continue;
    out.push({
      name: tier.name,
      intervals: tier.intervals
        .filter((i) => i.text.trim() !== '' && i.xmax > from && i.xmin < to)
        .map((i) => ({
          start: Math.max(i.xmin, from) - shift,
          end: Math.min(i.xmax, to) - shift,
          label: i.text.trim(),
        })),
    });
  }
  return out;
}

/**
 * Frame accuracy of the argmax against reference class ids (-1 = not scored), both folded to
 * the 39 scoring phones when a folding is given (as metrics' frameAccuracy39), else on the
 * training set. Null when no frame has a reference.
 */
export function foldedFrameAccuracy(
  reference: Int32Array,
  posteriors: Float32Array,
  phones: readonly string[],
  folding: PhoneFolding | null,
): number | null {
  const argmax = frameArgmax(posteriors, phones.length);
  const map = folding ? scoringClassMap(phones, folding).map : null;
  const fold = (k: number): number => (map ? (map[k] as number) : k);
  let counted = 0;
  let correct = 0;
  for (let t = 0; t < Math.min(reference.length, argmax.length); t++) {
    const r = reference[t] as number;
    if (r < 0) continue;
    counted++;
    if (fold(r) === fold(argmax[t] as number)) correct++;
  }
  return counted > 0 ? correct / counted : null;
}

/** Frame centre of frame 0 from the start of the audio the features were computed on. */
function firstFrameCentre(features: FeatureConfig): number {
  return frameShape(features).frameLength / 2 / features.sampleRate;
}

/** Loads (and keeps) the experiment's recogniser only when the model has to run. */
export type RecognizerSource = (dir: string) => Promise<Recognizer>;

/** Reads (and may keep) a corpus by its folder. */
export type CorpusSource = (dir: string) => Promise<Corpus>;

export type PosteriorgramRequest =
  /** An utterance of an evaluation: of the experiment's own corpus (corpus null) or another's. */
  | { corpus: string | null; split: string; utteranceId: string }
  /** An absolute path of a WAV file (the caller confines it to the data folder). */
  | { file: string };

export type PosteriorgramResult = Omit<Posteriorgram, 'audioPath'> & {
  /** Absolute path of the audio the times refer to (with `segment`, a part of it). */
  audioFile: string;
};

interface ExperimentInfo {
  name: string;
  dir: string;
  config: PhonesConfig;
  phones: string[];
  features: FeatureConfig;
  folding: PhoneFolding;
  silence: string[];
}

async function experimentInfo(dir: string, name: string): Promise<ExperimentInfo> {
  const config = await readExperimentConfig(dir);
  if (config.task !== 'phones') {
    throw new UnfoldError(
      'POSTERIORGRAM_WORDS_TASK',
      `${name} is a words experiment: posteriorgrams show per-frame phone probabilities, so they need a phones experiment. Open the utterance in the spectrogram view instead.`,
    );
  }
  const labels = await readExperimentLabels(dir);
  const folding = await modelPhoneFolding((file) => readTaskFile(dir, file));
  return {
    name,
    dir,
    config,
    phones: labels.labels,
    features: featureConfigOf(config),
    folding,
    silence: silencePhones(labels.labels, folding),
  };
}

/**
 * The posteriors the evaluation saved for this utterance, if they belong to the current model:
 * written after the model file and with one column per label. Null otherwise.
 */
async function savedPosteriors(
  info: ExperimentInfo,
  ref: EvaluationRef,
  utteranceId: string,
): Promise<{ data: Float32Array; frames: number } | null> {
  const [saved, model] = await Promise.all([
    readItemOutput(info.dir, ref, { ...POSTERIOR_OUTPUTS, id: utteranceId }),
    experimentModelTime(info.dir),
  ]);
  if (saved === null || model === null || saved.modifiedMs < model) return null;
  let matrix;
  try {
    matrix = decodeNpy(saved.bytes, `${utteranceId}${POSTERIOR_OUTPUTS.extension}`);
  } catch {
    // Unreadable (e.g. written by another tool): running the model gives the same thing.
    return null;
  }
  if (matrix.dims !== info.phones.length) return null;
  return { data: matrix.data, frames: matrix.frames };
}

/** The folder of the corpus the evaluation ran on (as it recorded), else the experiment's own. */
async function corpusDirOfEvaluation(
  info: ExperimentInfo,
  ref: EvaluationRef,
  dataDir: string,
): Promise<string> {
  return (
    (await evaluatedCorpusDir(info.dir, ref)) ?? (await findCorpusDir(info.config.corpus, dataDir))
  );
}

function findUtterance(corpus: Corpus, id: string): Utterance {
  const utterance = speechData(corpus).utterances.find((u) => u.id === id);
  if (!utterance) {
    throw new UnfoldError(
      'POSTERIORGRAM_NO_UTTERANCE',
      `${corpus.manifest.name} has no utterance ${id}: the corpus changed since the evaluation. Evaluate again.`,
    );
  }
  return utterance;
}

/** Cuts [start, end) seconds out of mono audio. */
function cutSegment(
  audio: { sampleRate: number; samples: Float32Array },
  segment: { start: number; end: number },
): { sampleRate: number; samples: Float32Array } {
  const from = Math.max(0, Math.round(segment.start * audio.sampleRate));
  const to = Math.min(audio.samples.length, Math.round(segment.end * audio.sampleRate));
  return {
    sampleRate: audio.sampleRate,
    samples: audio.samples.subarray(from, Math.max(from, to)),
  };
}

function assemble(
  info: ExperimentInfo,
  posteriors: { data: Float32Array; frames: number },
  timing: FrameTiming,
  rest: Pick<PosteriorgramResult, 'utteranceId' | 'audioFile' | 'segment' | 'reference'> & {
    frameLabels: Int32Array | null;
  },
): PosteriorgramResult {
  return {
    experiment: info.name,
    utteranceId: rest.utteranceId,
    audioFile: rest.audioFile,
    segment: rest.segment,
    phones: info.phones,
    phoneClasses: groupPhonesByClass(info.phones),
    posteriors: posteriors.data,
    frames: posteriors.frames,
    hopSeconds: timing.hopSeconds,
    frameOffsetSeconds: timing.frameOffsetSeconds,
    reference: rest.reference,
    decoded: decodedPhoneTier(
      posteriors.data,
      info.phones,
      { medianWindow: info.config.medianWindow, silence: info.silence },
      timing,
    ),
    frameAccuracy: rest.frameLabels
      ? foldedFrameAccuracy(rest.frameLabels, posteriors.data, info.phones, info.folding)
      : null,
  };
}

/**
 * The posteriorgram of one corpus utterance of an evaluated split, or of a WAV file.
 *
 * For an utterance, the posteriors the evaluation saved (see phones-task.ts) are
 * used when they are newer than the model: they are exactly what the split's metrics were
 * computed from (same feature cache, and per-speaker CMVN pooled over the split, which a single
 * utterance cannot reproduce), and reading them costs nothing. Otherwise (evaluated without
 * posteriors, or retrained since) the model runs on the utterance's audio alone, as
 * `unfold recognize` does. A WAV file always runs the model.
 */
export async function computePosteriorgram(
  dir: string,
  name: string,
  request: PosteriorgramRequest,
  options: { dataDir: string; recognizer: RecognizerSource; corpus: CorpusSource },
): Promise<PosteriorgramResult> {
  const info = await experimentInfo(dir, name);
  const hopSeconds = frameShape(info.features).frameShift / info.features.sampleRate;
  if ('file' in request) {
    const recognizer = await options.recognizer(dir);
    const result = await recognizer.phonePosteriors(await readAudioFile(request.file));
    return assemble(
      info,
      { data: result.posteriors, frames: result.frames },
      { hopSeconds, frameOffsetSeconds: firstFrameCentre(info.features) },
      {
        utteranceId: null,
        audioFile: request.file,
        segment: null,
        reference: [],
        frameLabels: null,
      },
    );
  }
  const evaluation: EvaluationRef = { corpus: request.corpus, split: request.split };
  const corpus = await options.corpus(
    await corpusDirOfEvaluation(info, evaluation, options.dataDir),
  );
  const utterance = findUtterance(corpus, request.utteranceId);
  const data = speechData(corpus);
  const recording = data.recordings.find((r) => r.id === utterance.recordingId);
  if (!recording) {
    throw new UnfoldError(
      'SPEECH_NO_RECORDING',
      `Utterance ${utterance.id} has no recording ${utterance.recordingId}.`,
    );
  }
  const audioFile = join(corpus.dir, recording.path);
  const segment = utterance.segment ?? null;
  let posteriors = await savedPosteriors(info, evaluation, utterance.id);
  let frameOffsetSeconds = firstFrameCentre(info.features);
  // Where frame 0 starts in the recording: the evaluation cut the whole recording's frames from
  // the first whose centre lies in the segment (dataset.ts); a fresh run analyses the segment.
  let labelOffsetSeconds = segment?.start ?? 0;
  if (posteriors && segment) {
    const first = firstFrameFrom(segment.start, info.features);
    frameOffsetSeconds = frameCentreSeconds(first, info.features) - segment.start;
    labelOffsetSeconds = frameStartSeconds(first, info.features);
  }
  if (!posteriors) {
    const recognizer = await options.recognizer(dir);
    const audio = await readAudioFile(audioFile);
    const result = await recognizer.phonePosteriors(segment ? cutSegment(audio, segment) : audio);
    posteriors = { data: result.posteriors, frames: result.frames };
  }
  const grid = data.alignments.get(utterance.recordingId) ?? null;
  const tier = grid ? phonesTier(grid) : null;
  // Reference frame labels exactly as training and evaluation make them (frame-labels.ts).
  const frameLabels = tier
    ? frameLabelsFromTier(
        tier,
        posteriors.frames,
        info.features,
        new Map(info.phones.map((p, i) => [p, i])),
        labelOffsetSeconds,
      )
    : null;
  return assemble(
    info,
    posteriors,
    { hopSeconds, frameOffsetSeconds },
    {
      utteranceId: utterance.id,
      audioFile,
      segment,
      reference: grid ? referenceTiers(grid, segment) : [],
      frameLabels,
    },
  );
}
