/**
 * One time axis for the waveform, the spectrogram and the feature heatmap: pixels from the
 * start of the audio at `pxPerSecond`, cut into tiles so no canvas is wider than browsers
 * allow (Chromium's limit is 32,767 px and ~268 M pixels; 4,096 px keeps each tile's backing
 * store small and redraws cheap).
 */
export const MAX_TILE_WIDTH = 4096;

export interface Tile {
  index: number;
  /** Left edge, in pixels from the start of the audio. */
  x: number;
  width: number;
}

export function timeToPixel(seconds: number, pxPerSecond: number): number {
  return seconds * pxPerSecond;
}

export function pixelToTime(px: number, pxPerSecond: number): number {
  return pxPerSecond > 0 ? px / pxPerSecond : 0;
}

/** The width in whole pixels of `frames` frames, one every `frameShiftSeconds`, on the axis. */
export function framesWidthPx(
  frames: number,
  frameShiftSeconds: number,
  pxPerSecond: number,
): number {
  return Math.max(0, Math.round(frames * frameShiftSeconds * pxPerSecond));
}

/** Tiles covering [0, totalWidth), all `maxWidth` wide except a shorter last one. */
export function planTiles(totalWidth: number, maxWidth = MAX_TILE_WIDTH): Tile[] {
  const width = Math.max(0, Math.ceil(totalWidth));
  const tiles: Tile[] = [];
  for (let x = 0, index = 0; x < width; x += maxWidth, index++) {
    tiles.push({ index, x, width: Math.min(maxWidth, width - x) });
  }
  return tiles;
}

/** The tiles that intersect the visible range widened by `margin` px on each side. */
export function visibleTiles(
  tiles: readonly Tile[],
  scrollLeft: number,
  viewWidth: number,
  margin = 0,
): Tile[] {
  const from = scrollLeft - margin;
  const to = scrollLeft + viewWidth + margin;
  return tiles.filter((tile) => tile.x + tile.width > from && tile.x < to);
}

/**
 * The frames whose centres fall in the pixel column [px, px + 1): frame t covers
 * [t * shift, t * shift + length), centred at t * shift + length / 2. When zoomed in, one frame
 * spans many columns and the range is that single frame; zoomed out, it is every frame the
 * column covers, so a heatmap can show their maximum instead of aliasing.
 */
export function framesForColumn(
  px: number,
  pxPerSecond: number,
  frameShiftSeconds: number,
  frameLengthSeconds: number,
  frameCount: number,
): { first: number; end: number } {
  const toFrame = (seconds: number): number =>
    (seconds - frameLengthSeconds / 2) / frameShiftSeconds;
  const start = toFrame(pixelToTime(px, pxPerSecond));
  const stop = toFrame(pixelToTime(px + 1, pxPerSecond));
  let first = Math.ceil(start);
  let end = Math.ceil(stop);
  if (end <= first) {
    first = Math.round((start + stop) / 2);
    end = first + 1;
  }
  first = Math.min(Math.max(first, 0), Math.max(frameCount - 1, 0));
  end = Math.min(Math.max(end, first + 1), frameCount);
  return { first, end };
}

const TICK_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

export interface TimeTick {
  seconds: number;
  /** Relative to the left edge of the view. */
  x: number;
  label: string;
}

function tickLabel(seconds: number, step: number): string {
  if (step >= 60 || seconds >= 60) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds - minutes * 60;
    return `${minutes}:${rest.toFixed(step < 1 ? 1 : 0).padStart(step < 1 ? 4 : 2, '0')}`;
  }
  const decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  return `${seconds.toFixed(decimals)} s`;
}

/**
 * Labelled ticks of the time ruler for the visible part of the axis: the smallest round step
 * that keeps labels at least `minSpacingPx` apart, at any zoom.
 */
export function timeTicks(
  pxPerSecond: number,
  scrollLeft: number,
  viewWidth: number,
  duration: number,
  minSpacingPx = 70,
): TimeTick[] {
  if (pxPerSecond <= 0 || viewWidth <= 0) return [];
  const step =
    TICK_STEPS.find((candidate) => candidate * pxPerSecond >= minSpacingPx) ??
    (TICK_STEPS[TICK_STEPS.length - 1] as number);
  const first = Math.ceil(pixelToTime(scrollLeft, pxPerSecond) / step);
  const last = Math.floor(
    Math.min(duration, pixelToTime(scrollLeft + viewWidth, pxPerSecond)) / step,
  );
  const ticks: TimeTick[] = [];
  for (let i = first; i <= last; i++) {
    // Multiply, do not accumulate: 0.1 added 30 times is not 3.
    const seconds = Number((i * step).toFixed(6));
    ticks.push({
      seconds,
      x: timeToPixel(seconds, pxPerSecond) - scrollLeft,
      label: tickLabel(seconds, step),
    });
  }
  return ticks;
}
