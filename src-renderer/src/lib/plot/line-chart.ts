/**
 * Line charts drawn with uPlot: this module turns a chart description (lines of points) into
 * uPlot's options and columnar data. It is pure (uPlot's types only), so it runs in unit tests
 * without a DOM; LineChart.svelte owns the uPlot instance.
 *
 * Why uPlot: ~50 KB, draws 100k points in a few milliseconds on one canvas, takes columnar
 * data (one x array, one y array per series) that live training appends to cheaply, and has
 * real axes, log scales, several y scales, drag-to-zoom and a hover legend built in. It is
 * widely used (Grafana among others) and MIT licensed.
 */

import type uPlot from 'uplot';

export interface CurvePoint {
  x: number;
  y: number;
}

/** The y scale a line is drawn against: the main one (left axis) or the learning rate's (right). */
export type LineScale = 'y' | 'lr';

export interface ChartLine {
  /** The legend's name for the line (a run's name comes first when runs are overlaid). */
  label: string;
  colour: string;
  points: readonly CurvePoint[];
  scale?: LineScale;
  /** Canvas dash segments, e.g. [6, 4] for a dev curve; solid when absent. */
  dash?: number[];
  /** Thin lines (batch-level points, the learning rate) sit under the epoch curves. */
  thin?: boolean;
  /** Draws a dot at every point: sparse per-epoch curves stay readable among batch points. */
  markers?: boolean;
}

export interface LineChartSpec {
  xLabel: string;
  yLabel: string;
  /** The right axis's label; the axis is drawn only when a line uses the 'lr' scale. */
  lrLabel?: string;
  lines: readonly ChartLine[];
  /** A logarithmic main y scale (loss); values <= 0 become gaps. */
  logScale?: boolean;
  /** A fixed main y range (accuracy: 0..1); otherwise it follows the data. */
  yRange?: { min: number; max: number };
  /** The x extent to show at least (0 to the planned epochs), so curves grow into the plot. */
  xExtent?: { min: number; max: number };
  /** x counts whole things (steps, batches): ticks only at whole numbers. */
  xWhole?: boolean;
}

/** Tick spacings of a whole-number axis: 1, 2, 5 and 10 times the powers of ten. */
export const WHOLE_TICK_SPACINGS: readonly number[] = Array.from({ length: 10 }, (_, p) =>
  [1, 2, 5].map((m) => m * 10 ** p),
).flat();

/**
 * The series colours, in order: one per run when runs are overlaid (train and dev of a run share
 * it), train then dev for a single run.
 */
export const SERIES_COLOURS: readonly string[] = [
  '#2d5bd0',
  '#c2410c',
  '#15803d',
  '#9333ea',
  '#b45309',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
];
/** Batch-level points: a quiet grey under the epoch curves. */
export const BATCH_COLOUR = '#9aa7b8';
/** The learning rate: a neutral dark grey, drawn dotted on its own axis. */
export const LEARNING_RATE_COLOUR = '#57534e';

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#2d5bd0';
}

/**
 * The lines as uPlot's columnar data: one ascending x array (every x any line has, plus the
 * extent's ends) and one y array per line. Where a line has no point at an x the value is
 * `undefined` (uPlot joins across it and the hover skips it); a point it has but cannot draw
 * (not finite, or <= 0 on a log scale) is `null`, a gap in the line.
 */
export function alignLines(
  lines: readonly ChartLine[],
  options: { logScale?: boolean; xExtent?: { min: number; max: number } } = {},
): uPlot.AlignedData {
  const xSet = new Set<number>();
  for (const line of lines) for (const p of line.points) if (Number.isFinite(p.x)) xSet.add(p.x);
  if (options.xExtent) {
    const known = [...xSet];
    if (known.every((x) => x > options.xExtent!.min)) xSet.add(options.xExtent.min);
    if (known.every((x) => x < options.xExtent!.max)) xSet.add(options.xExtent.max);
  }
  const xs = [...xSet].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = lines.map((line) => {
    const ys: (number | null | undefined)[] = new Array<undefined>(xs.length).fill(undefined);
    const log = options.logScale === true && (line.scale ?? 'y') === 'y';
    for (const p of line.points) {
      const i = index.get(p.x);
      if (i === undefined) continue;
      ys[i] = Number.isFinite(p.y) && (!log || p.y > 0) ? p.y : null;
    }
    return ys;
  });
  return [xs, ...columns];
}

