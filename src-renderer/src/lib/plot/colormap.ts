/**
 * Colour maps as 256-entry RGBA lookup tables, so drawing a spectrogram pixel is one table read.
 * The stops are samples of matplotlib's perceptually uniform maps (viridis, magma): equal steps
 * in value look like equal steps in brightness, in both light and dark themes; and of
 * ColorBrewer's Blues (sequential, white to dark blue), RdBu and PuOr (diverging around a white
 * middle; both listed as colour-blind safe by ColorBrewer).
 * Which quantity gets which map is declared once, in palettes.ts.
 */
export type Colormap = Uint8ClampedArray;

type Stop = readonly [number, number, number];

const VIRIDIS: readonly Stop[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

const MAGMA: readonly Stop[] = [
  [0, 0, 4],
  [28, 16, 68],
  [79, 18, 123],
  [129, 37, 129],
  [181, 54, 122],
  [229, 80, 100],
  [251, 135, 97],
  [254, 194, 135],
  [252, 253, 191],
];

const BLUES: readonly Stop[] = [
  [247, 251, 255],
  [222, 235, 247],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
];

/** RdBu reversed: negative values blue, zero white, positive red. */
const BLUE_WHITE_RED: readonly Stop[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

/**
 * PuOr with orange at the low end and purple at the high end: two hues that stay apart for
 * red-green colour blindness, and neither reads as "bad" or "good" the way red and green do.
 */
const ORANGE_WHITE_PURPLE: readonly Stop[] = [
  [127, 59, 8],
  [179, 88, 6],
  [224, 130, 20],
  [253, 184, 99],
  [254, 224, 182],
  [247, 247, 247],
  [216, 218, 235],
  [178, 171, 210],
  [128, 115, 172],
  [84, 39, 136],
  [45, 0, 75],
];

/** Interpolates evenly spaced stops into a 256-entry RGBA table. */
export function buildColormap(stops: readonly Stop[]): Colormap {
  const table = new Uint8ClampedArray(256 * 4);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * segments;
    const index = Math.min(segments - 1, Math.floor(position));
    const fraction = position - index;
    const a = stops[index] as Stop;
    const b = stops[index + 1] as Stop;
    for (let c = 0; c < 3; c++) {
      const from = a[c] as number;
      table[i * 4 + c] = Math.round(from + ((b[c] as number) - from) * fraction);
    }
    table[i * 4 + 3] = 255;
  }
  return table;
}

export const COLORMAPS = {
  viridis: buildColormap(VIRIDIS),
  magma: buildColormap(MAGMA),
  blues: buildColormap(BLUES),
  blueWhiteRed: buildColormap(BLUE_WHITE_RED),
  orangeWhitePurple: buildColormap(ORANGE_WHITE_PURPLE),
} as const;
export type ColormapName = keyof typeof COLORMAPS;

/** The table index of a value in [min, max] (clamped; NaN and -Infinity map to 0). */
export function colourIndex(value: number, min: number, max: number): number {
  if (!(value > min)) return 0;
  if (value >= max) return 255;
  return Math.floor(((value - min) / (max - min)) * 255.999);
}

/** Writes the colour of `value` at byte offset `offset` of an RGBA pixel array. */
export function writeColour(
  pixels: Uint8ClampedArray,
  offset: number,
  colormap: Colormap,
  value: number,
  min: number,
  max: number,
): void {
  const entry = colourIndex(value, min, max) * 4;
  pixels[offset] = colormap[entry] as number;
  pixels[offset + 1] = colormap[entry + 1] as number;
  pixels[offset + 2] = colormap[entry + 2] as number;
  pixels[offset + 3] = 255;
}

/** The CSS colour of a table entry (0..255), e.g. for a canvas fill or a background. */
export function colourCss(colormap: Colormap, entry: number): string {
  const i = Math.max(0, Math.min(255, Math.round(entry))) * 4;
  return `rgb(${colormap[i]}, ${colormap[i + 1]}, ${colormap[i + 2]})`;
}
