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
 * The phone of every feature frame: the label of the interval covering the frame's centre
 * (`offsetSeconds` is where the features start in the recording, for segments). Gaps and times
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
