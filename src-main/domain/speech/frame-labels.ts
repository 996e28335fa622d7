import type { FeatureConfig } from '../audio/feature-config';
import { frameShape } from '../audio/feature-config';
import type { IntervalTier, TextGrid } from '../corpus/formats/textgrid';

/** Label given to frames that fall in an empty interval (a gap) of the phones tier. */
export const GAP_PHONE = 'pau';

export function phonesTier(grid: TextGrid): IntervalTier | null {
  const tier = grid.tiers.find((t) => t.kind === 'interval' && t.name === 'phones');
  return tier && tier.kind === 'interval' ? tier : null;
}

/** Seconds of the centre of frame t, from the start of the audio the features came from. */
export function frameCentreSeconds(t: number, config: FeatureConfig): number {
  const { frameLength, frameShift } = frameShape(config);
  return (t * frameShift + frameLength / 2) / config.sampleRate;
}

/**
 * The first frame of a recording's features whose centre lies at or after `startSeconds`: a
 * segment's frames are cut from its recording's frames from here on.
 */
export function firstFrameFrom(startSeconds: number, config: FeatureConfig): number {
  const { frameLength, frameShift } = frameShape(config);
  let t = Math.max(0, Math.ceil((startSeconds * config.sampleRate - frameLength / 2) / frameShift));
  // The closed form can be one off by rounding; settle it with the same comparison as the labels.
  while (t > 0 && frameCentreSeconds(t - 1, config) >= startSeconds) t--;
  while (frameCentreSeconds(t, config) < startSeconds) t++;
  return t;
}

/** Seconds from the start of the recording to the start of frame t. */
export function frameStartSeconds(t: number, config: FeatureConfig): number {
  return (t * frameShape(config).frameShift) / config.sampleRate;
}

/**
 * The phone of every feature frame: the label of the interval covering the frame's centre
 * (`offsetSeconds` is where the first frame starts in the recording: for a segment cut from its
 * recording's frames, `frameStartSeconds(firstFrameFrom(segment.start))`). Gaps and times
 * past the tier get GAP_PHONE. Phones outside `index` get -1 (ignored by frame accuracy).
 */
export function frameLabelsFromTier(
  tier: IntervalTier,
  frames: number,
  config: FeatureConfig,
  index: ReadonlyMap<string, number>,
  offsetSeconds = 0,
): Int32Array {
  const labels = new Int32Array(frames);
  const intervals = tier.intervals;
  let k = 0;
  for (let t = 0; t < frames; t++) {
    const centre = offsetSeconds + frameCentreSeconds(t, config);
    // Frame centres increase, so the covering interval only moves forward.
    while (k < intervals.length - 1 && (intervals[k]?.xmax ?? 0) <= centre) k++;
    const interval = intervals[k];
    const inside = interval !== undefined && centre >= interval.xmin && centre < interval.xmax;
    const text = inside && interval.text.trim() !== '' ? interval.text.trim() : GAP_PHONE;
    labels[t] = index.get(text) ?? -1;
  }
  return labels;
}

/** The reference phone string of a stretch of a tier (gaps left out). */
export function tierPhones(tier: IntervalTier, start = 0, end = Infinity): string[] {
  return tier.intervals
    .filter((i) => i.text.trim() !== '' && i.xmax > start && i.xmin < end)
    .map((i) => i.text.trim());
}
