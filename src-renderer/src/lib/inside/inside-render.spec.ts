import { describe, expect, it } from 'vitest';
import { COLORMAPS } from '../plot/colormap';
import type { PixelImage } from '../plot/heatmap';
import { seriesRange } from './inside-palettes';
import {
  GRID_COLOUR,
  LINE_COLOUR,
  MARK_COLOUR,
  PLOT_BACKGROUND,
  columnOfStep,
  logExtent,
  renderLogLine,
  rowOfValue,
} from './log-line-plot';
import { END_COLOUR, START_COLOUR, fitPlane, pixelOf, renderTrajectory } from './trajectory-plot';
import { renderUnitHeatmap, unitCellAt } from './unit-heatmap';

function image(width: number, height: number): PixelImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

function pixel(img: PixelImage, x: number, y: number): number[] {
  const at = (Math.round(y) * img.width + Math.round(x)) * 4;
  return Array.from(img.data.subarray(at, at + 3));
}

const colourOf = (entry: number): number[] =>
  Array.from(COLORMAPS.viridis.subarray(entry * 4, entry * 4 + 3));

describe('units x time heatmap', () => {
  // 2 steps x 3 units: unit 2 is 1 at step 0, unit 0 is 1 at step 1, the rest 0.
  const series = { data: Float32Array.from([0, 0, 1, 1, 0, 0]), steps: 2, units: 3 };

  it('draws steps left to right and units top to bottom, in the order given', () => {
    const img = image(4, 6);
    renderUnitHeatmap(series, null, { min: 0, max: 1 }, COLORMAPS.viridis, img);
    expect(pixel(img, 0, 5)).toEqual(colourOf(255)); // step 0, bottom row = unit 2
    expect(pixel(img, 0, 0)).toEqual(colourOf(0)); // step 0, unit 0
    expect(pixel(img, 3, 0)).toEqual(colourOf(255)); // step 1, unit 0
    const sorted = image(4, 6);
    renderUnitHeatmap(
      series,
      Int32Array.from([2, 1, 0]),
      { min: 0, max: 1 },
      COLORMAPS.viridis,
      sorted,
    );
    expect(pixel(sorted, 0, 0)).toEqual(colourOf(255)); // unit 2 now on top
    expect(pixel(sorted, 3, 5)).toEqual(colourOf(255)); // unit 0 at the bottom
  });

  it('reads back the cell under a pixel, with the order', () => {
    expect(unitCellAt(series, null, 3, 0, 4, 6)).toEqual({ step: 1, unit: 0, value: 1 });
    expect(unitCellAt(series, Int32Array.from([2, 1, 0]), 0, 0, 4, 6)).toEqual({
      step: 0,
      unit: 2,
      value: 1,
    });
    expect(unitCellAt(series, null, 4, 0, 4, 6)).toBeNull();
  });

  it('ranges gates over 0..1 and states symmetrically about 0', () => {
    expect(seriesRange('forget', Float32Array.from([0.2, 0.3]))).toEqual({ min: 0, max: 1 });
    expect(seriesRange('cell', Float32Array.from([-0.5, 2]))).toEqual({ min: -2, max: 2 });
  });
});

describe('gradient norm on a log scale', () => {
  it('puts decades at equal heights, marks the output step and skips zeros', () => {
    const values = Float32Array.from([1e-3, 1e-2, 1e-1, 0]);
    const extent = logExtent(values);
    expect(extent).toEqual({ low: -3, high: -1 });
    const img = image(100, 50);
    renderLogLine(values, 1, img);
    const x0 = columnOfStep(0, 4, 100);
    const x2 = columnOfStep(2, 4, 100);
    expect(pixel(img, x0, rowOfValue(1e-3, extent!, 50))).toEqual([...LINE_COLOUR]);
    expect(pixel(img, x2, rowOfValue(1e-1, extent!, 50))).toEqual([...LINE_COLOUR]);
    // Halfway between steps 0 and 1 the line is halfway between their decades.
    const xHalf = Math.round((x0 + columnOfStep(1, 4, 100)) / 2);
    const drawnRows = Array.from({ length: 50 }, (_, y) => y).filter(
      (y) => pixel(img, xHalf, y).join() === LINE_COLOUR.join(),
    );
    expect(drawnRows).toHaveLength(1);
    expect(
      Math.abs((drawnRows[0] as number) - rowOfValue(10 ** -2.5, extent!, 50)),
    ).toBeLessThanOrEqual(1);
    // The marked step is a vertical line; the decade -2 a grid line.
    expect(pixel(img, columnOfStep(1, 4, 100), 1)).toEqual([...MARK_COLOUR]);
    expect(pixel(img, 99, rowOfValue(1e-2, extent!, 50))).toEqual([...GRID_COLOUR]);
    // Nothing is drawn towards step 3's zero.
    const x3 = columnOfStep(3, 4, 100);
    for (let y = 0; y < 50; y++) expect(pixel(img, x3, y)).not.toEqual([...LINE_COLOUR]);
  });

  it('draws an empty plot when nothing is positive', () => {
    const img = image(10, 10);
    renderLogLine(new Float32Array(4), null, img);
    expect(pixel(img, 5, 5)).toEqual([...PLOT_BACKGROUND]);
  });
});

describe('trajectory in the principal plane', () => {
  it('keeps one scale for both axes and marks start and end', () => {
    // A square path: (0,0) -> (2,0) -> (2,1) -> (0,1).
    const points = Float32Array.from([0, 0, 2, 0, 2, 1, 0, 1]);
    const fit = fitPlane(points, 100, 100);
    const a = pixelOf(fit, 0, 0, 100, 100);
    const b = pixelOf(fit, 2, 0, 100, 100);
    const c = pixelOf(fit, 2, 1, 100, 100);
    expect(b.x - a.x).toBeCloseTo(2 * (a.y - c.y), 6);
    const img = image(100, 100);
    renderTrajectory(points, img);
    expect(pixel(img, a.x, a.y)).toEqual([...START_COLOUR]);
    const end = pixelOf(fit, 0, 1, 100, 100);
    expect(pixel(img, end.x, end.y)).toEqual([...END_COLOUR]);
    // The path's middle segment, from (2,0) to (2,1), is drawn.
    expect(pixel(img, b.x, (b.y + c.y) / 2)).not.toEqual([...PLOT_BACKGROUND]);
    expect(pixel(img, 50, 50)).toEqual([...PLOT_BACKGROUND]);
  });
});
