/**
 * A parallel-coordinates plot: one vertical axis per varied config field and a last one for the
 * final metric, one polyline per run through its values, coloured by the metric. Pure: the axes
 * and the geometry are computed from the runs, and `renderParallelCoordinates` draws into an RGBA
 * pixel buffer (testable without a DOM); ParallelCoordinates.svelte owns the canvas and labels.
 */
import { COLORMAPS, writeColour, type Colormap } from './colormap';

export interface ParallelAxis {
  label: string;
  kind: 'number' | 'category';
  /** Category axes: the values in order of first appearance, as text. */
  categories: string[];
  min: number;
  max: number;
  /** A number axis over positive values spanning 100x or more is logarithmic (learning rates). */
  log: boolean;
}

export interface ParallelRun {
  /** One value per field, in field order. */
  values: readonly unknown[];
  metric: number;
}

export interface ParallelGeometry {
  width: number;
  height: number;
  /** Each axis's x, in pixels; the metric's axis last. */
  axisX: number[];
  top: number;
  bottom: number;
  /** Per run its points (one per axis) and its colour's position 0..1 on the metric. */
  lines: Array<{ points: Array<[number, number]>; shade: number }>;
}

const categoryText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

function axisOf(label: string, values: readonly unknown[]): ParallelAxis {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length === values.length && numbers.length > 0) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    return { label, kind: 'number', categories: [], min, max, log: min > 0 && max / min >= 100 };
  }
  const categories: string[] = [];
  for (const value of values) {
    const text = categoryText(value);
    if (!categories.includes(text)) categories.push(text);
  }
  return { label, kind: 'category', categories, min: 0, max: categories.length - 1, log: false };
}

/** The axes of the runs: one per field, then the metric's. */
export function parallelAxes(
  fields: readonly string[],
  runs: readonly ParallelRun[],
  metricLabel: string,
): ParallelAxis[] {
  return [
    ...fields.map((field, i) =>
      axisOf(
        field,
        runs.map((run) => run.values[i]),
      ),
    ),
    axisOf(
      metricLabel,
      runs.map((run) => run.metric),
    ),
  ];
}

/** Where a value sits on an axis, 0 (bottom) to 1 (top); a single value sits in the middle. */
export function axisPosition(axis: ParallelAxis, value: unknown): number {
  if (axis.kind === 'category') {
    const index = axis.categories.indexOf(categoryText(value));
    return axis.categories.length <= 1 ? 0.5 : index / (axis.categories.length - 1);
  }
  const v = Number(value);
  if (axis.max === axis.min) return 0.5;
  const t = axis.log
    ? (Math.log(v) - Math.log(axis.min)) / (Math.log(axis.max) - Math.log(axis.min))
    : (v - axis.min) / (axis.max - axis.min);
  return Math.min(1, Math.max(0, t));
}

/** The plot's geometry in a width x height pixel area with `pad` pixels around the axes. */
export function parallelGeometry(
  axes: readonly ParallelAxis[],
  runs: readonly ParallelRun[],
  { width, height, pad }: { width: number; height: number; pad: { x: number; y: number } },
): ParallelGeometry {
  const top = pad.y;
  const bottom = height - 1 - pad.y;
  const span = Math.max(0, width - 1 - 2 * pad.x);
  const axisX = axes.map((_, i) =>
    axes.length <= 1 ? width / 2 : pad.x + (span * i) / (axes.length - 1),
  );
  const metricAxis = axes[axes.length - 1];
  const yOf = (t: number): number => bottom - t * (bottom - top);
  const lines = runs.map((run) => {
    const values = [...run.values, run.metric];
    return {
      points: axes.map((axis, i): [number, number] => [
        axisX[i] as number,
        yOf(axisPosition(axis, values[i])),
      ]),
      shade: metricAxis ? axisPosition(metricAxis, run.metric) : 0.5,
    };
  });
  return { width, height, axisX, top, bottom, lines };
}

export interface PixelImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

const AXIS_GREY = 120;

function plot(image: PixelImage, x: number, y: number, rgb: readonly number[]): void {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= image.width || py >= image.height) return;
  const offset = (py * image.width + px) * 4;
  image.data[offset] = rgb[0] as number;
  image.data[offset + 1] = rgb[1] as number;
  image.data[offset + 2] = rgb[2] as number;
  image.data[offset + 3] = 255;
}

/** A straight line, one pixel per step along its longer extent. */
function drawSegment(
  image: PixelImage,
  [x0, y0]: readonly [number, number],
  [x1, y1]: readonly [number, number],
  rgb: readonly number[],
): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let s = 0; s <= steps; s++)
    plot(image, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, rgb);
}

/**
 * Draws the axes (grey) and every run's polyline coloured by its metric (viridis: dark is the
 * lowest, yellow the highest), the runs in the given order so the caller can put the best last
 * (on top).
 */
export function renderParallelCoordinates(
  geometry: ParallelGeometry,
  image: PixelImage,
  colormap: Colormap = COLORMAPS.viridis,
): void {
  const grey = [AXIS_GREY, AXIS_GREY, AXIS_GREY];
  for (const x of geometry.axisX) drawSegment(image, [x, geometry.top], [x, geometry.bottom], grey);
  const colour = new Uint8ClampedArray(4);
  for (const line of geometry.lines) {
    writeColour(colour, 0, colormap, line.shade, 0, 1);
    const rgb = [colour[0] as number, colour[1] as number, colour[2] as number];
    for (let i = 1; i < line.points.length; i++)
      drawSegment(
        image,
        line.points[i - 1] as [number, number],
        line.points[i] as [number, number],
        rgb,
      );
  }
}

/** An axis's end labels: its top and bottom values as text. */
export function axisEndLabels(axis: ParallelAxis): { top: string; bottom: string } {
  if (axis.kind === 'category')
    return {
      top: axis.categories[axis.categories.length - 1] ?? '',
      bottom: axis.categories[0] ?? '',
    };
  const text = (v: number): string => String(Number(v.toPrecision(3)));
  return { top: text(axis.max), bottom: text(axis.min) };
}

/** A config path's last name part (`training.optimizer.learningRate` -> `learningRate`, `model.layers.0.units` -> `units`). */
export function shortFieldName(path: string): string {
  const names = path.split('.').filter((part) => !/^\d+$/.test(part));
  return names[names.length - 1] ?? path;
}
