/**
 * The colour bar beside a heatmap: the whole colour map as a gradient with ticked values, so a
 * colour can be read back as a number in the plot's unit.
 */
import type { Colormap } from './colormap';
import type { PixelImage } from './heatmap';
import { linearTicks, type AxisTick } from './ticks';

export type ColourBarOrientation = 'vertical' | 'horizontal';

/** The table entry (0..255) shown at position `i` of `length` pixels, lowest value first. */
export function colourBarEntry(i: number, length: number): number {
  return length > 1 ? Math.round((i / (length - 1)) * 255) : 255;
}

/**
 * Fills an image with the gradient of `colormap`: vertical bars have the top of the range at
 * the top row and its bottom at the bottom row; horizontal bars run from the left (bottom of
 * the range) to the right.
 */
export function renderColourBar(
  image: PixelImage,
  colormap: Colormap,
  orientation: ColourBarOrientation = 'vertical',
): void {
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const entry =
        orientation === 'vertical'
          ? colourBarEntry(height - 1 - y, height)
          : colourBarEntry(x, width);
      const from = entry * 4;
      const to = (y * width + x) * 4;
      data[to] = colormap[from] as number;
      data[to + 1] = colormap[from + 1] as number;
      data[to + 2] = colormap[from + 2] as number;
      data[to + 3] = 255;
    }
  }
}

/**
 * The labelled values along a colour bar `lengthPx` long: nice steps at least `minSpacingPx`
 * apart. `y` is from the top for a vertical bar and from the left for a horizontal one.
 */
export function colourBarTicks(
  min: number,
  max: number,
  lengthPx: number,
  orientation: ColourBarOrientation = 'vertical',
  minSpacingPx = orientation === 'vertical' ? 16 : 36,
): AxisTick[] {
  const ticks = linearTicks(min, max, lengthPx, minSpacingPx);
  if (orientation === 'vertical') return ticks;
  return ticks.map((tick) => ({ ...tick, y: lengthPx - tick.y }));
}
