/**
 * Loss and accuracy curves: the points a training run reports, their scaling into a plot
 * area, and the drawing itself. Scaling and drawing are pure (drawing goes through the few
 * canvas methods it needs) so they run in unit tests without a DOM.
 */

export interface CurvePoint {
  /** Position along the run in epochs (a batch inside epoch e is e - 1 + batch/batches). */
  x: number;
  y: number;
}

export interface CurveSeries {
  label: string;
  colour: string;
  points: CurvePoint[];
  /** Batch-level series are drawn thin and dashed under the per-epoch ones. */
  thin?: boolean;
}

export interface CurveSpec {
  width: number;
  height: number;
  /** Pixels kept free around the plot for the axis labels. */
  padding: number;
  /** Fixed y range (accuracy: 0..1); otherwise taken from the data. */
  yRange?: { min: number; max: number };
  /** The x extent to show at least (the planned epochs), so the curve grows into the plot. */
  minXMax?: number;
}

export interface ScaledCurves {
  xRange: { min: number; max: number };
  yRange: { min: number; max: number };
  lines: { label: string; colour: string; thin: boolean; pixels: CurvePoint[] }[];
}

function dataRange(values: number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A flat curve still needs a range to be drawn in the middle rather than divide by zero.
  if (max - min < 1e-9) return { min: min - 0.5, max: max + 0.5 };
  return { min, max };
}

/** Maps every series into pixel coordinates of the plot area (y grows downwards on a canvas). */
export function scaleCurves(series: readonly CurveSeries[], spec: CurveSpec): ScaledCurves {
  const finite = series.flatMap((s) =>
    s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
  );
  const xMax = Math.max(spec.minXMax ?? 0, ...finite.map((p) => p.x), 1);
  const xRange = { min: 0, max: xMax };
  const yRange = spec.yRange ?? dataRange(finite.map((p) => p.y));
  const plotWidth = Math.max(1, spec.width - 2 * spec.padding);
  const plotHeight = Math.max(1, spec.height - 2 * spec.padding);
  const toPixel = (p: CurvePoint): CurvePoint => ({
    x: spec.padding + ((p.x - xRange.min) / (xRange.max - xRange.min)) * plotWidth,
    y: spec.padding + (1 - (p.y - yRange.min) / (yRange.max - yRange.min)) * plotHeight,
  });
  return {
    xRange,
    yRange,
    lines: series.map((s) => ({
      label: s.label,
      colour: s.colour,
      thin: s.thin ?? false,
      pixels: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map(toPixel),
    })),
  };
}

/** The canvas calls the drawing needs: a CanvasRenderingContext2D has them all. */
export interface CurveCanvas {
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
  setLineDash(segments: number[]): void;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  fillStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  font: string;
}

function formatTick(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** Draws the axes, their ranges and every series; returns the scaled curves it drew. */
export function renderCurves(
  canvas: CurveCanvas,
  series: readonly CurveSeries[],
  spec: CurveSpec,
): ScaledCurves {
  const scaled = scaleCurves(series, spec);
  const { width, height, padding } = spec;
  canvas.clearRect(0, 0, width, height);
  canvas.setLineDash([]);
  canvas.strokeStyle = '#888';
  canvas.lineWidth = 1;
  canvas.beginPath();
  canvas.moveTo(padding, padding);
  canvas.lineTo(padding, height - padding);
  canvas.lineTo(width - padding, height - padding);
  canvas.stroke();
  canvas.fillStyle = '#888';
  canvas.font = '10px sans-serif';
  canvas.fillText(formatTick(scaled.yRange.max), 2, padding + 4);
  canvas.fillText(formatTick(scaled.yRange.min), 2, height - padding);
  canvas.fillText(`epoch ${formatTick(scaled.xRange.max)}`, width - padding - 50, height - 4);
  for (const line of scaled.lines) {
    if (line.pixels.length === 0) continue;
    canvas.strokeStyle = line.colour;
    canvas.lineWidth = line.thin ? 1 : 2;
    canvas.setLineDash(line.thin ? [3, 3] : []);
    canvas.beginPath();
    const [first, ...rest] = line.pixels as [CurvePoint, ...CurvePoint[]];
    canvas.moveTo(first.x, first.y);
    // A single point is drawn as a short tick so the first epoch is visible.
    if (rest.length === 0) canvas.lineTo(first.x + 2, first.y);
    for (const p of rest) canvas.lineTo(p.x, p.y);
    canvas.stroke();
  }
  canvas.setLineDash([]);
  return scaled;
}
