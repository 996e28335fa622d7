/**
 * The Gradients panel's numbers as CSV, one line per batch (lineChartCsv's layout):
 * `batch,global norm,clip threshold,layer <layer>...,parameter <name>...`. The global norm of
 * every batch before clipping; the clipping threshold on every batch (no column without
 * clipping); each layer's norm at the batches that reported per-parameter norms; each
 * parameter's norm at the latest such batch (the gradient-flow bars). Empty where a batch has no
 * such number.
 */
import { lineChartCsv } from '../plot/chart-csv';
import type { ChartLine } from '../plot/line-chart';
import {
  groupLines,
  NORM_COLOUR,
  THRESHOLD_COLOUR,
  type GradientHistory,
} from './gradient-history';

export function gradientsCsv(history: GradientHistory): string {
  const lines: ChartLine[] = [{ label: 'global norm', colour: NORM_COLOUR, points: history.norms }];
  const threshold = history.clipNorm;
  if (threshold !== null)
    lines.push({
      label: 'clip threshold',
      colour: THRESHOLD_COLOUR,
      points: history.norms.map(({ x }) => ({ x, y: threshold })),
    });
  for (const line of groupLines(history)) lines.push({ ...line, label: `layer ${line.label}` });
  const latest = history.latest;
  if (latest)
    for (const { name, norm } of latest.parameters)
      lines.push({
        label: `parameter ${name}`,
        colour: NORM_COLOUR,
        points: [{ x: latest.step, y: norm }],
      });
  return lineChartCsv({ xLabel: 'batch', lines });
}
