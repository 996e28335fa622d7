/**
 * Horizontal bars on a logarithmic axis (values spanning orders of magnitude, such as gradient
 * norms), in groups with a heading each. Pure layout: LogBars.svelte draws the rows it returns
 * as SVG, so the geometry is tested here without a DOM.
 */

export interface LogBar {
  /** The row's label, left of its bar. */
  label: string;
  value: number;
  /** Consecutive bars of a group are drawn under its heading. */
  group: string;
}

export interface LogBarRow {
  kind: 'heading' | 'bar';
  /** The group name for a heading, the bar's label for a bar. */
  label: string;
  group: string;
  /** The bar's value (NaN for a heading). */
  value: number;
  /** Top of the row, from the top of the chart. */
  y: number;
  /** The bar's length in pixels from the axis start (0 for a heading or a value <= 0). */
  length: number;
}

export interface LogBarTick {
  value: number;
  label: string;
  /** From the start of the bars' area. */
  x: number;
}

export interface LogBarLayout {
  rows: LogBarRow[];
  ticks: LogBarTick[];
  /** The chart's height: every row plus the axis. */
  height: number;
  /** The decades shown: 10^low to 10^high. */
  low: number;
  high: number;
}

export const LOG_BAR_ROW_HEIGHT = 16;
export const LOG_BAR_AXIS_HEIGHT = 20;

/** A power of ten as an axis label: 1, 10, 100, 0.1, 0.01, else 1e-5. */
export function decadeLabel(power: number): string {
  if (power >= 0 && power <= 3) return String(10 ** power);
  if (power < 0 && power >= -2) return (10 ** power).toFixed(-power);
  return `1e${power}`;
}

/**
 * Rows (a heading when the group changes, then the bar) and power-of-ten ticks for bars whose
 * lengths are log10(value) between whole decades below the smallest positive value and above
 * the largest; `barsWidth` is the length of the longest possible bar.
 */
export function logBarLayout(
  bars: readonly LogBar[],
  barsWidth: number,
  maxTicks = 8,
): LogBarLayout {
  const positive = bars.map((b) => b.value).filter((v) => Number.isFinite(v) && v > 0);
  const smallest = positive.length > 0 ? Math.min(...positive) : 1;
  const largest = positive.length > 0 ? Math.max(...positive) : 1;
  // The smallest bar keeps a visible length: the axis starts a decade-step below it.
  const low = Math.floor(Math.log10(smallest) - 1e-9);
  const high = Math.max(low + 1, Math.ceil(Math.log10(largest)));
  const span = high - low;
  const width = Math.max(0, barsWidth);
  const lengthOf = (value: number): number =>
    Number.isFinite(value) && value > 0 ? ((Math.log10(value) - low) / span) * width : 0;
  const rows: LogBarRow[] = [];
  let y = 0;
  let group: string | null = null;
  for (const bar of bars) {
    if (bar.group !== group) {
      group = bar.group;
      rows.push({ kind: 'heading', label: bar.group, group: bar.group, value: NaN, y, length: 0 });
      y += LOG_BAR_ROW_HEIGHT;
    }
    rows.push({
      kind: 'bar',
      label: bar.label,
      group: bar.group,
      value: bar.value,
      y,
      length: lengthOf(bar.value),
    });
    y += LOG_BAR_ROW_HEIGHT;
  }
  const every = Math.max(1, Math.ceil((span + 1) / Math.max(2, maxTicks)));
  const ticks: LogBarTick[] = [];
  for (let power = low; power <= high; power += every)
    ticks.push({
      value: 10 ** power,
      label: decadeLabel(power),
      x: ((power - low) / span) * width,
    });
  return { rows, ticks, height: y + LOG_BAR_AXIS_HEIGHT, low, high };
}
