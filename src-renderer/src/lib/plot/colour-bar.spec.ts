import { describe, expect, it } from 'vitest';
import { buildColormap, COLORMAPS } from './colormap';
import { colourBarEntry, colourBarTicks, renderColourBar } from './colour-bar';

/** A map from black to pure red: the red channel is the table entry. */
const RED_RAMP = buildColormap([
  [0, 0, 0],
  [255, 0, 0],
]);

function pixel(data: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 4;
  return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
}

describe('colour bar', () => {
  it('draws a vertical gradient with the top of the range at the top row', () => {
    const width = 4;
    const height = 256;
    const data = new Uint8ClampedArray(width * height * 4);
    renderColourBar({ data, width, height }, RED_RAMP, 'vertical');
    expect(pixel(data, width, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(data, width, 3, height - 1)).toEqual([0, 0, 0, 255]);
    // One row per entry: each row is one step darker than the row above, the same across.
    for (let y = 1; y < height; y++) {
      expect(pixel(data, width, 0, y)[0]).toBe(pixel(data, width, 0, y - 1)[0]! - 1);
      expect(pixel(data, width, 3, y)).toEqual(pixel(data, width, 0, y));
    }
  });

  it('draws a horizontal gradient from the bottom of the range on the left', () => {
    const width = 50;
    const height = 3;
    const data = new Uint8ClampedArray(width * height * 4);
    renderColourBar({ data, width, height }, COLORMAPS.viridis, 'horizontal');
    // The ends are exactly the map's first and last colours.
    expect(pixel(data, width, 0, 1)).toEqual([...COLORMAPS.viridis.subarray(0, 4)]);
    expect(pixel(data, width, width - 1, 2)).toEqual([...COLORMAPS.viridis.subarray(1020, 1024)]);
    const reds = Array.from({ length: width }, (_, x) => pixel(data, width, x, 0)[0]!);
    const entries = Array.from({ length: width }, (_, x) => colourBarEntry(x, width));
    for (let x = 1; x < width; x++) expect(entries[x]!).toBeGreaterThan(entries[x - 1]!);
    expect(reds[0]).toBe(68);
  });

  it('shows the whole map even on a bar shorter than 256 px', () => {
    expect(colourBarEntry(0, 10)).toBe(0);
    expect(colourBarEntry(9, 10)).toBe(255);
    expect(colourBarEntry(0, 1)).toBe(255);
  });

  it('labels a spectrogram bar in dB, 0 dB at the top, without overlap', () => {
    const ticks = colourBarTicks(-69.5, 0, 128);
    expect(ticks.at(-1)).toEqual({ value: 0, label: '0', y: 0 });
    expect(ticks[0]!.label).toBe('\u221260');
    for (let i = 1; i < ticks.length; i++)
      expect(ticks[i - 1]!.y - ticks[i]!.y).toBeGreaterThanOrEqual(16);
  });

  it('labels a horizontal probability bar from 0 on the left to 1 on the right', () => {
    const ticks = colourBarTicks(0, 1, 200, 'horizontal');
    expect(ticks.map((t) => [t.label, Math.round(t.y * 1e6) / 1e6])).toEqual([
      ['0.0', 0],
      ['0.2', 40],
      ['0.4', 80],
      ['0.6', 120],
      ['0.8', 160],
      ['1.0', 200],
    ]);
  });
});
