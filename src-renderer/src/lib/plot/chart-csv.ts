/**
 * A line chart's numbers as CSV: one row per x, one column per line (`x,<label>,...`; empty where
 * a line has no point at that x). The values are the data, not the drawing: a log chart's zeros
 * stay 0.
 */
import { alignLines, type LineChartSpec } from './line-chart';

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function lineChartCsv(spec: Pick<LineChartSpec, 'xLabel' | 'lines'>): string {
  const [xs, ...columns] = alignLines(spec.lines);
  const lines = [[spec.xLabel, ...spec.lines.map((line) => line.label)].map(csvField).join(',')];
  xs.forEach((x, i) =>
    lines.push(
      [x, ...columns.map((column) => column[i])]
        .map((v) => (typeof v === 'number' ? String(v) : ''))
        .join(','),
    ),
  );
  return `${lines.join('\n')}\n`;
}
