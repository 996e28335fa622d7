/**
 * A free-running layer's state trajectory in the plane of its two first principal components:
 * the path coloured from dark (start) to bright (end) along viridis, a square on the start and
 * a larger one on the end. Both axes share one scale, so a circle stays round.
 */
import { COLORMAPS } from '../plot/colormap';
import type { PixelImage } from '../plot/heatmap';
import { drawLine, drawSquare, fillImage, type Rgb } from './pixel-drawing';
import { PLOT_BACKGROUND, PLOT_MARGIN } from './log-line-plot';

export const START_COLOUR: Rgb = [194, 65, 12];
export const END_COLOUR: Rgb = [17, 24, 39];

export interface PlaneFit {
  centreX: number;
  centreY: number;
  /** Pixels per unit of state. */
  scale: number;
}

/** The one scale and centre that fit every finite point inside the margins. */
export function fitPlane(points: Float32Array, width: number, height: number): PlaneFit {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] as number;
    const y = points[i + 1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return { centreX: 0, centreY: 0, scale: 1 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * PLOT_MARGIN) / spanX, (height - 2 * PLOT_MARGIN) / spanY);
  return { centreX: (minX + maxX) / 2, centreY: (minY + maxY) / 2, scale };
}

/** Pixel position of a point (y grows upwards on screen). */
export function pixelOf(
  fit: PlaneFit,
  x: number,
  y: number,
  width: number,
  height: number,
): { x: number; y: number } {
  return {
    x: width / 2 + (x - fit.centreX) * fit.scale,
    y: height / 2 - (y - fit.centreY) * fit.scale,
  };
}

function pathColour(index: number, count: number): Rgb {
  const entry = Math.round((index / Math.max(1, count - 1)) * 255) * 4;
  const map = COLORMAPS.viridis;
  return [map[entry] as number, map[entry + 1] as number, map[entry + 2] as number];
}

export function renderTrajectory(points: Float32Array, image: PixelImage): void {
  fillImage(image, PLOT_BACKGROUND);
  const count = Math.floor(points.length / 2);
  if (count === 0) return;
  const fit = fitPlane(points, image.width, image.height);
  const at = (i: number) =>
    pixelOf(fit, points[i * 2] as number, points[i * 2 + 1] as number, image.width, image.height);
  for (let i = 1; i < count; i++) {
    const a = at(i - 1);
    const b = at(i);
    if ([a.x, a.y, b.x, b.y].every(Number.isFinite))
      drawLine(image, a.x, a.y, b.x, b.y, pathColour(i, count));
  }
  const start = at(0);
  drawSquare(image, start.x, start.y, 2, START_COLOUR);
  const end = at(count - 1);
  if (Number.isFinite(end.x) && Number.isFinite(end.y))
    drawSquare(image, end.x, end.y, 3, END_COLOUR);
}
