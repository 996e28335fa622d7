/**
 * The gradient norms of a training run, gathered from its job progress (domain/rnn/
 * gradient-report.ts): the global norm of every batch, how many batches norm clipping scaled,
 * and the per-parameter norms of the reports that carry them (every N batches). Pure: the
 * Gradients panel draws what these functions return.
 */

import type { GradientReport, ParameterGradientNorm } from '@api/jobs';
import type { LogBar } from '../plot/log-bars';
import { seriesColour, type ChartLine, type CurvePoint } from '../plot/line-chart';

export interface GradientGroupSeries {
  /** The layer (parameterGroup), e.g. `encoder/layer0`. */
  group: string;
  /** The group's gradient norm at each per-parameter report, by batch. */
  points: CurvePoint[];
}

export interface GradientHistory {
  /** The global gradient norm before clipping, by batch number. */
  norms: CurvePoint[];
  clipNorm: number | null;
  /** How many of the batches norm clipping scaled. */
  clippedBatches: number;
  /** The latest per-parameter report. */
  latest: { step: number; parameters: ParameterGradientNorm[] } | null;
  /** Per layer, in the model's order (input to output). */
  groups: GradientGroupSeries[];
}

export function emptyGradientHistory(): GradientHistory {
  return { norms: [], clipNorm: null, clippedBatches: 0, latest: null, groups: [] };
}

const LAYER_SEGMENT = /^(layer|conv)\d+$/;

/**
 * The layer a parameter belongs to: its name up to the first `layerN`/`convN` segment
 * (`encoder/layer0/fw/kernel` -> `encoder/layer0`, both directions together), otherwise its
 * first segment (`embedding/char_conv/kernel` -> `embedding`, `output/bias` -> `output`).
 */
export function parameterGroup(name: string): string {
  const segments = name.split('/');
  const layer = segments.findIndex((s) => LAYER_SEGMENT.test(s));
  return layer >= 0 ? segments.slice(0, layer + 1).join('/') : (segments[0] ?? name);
}

/** Each layer's gradient norm (the norm over its parameters), in the order the layers come. */
export function groupNorms(
  parameters: readonly ParameterGradientNorm[],
): { group: string; norm: number }[] {
  const squares = new Map<string, number>();
  for (const { name, norm } of parameters) {
    const group = parameterGroup(name);
    squares.set(group, (squares.get(group) ?? 0) + norm * norm);
  }
  return [...squares].map(([group, sum]) => ({ group, norm: Math.sqrt(sum) }));
}

/**
 * Adds one progress report. The same report again (a repeated event) returns the same history;
 * a batch number below the last one is a new run, which starts the history over.
 */
export function addGradientReport(
  history: GradientHistory,
  report: GradientReport | undefined,
): GradientHistory {
  if (!report || !Number.isFinite(report.step)) return history;
  const last = history.norms[history.norms.length - 1];
  if (last && last.x === report.step) return history;
  const base = last && report.step < last.x ? emptyGradientHistory() : history;
  const next: GradientHistory = {
    ...base,
    norms: [...base.norms, { x: report.step, y: report.globalNorm }],
    clipNorm: report.clipNorm,
    clippedBatches: base.clippedBatches + (report.clipped ? 1 : 0),
  };
  if (!report.parameters) return next;
  const groups = [...base.groups];
  for (const { group, norm } of groupNorms(report.parameters)) {
    const at = groups.findIndex((g) => g.group === group);
    const point = { x: report.step, y: norm };
    if (at < 0) groups.push({ group, points: [point] });
    else groups[at] = { group, points: [...(groups[at]?.points ?? []), point] };
  }
  return { ...next, latest: { step: report.step, parameters: report.parameters }, groups };
}

/** "2 of 40 batches clipped (5%)", or null without norm clipping. */
export function clippedSummary(history: GradientHistory): string | null {
  if (history.clipNorm === null) return null;
  const batches = history.norms.length;
  const share = batches > 0 ? (100 * history.clippedBatches) / batches : 0;
  return `${history.clippedBatches} of ${batches} ${batches === 1 ? 'batch' : 'batches'} clipped (${Number(share.toPrecision(3))}%)`;
}

export const NORM_COLOUR = '#2d5bd0';
export const THRESHOLD_COLOUR = '#b91c1c';

/**
 * The global norm by batch, and the clipping threshold as a dashed horizontal line across the
 * batches (labelled with its value) when norm clipping is on.
 */
export function gradientNormLines(history: GradientHistory): ChartLine[] {
  const lines: ChartLine[] = [
    { label: 'gradient norm', colour: NORM_COLOUR, points: history.norms, thin: true },
  ];
  const first = history.norms[0]?.x;
  const last = history.norms[history.norms.length - 1]?.x;
  if (history.clipNorm !== null && first !== undefined && last !== undefined)
    lines.push({
      label: `clip threshold (${history.clipNorm})`,
      colour: THRESHOLD_COLOUR,
      // Two points, so a run of one batch still draws a line.
      points: [
        { x: first, y: history.clipNorm },
        { x: Math.max(last, first + 1), y: history.clipNorm },
      ],
      dash: [6, 4],
    });
  return lines;
}

/** One line per layer: its gradient norm at each per-parameter report. */
export function groupLines(history: GradientHistory): ChartLine[] {
  return history.groups.map(({ group, points }, i) => ({
    label: group,
    colour: seriesColour(i),
    points,
    markers: true,
  }));
}

/** The latest report's parameters as bars under their layer, input to output. */
export function flowBars(history: GradientHistory): LogBar[] {
  return (history.latest?.parameters ?? []).map(({ name, norm }) => {
    const group = parameterGroup(name);
    const label = name.startsWith(`${group}/`) ? name.slice(group.length + 1) : name;
    return { group, label, value: norm };
  });
}
