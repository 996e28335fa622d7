/**
 * The reference (gold) labels of a corpus utterance, read the way the speech task reads its
 * training targets: a phones experiment's per-frame phones from the corpus's phone alignment
 * (`speech/frame-labels.ts`, the phone of the interval covering each frame's centre, `pau` in
 * gaps), a words experiment's one word (the utterance's text). The loss can score them instead of
 * the model's own answer (`referenceTargets`).
 */
import type { FeatureConfig } from '../audio/feature-config';
import type { SpeechCorpusData, Utterance } from '../corpus/model';
import { frameLabelsFromTier, GAP_PHONE, phonesTier } from '../speech/frame-labels';

/**
 * The reference of `utterance` for a model reading `frames` feature frames of it (the audio cut
 * to its segment, so frame 0 starts at the segment's start): one phone per frame (phones), one
 * word (words); null when a phones utterance's recording has no `phones` tier. Phones the model
 * does not know keep their own name.
 */
export function utteranceReference(
  task: 'phones' | 'words',
  data: Pick<SpeechCorpusData, 'alignments'>,
  utterance: Pick<Utterance, 'recordingId' | 'text' | 'segment'>,
  frames: number,
  features: FeatureConfig,
  labels: readonly string[],
): string[] | null {
  if (task === 'words') return [utterance.text];
  const grid = data.alignments.get(utterance.recordingId);
  const tier = grid ? phonesTier(grid) : null;
  if (!tier) return null;
  // The model's labels first, then the tier's other phones, so that every frame keeps its name.
  const names = [...labels];
  for (const text of [GAP_PHONE, ...tier.intervals.map((i) => i.text.trim())])
    if (text !== '' && !names.includes(text)) names.push(text);
  const index = new Map(names.map((name, id) => [name, id]));
  const ids = frameLabelsFromTier(tier, frames, features, index, utterance.segment?.start ?? 0);
  return Array.from(ids, (id) => names[id] as string);
}

/**
 * The reference as the model's class ids, for the loss: -1 where the model has no such class
 * (the loss leaves that step out); null when no step has a class of the model's.
 */
export function referenceTargets(
  reference: readonly string[],
  labels: readonly string[],
): Int32Array | null {
  const index = new Map(labels.map((label, id) => [label, id]));
  const ids = Int32Array.from(reference, (label) => index.get(label) ?? -1);
  return ids.some((id) => id >= 0) ? ids : null;
}
