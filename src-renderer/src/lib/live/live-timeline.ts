/**
 * The shared time axis of the live spectrogram and the posteriorgram under it. The live
 * spectrogram draws one pixel column per frame with the newest at the right edge; the
 * posteriorgram places each posterior column at the same time, in pixels from the start of
 * the recording, so the two scroll together even when the model's hop differs from the
 * spectrogram's.
 */
import { frameAtColumn } from '../plot/cell-grid';

export interface LiveAxis {
  /** The spectrogram's frame shift: one pixel per frame. */
  frameShiftSeconds: number;
  /** Seconds between posterior columns. */
  hopSeconds: number;
}

export function pixelsPerSecond(axis: LiveAxis): number {
  return 1 / axis.frameShiftSeconds;
}

/** The width of one posterior column in pixels (1 when both hops are 10 ms). */
export function columnWidth(axis: LiveAxis): number {
  return axis.hopSeconds * pixelsPerSecond(axis);
}

/**
 * The right edge in whole pixels from the recording's start: the newer of what the
 * spectrogram has drawn and what the posteriors cover. Following the newer one means a
 * column is never held back waiting for the spectrogram (which would add to its latency).
 */
export function rightEdgePx(
  axis: LiveAxis,
  spectrogramFrames: number,
  posteriorEnd: number,
): number {
  const pps = pixelsPerSecond(axis);
  return Math.round(
    Math.max(spectrogramFrames * axis.frameShiftSeconds, posteriorEnd * axis.hopSeconds) * pps,
  );
}

/** The canvas x of posterior frame `frame`'s left edge when the right edge is `rightPx`. */
export function columnX(axis: LiveAxis, frame: number, rightPx: number, width: number): number {
  return width - rightPx + frame * columnWidth(axis);
}

/** The posterior frames [from, to) at least partly visible on a canvas `width` wide. */
export function visibleFrames(
  axis: LiveAxis,
  rightPx: number,
  width: number,
): { from: number; to: number } {
  const column = columnWidth(axis);
  return {
    from: Math.max(0, Math.floor((rightPx - width) / column)),
    to: Math.max(0, Math.ceil(rightPx / column)),
  };
}

/**
 * The posterior frame drawn under canvas pixel x (the inverse of `columnX`, with the same
 * whole-pixel rounding as `drawPosteriorColumns`: pixel p shows the last frame whose rounded
 * left edge is at or before p), or -1 when that frame is outside [firstFrame, endFrame): not
 * received yet, or no longer kept. `x` may be fractional (a pointer position).
 */
export function frameAtX(
  axis: LiveAxis,
  x: number,
  rightPx: number,
  width: number,
  firstFrame: number,
  endFrame: number,
): number {
  if (!(x >= 0 && x < width)) return -1;
  const frame = frameAtColumn(x, columnX(axis, 0, rightPx, width), columnWidth(axis));
  return frame >= firstFrame && frame < endFrame ? frame : -1;
}

/**
 * Seconds from the take's start to the centre of posterior frame `frame`: column t covers
 * samples [t * hop, t * hop + frameLength) (server/live/README.md), 25 ms frames by default.
 */
export function frameCentreSeconds(
  axis: LiveAxis,
  frame: number,
  frameLengthSeconds = 0.025,
): number {
  return frame * axis.hopSeconds + frameLengthSeconds / 2;
}
