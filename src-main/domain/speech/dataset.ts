import { join } from 'node:path';
import type { Perturbation } from '../audio/augment';
import { perturbAudio, perturbationLabel } from '../audio/augment';
import type { FeatureConfig } from '../audio/feature-config';
import { featureDims } from '../audio/feature-config';
import { FeatureCache } from '../audio/feature-cache';
import type { FeatureMatrix } from '../audio/feature-matrix';
import type { CmvnStats } from '../audio/cmvn';
import {
  accumulateCmvnStats,
  emptyCmvnStats,
  normaliseBySpeaker,
  normaliseUtterance,
} from '../audio/cmvn';
import type { IntervalTier } from '../corpus/formats/textgrid';
import type { Corpus, SpeechCorpusData, Utterance } from '../corpus/model';
import { readAudioFile } from '../audio/wav';
import { UnfoldError, throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import type { DataSelection } from '../experiments/config/common-config';
import {
  firstFrameFrom,
  frameCentreSeconds,
  frameLabelsFromTier,
  frameStartSeconds,
  GAP_PHONE,
  phonesTier,
  tierPhones,
} from './frame-labels';

export type CmvnMode = 'utterance' | 'speaker' | 'none';

/** One utterance ready for the network, with what evaluation needs to report it. */
export interface SpeechItem {
  utteranceId: string;
  speaker: string;
  /** Absolute path of the recording, so a UI can play it. */
  audioPath: string;
  /** Seconds within the recording, for segments. */
  segment?: { start: number; end: number };
  text: string;
  features: FeatureMatrix;
  /** Phones task: class id per frame (-1 for a phone outside the label set). */
  frameLabels?: Int32Array;
  /** Phones task: the reference phone string from the TextGrid (no gaps). */
  referencePhones?: string[];
}

export function speechData(corpus: Corpus): SpeechCorpusData {
  if (corpus.data.kind !== 'speech') {
    throw new UnfoldError(
      'SPEECH_NOT_SPEECH_CORPUS',
      `${corpus.manifest.name} is a text corpus; speech experiments need a speech corpus.`,
    );
  }
  return corpus.data;
}

/** The utterances of the chosen splits and speakers, in corpus order (sorted by id). */
export function selectUtterances(corpus: Corpus, selection: DataSelection): Utterance[] {
  const data = speechData(corpus);
  for (const split of selection.splits) {
    if (!corpus.manifest.splits.includes(split)) {
      throw new UnfoldError(
        'SPEECH_NO_SUCH_SPLIT',
        `${corpus.manifest.name} has no split "${split}" (it has ${corpus.manifest.splits.join(', ')}).`,
      );
    }
  }
  const splits = new Set(selection.splits);
  const only = selection.speakers ? new Set(selection.speakers) : null;
  const excluded = new Set(selection.excludeSpeakers ?? []);
  return data.utterances.filter(
    (u) =>
      splits.has(u.split) && (only === null || only.has(u.speaker)) && !excluded.has(u.speaker),
  );
}

/** Word labels: the corpus's label set when it has one, else the training texts, sorted. */
export function wordLabelSet(corpus: Corpus, train: readonly Utterance[]): string[] {
  if (corpus.manifest.labels.length > 0) return [...corpus.manifest.labels];
  return [...new Set(train.map((u) => u.text))].sort();
}

/** Phone labels: every phone of the training utterances' phones tiers, plus the gap phone, sorted. */
export function phoneLabelSet(corpus: Corpus, train: readonly Utterance[]): string[] {
  const data = speechData(corpus);
  const phones = new Set<string>([GAP_PHONE]);
  for (const u of train) {
    const grid = data.alignments.get(u.recordingId);
    const tier = grid ? phonesTier(grid) : null;
    if (!tier) continue;
    for (const p of tierPhones(tier)) phones.add(p);
  }
  if (phones.size < 2) {
    throw new UnfoldError(
      'SPEECH_NO_ALIGNMENTS',
      `${corpus.manifest.name} has no phone alignments for its training utterances: the phones task needs TextGrids with a "phones" tier (synthesise sentences, or import TextGrids).`,
    );
  }
  return [...phones].sort();
}

function cutFrames(
  features: FeatureMatrix,
  config: FeatureConfig,
  segment?: { start: number; end: number },
): { features: FeatureMatrix; startSeconds: number } {
  if (!segment) return { features, startSeconds: 0 };
  const first = Math.min(features.frames, firstFrameFrom(segment.start, config));
  let last = first;
  while (last < features.frames && frameCentreSeconds(last, config) < segment.end) last++;
  return {
    features: {
      data: features.data.slice(first * features.dims, last * features.dims),
      frames: last - first,
      dims: features.dims,
    },
    // Frame labels are read at the kept frames' own centres, not at the segment's start.
    startSeconds: frameStartSeconds(first, config),
  };
}

export interface LoadItemsOptions extends LongOperationOptions {
  /** Label each frame with its phone from the alignments (utterances without one are skipped). */
  frameLabels: boolean;
  features: FeatureConfig;
  cmvn: CmvnMode;
  cacheDir: string;
  /** Phones task: the label set (index = class id). */
  phoneIndex?: ReadonlyMap<string, number>;
  /**
   * Training augmentation: one extra copy of every utterance per perturbation (the identity is
   * skipped: the originals are always there). A copy is its own "speaker" for per-speaker CMVN
   * (as Kaldi's `sp1.1-` speakers are) and does not count in `rawStats`.
   */
  perturbations?: readonly Perturbation[];
}

/** One utterance's features before normalisation: the original or a perturbed copy. */
interface RawEntry {
  utterance: Utterance;
  id: string;
  /** Speaker key for per-speaker CMVN. */
  cmvnSpeaker: string;
  features: FeatureMatrix;
  /** The analysis settings the frames came from (warped copies use shorter frames). */
  config: FeatureConfig;
  /** Perturbed time = original time / timeScale. */
  timeScale: number;
  /** Where the first kept frame starts in its recording (perturbed time), for frame labels. */
  startSeconds: number;
}

function scaledTier(tier: IntervalTier, timeScale: number): IntervalTier {
  if (timeScale === 1) return tier;
  return {
    ...tier,
    xmin: tier.xmin / timeScale,
    xmax: tier.xmax / timeScale,
    intervals: tier.intervals.map((i) => ({
      ...i,
      xmin: i.xmin / timeScale,
      xmax: i.xmax / timeScale,
    })),
  };
}

function scaledSegment(
  segment: { start: number; end: number } | undefined,
  timeScale: number,
): { start: number; end: number } | undefined {
  return segment && { start: segment.start / timeScale, end: segment.end / timeScale };
}

/** Features of the perturbed copies of every utterance (cached like the originals). */
async function perturbedEntries(
  utterances: readonly Utterance[],
  pathOf: (u: Utterance) => string,
  cache: FeatureCache,
  options: LoadItemsOptions,
): Promise<RawEntry[]> {
  const perturbations = (options.perturbations ?? []).filter((p) => p.speed !== 1 || p.warp !== 1);
  const entries: RawEntry[] = [];
  if (perturbations.length === 0) return entries;
  const rate = options.features.sampleRate;
  for (const [n, u] of utterances.entries()) {
    throwIfAborted(options.signal);
    const audio = await readAudioFile(pathOf(u), { sampleRate: rate });
    for (const p of perturbations) {
      const perturbed = await perturbAudio(audio.samples, options.features, p);
      const { features: whole } = await cache.forAudio(
        { sampleRate: rate, samples: perturbed.samples },
        perturbed.config,
      );
      const label = perturbationLabel(p);
      const { features, startSeconds } = cutFrames(
        whole,
        perturbed.config,
        scaledSegment(u.segment, perturbed.timeScale),
      );
      if (features.frames === 0) continue;
      entries.push({
        utterance: u,
        id: `${u.id}#${label}`,
        cmvnSpeaker: `${u.speaker}#${label}`,
        features,
        config: perturbed.config,
        timeScale: perturbed.timeScale,
        startSeconds,
      });
    }
    options.onProgress?.({
      fraction: (n + 1) / utterances.length,
      message: `augmentation: ${n + 1}/${utterances.length}`,
    });
  }
  return entries;
}

/**
 * Features (through the on-disk FeatureCache), normalisation and labels for a list of
 * utterances. Utterances too short to give one frame are left out (reported in `skipped`).
 */
export async function loadSpeechItems(
  corpus: Corpus,
  utterances: readonly Utterance[],
  options: LoadItemsOptions,
): Promise<{ items: SpeechItem[]; skipped: string[]; rawStats: CmvnStats }> {
  const data = speechData(corpus);
  const recordings = new Map(data.recordings.map((r) => [r.id, r]));
  const pathOf = (u: Utterance): string => {
    const recording = recordings.get(u.recordingId);
    if (!recording)
      throw new UnfoldError(
        'SPEECH_NO_RECORDING',
        `Utterance ${u.id} has no recording ${u.recordingId}.`,
      );
    return join(corpus.dir, recording.path);
  };
  const paths = [...new Set(utterances.map(pathOf))];
  const cache = new FeatureCache(options.cacheDir);
  const byPath = await cache.forFiles(paths, options.features, {
    signal: options.signal,
    // The cache names its own stage ("features: 14/396"): prefixing it again doubled the word.
    onProgress: options.onProgress,
  });
  throwIfAborted(options.signal);
  const entries: RawEntry[] = [];
  const skipped: string[] = [];
  for (const u of utterances) {
    const whole = byPath.get(pathOf(u));
    const cut = whole ? cutFrames(whole, options.features, u.segment) : null;
    if (!cut || cut.features.frames === 0) skipped.push(u.id);
    else
      entries.push({
        utterance: u,
        id: u.id,
        cmvnSpeaker: u.speaker,
        features: cut.features,
        config: options.features,
        timeScale: 1,
        startSeconds: cut.startSeconds,
      });
  }
  // The prior of the live normaliser: the recorded audio only, not the perturbed copies.
  const rawStats = emptyCmvnStats(featureDims(options.features));
  for (const { features } of entries) accumulateCmvnStats(rawStats, features);
  const kept = new Set(entries.map((e) => e.utterance.id));
  entries.push(
    ...(await perturbedEntries(
      utterances.filter((u) => kept.has(u.id)),
      pathOf,
      cache,
      options,
    )),
  );
  const raw = new Map(entries.map((e) => [e.id, { speaker: e.cmvnSpeaker, features: e.features }]));
  const normalised =
    options.cmvn === 'speaker'
      ? normaliseBySpeaker(raw)
      : new Map(
          [...raw].map(([id, v]) => [
            id,
            options.cmvn === 'utterance' ? normaliseUtterance(v.features) : v.features,
          ]),
        );
  const items: SpeechItem[] = [];
  for (const entry of entries) {
    const u = entry.utterance;
    const features = normalised.get(entry.id);
    if (!features) continue;
    const item: SpeechItem = {
      utteranceId: entry.id,
      speaker: u.speaker,
      audioPath: pathOf(u),
      text: u.text,
      features,
      ...(u.segment ? { segment: u.segment } : {}),
    };
    if (options.frameLabels) {
      const grid = data.alignments.get(u.recordingId);
      const tier = grid ? phonesTier(grid) : null;
      if (!tier) {
        if (entry.timeScale === 1) skipped.push(u.id);
        continue;
      }
      const offset = u.segment?.start ?? 0;
      item.frameLabels = frameLabelsFromTier(
        scaledTier(tier, entry.timeScale),
        features.frames,
        entry.config,
        options.phoneIndex ?? new Map(),
        entry.startSeconds,
      );
      item.referencePhones = tierPhones(tier, offset, u.segment?.end ?? Infinity);
    }
    items.push(item);
  }
  return { items, skipped, rawStats };
}

export function inputDims(features: FeatureConfig): number {
  return featureDims(features);
}
