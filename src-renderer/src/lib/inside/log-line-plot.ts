/**
 * The gradient through time as `unfold inspect` draws it: ||dLoss/dh_t|| against t on a log
 * scale, a grey line at every power of ten, the chosen output step marked. Zeros (steps after
 * the chosen output step) are left out: a log scale has no place for them.
 */
import type { PixelImage } from '../plot/heatmap';
import { drawLine, fillImage, type Rgb } from './pixel-drawing';

export const PLOT_BACKGROUND: Rgb = [255, 255, 255];
export const GRID_COLOUR: Rgb = [220, 224, 230];
export const LINE_COLOUR: Rgb = [45, 91, 208];
export const MARK_COLOUR: Rgb = [194, 65, 12];
/** Pixels kept free around the plot. */
export const PLOT_MARGIN = 6;

export interface LogExtent {
  /** log10 of the smallest and largest positive value (a decade apart at least). */
  low: number;
  high: number;
}

export function logExtent(values: Float32Array): LogExtent | null {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values)
    if (v > 0 && Number.isFinite(v)) {
      low = Math.min(low, Math.log10(v));
      high = Math.max(high, Math.log10(v));
    }
  if (!Number.isFinite(low)) return null;
  // A float32 power of ten is not exact: its logarithm is rounded to the decade it names.
  const floor = Math.floor(low + 1e-6);
  return { low: floor, high: Math.max(floor + 1, Math.ceil(high - 1e-6)) };
}

/** Pixel row of a positive value. */
export function rowOfValue(value: number, extent: LogExtent, height: number): number {
  const inner = height - 2 * PLOT_MARGIN;
  return PLOT_MARGIN + inner * (1 - (Math.log10(value) - extent.low) / (extent.high - extent.low));
}

/** Pixel column of step t of `steps`. */
export function columnOfStep(t: number, steps: number, width: number): number {
  const inner = width - 2 * PLOT_MARGIN;
  return PLOT_MARGIN + (steps > 1 ? (inner * t) / (steps - 1) : inner / 2);
}

export function renderLogLine(
  values: Float32Array,
  markedStep: number | null,
  image: PixelImage,
): void {
  fillImage(image, PLOT_BACKGROUND);
  const extent = logExtent(values);
  if (!extent) return;
  for (let decade = extent.low; decade <= extent.high; decade++) {
    const y = rowOfValue(10 ** decade, extent, image.height);
    drawLine(image, 0, y, image.width - 1, y, GRID_COLOUR);
  }
  if (markedStep !== null) {
    const x = columnOfStep(markedStep, values.length, image.width);
    drawLine(image, x, 0, x, image.height - 1, MARK_COLOUR);
  }
  let previous: { x: number; y: number } | null = null;
  values.forEach((v, t) => {
    if (!(v > 0 && Number.isFinite(v))) {
      previous = null;
      return;
    }
    const point = {
      x: columnOfStep(t, values.length, image.width),
      y: rowOfValue(v, extent, image.height),
    };
    if (previous) drawLine(image, previous.x, previous.y, point.x, point.y, LINE_COLOUR);
    else drawLine(image, point.x, point.y, point.x, point.y, LINE_COLOUR);
    previous = point;
  });
}
