/**
 * A units x time heatmap of one gate or state series: time runs left to right (one column band
 * per step), units top to bottom in the order given (by variance, or as numbered). Pure: draws
 * into an RGBA buffer, so the view's canvas and `unfold inspect`'s PNG share it.
 */
import { writeColour, type Colormap } from '../plot/colormap';
import type { PixelImage, ValueRange } from '../plot/heatmap';

export interface UnitSeries {
  /** Row-major [steps, units]. */
  data: Float32Array;
  steps: number;
  units: number;
}

/** The step shown at pixel column x of a heatmap `width` wide. */
export function stepAtColumn(x: number, width: number, steps: number): number {
  return Math.min(steps - 1, Math.max(0, Math.floor((x * steps) / width)));
}

/** The display row (0 = top) at pixel row y of a heatmap `height` tall. */
export function rowAtPixel(y: number, height: number, units: number): number {
  return Math.min(units - 1, Math.max(0, Math.floor((y * units) / height)));
}

/** The unit shown in display row `row`: `order[row]`, or the row itself without an order. */
export function unitOfRow(row: number, order: Int32Array | null): number {
  return order ? (order[row] as number) : row;
}

export function renderUnitHeatmap(
  series: UnitSeries,
  order: Int32Array | null,
  range: ValueRange,
  colormap: Colormap,
  image: PixelImage,
): void {
  const { data, width, height } = image;
  if (series.steps === 0 || series.units === 0) {
    data.fill(0);
    return;
  }
  const steps = Int32Array.from({ length: width }, (_, x) => stepAtColumn(x, width, series.steps));
  for (let y = 0; y < height; y++) {
    const unit = unitOfRow(rowAtPixel(y, height, series.units), order);
    for (let x = 0; x < width; x++) {
      const value = series.data[(steps[x] as number) * series.units + unit] as number;
      writeColour(data, (y * width + x) * 4, colormap, value, range.min, range.max);
    }
  }
}

export interface UnitCell {
  step: number;
  unit: number;
  value: number;
}

/** What is under pixel (x, y) of a heatmap drawn `width` x `height`, or null off it. */
export function unitCellAt(
  series: UnitSeries,
  order: Int32Array | null,
  x: number,
  y: number,
  width: number,
  height: number,
): UnitCell | null {
  if (x < 0 || y < 0 || x >= width || y >= height || series.steps === 0 || series.units === 0)
    return null;
  const step = stepAtColumn(x, width, series.steps);
  const unit = unitOfRow(rowAtPixel(y, height, series.units), order);
  return { step, unit, value: series.data[step * series.units + unit] as number };
}