/** How many points the chart draws (finite values): read by tests through a data attribute. */
export function drawnPointCount(data: uPlot.AlignedData): number {
  let count = 0;
  for (const column of data.slice(1))
    for (const v of column) if (typeof v === 'number' && Number.isFinite(v)) count++;
  return count;
}

/**
 * How many of the lines the chart draws a segment of: two finite values joined (only x's the
 * line has no point at between them; a null is a gap). Read by tests through a data attribute.
 */
export function drawnLineCount(data: uPlot.AlignedData): number {
  let count = 0;
  for (const column of data.slice(1)) {
    let joinable = false;
    for (const v of column) {
      if (v === null) joinable = false;
      else if (typeof v === 'number' && Number.isFinite(v)) {
        if (joinable) {
          count++;
          break;
        }
        joinable = true;
      }
    }
  }
  return count;
}

/** Tick and legend numbers: short, and exponential only where fixed digits would lose them. */
export function formatChartValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/**
 * Everything that decides uPlot's options, without the points: the chart is recreated when this
 * changes and only given new data otherwise.
 */
export function chartShapeKey(spec: LineChartSpec): string {
  return JSON.stringify({ ...spec, lines: spec.lines.map(({ points: _, ...rest }) => rest) });
}

const AXIS_FONT = '11px system-ui, sans-serif';
const LABEL_FONT = '600 11px system-ui, sans-serif';

function axisValues(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) => (typeof v === 'number' ? formatChartValue(v) : ''));
}

/** The hover read-out: the value at the cursor, or a dash away from the data. */
function legendValue(_u: uPlot, value: number, _series: number, idx: number | null): string {
  return idx === null || typeof value !== 'number' ? '—' : formatChartValue(value);
}

/** uPlot's options for a chart of this shape and size (points come separately, see alignLines). */
export function lineChartOptions(
  spec: LineChartSpec,
  size: { width: number; height: number },
  colours: { axis: string; grid: string } = { axis: '#6b7280', grid: 'rgba(128,128,128,0.18)' },
): uPlot.Options {
  const hasLearningRate = spec.lines.some((l) => l.scale === 'lr');
  const grid = { stroke: colours.grid, width: 1 };
  const ticks = { stroke: colours.axis, width: 1, size: 4 };
  const axes: uPlot.Axis[] = [
    {
      label: spec.xLabel,
      stroke: colours.axis,
      font: AXIS_FONT,
      labelFont: LABEL_FONT,
      grid,
      ticks,
      values: axisValues,
      ...(spec.xWhole ? { incrs: [...WHOLE_TICK_SPACINGS] } : {}),
    },
    {
      scale: 'y',
      label: spec.yLabel,
      stroke: colours.axis,
      font: AXIS_FONT,
      labelFont: LABEL_FONT,
      grid,
      ticks,
      size: 52,
      values: axisValues,
    },
  ];
  if (hasLearningRate)
    axes.push({
      scale: 'lr',
      side: 1,
      label: spec.lrLabel ?? 'learning rate',
      stroke: colours.axis,
      font: AXIS_FONT,
      labelFont: LABEL_FONT,
      // One grid is enough: the main axis draws it.
      grid: { show: false },
      ticks,
      size: 60,
      values: axisValues,
    });
  const yScale: uPlot.Scale = spec.logScale ? { distr: 3, log: 10 } : {};
  if (spec.yRange && !spec.logScale) {
    yScale.auto = false;
    yScale.range = [spec.yRange.min, spec.yRange.max];
  }
  const scales: uPlot.Scales = { x: { time: false }, y: yScale };
  // The learning rate from 0 up, so a decaying schedule reads as a falling line.
  if (hasLearningRate) scales.lr = { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] };
  return {
    width: Math.max(1, Math.floor(size.width)),
    height: Math.max(1, Math.floor(size.height)),
    scales,
    axes,
    series: [
      { label: spec.xLabel, value: legendValue },
      ...spec.lines.map((line): uPlot.Series => ({
        label: line.label,
        scale: line.scale ?? 'y',
        stroke: line.colour,
        width: line.thin ? 1 : 2,
        ...(line.dash ? { dash: line.dash } : {}),
        value: legendValue,
        points: line.markers
          ? { show: true, size: 5, fill: line.colour, stroke: line.colour }
          : { show: false },
      })),
    ],
    legend: {
      live: true,
      // The legend's swatch says solid or dashed, as the line is drawn.
      markers: { dash: (u, i) => (u.series[i]?.dash ? 'dashed' : 'solid') },
    },
    // Drag along x to zoom, double-click to see everything again (uPlot's defaults, said here).
    cursor: { drag: { x: true, y: false, setScale: true } },
  };
}
