/**
 * Log bars (log-bars.ts) painted on a canvas 2-D context, as LogBars.svelte draws them in SVG:
 * a panel's PNG (panel-png.ts) is made of canvases, so a panel with bars draws them here too.
 * The context is a fake in tests.
 */
import { formatChartValue } from './line-chart';
import { LOG_BAR_ROW_HEIGHT, type LogBarLayout } from './log-bars';

/** What drawLogBars uses of a canvas 2-D context. */
export type LogBarsCanvas = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
  | 'fillRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'fillText'
>;

export interface LogBarsColours {
  background: string;
  text: string;
  muted: string;
  grid: string;
  bar: string;
}

/** Paints `layout` with its labels in the first `labelWidth` pixels, over `width` pixels. */
export function drawLogBars(
  context: LogBarsCanvas,
  layout: LogBarLayout,
  labelWidth: number,
  width: number,
  colours: LogBarsColours,
): void {
  const axisTop = layout.height - 16;
  context.fillStyle = colours.background;
  context.fillRect(0, 0, width, layout.height);
  context.strokeStyle = colours.grid;
  context.lineWidth = 1;
  context.font = '11px sans-serif';
  context.textBaseline = 'alphabetic';
  context.textAlign = 'center';
  for (const tick of layout.ticks) {
    const x = labelWidth + tick.x;
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, axisTop);
    context.stroke();
    context.fillStyle = colours.muted;
    context.fillText(tick.label, x, layout.height - 4);
  }
  for (const row of layout.rows) {
    const baseline = row.y + LOG_BAR_ROW_HEIGHT - 4;
    if (row.kind === 'heading') {
      context.font = 'bold 11px sans-serif';
      context.textAlign = 'left';
      context.fillStyle = colours.text;
      context.fillText(row.label, 0, baseline);
      continue;
    }
    context.font = '11px sans-serif';
    context.textAlign = 'right';
    context.fillStyle = colours.text;
    context.fillText(row.label, labelWidth - 6, baseline);
    context.fillStyle = colours.bar;
    context.fillRect(labelWidth, row.y + 3, Math.max(0, row.length), LOG_BAR_ROW_HEIGHT - 6);
    context.textAlign = 'left';
    context.fillStyle = colours.muted;
    context.fillText(formatChartValue(row.value), labelWidth + row.length + 4, baseline);
  }
}
