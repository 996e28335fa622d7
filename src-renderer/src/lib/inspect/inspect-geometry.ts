/**
 * The time axis of the utterance inspector: one utterance (a whole file, or a segment of one)
 * fitted to the width, with the spectrogram, waveform, tiers and posteriorgram on it. Times
 * here are seconds from the start of the utterance unless a name says "file".
 */
import type { HeatmapMatrix } from '../plot/heatmap';

export interface Span {
  start: number;
  end: number;
}

/** The utterance's stretch of the file: its segment, else the whole file. */
export function utteranceSpan(segment: Span | null | undefined, fileDuration: number): Span {
  if (!segment) return { start: 0, end: fileDuration };
  const start = Math.max(0, Math.min(segment.start, fileDuration));
  return { start, end: Math.max(start, Math.min(segment.end, fileDuration)) };
}

/**
 * The frames of a whole-file matrix that cover a stretch of it, as a matrix whose frame 0
 * starts at the stretch's start (to within one frame shift): what the spectrogram of a segment
 * shows. The data is a view, not a copy.
 */
export function cropMatrix(matrix: HeatmapMatrix, span: Span): HeatmapMatrix {
  const first = Math.max(
    0,
    Math.min(matrix.frames, Math.round(span.start / matrix.frameShiftSeconds)),
  );
  const last = Math.max(
    first,
    Math.min(
      matrix.frames,
      // The last frame whose window ends inside the stretch (1e-9 absorbs rounding of times).
      Math.floor((span.end - matrix.frameLengthSeconds) / matrix.frameShiftSeconds + 1e-9) + 1,
    ),
  );
  return {
    ...matrix,
    data: matrix.data.subarray(first * matrix.dims, last * matrix.dims),
    frames: last - first,
  };
}

/**
 * Minimum and maximum of the waveform under each of `width` pixel columns spanning the file
 * stretch `span`, from main's interleaved peaks ([max0, min0, max1, min1, ...] per bucket of
 * 1 / peaksPerSecond s). Columns narrower than a bucket take the bucket they fall in.
 */
export function waveformColumns(
  peaks: Float32Array,
  peaksPerSecond: number,
  span: Span,
  width: number,
): { max: Float32Array; min: Float32Array } {
  const max = new Float32Array(width);
  const min = new Float32Array(width);
  const buckets = peaks.length >> 1;
  const duration = span.end - span.start;
  if (buckets === 0 || width <= 0 || duration <= 0) return { max, min };
  for (let x = 0; x < width; x++) {
    const from = span.start + (x / width) * duration;
    const to = span.start + ((x + 1) / width) * duration;
    const first = Math.min(buckets - 1, Math.max(0, Math.floor(from * peaksPerSecond)));
    const end = Math.min(buckets, Math.max(first + 1, Math.ceil(to * peaksPerSecond)));
    let hi = -Infinity;
    let lo = Infinity;
    for (let b = first; b < end; b++) {
      hi = Math.max(hi, peaks[2 * b] as number);
      lo = Math.min(lo, peaks[2 * b + 1] as number);
    }
    max[x] = hi;
    min[x] = lo;
  }
  return { max, min };
}

/**
 * The frame whose centre is nearest `time` (utterance seconds), clamped to the frames; -1 before
 * the audio or past the last frame by more than the margin before the first one.
 */
export function frameAtTime(
  time: number,
  hopSeconds: number,
  frameOffsetSeconds: number,
  frames: number,
): number {
  if (frames <= 0 || hopSeconds <= 0 || time < 0) return -1;
  const raw = (time - frameOffsetSeconds) / hopSeconds;
  if (raw > frames - 0.5 + frameOffsetSeconds / hopSeconds) return -1;
  return Math.max(0, Math.min(frames - 1, Math.round(raw)));
}

/** The centre of a frame in utterance seconds. */
export function frameCentre(frame: number, hopSeconds: number, frameOffsetSeconds: number): number {
  return frameOffsetSeconds + frame * hopSeconds;
}

/**
 * The short stretch a click on the posteriorgram plays: `width` seconds centred on `time`,
 * shifted to stay inside [0, duration] (shortened only when the utterance is shorter).
 */
export function playWindow(time: number, duration: number, width = 0.3): Span {
  const length = Math.min(width, Math.max(0, duration));
  const start = Math.max(0, Math.min(duration - length, time - length / 2));
  return { start, end: start + length };
}

/** Horizontal position of [start, end] seconds on a plot `width` px wide showing `duration` s. */
export function spanPixels(
  start: number,
  end: number,
  duration: number,
  width: number,
): { left: number; width: number } {
  if (duration <= 0) return { left: 0, width: 0 };
  const scale = width / duration;
  return { left: start * scale, width: Math.max(0, (end - start) * scale) };
}
