/**
 * CSS size of the Inside view's units x time heatmaps: every heatmap of a trace is as wide as
 * the others (a few pixels per step, within bounds), so their steps line up under one another
 * and under the input's tokens or features.
 */
export const PIXELS_PER_STEP = 8;
// The widest fits a 1,280-pixel window beside its labels and colour bar: 1,016 pixels of view, less
// the card's padding, the row labels and the colour bar.
export const WIDTH_RANGE = { min: 240, max: 840 };
export const PIXELS_PER_UNIT = 6;
export const HEIGHT_RANGE = { min: 48, max: 320 };

export function heatmapWidth(steps: number): number {
  return Math.max(WIDTH_RANGE.min, Math.min(WIDTH_RANGE.max, steps * PIXELS_PER_STEP));
}

export function heatmapHeight(units: number): number {
  return Math.max(HEIGHT_RANGE.min, Math.min(HEIGHT_RANGE.max, units * PIXELS_PER_UNIT));
}

/** Token labels are drawn under a heatmap only when each step has room for a short word. */
export const MAX_LABELLED_STEPS = 60;
