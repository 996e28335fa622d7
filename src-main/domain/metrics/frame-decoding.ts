import { UnfoldError } from '../errors';

/** Per-frame argmax of row-major posteriors [frames, classes]. */
export function frameArgmax(posteriors: Float32Array, classes: number): Int32Array {
  if (classes < 1 || posteriors.length % classes !== 0) {
    throw new UnfoldError(
      'METRIC_BAD_SHAPE',
      `Posteriors of length ${posteriors.length} are not a whole number of ${classes}-class frames.`,
    );
  }
  const frames = posteriors.length / classes;
  const out = new Int32Array(frames);
  for (let t = 0; t < frames; t++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = posteriors[t * classes + k] as number;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[t] = best;
  }
  return out;
}

/**
 * Median filter for class labels over an odd window: class ids have no order, so the
 * "median" of a window is its most frequent label (the majority vote, which is what a median
 * filter does to a two-valued signal); a tie keeps the centre frame's label. The window is
 * cut at the ends. Removes one- or two-frame flickers before repeats are merged.
 */
export function medianSmoothLabels(labels: Int32Array, window: number): Int32Array {
  if (window <= 1) return labels.slice();
  const half = Math.floor(window / 2);
  const out = new Int32Array(labels.length);
  const counts = new Map<number, number>();
  for (let t = 0; t < labels.length; t++) {
    counts.clear();
    const centre = labels[t] as number;
    let best = centre;
    let bestCount = 0;
    for (let u = Math.max(0, t - half); u <= Math.min(labels.length - 1, t + half); u++) {
      const l = labels[u] as number;
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    for (const [label, count] of counts) {
      if (count > bestCount || (count === bestCount && label === centre)) {
        best = label;
        bestCount = count;
      }
    }
    out[t] = best;
  }
  return out;
}

/** Collapses runs of the same label into one. */
export function mergeRepeats<T>(labels: ArrayLike<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as T;
    if (out.length === 0 || out[out.length - 1] !== l) out.push(l);
  }
  return out;
}

export interface PhoneDecodingOptions {
  /** Odd window of the label median filter, in frames (1 turns it off). Default 5 here; experiments default to 11 (experiment-config.ts). */
  medianWindow?: number;
  /** Labels removed after merging (silence, pauses). */
  silence?: readonly string[];
}

/**
 * The simple decoding of frame posteriors into a phone string: argmax per frame, median
 * smoothing, merging repeats, dropping silence.
 */
export function decodeFramePosteriors(
  posteriors: Float32Array,
  phones: readonly string[],
  options: PhoneDecodingOptions = {},
): string[] {
  const argmax = frameArgmax(posteriors, phones.length);
  return decodeFrameLabels(argmax, phones, options);
}

/** The same decoding from per-frame class ids (reference frame labels, or an argmax). */
export function decodeFrameLabels(
  labels: Int32Array,
  phones: readonly string[],
  options: PhoneDecodingOptions = {},
): string[] {
  const smoothed = medianSmoothLabels(labels, options.medianWindow ?? 5);
  const silence = new Set(options.silence ?? []);
  return mergeRepeats(Array.from(smoothed, (k) => phones[k] ?? `#${k}`)).filter(
    (p) => !silence.has(p),
  );
}

/** Fraction of frames whose label equals the reference; frames with a negative reference id are ignored. */
export function frameAccuracy(reference: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (reference.length !== predicted.length) {
    throw new UnfoldError(
      'METRIC_LENGTH_MISMATCH',
      `There are ${reference.length} reference frames but ${predicted.length} predicted ones.`,
    );
  }
  let correct = 0;
  let counted = 0;
  for (let t = 0; t < reference.length; t++) {
    if ((reference[t] as number) < 0) continue;
    counted++;
    if (reference[t] === predicted[t]) correct++;
  }
  return counted > 0 ? correct / counted : 0;
}
